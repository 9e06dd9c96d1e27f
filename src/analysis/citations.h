// Numbers in prose checked against the analyses they cite (docs/findings.md, DESIGN.md "Claims ->
// constraints": "the findings document quotes numbers only from the analysis, by id, and a test
// checks them").
//
// A citation is `[KIND:ID@SOURCE]`, written right after the numbers it stands for (in the same
// sentence, or the same table row). SOURCE names an analysis by a Markdown reference definition
// of the document (`[h100]: ../results/.../analysis.json.gz`), so the document says where its
// numbers come from and renders without them. KIND:ID is one of
//   fit:F12            a fit: c0, c1 and its interval, the level means (their min-max), the axis
//                      values, the step's levels and jump, p and q
//   constraint:C1.2    a key number of a constraint (value and interval); constraint:C1 all of them
//   q3:X181            a Q3 cell: every category's means and intervals (GPU runtime and baseline)
//                      and shares; q3:X181/driver one category
//   claim:ID           the numbers of every fit behind the claim
//   family             the family of tests: fits, tested, significant, depends, flat, insufficient
//   runs               microbenchmark, real-workload and all good runs; each input's runs
// A number matches a candidate when it equals it to the number's own precision (0.5 of its last
// digit; trailing zeros of an integer are not precise: "1,100" is 1050-1150), or lies inside a
// candidate's interval. Time units (ns, µs, ms, s) convert to nanoseconds, % to a fraction; an interval
// written after its value ("6.3 µs per MiB [4.1, 7.8]") takes the value's unit.
//
// Every other number must be a name or a setting: in a code span (`PoCL 3.1`), part of a word
// (H100, Q1, x86_64), a data size or count of the setup (KiB, MiB, GiB, iterations, vCPUs, cores,
// GPUs, machines), or a phase ("Phase 1"). Anything else is a number without a source.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/analysis.h"

namespace sysaxis::analysis {

struct CitationProblem {
  std::size_t line = 0;  // 1-based line of the document
  std::string text;      // one line: what is wrong
};

struct CitationCheck {
  std::size_t citations = 0;  // citations read
  std::size_t numbers = 0;    // numbers checked against a source
  std::vector<CitationProblem> problems;
  bool ok() const { return problems.empty(); }
};

// The reference definitions of a document that name an analysis: key -> path as written.
std::map<std::string, std::string> citation_sources(std::string_view markdown);

// Checks every number of `markdown` against `sources` (key -> analysis).
CitationCheck check_citations(std::string_view markdown, const std::map<std::string, const Analysis*>& sources);

}  // namespace sysaxis::analysis
