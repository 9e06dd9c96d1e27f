#include "syscalls/taxonomy.h"

#include <fmt/format.h>

#include <fnmatch.h>

#include <toml++/toml.h>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
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

struct TaxonomyParser {
  static void devices(Taxonomy& t, const toml::table& doc, const std::string& source);
};

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
  for (const auto& [name, node] : entries) {
    if (!valid_category_name(name))
      fail(source_name, node->source(), fmt::format("invalid category name '{}' (letters, digits, _ and -)", name));
    const auto* tbl = node->as_table();
    if (tbl == nullptr) fail(source_name, node->source(), fmt::format("categories.{} must be a table", name));
    for (auto&& [k, v] : *tbl) {
      if (k.str() != "description" && k.str() != "syscalls") {
        fail(source_name, v.source(),
             fmt::format("unknown key '{}' in categories.{} (expected description, syscalls)", k.str(), name));
      }
    }
    const auto* list = tbl->get_as<toml::array>("syscalls");
    if (list == nullptr) fail(source_name, node->source(), fmt::format("categories.{} has no 'syscalls' array", name));
    t.order_.push_back(name);
    t.descriptions_[name] =
        tbl->get("description") != nullptr ? tbl->get("description")->value_or(std::string{}) : std::string{};
    for (const auto& item : *list) {
      auto s = item.value<std::string>();
      if (!s || s->empty())
        fail(source_name, item.source(), fmt::format("categories.{}: syscall names must be non-empty strings", name));
      auto [it, inserted] = t.by_name_.emplace(*s, name);
      if (!inserted) {
        fail(source_name, item.source(),
             fmt::format("syscall '{}' is in both '{}' and '{}' (one category each)", *s, it->second, name));
      }
    }
  }
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

const std::string& Taxonomy::description(const std::string& category) const {
  static const std::string empty;
  auto it = descriptions_.find(category);
  return it == descriptions_.end() ? empty : it->second;
}

}  // namespace sysaxis::syscalls
