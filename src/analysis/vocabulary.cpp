#include "analysis/vocabulary.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "analysis/dataset.h"

namespace sysaxis::analysis {

namespace {

struct OwnWords {
  std::string_view category, noun, area, colour;
  int point;
};
// The categories the analysis adds to the taxonomy's (dataset.h).
constexpr std::array kOwnWords = {
    OwnWords{kSyscalls, "syscalls (all categories)", "OS", "#000080", 15},
    OwnWords{kFaultsMinor, "minor page faults", "page-fault", "#000000", 7},
    OwnWords{kFaultsMajor, "major page faults", "major-fault", "#555555", 9},
    OwnWords{kCsVoluntary, "voluntary context switches", "blocking", "#b5651d", 5},
    OwnWords{kCsInvoluntary, "involuntary context switches", "preemption", "#6b4c9a", 11},
    OwnWords{kCpu, "CPU time of the process tree", "CPU", "#e6550d", 13},
    OwnWords{kCpuUser, "user CPU time", "user-CPU", "#fd8d3c", 13},
    OwnWords{kCpuSystem, "system CPU time", "kernel-CPU", "#a63603", 13},
};

constexpr std::string_view kDriverPart = "driver:";

int kind_rank(CategoryKind k) {
  switch (k) {
    case CategoryKind::syscall:
    case CategoryKind::part: return 0;
    case CategoryKind::total: return 1;
    case CategoryKind::event: return 2;
    case CategoryKind::cpu: return 3;
  }
  return 4;
}

std::vector<NamedWords> words_of(const syscalls::Taxonomy& taxonomy) {
  std::vector<NamedWords> out;
  for (const auto& c : taxonomy.categories()) out.push_back({c, *taxonomy.words(c)});
  const std::string other(syscalls::Taxonomy::kUncategorised);
  if (std::none_of(out.begin(), out.end(), [&](const NamedWords& w) { return w.category == other; })) {
    out.push_back({other, *taxonomy.words(other)});
  }
  return out;
}

}  // namespace

Vocabulary::Vocabulary() : Vocabulary(syscalls::Taxonomy::builtin()) {}

Vocabulary::Vocabulary(const syscalls::Taxonomy& taxonomy) : taxonomy_(words_of(taxonomy)) {}

Vocabulary::Vocabulary(std::vector<NamedWords> taxonomy) : taxonomy_(std::move(taxonomy)) {}

bool Vocabulary::is_builtin() const {
  static const std::vector<NamedWords> builtin = words_of(syscalls::Taxonomy::builtin());
  return taxonomy_ == builtin;
}

bool Vocabulary::has(std::string_view category) const {
  return std::any_of(taxonomy_.begin(), taxonomy_.end(), [&](const NamedWords& w) { return w.category == category; }) ||
         std::any_of(kOwnWords.begin(), kOwnWords.end(), [&](const OwnWords& w) { return w.category == category; });
}

CategoryWords Vocabulary::of(std::string_view category) const {
  for (const auto& w : taxonomy_) {
    if (w.category == category) return w.words;
  }
  for (const auto& w : kOwnWords) {
    if (w.category == category) return {std::string(w.noun), std::string(w.area), std::string(w.colour), w.point};
  }
  if (category.starts_with(kDriverPart)) {
    const auto device = category.substr(kDriverPart.size());
    const CategoryWords driver = of(kDriverPart.substr(0, kDriverPart.size() - 1));
    return {fmt::format("ioctl calls to {}", device), fmt::format("{} driver", device), driver.colour, driver.point};
  }
  return {fmt::format("{} calls", category), std::string(category), "#b0b0b0", 1};
}

std::size_t Vocabulary::rank(std::string_view top) const {
  auto it = std::find_if(taxonomy_.begin(), taxonomy_.end(), [&](const NamedWords& w) { return w.category == top; });
  return static_cast<std::size_t>(it - taxonomy_.begin());  // unknown categories after the known ones
}

bool Vocabulary::less(const std::string& a, const std::string& b) const {
  const int ka = kind_rank(category_kind(a));
  const int kb = kind_rank(category_kind(b));
  if (ka != kb) return ka < kb;
  if (ka == 0) {
    const std::string_view ta = std::string_view(a).substr(0, a.find(':'));
    const std::string_view tb = std::string_view(b).substr(0, b.find(':'));
    const auto ra = rank(ta);
    const auto rb = rank(tb);
    if (ra != rb) return ra < rb;
    if (ta != tb) return ta < tb;
    if ((ta.size() == a.size()) != (tb.size() == b.size())) return ta.size() == a.size();  // "driver" first
  }
  return a < b;
}

}  // namespace sysaxis::analysis
