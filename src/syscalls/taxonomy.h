// Syscall categories as data: a TOML file maps every syscall name to exactly one category
// (taxonomy/default.toml, embedded in the binary; users pass their own with --taxonomy).
#pragma once

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sysaxis::syscalls {

class TaxonomyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Taxonomy {
 public:
  // Category given to names the taxonomy does not list (only possible with a user taxonomy or
  // a syscall number missing from the build's tables).
  static constexpr std::string_view kUncategorised = "other";

  static Taxonomy parse(std::string_view text, const std::string& source_name);
  static Taxonomy load_file(const std::filesystem::path& path);
  static const Taxonomy& builtin();

  std::string_view category(std::string_view syscall) const;
  bool contains(std::string_view syscall) const { return by_name_.contains(std::string(syscall)); }
  // Categories in file order.
  const std::vector<std::string>& categories() const { return order_; }
  const std::string& description(const std::string& category) const;
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  std::vector<std::string> order_;
  std::map<std::string, std::string> descriptions_;
  std::unordered_map<std::string, std::string> by_name_;
};

}  // namespace sysaxis::syscalls
