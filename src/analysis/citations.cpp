// Numbers in prose checked against the analyses they cite (citations.h states the rules).
#include "analysis/citations.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <regex>
#include <set>

namespace sysaxis::analysis {

namespace {

// ---- candidates: the numbers a citation stands for ----

struct Candidate {
  double value = 0;
  std::optional<double> lo, hi;
};

using Candidates = std::vector<Candidate>;

void add(Candidates& c, double v) {
  if (std::isfinite(v)) c.push_back({v, std::nullopt, std::nullopt});
}

void add(Candidates& c, double v, const std::optional<stats::Interval>& ci) {
  if (!std::isfinite(v)) return;
  if (ci) {
    c.push_back({v, ci->lo, ci->hi});
    add(c, ci->lo);
    add(c, ci->hi);
  } else {
    add(c, v);
  }
}

void add(Candidates& c, const stats::Estimate& e) {
  add(c, e.value, std::optional<stats::Interval>(e.ci));
}

void fit_candidates(const Fit& f, Candidates& c) {
  const ScalingFit& r = f.result;
  add(c, r.c0, r.c0_ci);
  add(c, r.c1, r.c1_ci);
  if (r.slope) add(c, *r.slope, r.slope_ci);
  add(c, r.x_min);
  add(c, r.x_max);
  add(c, r.r2);
  add(c, r.effect);
  add(c, r.material);
  if (r.p) add(c, *r.p);
  if (r.q) add(c, *r.q);
  // Per iteration where the fit holds iterations fixed (Q1): a level's mean over its iterations.
  const double per = f.fixed_axis == "iters" && f.fixed_value > 0 ? static_cast<double>(f.fixed_value) : 0;
  for (const auto& l : f.levels) {
    add(c, l.x);
    c.push_back({l.mean, l.min, l.max});
    add(c, l.sd);
    if (per > 0) c.push_back({l.mean / per, l.min / per, l.max / per});
    if (f.axis == "iters" && l.x > 0) c.push_back({l.mean / l.x, l.min / l.x, l.max / l.x});
  }
  if (r.step.ok) {
    add(c, r.step.below);
    add(c, r.step.above);
    add(c, r.step.above - r.step.below);
    add(c, r.step.x_below);
    add(c, r.step.x_above);
    if (per > 0) {
      add(c, r.step.below / per);
      add(c, r.step.above / per);
      add(c, (r.step.above - r.step.below) / per);
    }
  }
}

void cell_candidates(const Q3Cell& q, std::string_view category, Candidates& c) {
  add(c, static_cast<double>(q.iters));
  const double iters = q.iters > 0 ? static_cast<double>(q.iters) : 1;
  for (const auto& cat : q.categories) {
    if (!category.empty() && cat.category != category) continue;
    add(c, cat.gpu);
    c.push_back({cat.gpu.value / iters, cat.gpu.ci.lo / iters, cat.gpu.ci.hi / iters});
    if (cat.cpu) {
      add(c, *cat.cpu);
      c.push_back({cat.cpu->value / iters, cat.cpu->ci.lo / iters, cat.cpu->ci.hi / iters});
    }
    if (cat.share) add(c, *cat.share);
    if (cat.cpu_share) add(c, *cat.cpu_share);
  }
}

// The candidates of one citation, or an error in words.
std::optional<Candidates> candidates(const Analysis& a, std::string_view kind, std::string_view id,
                                     std::string& error) {
  Candidates c;
  if (kind == "fit") {
    const Fit* f = a.fit(id);
    if (!f) return error = fmt::format("no fit {}", id), std::nullopt;
    fit_candidates(*f, c);
  } else if (kind == "q3") {
    const auto slash = id.find('/');
    const std::string_view cell_id = id.substr(0, slash);
    const std::string_view category = slash == std::string_view::npos ? "" : id.substr(slash + 1);
    const Q3Cell* q = a.cell(cell_id);
    if (!q) return error = fmt::format("no Q3 cell {}", cell_id), std::nullopt;
    if (!category.empty() && !q->find(category, kCalls) && !q->find(category, kTime)) {
      return error = fmt::format("Q3 cell {} has no category {}", cell_id, category), std::nullopt;
    }
    cell_candidates(*q, category, c);
  } else if (kind == "constraint") {
    bool found = false;
    for (const auto& con : a.constraints) {
      for (const auto& n : con.numbers) {
        if (n.id == id || con.id == id) {
          found = true;
          c.push_back({n.value, n.lo, n.hi});
          if (n.lo) add(c, *n.lo);
          if (n.hi) add(c, *n.hi);
        }
      }
      if (con.id == id) found = true;
    }
    if (!found) return error = fmt::format("no constraint or key number {}", id), std::nullopt;
  } else if (kind == "claim") {
    const Claim* cl = a.claim(id);
    if (!cl) return error = fmt::format("no claim {}", id), std::nullopt;
    for (const auto& fid : cl->fit_ids) {
      if (const Fit* f = a.fit(fid)) fit_candidates(*f, c);
    }
    for (const auto& qid : cl->q3_ids) {
      if (const Q3Cell* q = a.cell(qid)) cell_candidates(*q, cl->category, c);
    }
  } else if (kind == "family") {
    for (auto n : {a.family.fits, a.family.tested, a.family.significant, a.family.depends, a.family.flat,
                   a.family.insufficient}) {
      add(c, static_cast<double>(n));
    }
  } else if (kind == "runs") {
    add(c, static_cast<double>(a.micro_runs));
    add(c, static_cast<double>(a.workload_runs));
    add(c, static_cast<double>(a.micro_runs + a.workload_runs));
    for (const auto& in : a.inputs) {
      add(c, static_cast<double>(in.runs_total));
      add(c, static_cast<double>(in.runs_ok));
    }
  } else {
    return error = fmt::format("unknown kind '{}'", kind), std::nullopt;
  }
  return c;
}

// ---- the document: blocks of prose with code spans and link targets blanked ----

struct Block {
  std::string text;                 // the block's lines joined by '\n', code spans blanked
  std::vector<std::size_t> lines;   // document line of each byte's line (by line index in the block)
  std::vector<std::size_t> starts;  // offset of each line of the block
  std::size_t line_at(std::size_t offset) const {
    const auto it = std::upper_bound(starts.begin(), starts.end(), offset);
    return lines[static_cast<std::size_t>(it - starts.begin()) - 1];
  }
};

const std::regex& reference_definition() {
  static const std::regex re(R"(^ {0,3}\[([^\]]+)\]:\s*(\S+).*$)");
  return re;
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at <= text.size()) {
    const auto nl = text.find('\n', at);
    if (nl == std::string_view::npos) {
      if (at < text.size()) out.emplace_back(text.substr(at));
      break;
    }
    out.emplace_back(text.substr(at, nl - at));
    at = nl + 1;
  }
  return out;
}

// Code spans, link destinations, autolinks and HTML comments become spaces (same length).
std::string blank_literals(const std::string& line) {
  std::string s = line;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '`') {
      std::size_t n = 0;
      while (i + n < s.size() && s[i + n] == '`') ++n;
      const std::string fence(n, '`');
      const auto end = s.find(fence, i + n);
      if (end == std::string::npos) break;
      std::fill(s.begin() + static_cast<std::ptrdiff_t>(i), s.begin() + static_cast<std::ptrdiff_t>(end + n), ' ');
      i = end + n - 1;
    } else if (s[i] == ']' && i + 1 < s.size() && s[i + 1] == '(') {
      const auto end = s.find(')', i + 2);
      if (end == std::string::npos) break;
      std::fill(s.begin() + static_cast<std::ptrdiff_t>(i + 1), s.begin() + static_cast<std::ptrdiff_t>(end + 1), ' ');
      i = end;
    } else if (s.compare(i, 4, "<!--") == 0 || (s[i] == '<' && s.compare(i, 5, "<http") == 0)) {
      const std::string close = s[i + 1] == '!' ? "-->" : ">";
      const auto end = s.find(close, i);
      if (end == std::string::npos) break;
      std::fill(s.begin() + static_cast<std::ptrdiff_t>(i), s.begin() + static_cast<std::ptrdiff_t>(end + close.size()),
                ' ');
      i = end + close.size() - 1;
    }
  }
  return s;
}

