// Words of the generated claims: how a category is named in a sentence and what kind of work
// a flat axis rules out. Data, checked for completeness against the default taxonomy by
// tests/unit/analysis_claims_test.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sysaxis::analysis {

struct CategoryWords {
  std::string noun;  // "driver calls (ioctl)"
  std::string area;  // "driver", as in "ruling out per-byte driver work"
};
// Known categories come from a table; "driver:<device>" and unknown names get generic words.
CategoryWords category_words(std::string_view category);
bool has_category_words(std::string_view category);  // in the table (not generic)

// "4 KiB", "64 KiB", "16 MiB", "1 GiB", "1.5 MiB", "100 B".
std::string human_bytes(double bytes);
// A number for a sentence: 3 significant digits below 100, no decimals above.
std::string human_number(double v);

}  // namespace sysaxis::analysis
