#include "report/compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "report/escape.h"

namespace sysaxis::report {
namespace {

using nlohmann::json;

constexpr const char* kAnalysisSchema = "sysaxis.analysis/1";

std::string str(const json& j, const char* field) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

bool flag(const json& j, const char* field) {
  auto it = j.find(field);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

// What was measured, without where (db, device) or by which engine.
std::string series_key(const json& j) {
  std::string k = fmt::format("{} {}/{}", str(j, "workload").empty() ? "micro" : str(j, "workload"), str(j, "runtime"),
                              str(j, "platform"));
  k += fmt::format(" exec={}", str(j, "exec"));
  if (!str(j, "alloc_op").empty()) k += fmt::format(" op={}", str(j, "alloc_op"));
  if (!str(j, "sync").empty()) k += fmt::format(" sync={}", str(j, "sync"));
  k += fmt::format(" threads={} phase={} category={}", str(j, "threads"), str(j, "phase"), str(j, "category"));
  return k;
}

std::string fit_key(const json& f) {
  std::string fixed;
  if (auto it = f.find("fixed"); it != f.end() && it->is_object())
    for (const auto& [axis, value] : it->items()) fixed += fmt::format(" {}={}", axis, value.dump());
  return fmt::format("{} {} vary={}{}", str(f, "question"), series_key(f), str(f, "axis"), fixed);
}

std::string claim_key(const json& c) {
  return fmt::format("{} {}", str(c, "kind"), series_key(c));
}

// A claim's finding: its class per question (scaling claims), its kind otherwise.
std::string claim_value(const json& c) {
  auto it = c.find("classes");
  if (it == c.end() || !it->is_object() || it->empty()) return str(c, "kind");
  std::string v;
  for (const auto& [q, cls] : it->items()) v += fmt::format("{}{}={}", v.empty() ? "" : " ", q, cls.get<std::string>());
  return v;
}

struct Side {
  std::string value;
  bool firm = false;
};

std::map<std::string, Side> index(const json& doc, const char* list, const char* what) {
  std::map<std::string, Side> out;
  auto it = doc.find(list);
  if (it == doc.end() || !it->is_array()) throw CompareError(fmt::format("no \"{}\" list", list));
  for (const auto& x : *it) {
    const bool is_fit = std::string(what) == "fit";
    std::string key = is_fit ? fit_key(x) : claim_key(x);
    Side s{is_fit ? str(x, "class") : claim_value(x), is_fit ? !flag(x, "wide") : flag(x, "firm")};
    if (!out.emplace(key, s).second)
      throw CompareError(
          fmt::format("two {}s measure the same thing ({}): analyse one study database per file", what, key));
  }
  return out;
}

void check_schema(const json& doc, const char* name) {
  if (!doc.is_object() || str(doc, "schema") != kAnalysisSchema)
    throw CompareError(fmt::format("{} is not a sysaxis analysis (schema \"{}\" expected, found \"{}\")", name,
                                   kAnalysisSchema, doc.is_object() ? str(doc, "schema") : std::string("no object")));
}

void match(Comparison& c, const char* item, const std::map<std::string, Side>& a,
           const std::map<std::string, Side>& b) {
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
    if (a.count(key)) continue;
    CompareRow r{item, key, "", sb.value, false, sb.firm, "only-b"};
    count(r);
    c.rows.push_back(std::move(r));
  }
}

}  // namespace

Comparison compare_analyses(const json& a, const json& b) {
  check_schema(a, "A");
  check_schema(b, "B");
  Comparison c;
  match(c, "fit", index(a, "fits", "fit"), index(b, "fits", "fit"));
  match(c, "claim", index(a, "claims", "claim"), index(b, "claims", "claim"));
  std::sort(c.rows.begin(), c.rows.end(),
            [](const CompareRow& x, const CompareRow& y) { return std::tie(x.item, x.key) < std::tie(y.item, y.key); });
  return c;
}

bool firm_claims_reproduced(const Comparison& c) {
  return std::none_of(c.rows.begin(), c.rows.end(),
                      [](const CompareRow& r) { return r.item == "claim" && r.firm_a && r.status != "same"; });
}

std::string compare_summary(const Comparison& c, const std::string& name_a, const std::string& name_b) {
  std::string s = fmt::format("sysaxis compare: A = {}, B = {}\n", name_a, name_b);
  s += fmt::format("  {:<6} {:<9} {:>6} {:>6} {:>9} {:>7} {:>7}  {}\n", "item", "in A", "both", "same", "different",
                   "only A", "only B", "same / both");
  for (const char* item : {"fit", "claim"}) {
    for (const char* firm : {"firm", "not firm"}) {
      auto it = c.tally.find(item);
      if (it == c.tally.end() || !it->second.count(firm)) continue;
      const CompareTally& t = it->second.at(firm);
      s += fmt::format(
          "  {:<6} {:<9} {:>6} {:>6} {:>9} {:>7} {:>7}  {}\n", item, firm, t.both(), t.same, t.different, t.only_a,
          t.only_b,
          t.both() ? fmt::format("{:.1f}%", 100.0 * static_cast<double>(t.same) / static_cast<double>(t.both())) : "-");
    }
  }
  s += "  (firm: a claim with firm classes; a fit whose interval is not wide. only B counts by B's firmness)\n";
  std::size_t shown = 0;
  for (const auto& r : c.rows) {
    if (r.item != "claim" || !r.firm_a || r.status == "same") continue;
    if (shown++ == 0) s += "Firm claims of A that B does not reproduce:\n";
    s += fmt::format("  {}: A {} | B {}\n", r.key, r.a, r.status == "only-a" ? "(no such claim)" : r.b);
  }
  if (shown == 0) s += "Every firm claim of A is in B with the same classes.\n";
  return s;
}

std::string compare_csv(const Comparison& c) {
  std::string s = csv_row({"item", "key", "a", "b", "firm_a", "firm_b", "status"});
  for (const auto& r : c.rows)
    s += csv_row({r.item, r.key, r.a, r.b, r.firm_a ? "true" : "false", r.firm_b ? "true" : "false", r.status});
  return s;
}

}  // namespace sysaxis::report
