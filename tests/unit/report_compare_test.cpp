#include <gtest/gtest.h>

#include "report/compare.h"

namespace sysaxis::report {
namespace {

using nlohmann::json;

// The fields that say what was measured (and where, which compare ignores).
json measured(const std::string& category) {
  return {{"question", "Q1"},     {"workload", "micro"}, {"db", 0},
          {"runtime", "opencl"},  {"backend", "opencl"}, {"platform", "Portable Computing Language"},
          {"device", "AMD EPYC"}, {"exec", "kernels"},   {"alloc_op", ""},
          {"sync", "each"},       {"threads", 1},        {"engine", "ebpf"},
          {"phase", "work"},      {"category", category}};
}

json fit(const std::string& id, const std::string& category, const std::string& cls, bool wide = false) {
  json f = measured(category);
  f.update({{"id", id}, {"axis", "bytes"}, {"fixed", {{"iters", 10}}}, {"class", cls}, {"wide", wide}});
  return f;
}

json claim(const std::string& category, const json& classes, bool firm = true, const std::string& kind = "scaling") {
  json c = measured(category);
  c.update({{"id", "C-" + category}, {"kind", kind}, {"classes", classes}, {"firm", firm}});
  return c;
}

json analysis(json fits, json claims) {
  return {{"schema", "sysaxis.analysis/1"}, {"fits", std::move(fits)}, {"claims", std::move(claims)}};
}

json reference() {
  return analysis(
      json::array({fit("F1", "sync", "linear"), fit("F2", "file", "flat"), fit("F3", "sched", "flat", true)}),
      json::array({claim("sync", {{"Q1", "linear"}, {"Q2", "linear"}}),
                   claim("file", {{"Q1", "flat"}, {"Q2", "linear"}}), claim("driver", json::object(), true, "gpu-only"),
                   claim("sched", {{"Q1", "sublinear"}}, false)}));
}

TEST(ReportCompare, IdenticalAnalysesReproduceEverything) {
  Comparison c = compare_analyses(reference(), reference());
  EXPECT_TRUE(firm_claims_reproduced(c));
  EXPECT_EQ(c.tally.at("fit").at("firm").same, 2u);
  EXPECT_EQ(c.tally.at("fit").at("not firm").same, 1u);
  EXPECT_EQ(c.tally.at("claim").at("firm").same, 3u);
  EXPECT_EQ(c.tally.at("claim").at("not firm").same, 1u);
  for (const auto& r : c.rows) EXPECT_EQ(r.status, "same") << r.key;
  EXPECT_NE(compare_summary(c, "a.json", "b.json").find("Every firm claim of A is in B"), std::string::npos);
}

TEST(ReportCompare, WhereAndByWhichEngineDoNotMatter) {
  json b = reference();
  for (auto* list : {&b["fits"], &b["claims"]})
    for (auto& x : *list) {
      x["db"] = 3;
      x["device"] = "Intel Xeon";
      x["engine"] = "ptrace";
      x["id"] = "other";
    }
  Comparison c = compare_analyses(reference(), b);
  EXPECT_TRUE(firm_claims_reproduced(c));
  for (const auto& r : c.rows) EXPECT_EQ(r.status, "same") << r.key;
}

TEST(ReportCompare, AnotherClassOrAMissingClaimIsReported) {
  json b = reference();
  b["claims"][0]["classes"]["Q2"] = "flat";  // firm sync claim: Q2 linear -> flat
  b["claims"].erase(1);                      // firm file claim gone
  b["claims"].push_back(claim("memory", {{"Q1", "linear"}}));
  b["fits"][0]["class"] = "sublinear";
  Comparison c = compare_analyses(reference(), b);
  EXPECT_FALSE(firm_claims_reproduced(c));
  const auto& firm_claims = c.tally.at("claim").at("firm");
  EXPECT_EQ(firm_claims.same, 1u);  // the gpu-only claim
  EXPECT_EQ(firm_claims.different, 1u);
  EXPECT_EQ(firm_claims.only_a, 1u);
  EXPECT_EQ(firm_claims.only_b, 1u);
  EXPECT_EQ(c.tally.at("fit").at("firm").different, 1u);
  std::string s = compare_summary(c, "a.json", "b.json");
  EXPECT_NE(s.find("Q1=linear Q2=linear | B Q1=linear Q2=flat"), std::string::npos) << s;
  EXPECT_NE(s.find("(no such claim)"), std::string::npos) << s;
}

TEST(ReportCompare, ANotFirmClaimThatChangesDoesNotFailTheCheck) {
  json b = reference();
  b["claims"][3]["classes"]["Q1"] = "linear";
  Comparison c = compare_analyses(reference(), b);
  EXPECT_TRUE(firm_claims_reproduced(c));
  EXPECT_EQ(c.tally.at("claim").at("not firm").different, 1u);
}

TEST(ReportCompare, RefusesWhatIsNotAnAnalysisOrIsAmbiguous) {
  EXPECT_THROW(compare_analyses(json{{"schema", "sysaxis.workload/1"}}, reference()), CompareError);
  EXPECT_THROW(compare_analyses(reference(), json::array()), CompareError);
  EXPECT_THROW(compare_analyses(json{{"schema", "sysaxis.analysis/1"}, {"claims", json::array()}}, reference()),
               CompareError);
  json twice = reference();
  json second_db = twice["claims"][0];
  second_db["db"] = 1;  // the same claim from a second database of one analysis
  twice["claims"].push_back(second_db);
  EXPECT_THROW(compare_analyses(twice, reference()), CompareError);
}

TEST(ReportCompare, CsvHasOneRowPerMatchAndQuotesFields) {
  Comparison c = compare_analyses(reference(), reference());
  std::string csv = compare_csv(c);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "item,key,a,b,firm_a,firm_b,status");
  EXPECT_EQ(static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')), 1 + c.rows.size());
  json a = reference();
  a["claims"][0]["category"] = "a,b";
  std::string quoted = compare_csv(compare_analyses(a, reference()));
  EXPECT_NE(quoted.find("category=a,b\""), std::string::npos) << quoted;
}

}  // namespace
}  // namespace sysaxis::report
