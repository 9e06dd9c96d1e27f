// The study report (DESIGN.md "Report", docs/report.md): report.md and a self-contained
// report.html per study, with per question a table, a plot, an answer and a draft constraint; the
// vendor comparison; the ResNet validation; the synthesis; provenance; the plot data and gnuplot
// scripts beside the images; tidy CSV exports. Input: the analysis (analysis.json, parsed) and the
// study databases, read only through the views of CONTRACTS.md. Deterministic: the same inputs
// give byte-identical files.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "report/document.h"
#include "report/model.h"
#include "report/study.h"

namespace sysaxis::report {

// Exit codes of `sysaxis report`.
inline constexpr int kExitUsage = 2;
inline constexpr int kExitDatabase = 3;  // a database cannot be read or breaks the contract
inline constexpr int kExitOutput = 4;    // the output folder or a file cannot be written
inline constexpr int kExitAnalysis = 5;  // analysis.json unreadable, of another study, or no analysis available
inline constexpr int kExitPlot = 6;      // gnuplot missing or failed

class AnalysisError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
class PlotError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Options {
  std::vector<std::string> dbs;  // as given on the command line
  std::filesystem::path out_dir;
  std::string analysis_path;        // as given; empty when the analysis ran in-process
  std::string findings_path;        // as given; empty when none
  std::string title;                // empty: from the study
  bool plots = true;                // render the images with gnuplot
  std::string gnuplot = "gnuplot";  // program name or path
  std::string tool_version, tool_revision;
};

struct TextFile {
  std::string name;  // relative to the report folder
  std::string content;
};

struct Content {
  Document doc;
  std::vector<Plot> plots;      // the ones with panels (an image each)
  std::vector<TextFile> files;  // every file but report.md, report.html and the images
};

// Checks that the analysis is a sysaxis analysis of these databases (schema, number of inputs,
// runs of its evidence present). Throws AnalysisError with one line.
void check_analysis(const Study& study, const nlohmann::json& analysis);

// Everything the report says, as a document and files. Pure and deterministic.
// `analysis_text` is analysis.json as read (copied beside the report); empty: dumped from
// `analysis`. `findings` is the hand-written Markdown (empty: none).
Content build_report(const Study& study, const nlohmann::json& analysis, const std::string& analysis_text,
                     const std::string& findings, const Options& options);

// Builds, renders the plots with gnuplot in a staging folder inside out_dir, renders report.md
// and report.html, then moves every file into out_dir (each file whole; report.md and
// report.html last). Returns the names written, sorted. Throws OutputError or PlotError.
std::vector<std::string> write_report(const Study& study, const nlohmann::json& analysis,
                                      const std::string& analysis_text, const std::string& findings,
                                      const Options& options);

// Runs gnuplot on `script` with `dir` as working directory, without initialisation files.
// Throws PlotError with gnuplot's first error line.
void run_gnuplot(const std::string& gnuplot, const std::filesystem::path& dir, const std::string& script);

// Tidy exports (each a CSV text with a header line).
std::string runs_csv(const Context& ctx);
std::string counts_csv(const Context& ctx);
std::string faults_csv(const Context& ctx);
std::string provenance_csv(const Context& ctx);
std::string fits_csv(const nlohmann::json& analysis);
std::string claims_csv(const nlohmann::json& analysis);
std::string q3_csv(const nlohmann::json& analysis);
std::string vendor_csv(const nlohmann::json& analysis);
std::string resnet_profile_csv(const Context& ctx);

}  // namespace sysaxis::report
