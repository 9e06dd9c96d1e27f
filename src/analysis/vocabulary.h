// The words, colours and order of the categories an analysis names (DESIGN.md "Syscall names and
// categories"): those of the taxonomy it ran with, which analysis.json records, and those of the
// categories the analysis adds (the total, page faults, context switches, CPU time). The analysis
// writes its sentences with them and the report draws and orders with them, so that the report
// stays a function of the analysis whatever taxonomy it used.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "syscalls/taxonomy.h"

namespace sysaxis::analysis {

using syscalls::CategoryWords;

struct NamedWords {
  std::string category;
  CategoryWords words;
  bool operator==(const NamedWords&) const = default;
};

class Vocabulary {
 public:
  Vocabulary();  // the built-in taxonomy's
  explicit Vocabulary(const syscalls::Taxonomy& taxonomy);
  // A taxonomy's categories in its order, as analysis.json records them.
  explicit Vocabulary(std::vector<NamedWords> taxonomy);

  // The taxonomy's words; "driver:<device>" like "driver", with the device named; the analysis's
  // own categories; generic words and a grey for any other name.
  CategoryWords of(std::string_view category) const;
  bool has(std::string_view category) const;  // not generic
  // Output order: the taxonomy's categories in its order (a part such as "driver:nvidiactl" right
  // after its category), the total, then faults, context switches and CPU time.
  bool less(const std::string& a, const std::string& b) const;
  struct Less {
    const Vocabulary* vocabulary;
    bool operator()(const std::string& a, const std::string& b) const { return vocabulary->less(a, b); }
  };
  Less order() const { return {this}; }

  // The taxonomy's categories in order, uncategorised calls last unless the taxonomy places them.
  const std::vector<NamedWords>& taxonomy() const { return taxonomy_; }
  bool is_builtin() const;  // the built-in taxonomy's words and order

 private:
  std::size_t rank(std::string_view top) const;
  std::vector<NamedWords> taxonomy_;
};

}  // namespace sysaxis::analysis
