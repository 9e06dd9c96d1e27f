// Wording helpers of the report: questions, numbers with intervals, lists of names.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "report/escape.h"
#include "report/palette.h"
#include "report/sections.h"

namespace sysaxis::report::detail {

using nlohmann::json;

// The frozen questions (docs/questions.md), used when the analysis does not carry their text.
const std::vector<QuestionInfo>& question_table() {
  static const std::vector<QuestionInfo> q = {
      {"Q1", "Q1 size", "bytes", "iters", "byte",
       "Q1 size: holding `iters` and execution constant, how do syscall categories change with `bytes`?"},
      {"Q2", "Q2 repetition", "iters", "bytes", "iteration",
       "Q2 repetition: holding `bytes` and execution constant, which categories scale with `iters`, which stay "
       "constant?"},
      {"Q3", "Q3 execution", "exec", "", "",
       "Q3 execution: at fixed `bytes` and `iters`, which categories appear or dominate only with a GPU runtime?"},
  };
  return q;
}

std::string question_text(const json& analysis, const QuestionInfo& q) {
  for (const auto& j : jarray(analysis, "questions")) {
    if (jstr(j, "id") == q.id && !jstr(j, "text").empty()) return jstr(j, "text");
  }
  return q.text;
}

// "Question." and the text, `quoted` parts as code.
Inline question_inline(const std::string& q) {
  Inline out{strong("Question."), text(" ")};
  std::size_t pos = 0;
  bool in_code = false;
  while (pos <= q.size()) {
    std::size_t tick = q.find('`', pos);
    if (tick == std::string::npos) tick = q.size();
    if (tick > pos) out.push_back(in_code ? code(q.substr(pos, tick - pos)) : text(q.substr(pos, tick - pos)));
    in_code = !in_code;
    pos = tick + 1;
  }
  return out;
}

std::optional<std::int64_t> fit_fixed(const json& f) {
  const json& fixed = jfield(f, "fixed");
  if (!fixed.is_object() || fixed.empty() || !fixed.begin()->is_number()) return std::nullopt;
  return fixed.begin()->get<std::int64_t>();
}

std::string series_name(const Context& ctx, const SeriesKey& s) {
  return fmt::format("{} ({})", ctx.runtime_label(s), exec_label(s));
}

double median(std::vector<double> v) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string interval(const json& j, const std::string& name, const std::string& unit) {
  auto v = jnum(j, name.c_str());
  if (!v) return "–";
  std::string out = fmt_num(*v) + unit;
  auto lo = jnum(j, (name + "_lo").c_str());
  auto hi = jnum(j, (name + "_hi").c_str());
  if (lo && hi) out += fmt::format(" [{}, {}]", fmt_num(*lo), fmt_num(*hi));
  return out;
}

std::string percent(const json& j, const std::string& name) {
  auto v = jnum(j, name.c_str());
  if (!v) return "–";
  std::string out = fmt::format("{:.0f}%", 100 * *v);
  auto lo = jnum(j, (name + "_lo").c_str());
  auto hi = jnum(j, (name + "_hi").c_str());
  if (lo && hi) out += fmt::format(" [{:.0f}, {:.0f}]", 100 * *lo, 100 * *hi);
  return out;
}

std::string confidence_label(const json& analysis) {
  auto c = jnum(jfield(analysis, "method"), "confidence");
  return fmt::format("{:.0f}% CI", 100 * c.value_or(0.95));
}

std::vector<std::string> names_of(const std::vector<CategoryVerdict>& v) {
  std::vector<std::string> out;
  out.reserve(v.size());
  for (const auto& c : v) out.push_back(c.category);
  return out;
}

std::vector<std::string> areas_of(const std::vector<std::string>& categories) {
  std::vector<std::string> out;
  for (const auto& c : categories) {
    std::string a = category_area(c);
    if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  }
  return out;
}

std::string count_noun(std::size_t n, const std::string& one, const std::string& many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string claim_label(const Context& ctx, const json& c) {
  std::string kind = jstr(c, "kind");
  std::string label = fmt::format("{} · {} · {} · {} · {}", jstr(c, "question"), ctx.runtime_label(series_of(c)),
                                  exec_label(series_of(c)), jstr(c, "phase"), jstr(c, "category"));
  if (!kind.empty() && kind != "scaling") label += " · " + kind;
  return label;
}

std::string firm_text(const json& c) {
  const json& f = jfield(c, "firm");
  return f.is_boolean() ? (f.get<bool>() ? "yes" : "no") : "–";
}

}  // namespace sysaxis::report::detail
