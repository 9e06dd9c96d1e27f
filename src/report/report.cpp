// The report: checks of the analysis against the study, and the document and files built from
// both (the sections live in questions.cpp, sections.cpp, appendix.cpp).
#include "report/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "report/sections.h"

namespace sysaxis::report {

using nlohmann::json;
using namespace detail;

void check_analysis(const Study& study, const json& analysis) {
  if (!analysis.is_object()) throw AnalysisError("analysis.json: not a JSON object");
  const std::string schema = jstr(analysis, "schema");
  if (schema != "sysaxis.analysis/1") {
    throw AnalysisError(fmt::format("analysis.json: schema '{}', expected 'sysaxis.analysis/1'", schema));
  }
  const json& inputs = jarray(analysis, "inputs");
  if (!inputs.empty() && inputs.size() != study.dbs.size()) {
    throw AnalysisError(fmt::format("analysis.json analyses {} database(s) but {} were given with --db", inputs.size(),
                                    study.dbs.size()));
  }
  for (std::size_t i = 0; i < inputs.size() && i < study.dbs.size(); ++i) {
    auto ok = jnum(inputs[i], "runs_ok");
    if (!ok) continue;
    std::size_t here = 0;
    for (const auto& r : study.runs) here += r.db == i && r.status == "ok";
    if (static_cast<std::size_t>(*ok) != here) {
      throw AnalysisError(fmt::format(
          "analysis.json does not match {}: {} runs ok in the analysis, {} in the database (re-run sysaxis analyze)",
          study.dbs[i].path, static_cast<std::size_t>(*ok), here));
    }
  }
  // Evidence must resolve to stored runs.
  for (const char* section : {"fits", "claims"}) {
    for (const auto& item : jarray(analysis, section)) {
      const std::size_t db = static_cast<std::size_t>(std::max(0.0, jnum(item, "db").value_or(0)));
      for (const auto& id : jarray(item, "run_ids")) {
        if (!id.is_number_integer()) continue;
        if (db >= study.dbs.size() || !study.find_run({db, id.get<std::int64_t>()})) {
          throw AnalysisError(fmt::format(
              "analysis.json: {} '{}' cites run {} of database {}, which the database does "
              "not hold (analysis of another study?)",
              std::string(section).substr(0, std::string(section).size() - 1), jstr(item, "id"), jtext(id), db));
        }
      }
    }
  }
}

Content build_report(const Study& study, const json& analysis, const std::string& analysis_text,
                     const std::string& findings, const Options& options) {
  const Context ctx = make_context(study, analysis);
  Content out;
  Document& doc = out.doc;
  doc.title = options.title.empty() ? default_title(study) : options.title;

  const Plot q1 = scaling_plot(ctx, "Q1");
  const Plot q2 = scaling_plot(ctx, "Q2");
  const Plot q3 = execution_plot(ctx);

  // Introduction.
  std::size_t ok = 0;
  std::size_t micro = 0;
  std::size_t resnet = 0;
  std::set<std::string> backends;
  for (const auto& r : study.runs) {
    if (r.status != "ok") continue;
    ++ok;
    micro += r.workload == "micro";
    resnet += r.workload == "resnet";
    if (r.workload == "micro") backends.insert(r.backend);
  }
  // Repetitions per measured configuration (series and cell) of the microbenchmarks.
  std::map<std::tuple<SeriesKey, std::int64_t, std::int64_t>, std::size_t> reps;
  for (const RunRow* r : micro_runs(study)) ++reps[{series_of(*r), r->bytes, r->iters}];
  std::size_t reps_min = 0;
  std::size_t reps_max = 0;
  for (const auto& [k, n] : reps) {
    reps_min = reps_min == 0 ? n : std::min(reps_min, n);
    reps_max = std::max(reps_max, n);
  }
  const std::string reps_text =
      reps.empty() ? std::string()
                   : fmt::format(" Each of the {} microbenchmark configurations has {} repetitions.", reps.size(),
                                 reps_min == reps_max ? fmt::format("{}", reps_min)
                                                      : fmt::format("{} to {}", reps_min, reps_max));
  doc.paragraph(fmt::format(
      "Which axes of GPU/AI execution drive interaction with the operating system, which do not, and which behaviours "
      "hold across vendors and real workloads. This report answers the three frozen questions from {} ({} "
      "microbenchmark, {} ResNet) of {} runs in {}; backends measured: {}.{} Counts are per run; plots are "
      "log-scaled with error bars from the repetitions (min to max).",
      count_noun(ok, "good run", "good runs"), micro, resnet, study.runs.size(),
      count_noun(study.dbs.size(), "database", "databases"),
      backends.empty() ? "none" : join_words({backends.begin(), backends.end()}), reps_text));
  std::vector<Inline> toc;
  for (const auto& [title, anchor] :
       std::vector<std::pair<std::string, std::string>>{{"Q1 size", "q1-size"},
                                                        {"Q2 repetition", "q2-repetition"},
                                                        {"Q3 execution", "q3-execution"},
                                                        {"Vendor comparison", "vendor-comparison"},
                                                        {"ResNet validation", "resnet-validation"},
                                                        {"Tracer perturbation", "tracer-perturbation"},
                                                        {"Synthesis", "synthesis"},
                                                        {"Claims", "claims"},
                                                        {"Provenance", "provenance"},
                                                        {"Files", "files"}}) {
    toc.push_back({link(title, "#" + anchor)});
  }
  doc.bullets(std::move(toc));

  std::vector<AxisResult> axes;
  const auto& qs = question_table();
  for (const auto* pq : {&q1, &q2}) {
    const QuestionInfo& q = pq->question == "Q1" ? qs[0] : qs[1];
    doc.heading(2, q.name);
    doc.paragraph(question_inline(question_text(analysis, q)));
    std::string constraint;
    scaling_answer(doc, ctx, q, constraint);
    doc.paragraph(Inline{strong("Draft constraint. "), text(constraint)});
    plot_block(doc, *pq, options,
               fmt::format("{}: one panel per runtime series at the {} value with the most levels; one line per "
                           "category; points are means over repetitions, error bars span min to max; zero counts "
                           "cannot be drawn on a log axis.",
                           q.name, q.fixed_axis));
    scaling_table(doc, ctx, q, *pq);
    question_claims_note(doc, analysis, q.id);
    const ScalingSummary s = summarize_scaling(classify_question(ctx, q.id, "all"));
    AxisResult a{q.axis == "bytes" ? "Size (bytes)" : "Repetition (iters)", names_of(s.dependent), names_of(s.flat),
                 !s.series.empty()};
    axes.push_back(std::move(a));
  }
  {
    const QuestionInfo& q = qs[2];
    doc.heading(2, q.name);
    doc.paragraph(question_inline(question_text(analysis, q)));
    std::string constraint;
    q3_answer(doc, ctx, constraint);
    doc.paragraph(Inline{strong("Draft constraint. "), text(constraint)});
    plot_block(doc, q3, options,
               "Q3 execution: one panel per GPU runtime at the cell (bytes × iters) with the cpu baseline and the most "
               "execution models; one line per category across the execution models; points are means over "
               "repetitions, error bars span min to max.");
    q3_table(doc, ctx, q3);
    question_claims_note(doc, analysis, q.id);
    std::set<SeriesKey> series;
    AxisResult a{"Execution model", {}, {}, false};
    for (const auto& c : summarize_q3(ctx, series)) {
      if (!c.gpu_only_on.empty() || !c.elevated_on.empty()) {
        a.drives.push_back(c.category);
      } else if (!c.similar_on.empty()) {
        a.insensitive.push_back(c.category);
      }
    }
    a.measured = !series.empty();
    axes.push_back(std::move(a));
  }

  vendor_section(doc, ctx);
  resnet_section(doc, ctx);
  perturbation_section(doc, ctx);
  synthesis_section(doc, ctx, axes, findings);
  claims_section(doc, ctx);
  provenance_section(doc, ctx, options);

  // Files beside the report.
  out.files.push_back({"analysis.json", analysis_text.empty() ? analysis.dump(2) + "\n" : analysis_text});
  out.files.push_back({"runs.csv", runs_csv(ctx)});
  out.files.push_back({"counts.csv", counts_csv(ctx)});
  out.files.push_back({"faults.csv", faults_csv(ctx)});
  out.files.push_back({"provenance.csv", provenance_csv(ctx)});
  out.files.push_back({"fits.csv", fits_csv(analysis)});
  out.files.push_back({"claims.csv", claims_csv(analysis)});
  out.files.push_back({"q3.csv", q3_csv(analysis)});
  out.files.push_back({"vendor.csv", vendor_csv(analysis)});
  out.files.push_back({"resnet_profile.csv", resnet_profile_csv(ctx)});
  for (const Plot* p : {&q1, &q2, &q3}) {
    if (p->panels.empty()) continue;
    out.plots.push_back(*p);
    out.files.push_back({p->name + ".dat", plot_data(*p)});
    out.files.push_back({p->name + ".csv", plot_csv(*p)});
    out.files.push_back({p->name + ".gp", plot_script(*p)});
  }
  files_section(doc, out.files, out.plots, options.plots);
  return out;
}

}  // namespace sysaxis::report
