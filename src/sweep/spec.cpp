#include "sweep/spec.h"

#include "common/text.h"

#include <fmt/format.h>

#include <toml++/toml.h>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace sysaxis::sweep {
namespace {

namespace fs = std::filesystem;

// Largest size a spec may ask for: beyond any machine's memory, so surely a typo.
constexpr std::uint64_t kMaxBytes = std::uint64_t{1} << 40;  // 1 TiB
constexpr std::uint64_t kMaxIters = 1'000'000'000;
constexpr std::uint64_t kMaxThreads = 1024;
constexpr std::uint64_t kMaxBatch = 4096;
constexpr std::int64_t kMaxRepetitions = 1000;
constexpr std::size_t kMaxAxisValues = 4096;
constexpr std::int64_t kMaxTimeoutS = std::int64_t{7} * 24 * 3600;

struct Suffix {
  std::string_view text;
  std::uint64_t factor;
};
constexpr Suffix kSizeSuffixes[] = {
    {"", 1},           {"K", 1ULL << 10},   {"KiB", 1ULL << 10}, {"M", 1ULL << 20},   {"MiB", 1ULL << 20},
    {"G", 1ULL << 30}, {"GiB", 1ULL << 30}, {"T", 1ULL << 40},   {"TiB", 1ULL << 40},
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::uint64_t parse_count(std::string_view text) {
  text = trim(text);
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size()) {
    throw std::invalid_argument(fmt::format("expected a whole number, got \"{}\"", text));
  }
  return v;
}

// ---- TOML access with errors that name file, line and key -------------------------------

class Ctx {
 public:
  explicit Ctx(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const toml::node* node, const std::string& key, const std::string& what) const {
    fail_line(node != nullptr ? static_cast<int>(node->source().begin.line) : 1, key, what);
  }
  [[noreturn]] void fail_line(int line, const std::string& key, const std::string& what) const {
    if (key.empty()) throw SpecError(fmt::format("{}:{}: {}", file_, line, what));
    throw SpecError(fmt::format("{}:{}: {}: {}", file_, line, key, what));
  }

 private:
  std::string file_;
};

std::string type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return fmt::format("the string \"{}\"", n.value_or(std::string{}));
    case toml::node_type::integer: return fmt::format("the integer {}", n.value_or(std::int64_t{0}));
    case toml::node_type::floating_point: return fmt::format("the number {}", n.value_or(0.0));
    case toml::node_type::boolean: return n.value_or(false) ? "true" : "false";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "a date or time";
  }
}