bool starts_block(const std::string& line) {
  static const std::regex re(R"(^\s*([-*+]|\d+[.)])\s|^\s*#|^\s*\||^\s*>)");
  return std::regex_search(line, re);
}

// A list item's marker ("1. ", "- ") is not a number of the text.
std::string strip_marker(const std::string& line) {
  static const std::regex re(R"(^(\s*)(\d+[.)])(\s))");
  std::smatch m;
  if (std::regex_search(line, m, re)) {
    std::string s = line;
    std::fill(s.begin() + m.position(2), s.begin() + m.position(2) + m.length(2), ' ');
    return s;
  }
  return line;
}

std::vector<Block> blocks_of(std::string_view markdown) {
  std::vector<Block> out;
  Block cur;
  bool fenced = false;
  auto flush = [&] {
    if (!cur.text.empty()) out.push_back(std::move(cur));
    cur = {};
  };
  const auto lines = split_lines(markdown);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    const auto first = line.find_first_not_of(' ');
    if (first != std::string::npos && (line.compare(first, 3, "```") == 0 || line.compare(first, 3, "~~~") == 0)) {
      flush();
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    if (first == std::string::npos || std::regex_match(line, reference_definition())) {
      flush();
      continue;
    }
    if (starts_block(line)) flush();
    if (!cur.text.empty()) cur.text += '\n';
    cur.starts.push_back(cur.text.size());
    cur.lines.push_back(i + 1);
    cur.text += blank_literals(strip_marker(line));
  }
  flush();
  return out;
}

