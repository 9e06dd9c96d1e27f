// Does a re-run reproduce a study? Compares two analyses (docs/analysis.md) constraint by
// constraint, claim by claim and fit by fit, matched on what was measured (workload, runtime,
// platform, execution model and options, phase, category, metric, question, fixed value), not on
// where: the database index, device name and engine are left out of the match, so the same study
// re-run on another machine or by another engine lines up with the first.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "analysis/analysis.h"

namespace sysaxis::analysis {

// One matched item: a constraint (its clauses), a claim (its verdict classes, or its Q3 kind) or a
// fit (its class).
struct CompareRow {
  std::string item;                     // "constraint" | "claim" | "fit"
  std::string key;                      // what was measured, readable
  std::string a, b;                     // the value on each side; empty when absent there
  bool firm_a = false, firm_b = false;  // constraints: always; claims: firm; fits: not wide, not insufficient
  std::string status;                   // same | different | only-a | only-b
};

struct CompareTally {
  std::size_t same = 0, different = 0, only_a = 0, only_b = 0;
  [[nodiscard]] std::size_t both() const { return same + different; }
};

struct Comparison {
  std::vector<CompareRow> rows;  // sorted by item, key
  // Tallies by item and by whether the item is firm on its side ("firm", "not firm").
  std::map<std::string, std::map<std::string, CompareTally>> tally;
};

// Throws AnalysisError when two items of one analysis share a key (the match would be ambiguous:
// analyse one study database per file).
Comparison compare_analyses(const Analysis& a, const Analysis& b);

// The terminal summary: tallies, then every constraint and firm claim of A that B does not reproduce.
std::string compare_summary(const Comparison& c, const std::string& name_a, const std::string& name_b);

// Tidy CSV, one row per matched item: item,key,a,b,firm_a,firm_b,status.
std::string compare_csv(const Comparison& c);

// True when every constraint and every firm claim of A is in B with the same value.
bool reproduced(const Comparison& c);

}  // namespace sysaxis::analysis