std::string join(const std::vector<std::string_view>& v, std::string_view sep = ", ") {
  std::string out;
  for (auto s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::string dotted(const std::string& prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : fmt::format("{}.{}", prefix, key);
}

void check_keys(const Ctx& ctx, const toml::table& t, const std::string& where,
                const std::vector<std::string_view>& allowed) {
  for (auto&& [k, v] : t) {
    if (std::find(allowed.begin(), allowed.end(), k.str()) == allowed.end()) {
      ctx.fail(&v, dotted(where, k.str()),
               fmt::format("unknown key (expected {}{})", where.empty() ? "" : "in " + where + ": ", join(allowed)));
    }
  }
}

const toml::node* require(const Ctx& ctx, const toml::table& t, int table_line, const std::string& where,
                          std::string_view key, std::string_view expected) {
  const toml::node* n = t.get(key);
  if (n == nullptr) ctx.fail_line(table_line, dotted(where, key), fmt::format("missing (expected {})", expected));
  return n;
}

std::string get_string(const Ctx& ctx, const toml::node& n, const std::string& key, std::string_view expected) {
  if (!n.is_string()) ctx.fail(&n, key, fmt::format("expected {}, got {}", expected, type_name(n)));
  return n.value_or(std::string{});
}

std::string get_choice(const Ctx& ctx, const toml::node& n, const std::string& key,
                       const std::vector<std::string_view>& choices) {
  const std::string expected = fmt::format("one of {}", join(choices, " | "));
  std::string s = get_string(ctx, n, key, expected);
  if (std::find(choices.begin(), choices.end(), s) == choices.end()) {
    ctx.fail(&n, key, fmt::format("expected {}, got \"{}\"", expected, s));
  }
  return s;
}

bool get_bool(const Ctx& ctx, const toml::node& n, const std::string& key) {
  if (!n.is_boolean()) ctx.fail(&n, key, fmt::format("expected true or false, got {}", type_name(n)));
  return n.value_or(false);
}

std::int64_t get_int(const Ctx& ctx, const toml::node& n, const std::string& key, std::int64_t lo, std::int64_t hi) {
  if (!n.is_integer()) {
    ctx.fail(&n, key, fmt::format("expected an integer from {} to {}, got {}", lo, hi, type_name(n)));
  }
  std::int64_t v = n.value_or(std::int64_t{0});
  if (v < lo || v > hi) ctx.fail(&n, key, fmt::format("expected an integer from {} to {}, got {}", lo, hi, v));
  return v;
}

// A list of names (a string or an array of strings) from `choices`; never empty, no repeats.
std::vector<std::string> get_names(const Ctx& ctx, const toml::node& n, const std::string& key,
                                   const std::vector<std::string_view>& choices) {
  const std::string expected = fmt::format("a name or an array of names, each one of {}", join(choices, " | "));
  std::vector<const toml::node*> items;
  if (const auto* arr = n.as_array()) {
    if (arr->empty()) ctx.fail(&n, key, fmt::format("empty array (expected {})", expected));
    for (const auto& item : *arr) items.push_back(&item);
  } else {
    items.push_back(&n);
  }
  std::vector<std::string> out;
  for (const auto* item : items) {
    if (!item->is_string()) ctx.fail(item, key, fmt::format("expected {}, got {}", expected, type_name(*item)));
    std::string s = item->value_or(std::string{});
    if (std::find(choices.begin(), choices.end(), s) == choices.end()) {
      ctx.fail(item, key, fmt::format("expected {}, got \"{}\"", expected, s));
    }
    if (std::find(out.begin(), out.end(), s) != out.end()) ctx.fail(item, key, fmt::format("\"{}\" listed twice", s));
    out.push_back(std::move(s));
  }
  return out;
}

enum class AxisKind { bytes, iters, threads, batch };

struct AxisRule {
  std::string_view expected;
  std::uint64_t lo;
  std::uint64_t hi;
  bool sizes;
};

AxisRule axis_rule(AxisKind kind) {
  switch (kind) {
    case AxisKind::bytes:
      return {"a size (4096, \"64KiB\", \"16MiB\", \"1GiB\"), a range (\"1MiB..256MiB x4\") or an array of them", 4,
              kMaxBytes, true};
    case AxisKind::iters:
      return {"a count (100), a range (\"1..1000 x10\", \"10..50 +10\") or an array of them", 1, kMaxIters, false};
    case AxisKind::threads: return {"a thread count or an array of them", 1, kMaxThreads, false};
    case AxisKind::batch: return {"a batch size, a range or an array of them", 1, kMaxBatch, false};
  }
  return {"", 0, 0, false};
}

void check_axis_value(const Ctx& ctx, const toml::node& n, const std::string& key, AxisKind kind, std::uint64_t v) {
  const AxisRule rule = axis_rule(kind);
  if (v < rule.lo || v > rule.hi) {
    if (rule.sizes) {
      ctx.fail(
          &n, key,
          fmt::format("size {} out of range (expected {} bytes to {})", format_size(v), rule.lo, format_size(rule.hi)));
    }
    ctx.fail(&n, key, fmt::format("{} out of range (expected {} to {})", v, rule.lo, rule.hi));
  }
  if (kind == AxisKind::bytes && v % 4 != 0) {
    ctx.fail(&n, key, fmt::format("size {} is not a multiple of 4 (the workloads touch uint32_t elements)", v));
  }
}

// An axis: a value, a range string, or an array of values and ranges. Sorted, without repeats.
std::vector<std::uint64_t> get_axis(const Ctx& ctx, const toml::node& n, const std::string& key, AxisKind kind) {
  const AxisRule rule = axis_rule(kind);
  std::vector<const toml::node*> items;
  if (const auto* arr = n.as_array()) {
    if (arr->empty()) ctx.fail(&n, key, fmt::format("empty axis (expected {})", rule.expected));
    for (const auto& item : *arr) items.push_back(&item);
  } else {
    items.push_back(&n);
  }
  std::set<std::uint64_t> values;
  for (const auto* item : items) {
    std::vector<std::uint64_t> got;
    if (item->is_integer()) {
      std::int64_t v = item->value_or(std::int64_t{0});
      if (v <= 0) ctx.fail(item, key, fmt::format("{} is not positive (expected {})", v, rule.expected));
      got.push_back(static_cast<std::uint64_t>(v));
    } else if (item->is_string()) {
      const std::string s = item->value_or(std::string{});
      try {
        if (s.find("..") != std::string::npos) {
          got = parse_range(s, rule.sizes);
        } else {
          got.push_back(rule.sizes ? parse_size(s) : parse_count(s));
        }
      } catch (const std::invalid_argument& e) {
        ctx.fail(item, key, fmt::format("{} (expected {})", e.what(), rule.expected));
      }
    } else {
      ctx.fail(item, key, fmt::format("expected {}, got {}", rule.expected, type_name(*item)));
    }
    for (auto v : got) {
      check_axis_value(ctx, *item, key, kind, v);
      values.insert(v);
    }
  }
  if (values.size() > kMaxAxisValues) {
    ctx.fail(&n, key, fmt::format("{} values (at most {} per axis)", values.size(), kMaxAxisValues));
  }
  return {values.begin(), values.end()};
}

bool valid_name(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

std::string get_name(const Ctx& ctx, const toml::node& n, const std::string& key) {
  std::string s = get_string(ctx, n, key, "a name of letters, digits, '_', '-' or '.'");
  if (!valid_name(s)) {
    ctx.fail(&n, key, fmt::format("\"{}\" is not a name (expected 1 to 64 letters, digits, '_', '-' or '.')", s));
  }
  return s;
}

int line_of(const toml::node& n) {
  return static_cast<int>(n.source().begin.line);
}

// Options: alloc_op, sync, threads; a value or an array, at the top level ([options]) or per sweep.
struct Options {
  std::vector<std::string> alloc_op{"free"};
  std::vector<std::string> sync{"each"};
  std::vector<std::uint64_t> threads{1};
};

void read_options(const Ctx& ctx, const toml::table& t, const std::string& where, Options& o) {
  if (const auto* n = t.get("alloc_op")) o.alloc_op = get_names(ctx, *n, dotted(where, "alloc_op"), {"free", "copy"});
  if (const auto* n = t.get("sync")) o.sync = get_names(ctx, *n, dotted(where, "sync"), {"each", "end"});
  if (const auto* n = t.get("threads")) o.threads = get_axis(ctx, *n, dotted(where, "threads"), AxisKind::threads);
}

std::string resolve_relative(const std::string& spec_path, const std::string& p) {
  if (p.empty() || fs::path(p).is_absolute()) return p;
  fs::path base = fs::path(spec_path).parent_path();
  return (base / p).lexically_normal().string();
}

}  // namespace

// ---- values ---------------------------------------------------------------------------------

std::uint64_t parse_size(std::string_view text) {
  std::string_view s = trim(text);
  std::size_t i = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i == 0) throw std::invalid_argument(fmt::format("\"{}\" is not a size", text));
  std::uint64_t n = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + i, n);
  if (ec != std::errc() || p != s.data() + i) throw std::invalid_argument(fmt::format("\"{}\" is too large", text));
  std::string_view suffix = trim(s.substr(i));
  for (const auto& sf : kSizeSuffixes) {
    if (suffix == sf.text) {
      if (n != 0 && n > UINT64_MAX / sf.factor) throw std::invalid_argument(fmt::format("\"{}\" is too large", text));
      if (n == 0) throw std::invalid_argument(fmt::format("\"{}\" is not positive", text));
      return n * sf.factor;
    }
  }
  throw std::invalid_argument(
      fmt::format("\"{}\": unknown unit \"{}\" (K, KiB, M, MiB, G, GiB, T, TiB; all binary)", text, suffix));
}

