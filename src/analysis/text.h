// Words and numbers for sentences, shared by the analysis (claim and constraint texts) and the
// report: one of each helper. The words of categories are the Vocabulary's (vocabulary.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sysaxis::analysis {

// "4 KiB", "64 KiB", "16 MiB", "1 GiB", "1.5 MiB", "100 B".
std::string human_bytes(double bytes);
// A number for a sentence: 3 significant digits below 100, no decimals above.
std::string human_number(double v);
// Nanoseconds for a sentence: "850 ns", "73 µs", "1.2 ms", "3.4 s".
std::string human_time(double ns);
// A metric's value for a sentence: calls as numbers, time_ns as times.
std::string human_metric(double v, std::string_view metric);
// Numbers for tables: "0", "0.123", "12.3", "123", "12,345"; "n/a" for NaN.
std::string fmt_num(double v);
// "a", "a and b", "a, b and c".
std::string join_words(const std::vector<std::string>& words);
// "3 ok, 1 failed" parts from a tally: "<count> <key>" in key order.
std::vector<std::string> tally_words(const std::map<std::string, std::size_t>& tally);
// The keys of a map, in order.
template <typename Map>
std::vector<std::string> keys_of(const Map& m) {
  std::vector<std::string> out;
  out.reserve(m.size());
  for (const auto& kv : m) out.push_back(kv.first);
  return out;
}
// "1 run", "3 runs".
std::string count_noun(std::size_t n, std::string_view one, std::string_view many);
// The median of the values (NaN for none).
double median(std::vector<double> v);

}  // namespace sysaxis::analysis
