// How categories look and read in the report: one colour and point type per category, the same
// in every plot and panel, and the word for the kind of OS work it stands for ("ruling out
// per-byte <area> work"). A table (palette.cpp); tests/unit/report_palette_test.cpp checks that
// every category of the default taxonomy and every non-syscall event has an entry.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sysaxis::report {

struct CategoryStyle {
  std::string_view category;
  std::string_view color;  // "#rrggbb"
  int point_type;          // gnuplot point type
  std::string_view area;   // "memory-management", as in "per-byte memory-management work"
};

const std::vector<CategoryStyle>& palette();
bool in_palette(std::string_view category);
// The style of a category; categories outside the table get a grey shade and a rank after it.
CategoryStyle category_style(std::string_view category);
// The area word; "driver:<device>" gives "<device> driver", unknown names themselves.
std::string category_area(std::string_view category);
// Position in the table (the display order); categories outside it come after, alphabetically.
std::size_t category_rank(std::string_view category);

}  // namespace sysaxis::report