std::vector<std::uint64_t> parse_range(std::string_view text, bool sizes) {
  const std::string_view s = trim(text);
  const auto dots = s.find("..");
  const auto bad = [&](const std::string& why) {
    return std::invalid_argument(fmt::format("range \"{}\": {}", text, why));
  };
  if (dots == std::string_view::npos) throw bad("expected FROM..TO xFACTOR or FROM..TO +STEP");
  const std::string_view from_text = s.substr(0, dots);
  std::string_view rest = trim(s.substr(dots + 2));
  const auto space = rest.find_first_of(" \t");
  if (space == std::string_view::npos) throw bad("expected a step after TO: xFACTOR (geometric) or +STEP (arithmetic)");
  const std::string_view to_text = rest.substr(0, space);
  const std::string_view step_text = trim(rest.substr(space));
  auto value = [&](std::string_view v) {
    try {
      return sizes ? parse_size(v) : parse_count(v);
    } catch (const std::invalid_argument& e) {
      throw bad(e.what());
    }
  };
  const std::uint64_t from = value(from_text);
  const std::uint64_t to = value(to_text);
  if (from == 0) throw bad("FROM must be positive");
  if (to < from) throw bad("TO is smaller than FROM");
  std::vector<std::uint64_t> out;
  if (step_text.size() >= 2 && step_text[0] == 'x') {
    std::uint64_t factor = 0;
    try {
      factor = parse_count(step_text.substr(1));
    } catch (const std::invalid_argument&) {
      throw bad("the factor after 'x' must be a whole number >= 2");
    }
    if (factor < 2) throw bad("the factor after 'x' must be a whole number >= 2");
    for (std::uint64_t v = from;; v *= factor) {
      out.push_back(v);
      if (v >= to || v > to / factor) break;
    }
  } else if (step_text.size() >= 2 && step_text[0] == '+') {
    const std::uint64_t step = value(step_text.substr(1));
    if (step == 0) throw bad("the step after '+' must be positive");
    for (std::uint64_t v = from;; v += step) {
      out.push_back(v);
      if (v >= to || v > to - step || out.size() > kMaxAxisValues) break;
    }
  } else {
    throw bad(fmt::format("unknown step \"{}\" (expected xFACTOR or +STEP)", step_text));
  }
  if (out.size() > kMaxAxisValues) throw bad(fmt::format("more than {} values", kMaxAxisValues));
  if (out.back() != to) {
    throw bad(fmt::format("TO is not on the grid (the last value is {}); choose a TO the steps reach",
                          sizes ? format_size(out.back()) : std::to_string(out.back())));
  }
  return out;
}

