// The report's sections (sections.cpp), internal to src/report.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analysis/analysis.h"
#include "report/document.h"
#include "report/report.h"

namespace sysaxis::report::detail {

std::string e_count(std::size_t n);  // "1 case", "3 cases"
const analysis::Constraint* constraint_on(const analysis::Analysis& a, std::string_view axis);

void intro_section(Document& doc, const analysis::Analysis& a, const analysis::Dataset& data);
void constraints_section(Document& doc, const analysis::Analysis& a);
void scaling_section(Document& doc, const analysis::Analysis& a, const std::string& question,
                     const std::vector<Plot>& plots, const Options& options);
void execution_section(Document& doc, const analysis::Analysis& a, const std::vector<Plot>& plots);
void vendor_section(Document& doc, const analysis::Analysis& a);
void api_section(Document& doc);
void workloads_section(Document& doc, const analysis::Analysis& a);
void perturbation_section(Document& doc, const analysis::Analysis& a);
void synthesis_section(Document& doc, const analysis::Analysis& a, const std::string& findings);
void claims_section(Document& doc, const analysis::Analysis& a);
void provenance_section(Document& doc, const analysis::Analysis& a, const Options& options);
void files_section(Document& doc, const std::vector<TextFile>& files, const std::vector<Plot>& plots, bool images);

}  // namespace sysaxis::report::detail