// ---- numbers ----

struct Number {
  std::size_t at = 0, end = 0;
  double value = 0;      // in the base unit (ns for times, a fraction for %)
  double tolerance = 0;  // half of the last precise digit, in the base unit
  std::string text;
  bool exempt = false;  // a name or a setting
  double factor = 1;    // the unit's factor to the base unit
  bool unitless = false;
};

bool is_word_byte(unsigned char c) {
  return std::isalnum(c) || c == '_' || c >= 0x80;
}

std::string unit_after(const std::string& s, std::size_t& i) {
  std::size_t j = i;
  if (j < s.size() && (s[j] == ' ' || s[j] == '\n')) ++j;
  if (j + 1 < s.size() && static_cast<unsigned char>(s[j]) == 0xC2 && static_cast<unsigned char>(s[j + 1]) == 0xA0) {
    j += 2;  // no-break space
  }
  std::size_t k = j;
  while (k < s.size() && (std::isalpha(static_cast<unsigned char>(s[k])) || static_cast<unsigned char>(s[k]) == 0xC2 ||
                          static_cast<unsigned char>(s[k]) == 0xB5)) {
    ++k;
  }
  if (k == j) return {};
  i = k;
  return s.substr(j, k - j);
}

double time_factor(const std::string& unit) {
  if (unit == "ns") return 1;
  if (unit == "µs" || unit == "us") return 1e3;
  if (unit == "ms") return 1e6;
  if (unit == "s" || unit == "seconds" || unit == "second") return 1e9;
  return 0;
}

