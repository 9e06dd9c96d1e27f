#include "analysis/compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "common/text.h"

namespace sysaxis::analysis {
namespace {

// What was measured, without where (db, device) or by which engine.
std::string series_key(const SeriesKey& s) {
  return fmt::format("{} {}/{} exec={}", s.workload, s.workload == "micro" ? s.backend : s.workload, s.platform,
                     exec_label(s));
}

std::string fit_key(const Fit& f) {
  return fmt::format("{} {} phase={} category={} metric={} {}={}", f.question, series_key(f.series), f.scope,
                     f.category, f.metric, f.fixed_axis, f.fixed_value);
}

std::string claim_key(const Claim& c) {
  return fmt::format("{} {} phase={} category={}", c.kind, series_key(c.series), c.scope, c.category);
}

std::string claim_value(const Claim& c) {
  if (c.verdicts.empty()) return c.kind;
  std::vector<std::string> parts;
  for (const auto& v : c.verdicts) parts.push_back(fmt::format("{}/{}={}", v.question, v.metric, v.cls));
  return fmt::format("{}", fmt::join(parts, " "));
}

std::string constraint_value(const Constraint& c) {
  std::vector<std::string> parts;
  for (const auto& cl : c.clauses) parts.push_back(fmt::format("{}:{}", cl.category, cl.status));
  std::sort(parts.begin(), parts.end());
  return fmt::format("{}", fmt::join(parts, " "));
}

struct Side {
  std::string value;
  bool firm = false;
};

using Index = std::map<std::string, Side>;

void put(Index& out, const std::string& key, Side s, const char* what) {
  if (!out.emplace(key, std::move(s)).second) {
    throw AnalysisError(
        fmt::format("two {}s measure the same thing ({}): analyse one study database per file", what, key));
  }
}

Index index_of(const Analysis& a, const std::string& item) {
  Index out;
  if (item == "constraint") {
    for (const auto& c : a.constraints) put(out, c.axis, {constraint_value(c), true}, "constraint");
  } else if (item == "claim") {
    for (const auto& c : a.claims) put(out, claim_key(c), {claim_value(c), c.firm}, "claim");
  } else {
    for (const auto& f : a.fits) {
      put(out, fit_key(f),
          {std::string(shape_name(f.result.shape)), !f.result.wide && f.result.shape != Shape::insufficient}, "fit");
    }
  }
  return out;
}

void match(Comparison& c, const std::string& item, const Index& a, const Index& b) {
  auto count = [&](const CompareRow& r) {
    auto& t = c.tally[item][r.status == "only-b" ? (r.firm_b ? "firm" : "not firm") : (r.firm_a ? "firm" : "not firm")];
    if (r.status == "same") ++t.same;
    if (r.status == "different") ++t.different;
    if (r.status == "only-a") ++t.only_a;
    if (r.status == "only-b") ++t.only_b;
  };
  for (const auto& [key, sa] : a) {
    CompareRow r{item, key, sa.value, "", sa.firm, false, "only-a"};
    if (auto it = b.find(key); it != b.end()) {
      r.b = it->second.value;
      r.firm_b = it->second.firm;
      r.status = r.a == r.b ? "same" : "different";
    }
    count(r);
    c.rows.push_back(std::move(r));
  }
  for (const auto& [key, sb] : b) {
    if (a.contains(key)) continue;
    CompareRow r{item, key, "", sb.value, false, sb.firm, "only-b"};
    count(r);
    c.rows.push_back(std::move(r));
  }
}

constexpr std::array<const char*, 3> kItems = {"constraint", "claim", "fit"};

}  // namespace

Comparison compare_analyses(const Analysis& a, const Analysis& b) {
  Comparison c;
  for (const char* item : kItems) match(c, item, index_of(a, item), index_of(b, item));
  std::sort(c.rows.begin(), c.rows.end(),
            [](const CompareRow& x, const CompareRow& y) { return std::tie(x.item, x.key) < std::tie(y.item, y.key); });
  return c;
}

bool reproduced(const Comparison& c) {
  return std::none_of(c.rows.begin(), c.rows.end(), [](const CompareRow& r) {
    return (r.item == "constraint" || r.item == "claim") && r.firm_a && r.status != "same";
  });
}

std::string compare_summary(const Comparison& c, const std::string& name_a, const std::string& name_b) {
  std::string s = fmt::format("sysaxis compare: A = {}, B = {}\n", name_a, name_b);
  s += fmt::format("  {:<10} {:<9} {:>6} {:>6} {:>9} {:>7} {:>7}  {}\n", "item", "in A", "both", "same", "different",
                   "only A", "only B", "same / both");
  for (const char* item : kItems) {
    for (const char* firm : {"firm", "not firm"}) {
      auto it = c.tally.find(item);
      if (it == c.tally.end() || !it->second.contains(firm)) continue;
      const CompareTally& t = it->second.at(firm);
      s += fmt::format(
          "  {:<10} {:<9} {:>6} {:>6} {:>9} {:>7} {:>7}  {}\n", item, firm, t.both(), t.same, t.different, t.only_a,
          t.only_b,
          t.both() ? fmt::format("{:.1f}%", 100.0 * static_cast<double>(t.same) / static_cast<double>(t.both())) : "-");
    }
  }
  s += "  (firm: a claim with firm classes; a fit neither wide nor insufficient. only B counts by B's firmness)\n";
  std::size_t shown = 0;
  for (const auto& r : c.rows) {
    if (r.item == "fit" || !r.firm_a || r.status == "same") continue;
    if (shown++ == 0) s += "Constraints and firm claims of A that B does not reproduce:\n";
    s += fmt::format("  {} {}: A {} | B {}\n", r.item, r.key, r.a, r.status == "only-a" ? "(none)" : r.b);
  }
  if (shown == 0) s += "Every constraint and every firm claim of A is in B with the same classes.\n";
  return s;
}

std::string compare_csv(const Comparison& c) {
  std::string s = csv_row({"item", "key", "a", "b", "firm_a", "firm_b", "status"});
  for (const auto& r : c.rows) {
    s += csv_row({r.item, r.key, r.a, r.b, r.firm_a ? "true" : "false", r.firm_b ? "true" : "false", r.status});
  }
  return s;
}

}  // namespace sysaxis::analysis
