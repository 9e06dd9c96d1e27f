// The report's sections, shared between the files that build them (questions.cpp: Q1-Q3;
// sections.cpp: vendor comparison, ResNet, synthesis; appendix.cpp: claims, provenance, files;
// text.cpp: wording helpers). Internal to src/report.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "report/document.h"
#include "report/model.h"
#include "report/report.h"

namespace sysaxis::report::detail {

// The frozen questions (docs/questions.md), used when the analysis does not carry their text.
struct QuestionInfo {
  std::string id, name, axis, fixed_axis, per, text;
};
const std::vector<QuestionInfo>& question_table();
std::string question_text(const nlohmann::json& analysis, const QuestionInfo& q);
// "Question." and the text, `quoted` parts as code.
Inline question_inline(const std::string& q);

std::optional<std::int64_t> fit_fixed(const nlohmann::json& f);   // the value of the fixed axis
std::string series_name(const Context& ctx, const SeriesKey& s);  // "cuda (kernels, sync each)"
double median(std::vector<double> v);
// "1.23 [1.20, 1.26]" from name, name_lo, name_hi ("–" when absent).
std::string interval(const nlohmann::json& j, const std::string& name, const std::string& unit = "");
std::string percent(const nlohmann::json& j, const std::string& name);  // "45% [43, 47]"
std::string confidence_label(const nlohmann::json& analysis);           // "95% CI"
std::vector<std::string> names_of(const std::vector<CategoryVerdict>& v);
std::vector<std::string> areas_of(const std::vector<std::string>& categories);
std::string count_noun(std::size_t n, const std::string& one, const std::string& many);
std::string claim_label(const Context& ctx, const nlohmann::json& c);  // question · runtime · exec · phase · category
std::string firm_text(const nlohmann::json& c);

// Q1 and Q2.
struct ScalingSummary {
  std::vector<CategoryVerdict> dependent, flat, unknown;
  std::set<SeriesKey> series;
};
ScalingSummary summarize_scaling(const std::vector<CategoryVerdict>& verdicts);
void scaling_answer(Document& doc, const Context& ctx, const QuestionInfo& q, std::string& constraint);
void scaling_table(Document& doc, const Context& ctx, const QuestionInfo& q, const Plot& plot);

// Q3.
struct Q3Category {
  std::string category;
  std::vector<std::string> gpu_only_on, similar_on, elevated_on;
  std::vector<std::string> dominant;  // "cuda (alloc, free) (45% [43, 47] of calls)"
};
std::vector<Q3Category> summarize_q3(const Context& ctx, std::set<SeriesKey>& series_seen);
void q3_answer(Document& doc, const Context& ctx, std::string& constraint);
void q3_table(Document& doc, const Context& ctx, const Plot& plot);

void plot_block(Document& doc, const Plot& plot, const Options& options, const std::string& caption);
void question_claims_note(Document& doc, const nlohmann::json& analysis, const std::string& q);

void vendor_section(Document& doc, const Context& ctx);
void resnet_section(Document& doc, const Context& ctx);
// Cells measured with more than one engine: the tracer's perturbation (DESIGN.md, engines).
void perturbation_section(Document& doc, const Context& ctx);
struct AxisResult {
  std::string axis;
  std::vector<std::string> drives, insensitive;
  bool measured = false;
};
void synthesis_section(Document& doc, const Context& ctx, const std::vector<AxisResult>& axes,
                       const std::string& findings);

void claims_section(Document& doc, const Context& ctx);
void provenance_section(Document& doc, const Context& ctx, const Options& options);
void files_section(Document& doc, const std::vector<TextFile>& files, const std::vector<Plot>& plots, bool with_images);
std::string default_title(const Study& study);

}  // namespace sysaxis::report::detail