bool setting_unit(const std::string& unit) {
  static const std::set<std::string> u = {
      "B",           "KiB",         "MiB",        "GiB",       "TiB",      "KB",      "MB",         "GB",
      "bytes",       "byte",        "iterations", "iteration", "vCPU",     "vCPUs",   "CPU",        "CPUs",
      "core",        "cores",       "GPU",        "GPUs",      "machines", "machine", "hosts",      "host",
      "repetitions", "repetition",  "nodes",      "node",      "minutes",  "minute",  "ranks",      "workers",
      "processes",   "constraints", "questions",  "runtimes",  "vendors",  "vendor",  "generations"};
  return u.contains(unit);
}

bool setting_word_before(const std::string& s, std::size_t at) {
  static const std::set<std::string> w = {"Phase", "phase",   "Debian", "Ubuntu", "kernel", "glibc",  "CUDA",    "PoCL",
                                          "torch", "PyTorch", "Python", "libbpf", "ROCm",   "OpenCL", "version", "gcc",
                                          "clang", "LLVM",    "issue",  "Issue",  "schema", "driver", "sysaxis"};
  std::size_t e = at;
  while (e > 0 && s[e - 1] == ' ') --e;
  std::size_t b = e;
  while (b > 0 && std::isalpha(static_cast<unsigned char>(s[b - 1]))) --b;
  return b < e && e < at && w.contains(s.substr(b, e - b));
}

// Parses the number at s[i] (a digit) into n; false when it is part of a word, a version or a date.
bool parse_number(const std::string& s, std::size_t i, Number& n) {
  const auto prev = [&](std::size_t k) { return k == 0 ? '\0' : s[k - 1]; };
  const char p = prev(i);
  if (std::isalnum(static_cast<unsigned char>(p)) || p == '_') return false;
  if ((p == '.' || p == '-' || p == '/' || p == ':' || p == '_') && i >= 2 &&
      is_word_byte(static_cast<unsigned char>(s[i - 2]))) {
    return false;
  }
  std::size_t j = i;
  std::string digits;
  while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) digits += s[j++];
  const auto digit_at = [&](std::size_t k) { return k < s.size() && std::isdigit(static_cast<unsigned char>(s[k])); };
  // Thousands groups: "1,100" (a comma and exactly three digits).
  while (j < s.size() && s[j] == ',' && digit_at(j + 1) && digit_at(j + 2) && digit_at(j + 3) && !digit_at(j + 4)) {
    digits += s.substr(j + 1, 3);
    j += 4;
  }
  std::string frac;
  if (j + 1 < s.size() && s[j] == '.' && std::isdigit(static_cast<unsigned char>(s[j + 1]))) {
    ++j;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) frac += s[j++];
    if (j + 1 < s.size() && s[j] == '.' && std::isdigit(static_cast<unsigned char>(s[j + 1]))) return false;  // 1.2.3
  }
  // A date (2026-11-24) is a name.
  if (digits.size() == 4 && frac.empty() && j + 5 < s.size() && s[j] == '-' &&
      std::isdigit(static_cast<unsigned char>(s[j + 1]))) {
    return false;
  }
  bool negative = false;
  std::size_t start = i;
  if (p == '-' && (i < 2 || !is_word_byte(static_cast<unsigned char>(s[i - 2])))) {
    negative = true;
    start = i - 1;
  } else if (i >= 3 && s.compare(i - 3, 3, "\xE2\x88\x92") == 0) {  // U+2212 minus
    negative = true;
    start = i - 3;
  }
  n.at = start;
  n.text = s.substr(start, j - start);
  double v = std::stod(digits + (frac.empty() ? "" : "." + frac));
  double tol = 0.5 * std::pow(10.0, -static_cast<double>(frac.size()));
  if (frac.empty()) {
    std::size_t z = 0;
    while (z + 1 < digits.size() && digits[digits.size() - 1 - z] == '0') ++z;
    tol = 0.5 * std::pow(10.0, static_cast<double>(z));
  }
  // The unit: directly attached letters ("2.5x", "64MiB", "12%") or the next word; a range
  // ("1–1000 iterations", "16-64 MiB") takes the unit of its second number.
  std::string unit;
  std::size_t k = j;
  if (k < s.size() && s[k] == '%') {
    unit = "%";
  } else if (k < s.size() && std::isalpha(static_cast<unsigned char>(s[k]))) {
    std::size_t q = k;
    while (q < s.size() && std::isalpha(static_cast<unsigned char>(s[q]))) ++q;
    if (q < s.size() && std::isdigit(static_cast<unsigned char>(s[q]))) return false;  // x86_64, 2x4
    unit = s.substr(k, q - k);
  } else {
    std::size_t q = k;
    bool range = false;
    if (q < s.size() && s[q] == '-') {
      range = true;
      ++q;
    } else if (s.compare(q, 3, "\xE2\x80\x93") == 0) {  // en dash
      range = true;
      q += 3;
    }
    if (range && q < s.size() && std::isdigit(static_cast<unsigned char>(s[q]))) {
      std::size_t r = q;
      while (r < s.size() && (std::isdigit(static_cast<unsigned char>(s[r])) || s[r] == '.' || s[r] == ',')) ++r;
      unit = unit_after(s, r);
    } else {
      unit = unit_after(s, k);
    }
  }
  n.end = j;
  double factor = 1;
  if (unit == "%") factor = 0.01;
  if (const double tf = time_factor(unit); tf > 0) factor = tf;
  n.value = (negative ? -v : v) * factor;
  n.tolerance = tol * factor;
  n.factor = factor;
  n.unitless = unit.empty();
  n.exempt = setting_unit(unit) || setting_word_before(s, start);
  return true;
}

