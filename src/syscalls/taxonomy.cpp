#include "syscalls/taxonomy.h"

#include "common/text.h"

#include <fmt/format.h>

#include <fnmatch.h>

#include <toml++/toml.h>
#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <set>
#include <sstream>

namespace sysaxis::syscalls {
namespace {

constexpr std::string_view kSchema = "sysaxis.taxonomy/1";

constexpr std::string_view kBuiltinText =
#include "taxonomy_default.inc"
    ;

[[noreturn]] void fail(const std::string& source, const toml::source_region& where, const std::string& what) {
  throw TaxonomyError(fmt::format("{}:{}: {}", source, where.begin.line, what));
}

// Colours for categories whose table names none: distinct from those of the default taxonomy and
// from the grey of uncategorised calls.
constexpr std::array<std::string_view, 12> kPalette = {"#aec7e8", "#ffbb78", "#98df8a", "#c5b0d5",
                                                       "#f7b6d2", "#dbdb8d", "#9edae5", "#5254a3",
                                                       "#8ca252", "#bd9e39", "#ad494a", "#a55194"};
constexpr int kMaxPoint = 99;
constexpr std::size_t kPointCycle = 15;  // gnuplot's distinct point types in its SVG terminal

bool valid_colour(std::string_view s) {
  return s.size() == 7 && s[0] == '#' &&
         std::all_of(s.begin() + 1, s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool valid_category_name(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  }
  return true;
}

std::vector<std::string> string_list(const toml::node& node, const std::string& source, const std::string& where) {
  const auto* list = node.as_array();
  if (list == nullptr) fail(source, node.source(), fmt::format("{} must be an array of strings", where));
  std::vector<std::string> out;
  for (const auto& item : *list) {
    auto s = item.value<std::string>();
    if (!s || s->empty()) fail(source, item.source(), fmt::format("{}: entries must be non-empty strings", where));
    out.push_back(*s);
  }
  return out;
}

}  // namespace

// One [categories.<name>] table as read: the fields without a default yet.
struct ParsedCategory {
  std::string name;
  std::optional<std::int64_t> order;
  std::optional<std::string> noun, area, colour;
  std::optional<int> point;
};

struct TaxonomyParser {
  static ParsedCategory category(Taxonomy& t, const std::string& name, const toml::node& node,
                                 const std::string& source);
  static void default_words(Taxonomy& t, const std::vector<ParsedCategory>& parsed);
  static void devices(Taxonomy& t, const toml::table& doc, const std::string& source);
};

// [categories.<name>]: description, syscalls, and the optional noun, area, colour, point, order.
ParsedCategory TaxonomyParser::category(Taxonomy& t, const std::string& name, const toml::node& node,
                                        const std::string& source) {
  if (!valid_category_name(name))
    fail(source, node.source(), fmt::format("invalid category name '{}' (letters, digits, _ and -)", name));
  const auto* tbl = node.as_table();
  if (tbl == nullptr) fail(source, node.source(), fmt::format("categories.{} must be a table", name));
  ParsedCategory c;
  c.name = name;
  auto text = [&](const toml::node& v, std::string_view key) {
    auto s = v.value<std::string>();
    if (!s || s->empty())
      fail(source, v.source(), fmt::format("categories.{}.{} must be a non-empty string", name, key));
    return *s;
  };
  for (auto&& [k, v] : *tbl) {
    const std::string_view key = k.str();
    if (key == "description" || key == "syscalls") continue;
    if (key == "noun") {
      c.noun = text(v, key);
    } else if (key == "area") {
      c.area = text(v, key);
    } else if (key == "colour") {
      c.colour = text(v, key);
      if (!valid_colour(*c.colour)) {
        fail(source, v.source(), fmt::format("categories.{}.colour must be \"#rrggbb\" (hexadecimal)", name));
      }
    } else if (key == "point" || key == "order") {
      auto n = v.value<std::int64_t>();
      if (!v.is_integer() || !n || (key == "point" && (*n < 0 || *n > kMaxPoint))) {
        fail(source, v.source(),
             key == "point" ? fmt::format("categories.{}.point must be a gnuplot point type, 0 to {}", name, kMaxPoint)
                            : fmt::format("categories.{}.order must be an integer", name));
      }
      if (key == "point") {
        c.point = static_cast<int>(*n);
      } else {
        c.order = *n;
      }
    } else {
      fail(source, v.source(),
           fmt::format("unknown key '{}' in categories.{} (expected description, syscalls, noun, area, colour, "
                       "point, order)",
                       key, name));
    }
  }
  const auto* list = tbl->get_as<toml::array>("syscalls");
  if (list == nullptr) fail(source, node.source(), fmt::format("categories.{} has no 'syscalls' array", name));
  t.descriptions_[name] =
      tbl->get("description") != nullptr ? tbl->get("description")->value_or(std::string{}) : std::string{};
  for (const auto& item : *list) {
    auto s = item.value<std::string>();
    if (!s || s->empty())
      fail(source, item.source(), fmt::format("categories.{}: syscall names must be non-empty strings", name));
    auto [it, inserted] = t.by_name_.emplace(*s, name);
    if (!inserted) {
      fail(source, item.source(),
           fmt::format("syscall '{}' is in both '{}' and '{}' (one category each)", *s, it->second, name));
    }
  }
  return c;
}

// The order, and the words with their defaults: the name as noun and area, the first palette
// colour that no category has yet, a point type by position.
void TaxonomyParser::default_words(Taxonomy& t, const std::vector<ParsedCategory>& parsed) {
  std::set<std::string> taken;
  for (const auto& c : parsed) {
    if (c.colour) taken.insert(lower(*c.colour));
  }
  std::size_t next = 0;
  auto free_colour = [&]() {
    for (; next < kPalette.size(); ++next) {
      if (!taken.contains(std::string(kPalette[next]))) return std::string(kPalette[next++]);
    }
    return std::string(kPalette[next++ % kPalette.size()]);  // more categories than colours: reuse
  };
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    const ParsedCategory& c = parsed[i];
    t.order_.push_back(c.name);
    CategoryWords w;
    w.noun = c.noun.value_or(fmt::format("{} calls", c.name));
    w.area = c.area.value_or(c.name);
    w.colour = c.colour ? *c.colour : free_colour();
    w.point = c.point.value_or(static_cast<int>(i % kPointCycle) + 1);
    t.words_[c.name] = std::move(w);
  }
}

// [devices]: syscalls = [...], default = "<category>", [[devices.class]] name, category, match.
void TaxonomyParser::devices(Taxonomy& t, const toml::table& doc, const std::string& source) {
  const auto* node = doc.get("devices");
  if (node == nullptr) return;
  const auto* devices = node->as_table();
  if (devices == nullptr) fail(source, node->source(), "devices must be a table");
  auto known = [&](const std::string& category, const toml::node& where) {
    if (t.descriptions_.find(category) == t.descriptions_.end()) {
      fail(source, where.source(), fmt::format("devices: category '{}' is not one of [categories.*]", category));
    }
  };
  for (auto&& [k, v] : *devices) {
    const std::string key(k.str());
    if (key == "syscalls") {
      t.device_syscalls_ = string_list(v, source, "devices.syscalls");
    } else if (key == "default") {
      auto d = v.value<std::string>();
      if (!d) fail(source, v.source(), "devices.default must be a category name");
      known(*d, v);
      t.device_default_ = *d;
    } else if (key == "class") {
      const auto* classes = v.as_array();
      if (classes == nullptr) fail(source, v.source(), "devices.class must be an array of tables ([[devices.class]])");
      for (const auto& c : *classes) {
        const auto* tbl = c.as_table();
        if (tbl == nullptr) fail(source, c.source(), "each [[devices.class]] must be a table");
        DeviceClass dc;
        for (auto&& [ck, cv] : *tbl) {
          const std::string ckey(ck.str());
          if (ckey == "name" || ckey == "category") {
            auto s = cv.value<std::string>();
            if (!s || s->empty()) fail(source, cv.source(), fmt::format("devices.class.{} must be a string", ckey));
            (ckey == "name" ? dc.name : dc.category) = *s;
          } else if (ckey == "match") {
            dc.patterns = string_list(cv, source, "devices.class.match");
          } else {
            fail(source, cv.source(),
                 fmt::format("unknown key '{}' in [[devices.class]] (expected name, category, match)", ckey));
          }
        }
        if (dc.name.empty() || dc.category.empty() || dc.patterns.empty()) {
          fail(source, c.source(), "[[devices.class]] needs name, category and a non-empty match list");
        }
        known(dc.category, c);
        t.device_classes_.push_back(std::move(dc));
      }
    } else {
      fail(source, v.source(), fmt::format("unknown key '{}' in [devices] (expected syscalls, default, class)", key));
    }
  }
  if (!t.device_syscalls_.empty() && t.device_default_.empty()) {
    fail(source, node->source(), "devices: a default category is needed for devices no class matches");
  }
}

Taxonomy Taxonomy::parse(std::string_view text, const std::string& source_name) {
  toml::table doc;
  if (auto bad = toml_non_ascii_outside_strings(text)) {
    throw TaxonomyError(fmt::format("{}:{}: invalid TOML: {}", source_name, bad->line, bad->what));
  }
  try {
    doc = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    throw TaxonomyError(fmt::format("{}:{}: invalid TOML: {}", source_name, e.source().begin.line, e.description()));
  }
  Taxonomy t;
  t.source_ = source_name;
  for (auto&& [key, node] : doc) {
    if (key.str() != "schema" && key.str() != "categories" && key.str() != "devices") {
      fail(source_name, node.source(),
           fmt::format("unknown key '{}' (expected 'schema', [categories.*] and [devices])", key.str()));
    }
  }
  auto* schema = doc.get("schema");
  if (schema == nullptr)
    throw TaxonomyError(fmt::format("{}:1: missing key 'schema' (expected \"{}\")", source_name, kSchema));
  if (!schema->is_string() || schema->value<std::string>() != kSchema) {
    fail(source_name, schema->source(), fmt::format("unsupported schema (expected \"{}\")", kSchema));
  }
  auto* cats = doc.get_as<toml::table>("categories");
  if (cats == nullptr || cats->empty()) {
    throw TaxonomyError(fmt::format("{}:1: no [categories.<name>] tables", source_name));
  }
  // toml++ tables are ordered by key; keep the file order by sorting on source position.
  std::vector<std::pair<std::string, const toml::node*>> entries;
  for (auto&& [key, node] : *cats) entries.emplace_back(std::string(key.str()), &node);
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.second->source().begin.line < b.second->source().begin.line; });
  std::vector<ParsedCategory> parsed;
  parsed.reserve(entries.size());
  for (const auto& [name, node] : entries) {
    parsed.push_back(TaxonomyParser::category(t, name, *node, source_name));
  }
  // Output order: the `order` field first (stable: file order among equals and for those without).
  std::stable_sort(parsed.begin(), parsed.end(), [](const ParsedCategory& a, const ParsedCategory& b) {
    return a.order.value_or(std::numeric_limits<std::int64_t>::max()) <
           b.order.value_or(std::numeric_limits<std::int64_t>::max());
  });
  TaxonomyParser::default_words(t, parsed);
  TaxonomyParser::devices(t, doc, source_name);
  return t;
}