double parse_duration(std::string_view text) {
  std::string_view s = trim(text);
  std::size_t i = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
  const std::string number(s.substr(0, i));
  const std::string_view unit = trim(s.substr(i));
  char* end = nullptr;
  errno = 0;
  const double v = number.empty() ? -1 : std::strtod(number.c_str(), &end);
  if (number.empty() || errno != 0 || end != number.c_str() + number.size() || !(v > 0) || !std::isfinite(v)) {
    throw std::invalid_argument(fmt::format("\"{}\" is not a positive duration (e.g. \"90s\", \"5m\", \"1h\")", text));
  }
  if (unit.empty() || unit == "s") return v;
  if (unit == "ms") return v / 1000;
  if (unit == "m" || unit == "min") return v * 60;
  if (unit == "h") return v * 3600;
  throw std::invalid_argument(fmt::format("\"{}\": unknown unit \"{}\" (ms, s, m, h)", text, unit));
}

std::string format_size(std::uint64_t bytes) {
  static constexpr std::pair<std::uint64_t, std::string_view> kUnits[] = {
      {1ULL << 40, "TiB"}, {1ULL << 30, "GiB"}, {1ULL << 20, "MiB"}, {1ULL << 10, "KiB"}};
  for (const auto& [f, u] : kUnits) {
    if (bytes >= f && bytes % f == 0) return fmt::format("{}{}", bytes / f, u);
  }
  return std::to_string(bytes);
}

const std::vector<BackendInfo>& backend_table() {
  static const std::vector<BackendInfo> t = {
      {"cpu", {"cpu"}, false, false},
      {"opencl", {"alloc", "kernels"}, true, true},
      {"cuda", {"alloc", "kernels"}, false, true},
      {"hip", {"alloc", "kernels"}, false, true},
  };
  return t;
}

