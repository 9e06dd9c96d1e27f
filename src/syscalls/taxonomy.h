// Syscall categories as data: a TOML file maps every syscall name to exactly one category
// (taxonomy/default.toml, embedded in the binary; users pass their own with --taxonomy), and says
// how reports name, draw and order each category.
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

// A class of devices whose ioctl calls share a category (DESIGN.md: ioctl's category follows the
// device class of its descriptor: GPU and accelerator devices are `driver`, terminals `terminal`).
struct DeviceClass {
  std::string name;                   // "gpu"
  std::string category;               // "driver"
  std::vector<std::string> patterns;  // shell globs on the device name of the detail ("nvidia*")
};

// How sentences name a category and plots draw it: optional fields of its [categories.<name>]
// table, each with a default, so that a user's category is never grey and unnamed.
struct CategoryWords {
  std::string noun;    // "driver calls (ioctl on GPU devices)"; default "<name> calls"
  std::string area;    // "driver", as in "ruling out per-byte driver work"; default the name
  std::string colour;  // "#rrggbb", the same in every plot; default the next colour of a fixed palette
                       // that no category of the file has
  int point = 1;       // gnuplot point type; default one by position
  bool operator==(const CategoryWords&) const = default;
};

class Taxonomy {
 public:
  // Category given to names the taxonomy does not list (only possible with a user taxonomy or
  // a syscall number missing from the build's tables).
  static constexpr std::string_view kUncategorised = "other";

  static Taxonomy parse(std::string_view text, const std::string& source_name);
  static Taxonomy load_file(const std::filesystem::path& path);
  static const Taxonomy& builtin();

  // The category of a syscall by name alone.
  std::string_view category(std::string_view syscall) const;
  // The category of one counted row: for the syscalls the [devices] table lists (ioctl), the
  // category of the first device class whose pattern matches the device (the part of `detail`
  // before the first ':'), else the [devices] default; for every other syscall, or an empty
  // detail, category(syscall).
  std::string_view category(std::string_view syscall, std::string_view detail) const;
  // The device class a device name falls in (nullptr: none matches).
  const DeviceClass* device_class(std::string_view device) const;
  const std::vector<DeviceClass>& device_classes() const { return device_classes_; }
  const std::vector<std::string>& device_syscalls() const { return device_syscalls_; }
  const std::string& device_default() const { return device_default_; }
  bool contains(std::string_view syscall) const { return by_name_.contains(std::string(syscall)); }
  // Categories in their order: by their `order` field, those without one after those with one,
  // ties in file order (so a file without `order` fields keeps its file order).
  const std::vector<std::string>& categories() const { return order_; }
  const std::string& description(const std::string& category) const;
  // The words of a category of the file, or of kUncategorised (fixed words unless the file has a
  // category of that name); nullptr for any other name.
  const CategoryWords* words(std::string_view category) const;
  const std::string& source() const { return source_; }

 private:
  friend struct TaxonomyParser;
  std::string source_;
  std::vector<std::string> order_;
  std::map<std::string, std::string> descriptions_;
  std::map<std::string, CategoryWords, std::less<>> words_;
  std::unordered_map<std::string, std::string> by_name_;
  std::vector<DeviceClass> device_classes_;
  std::vector<std::string> device_syscalls_;
  std::string device_default_;
};

}  // namespace sysaxis::syscalls
