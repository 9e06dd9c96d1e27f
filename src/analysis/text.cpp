#include "analysis/text.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace sysaxis::analysis {

std::string human_bytes(double bytes) {
  static constexpr std::array<std::string_view, 5> kUnits = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = bytes;
  std::size_t u = 0;
  while (std::abs(v) >= 1024 && u + 1 < kUnits.size()) {
    v /= 1024;
    ++u;
  }
  if (v == std::floor(v)) return fmt::format("{:.0f} {}", v, kUnits[u]);
  return fmt::format("{:.1f} {}", v, kUnits[u]);
}

std::string human_number(double v) {
  if (std::isnan(v)) return "n/a";
  if (std::abs(v) >= 100) return fmt::format("{:.0f}", v);
  if (v == 0) return "0";
  return fmt::format("{:.3g}", v);
}

std::string human_time(double ns) {
  if (std::isnan(ns)) return "n/a";
  const double a = std::abs(ns);
  if (a < 1e3) return fmt::format("{} ns", human_number(ns));
  if (a < 1e6) return fmt::format("{} µs", human_number(ns / 1e3));
  if (a < 1e9) return fmt::format("{} ms", human_number(ns / 1e6));
  return fmt::format("{} s", human_number(ns / 1e9));
}

std::string human_metric(double v, std::string_view metric) {
  return metric == "time_ns" ? human_time(v) : human_number(v);
}

std::string fmt_num(double v) {
  if (std::isnan(v)) return "n/a";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  const double a = std::abs(v);
  if (a < 5e-13) return "0";
  if (a >= 99.95 || (a == std::floor(a) && a < 1e15)) {  // integers, with thousands separators
    const std::string digits = fmt::format("{:.0f}", a);
    std::string out;
    const std::size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
    out += digits.substr(0, first);
    for (std::size_t i = first; i < digits.size(); i += 3) out += "," + digits.substr(i, 3);
    return (v < 0 ? "-" : "") + out;
  }
  if (a >= 9.995) return fmt::format("{:.1f}", v);
  return fmt::format("{:.3g}", v);
}

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " and " : ", ";
    out += words[i];
  }
  return out;
}

std::vector<std::string> tally_words(const std::map<std::string, std::size_t>& tally) {
  std::vector<std::string> out;
  out.reserve(tally.size());
  for (const auto& [k, n] : tally) out.push_back(fmt::format("{} {}", n, k));
  return out;
}

std::string count_noun(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

double median(std::vector<double> v) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace sysaxis::analysis