const BackendInfo* find_backend(std::string_view name) {
  for (const auto& b : backend_table()) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

// ---- the spec -------------------------------------------------------------------------------

Spec parse_spec(std::string_view text, const std::string& path) {
  const Ctx ctx(path);
  toml::table doc;
  if (auto bad = toml_non_ascii_outside_strings(text)) ctx.fail_line(bad->line, "", "invalid TOML: " + bad->what);
  try {
    doc = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    ctx.fail_line(static_cast<int>(e.source().begin.line), "", fmt::format("invalid TOML: {}", e.description()));
  }
  Spec spec;
  spec.path = path;
  spec.text = std::string(text);
  check_keys(ctx, doc, "",
             {"schema", "study", "description", "repetitions", "engine", "timeout", "seed", "taxonomy", "env",
              "options", "backend", "sweep", "resnet"});

  const auto* schema = require(ctx, doc, 1, "", "schema", fmt::format("schema = \"{}\"", kSpecSchema));
  if (get_string(ctx, *schema, "schema", fmt::format("\"{}\"", kSpecSchema)) != kSpecSchema) {
    ctx.fail(schema, "schema", fmt::format("unsupported (expected \"{}\")", kSpecSchema));
  }
  spec.study = get_name(ctx, *require(ctx, doc, 1, "", "study", "the study's name"), "study");
  if (const auto* n = doc.get("description")) spec.description = get_string(ctx, *n, "description", "a string");
  spec.repetitions =
      get_int(ctx, *require(ctx, doc, 1, "", "repetitions", "an integer >= 1"), "repetitions", 1, kMaxRepetitions);
  if (const auto* n = doc.get("engine")) spec.engine = get_choice(ctx, *n, "engine", {"auto", "ptrace", "ebpf"});
  if (const auto* n = doc.get("timeout")) {
    if (n->is_integer()) {
      spec.timeout_s = static_cast<double>(get_int(ctx, *n, "timeout", 1, kMaxTimeoutS));
    } else {
      std::string s = get_string(ctx, *n, "timeout", "a duration (\"300s\", \"10m\") or seconds");
      try {
        spec.timeout_s = parse_duration(s);
      } catch (const std::invalid_argument& e) {
        ctx.fail(n, "timeout", e.what());
      }
    }
  }
  if (const auto* n = doc.get("seed")) {
    spec.seed = static_cast<std::uint64_t>(get_int(ctx, *n, "seed", 0, INT64_MAX));
  }
  if (const auto* n = doc.get("taxonomy")) {
    spec.taxonomy = get_string(ctx, *n, "taxonomy", "the path of a taxonomy file");
    spec.taxonomy_path = resolve_relative(path, spec.taxonomy);
  }
  if (const auto* n = doc.get("env")) {
    const auto* t = n->as_table();
    if (t == nullptr) ctx.fail(n, "env", "expected a table of NAME = \"value\"");
    for (auto&& [k, v] : *t) {
      const std::string key = dotted("env", k.str());
      const std::string name(k.str());
      if (name.empty() || name.find('=') != std::string::npos || std::isdigit(static_cast<unsigned char>(name[0]))) {
        ctx.fail(&v, key, "not an environment variable name");
      }
      spec.env[name] = get_string(ctx, v, key, "a string value");
    }
  }
  Options defaults;
  if (const auto* n = doc.get("options")) {
    const auto* t = n->as_table();
    if (t == nullptr) ctx.fail(n, "options", "expected a table with alloc_op, sync, threads");
    check_keys(ctx, *t, "options", {"alloc_op", "sync", "threads"});
    read_options(ctx, *t, "options", defaults);
  }

  // [[backend]]
  std::vector<std::string_view> backend_names;
  for (const auto& b : backend_table()) backend_names.push_back(b.name);
  if (const auto* n = doc.get("backend")) {
    const auto* arr = n->as_array();
    if (arr == nullptr || !arr->is_array_of_tables()) ctx.fail(n, "backend", "expected [[backend]] tables");
    if (arr->empty()) ctx.fail(n, "backend", "empty (expected at least one [[backend]])");
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const auto& t = *arr->get(i)->as_table();
      const std::string where = fmt::format("backend[{}]", i);
      check_keys(ctx, t, where, {"name", "platform", "device", "optional"});
      BackendSpec b;
      b.line = line_of(t);
      b.name =
          get_choice(ctx, *require(ctx, t, b.line, where, "name", "a backend name"), where + ".name", backend_names);
      const BackendInfo* info = find_backend(b.name);
      if (const auto* p = t.get("platform")) {
        b.platform = get_string(ctx, *p, where + ".platform", "a platform name or index");
        if (!info->platform) ctx.fail(p, where + ".platform", fmt::format("the {} backend has no platforms", b.name));
        if (b.platform.empty()) ctx.fail(p, where + ".platform", "empty (leave the key out for the default)");
      }
      if (const auto* d = t.get("device")) {
        b.device = get_string(ctx, *d, where + ".device", "a device name or index");
        if (!info->device) ctx.fail(d, where + ".device", fmt::format("the {} backend has no devices", b.name));
        if (b.device.empty()) ctx.fail(d, where + ".device", "empty (leave the key out for the default)");
      }
      if (const auto* o = t.get("optional")) b.optional = get_bool(ctx, *o, where + ".optional");
      for (const auto& other : spec.backends) {
        if (other.name == b.name && other.platform == b.platform && other.device == b.device) {
          ctx.fail_line(
              b.line, where,
              fmt::format("repeats backend[{}] (same name, platform and device)", &other - &spec.backends[0]));
        }
      }
      spec.backends.push_back(std::move(b));
    }
  }

  // [[sweep]]
  if (const auto* n = doc.get("sweep")) {
    const auto* arr = n->as_array();
    if (arr == nullptr || !arr->is_array_of_tables()) ctx.fail(n, "sweep", "expected [[sweep]] tables");
    if (spec.backends.empty()) ctx.fail(n, "sweep", "sweeps need at least one [[backend]] to run on");
    std::set<std::string> names;
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const auto& t = *arr->get(i)->as_table();
      const std::string where = fmt::format("sweep[{}]", i);
      check_keys(ctx, t, where,
                 {"name", "question", "backends", "exec", "bytes", "iters", "alloc_op", "sync", "threads"});
      SweepSpec s;
      s.line = line_of(t);
      s.name = get_name(ctx, *require(ctx, t, s.line, where, "name", "a name"), where + ".name");
      if (!names.insert(s.name).second)
        ctx.fail(t.get("name"), where + ".name", fmt::format("\"{}\" used twice", s.name));
      s.question = s.name;
      if (const auto* q = t.get("question")) s.question = get_name(ctx, *q, where + ".question");
      std::vector<std::string_view> listed;
      for (const auto& b : spec.backends) {
        if (std::find(listed.begin(), listed.end(), b.name) == listed.end()) listed.push_back(b.name);
      }
      if (const auto* b = t.get("backends")) s.backends = get_names(ctx, *b, where + ".backends", listed);
      s.exec = get_names(ctx, *require(ctx, t, s.line, where, "exec", "cpu, alloc and/or kernels"), where + ".exec",
                         {"cpu", "alloc", "kernels"});
      s.bytes = get_axis(ctx, *require(ctx, t, s.line, where, "bytes", axis_rule(AxisKind::bytes).expected),
                         where + ".bytes", AxisKind::bytes);
      s.iters = get_axis(ctx, *require(ctx, t, s.line, where, "iters", axis_rule(AxisKind::iters).expected),
                         where + ".iters", AxisKind::iters);
      Options o = defaults;
      read_options(ctx, t, where, o);
      s.alloc_op = o.alloc_op;
      s.sync = o.sync;
      s.threads = o.threads;
      // Every exec model must be run by some backend of the sweep.
      const std::vector<std::string_view> chosen =
          s.backends.empty() ? listed : std::vector<std::string_view>(s.backends.begin(), s.backends.end());
      for (const auto& e : s.exec) {
        bool run = false;
        for (auto bn : chosen) {
          const auto& ex = find_backend(bn)->exec;
          run = run || std::find(ex.begin(), ex.end(), e) != ex.end();
        }
        if (!run) {
          std::vector<std::string_view> who;
          for (const auto& b : backend_table()) {
            if (std::find(b.exec.begin(), b.exec.end(), e) != b.exec.end()) who.push_back(b.name);
          }
          ctx.fail(t.get("exec"), where + ".exec",
                   fmt::format("no backend of this sweep runs exec \"{}\" (it runs on {}; this sweep has {})", e,
                               join(who), join(chosen)));
        }
      }
      spec.sweeps.push_back(std::move(s));
    }
  }
  if (!spec.backends.empty() && spec.sweeps.empty()) {
    ctx.fail_line(spec.backends.front().line, "backend", "backends without any [[sweep]] to run");
  }

  // [resnet]
  if (const auto* n = doc.get("resnet")) {
    const auto* t = n->as_table();
    if (t == nullptr) ctx.fail(n, "resnet", "expected a [resnet] table");
    check_keys(ctx, *t, "resnet", {"python", "script", "devices", "optional", "sweep"});
    ResnetSpec r;
    r.line = line_of(*t);
    if (const auto* p = t->get("python")) {
      r.python = get_string(ctx, *p, "resnet.python", "the python interpreter (a path or a name on PATH)");
      if (r.python.empty()) ctx.fail(p, "resnet.python", "empty");
    }
    r.script = get_string(ctx, *require(ctx, *t, r.line, "resnet", "script", "the path of resnet.py"), "resnet.script",
                          "the path of resnet.py (relative to the spec file)");
    if (r.script.empty()) ctx.fail(t->get("script"), "resnet.script", "empty");
    r.script_path = resolve_relative(path, r.script);
    r.devices = get_names(ctx, *require(ctx, *t, r.line, "resnet", "devices", "cpu and/or cuda"), "resnet.devices",
                          {"cpu", "cuda"});
    std::vector<std::string_view> devs(r.devices.begin(), r.devices.end());
    if (const auto* o = t->get("optional")) r.optional = get_names(ctx, *o, "resnet.optional", devs);
    const auto* sw = require(ctx, *t, r.line, "resnet", "sweep", "[[resnet.sweep]] tables");
    const auto* arr = sw->as_array();
    if (arr == nullptr || !arr->is_array_of_tables() || arr->empty()) {
      ctx.fail(sw, "resnet.sweep", "expected [[resnet.sweep]] tables");
    }
    std::set<std::string> names;
    for (const auto& s0 : spec.sweeps) names.insert(s0.name);
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const auto& st = *arr->get(i)->as_table();
      const std::string where = fmt::format("resnet.sweep[{}]", i);
      check_keys(ctx, st, where, {"name", "question", "devices", "batch", "iters"});
      ResnetSweepSpec s;
      s.line = line_of(st);
      s.name = get_name(ctx, *require(ctx, st, s.line, where, "name", "a name"), where + ".name");
      if (!names.insert(s.name).second) {
        ctx.fail(st.get("name"), where + ".name", fmt::format("\"{}\" used twice", s.name));
      }
      s.question = s.name;
      if (const auto* q = st.get("question")) s.question = get_name(ctx, *q, where + ".question");
      if (const auto* d = st.get("devices")) s.devices = get_names(ctx, *d, where + ".devices", devs);
      s.batch = get_axis(ctx, *require(ctx, st, s.line, where, "batch", axis_rule(AxisKind::batch).expected),
                         where + ".batch", AxisKind::batch);
      s.iters = get_axis(ctx, *require(ctx, st, s.line, where, "iters", axis_rule(AxisKind::iters).expected),
                         where + ".iters", AxisKind::iters);
      r.sweeps.push_back(std::move(s));
    }
    spec.resnet = std::move(r);
  }
  if (spec.backends.empty() && !spec.resnet) {
    ctx.fail_line(1, "", "nothing to run: the spec needs [[backend]] and [[sweep]] tables, or a [resnet] table");
  }
  return spec;
}

Spec load_spec(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SpecError(fmt::format("{}: cannot read the spec: {}", path, std::strerror(errno)));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw SpecError(fmt::format("{}: read error", path));
  return parse_spec(ss.str(), path);
}

}  // namespace sysaxis::sweep
