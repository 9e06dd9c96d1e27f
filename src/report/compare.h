// Does a re-run reproduce a study? Compares two analysis.json files (docs/analysis.md) fit by fit
// and claim by claim, matched on what was measured (runtime, execution model, phase, category,
// question), not on where: database index, device name and engine are left out of the match, so
// the same study re-run on another machine or by another engine lines up with the first.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace sysaxis::report {

struct CompareError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One matched item: a fit (its class) or a claim (its classes per question, or its Q3 kind).
struct CompareRow {
  std::string item;                     // "fit" | "claim"
  std::string key;                      // what was measured, readable
  std::string a, b;                     // the class (fits) or classes/kind (claims); empty when absent on that side
  bool firm_a = false, firm_b = false;  // fits: not wide; claims: firm
  std::string status;                   // same | different | only-a | only-b
};

struct CompareTally {
  std::size_t same = 0, different = 0, only_a = 0, only_b = 0;
  [[nodiscard]] std::size_t both() const { return same + different; }
};

struct Comparison {
  std::vector<CompareRow> rows;  // sorted by item, key
  // Tallies by item ("fit", "claim") and by whether the item is firm in A ("firm", "not firm").
  std::map<std::string, std::map<std::string, CompareTally>> tally;
};

// Throws CompareError when either document is not a sysaxis analysis (schema sysaxis.analysis/1)
// or two items of one document share a key (which would make the match ambiguous).
Comparison compare_analyses(const nlohmann::json& a, const nlohmann::json& b);

// The terminal summary: tallies, then every firm item of A that B does not reproduce.
std::string compare_summary(const Comparison& c, const std::string& name_a, const std::string& name_b);

// Tidy CSV, one row per matched item: item,key,a,b,firm_a,firm_b,status.
std::string compare_csv(const Comparison& c);

// True when every firm claim of A is in B with the same classes.
bool firm_claims_reproduced(const Comparison& c);

}  // namespace sysaxis::report