Taxonomy Taxonomy::load_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw TaxonomyError(fmt::format("{}: cannot read taxonomy file: {}", path.string(), std::strerror(errno)));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw TaxonomyError(fmt::format("{}: read error", path.string()));
  return parse(ss.str(), path.string());
}

const Taxonomy& Taxonomy::builtin() {
  static const Taxonomy t = parse(kBuiltinText, "taxonomy/default.toml (built in)");
  return t;
}

std::string_view Taxonomy::category(std::string_view syscall) const {
  auto it = by_name_.find(std::string(syscall));
  return it == by_name_.end() ? kUncategorised : std::string_view(it->second);
}

const DeviceClass* Taxonomy::device_class(std::string_view device) const {
  const std::string name(device);
  for (const auto& c : device_classes_) {
    for (const auto& p : c.patterns) {
      if (fnmatch(p.c_str(), name.c_str(), 0) == 0) return &c;
    }
  }
  return nullptr;
}

std::string_view Taxonomy::category(std::string_view syscall, std::string_view detail) const {
  if (detail.empty() ||
      std::find(device_syscalls_.begin(), device_syscalls_.end(), syscall) == device_syscalls_.end()) {
    return category(syscall);
  }
  const DeviceClass* c = device_class(detail.substr(0, detail.find(':')));
  return c != nullptr ? std::string_view(c->category) : std::string_view(device_default_);
}

const CategoryWords* Taxonomy::words(std::string_view category) const {
  static const CategoryWords uncategorised{"uncategorised calls", "uncategorised", "#a0a0a0", 3};
  auto it = words_.find(category);
  if (it != words_.end()) return &it->second;
  return category == kUncategorised ? &uncategorised : nullptr;
}

const std::string& Taxonomy::description(const std::string& category) const {
  static const std::string empty;
  auto it = descriptions_.find(category);
  return it == descriptions_.end() ? empty : it->second;
}

}  // namespace sysaxis::syscalls
