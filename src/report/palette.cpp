#include "report/palette.h"

#include <algorithm>

namespace sysaxis::report {

const std::vector<CategoryStyle>& palette() {
  // Syscall categories of taxonomy/default.toml, "other" (outside the taxonomy), then the events
  // of the faults view. Colours: a qualitative palette that stays distinct on white.
  static const std::vector<CategoryStyle> kPalette = {
      {"memory", "#1f77b4", 7, "memory-management"},
      {"driver", "#d62728", 5, "driver"},
      {"terminal", "#ff9896", 3, "terminal"},
      {"device", "#c49c94", 2, "device"},
      {"sync", "#2ca02c", 9, "synchronisation"},
      {"sched", "#9467bd", 11, "scheduler"},
      {"thread", "#ff7f0e", 13, "thread"},
      {"process", "#8c564b", 4, "process"},
      {"file", "#17becf", 6, "file"},
      {"poll", "#e377c2", 8, "polling"},
      {"signal", "#bcbd22", 10, "signal"},
      {"time", "#7f7f7f", 12, "clock"},
      {"ipc_net", "#393b79", 14, "IPC and network"},
      {"info", "#637939", 1, "information-query"},
      {"system", "#843c39", 2, "administration"},
      {"other", "#a0a0a0", 3, "uncategorised"},
      {"faults:minor", "#000000", 7, "page-fault"},
      {"faults:major", "#555555", 9, "major-fault"},
      {"cs:voluntary", "#b5651d", 5, "blocking"},
      {"cs:involuntary", "#6b4c9a", 11, "preemption"},
  };
  return kPalette;
}

bool in_palette(std::string_view category) {
  const auto& p = palette();
  return std::any_of(p.begin(), p.end(), [&](const CategoryStyle& s) { return s.category == category; });
}

CategoryStyle category_style(std::string_view category) {
  for (const auto& s : palette()) {
    if (s.category == category) return s;
  }
  // driver:<device> rows look like the driver category.
  if (category.starts_with("driver:")) {
    CategoryStyle s = category_style("driver");
    s.category = category;
    return s;
  }
  return {category, "#b0b0b0", 1, category};
}

std::string category_area(std::string_view category) {
  if (category.starts_with("driver:")) return std::string(category.substr(7)) + " driver";
  return std::string(category_style(category).area);
}

std::size_t category_rank(std::string_view category) {
  const auto& p = palette();
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i].category == category) return i;
  }
  return p.size();
}

}  // namespace sysaxis::report