struct Citation {
  std::size_t at = 0, end = 0;
  std::string kind, id, source;
};

bool boundary(const std::string& s, std::size_t k) {
  // A sentence ends at '.', ';' or '!' followed by a space, a line break or the end.
  if (s[k] != '.' && s[k] != ';' && s[k] != '!' && s[k] != '?') return false;
  if (k + 1 >= s.size()) return true;
  return s[k + 1] == ' ' || s[k + 1] == '\n';
}

}  // namespace

std::map<std::string, std::string> citation_sources(std::string_view markdown) {
  std::map<std::string, std::string> out;
  bool fenced = false;
  for (const auto& line : split_lines(markdown)) {
    const auto first = line.find_first_not_of(' ');
    if (first != std::string::npos && (line.compare(first, 3, "```") == 0 || line.compare(first, 3, "~~~") == 0)) {
      fenced = !fenced;
      continue;
    }
    std::smatch m;
    if (!fenced && std::regex_match(line, m, reference_definition())) {
      const std::string path = m[2];
      if (path.find("analysis") != std::string::npos && path.find(".json") != std::string::npos) {
        out[m[1]] = path;
      }
    }
  }
  return out;
}

CitationCheck check_citations(std::string_view markdown, const std::map<std::string, const Analysis*>& sources) {
  CitationCheck out;
  static const std::regex cite_re(R"(\[(fit|constraint|q3|claim|family|runs)(?::([^\]@\s]+))?@([A-Za-z0-9_.\-]+)\])");
  static const std::regex loose_re(R"(\[(fit|constraint|q3|claim|family|runs)[:@][^\]]*\])");
  for (const Block& b : blocks_of(markdown)) {
    const std::string& s = b.text;
    std::vector<Citation> cites;
    for (auto it = std::sregex_iterator(s.begin(), s.end(), cite_re); it != std::sregex_iterator(); ++it) {
      Citation c;
      c.at = static_cast<std::size_t>(it->position());
      c.end = c.at + static_cast<std::size_t>(it->length());
      c.kind = (*it)[1];
      c.id = (*it)[2];
      c.source = (*it)[3];
      cites.push_back(std::move(c));
    }
    for (auto it = std::sregex_iterator(s.begin(), s.end(), loose_re); it != std::sregex_iterator(); ++it) {
      const auto at = static_cast<std::size_t>(it->position());
      if (std::none_of(cites.begin(), cites.end(), [&](const Citation& c) { return c.at == at; })) {
        out.problems.push_back(
            {b.line_at(at), fmt::format("malformed citation {} (want [KIND:ID@SOURCE])", it->str())});
      }
    }
    out.citations += cites.size();
    // The candidates of each citation (or its error).
    std::vector<std::optional<Candidates>> cand(cites.size());
    for (std::size_t i = 0; i < cites.size(); ++i) {
      const Citation& c = cites[i];
      const auto src = sources.find(c.source);
      if (src == sources.end() || !src->second) {
        out.problems.push_back({b.line_at(c.at), fmt::format("[{}:{}@{}]: no analysis named '{}' (a reference "
                                                             "definition [{}]: PATH of the document names it)",
                                                             c.kind, c.id, c.source, c.source, c.source)});
        continue;
      }
      std::string error;
      cand[i] = candidates(*src->second, c.kind, c.id, error);
      if (!cand[i]) {
        out.problems.push_back(
            {b.line_at(c.at), fmt::format("[{}:{}@{}]: {} in that analysis", c.kind, c.id, c.source, error)});
      }
    }
    auto inside_citation = [&](std::size_t k) {
      return std::any_of(cites.begin(), cites.end(), [&](const Citation& c) { return c.at <= k && k < c.end; });
    };
    Number last;  // the last number outside an interval, whose unit an interval after it takes
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (!std::isdigit(static_cast<unsigned char>(s[i])) || inside_citation(i)) continue;
      Number n;
      if (!parse_number(s, i, n)) {
        while (i < s.size() && (is_word_byte(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
        continue;
      }
      const std::size_t resume = n.end;
      // An interval written after its value, "6.3 µs per MiB [4.1, 7.8]", takes the value's unit.
      const std::size_t open = s.rfind('[', n.at);
      const bool in_interval = open != std::string::npos && last.end > 0 && open >= last.end &&
                               s.find_first_not_of("0123456789.,- ", open + 1) >= n.at;
      if (in_interval && n.unitless) {
        n.value *= last.factor;
        n.tolerance *= last.factor;
      }
      if (!in_interval && !n.exempt) last = n;
      if (n.exempt) {
        i = resume - 1;
        continue;
      }
      // The citation that covers it: the next one, with no sentence boundary in between.
      std::optional<std::size_t> cover;
      for (std::size_t c = 0; c < cites.size(); ++c) {
        if (cites[c].at < n.end) continue;
        bool ends = false;
        for (std::size_t k = n.end; k < cites[c].at; ++k) {
          if (boundary(s, k)) {
            ends = true;
            break;
          }
        }
        if (!ends) cover = c;
        break;
      }
      const std::size_t line = b.line_at(n.at);
      if (!cover) {
        out.problems.push_back({line, fmt::format("{} has no source (cite it as [KIND:ID@SOURCE] in the same "
                                                  "sentence, or write a name or setting in a code span)",
                                                  n.text)});
      } else if (cand[*cover]) {
        ++out.numbers;
        const auto& cs = *cand[*cover];
        const bool match = std::any_of(cs.begin(), cs.end(), [&](const Candidate& c) {
          const double tol = n.tolerance + 1e-9 * std::abs(c.value);
          if (std::abs(n.value - c.value) <= tol) return true;
          return c.lo && c.hi && *c.lo - tol <= n.value && n.value <= *c.hi + tol;
        });
        if (!match) {
          const Citation& c = cites[*cover];
          out.problems.push_back(
              {line, fmt::format("{} disagrees with [{}:{}@{}]: no value or interval of it is {} (to the number's "
                                 "precision)",
                                 n.text, c.kind, c.id, c.source, n.text)});
        }
      }
      i = resume - 1;
    }
  }
  return out;
}

}  // namespace sysaxis::analysis
