// The study report (DESIGN.md "Report", docs/report.md): a reporter of the typed analysis, in the
// manner of Google Benchmark's reporters. It formats analysis::Analysis and analysis::Dataset and
// never recomputes what the analysis computed. report.md and a self-contained report.html lead with
// the constraints, then per question an answer, the draft constraint, plots (counts and time) and
// a table; the vendor comparison; OS cost per API call; the real workloads; the synthesis; the
// claims (appendix); provenance; and beside them the plot data, gnuplot scripts and tidy CSV.
// Deterministic: the same inputs give byte-identical files.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "analysis/dataset.h"
#include "report/document.h"

namespace sysaxis::report {

class AnalysisMismatch : public std::runtime_error {
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
};

struct TextFile {
  std::string name;  // relative to the report folder
  std::string content;
};

// One panel's line: a category's level summaries (x ascending).
struct PlotLine {
  std::string category;
  analysis::CategoryWords words;  // its colour and point type, from the analysis
  std::vector<analysis::LevelSummary> levels;
};
struct Panel {
  std::string title;
  std::string runtime, exec;          // display labels
  std::vector<std::string> x_labels;  // Q3: the execution models (x = 0, 1, ...)
  std::vector<double> xs;
  std::vector<PlotLine> lines;
  std::vector<std::string> sources;  // the fits or Q3 cells the points come from
};
struct Plot {
  std::string name;  // file stem: q1_size
  std::string question, title, x_label, y_label;
  bool log_x = true;
  bool bytes_x = false;  // tics as sizes
  std::vector<Panel> panels;
};

struct Content {
  Document doc;
  std::vector<Plot> plots;      // the ones with panels (an image each)
  std::vector<TextFile> files;  // every file but report.md, report.html and the images
};

// Checks that the analysis is one of these databases (number of inputs, runs ok per input, runs of
// its evidence present). Throws AnalysisMismatch with one line.
void check_analysis(const analysis::Dataset& data, const analysis::Analysis& a);

// Everything the report says, as a document and files. Pure and deterministic. `analysis_text` is
// analysis.json as read (copied beside the report); empty: written from `a`. `findings` is
// hand-written Markdown (empty: none).
Content build_report(const analysis::Analysis& a, const analysis::Dataset& data, const std::string& analysis_text,
                     const std::string& findings, const Options& options);

// Builds, renders the plots with gnuplot in a staging folder inside out_dir, renders report.md and
// report.html, then moves every file into out_dir (each whole; report.md and report.html last).
// Returns the names written, sorted. Throws OutputError or PlotError.
std::vector<std::string> write_report(const analysis::Analysis& a, const analysis::Dataset& data,
                                      const std::string& analysis_text, const std::string& findings,
                                      const Options& options);

// Runs gnuplot on `script` with `dir` as working directory, without initialisation files.
// Throws PlotError with gnuplot's first error line.
void run_gnuplot(const std::string& gnuplot, const std::filesystem::path& dir, const std::string& script);

// The plots and their files (plots.cpp).
std::vector<Plot> make_plots(const analysis::Analysis& a);
std::string plot_data(const Plot& p);    // <name>.dat: one block per panel and line
std::string plot_csv(const Plot& p);     // <name>.csv: tidy
std::string plot_script(const Plot& p);  // <name>.gp: writes <name>.svg

// Tidy exports (exports.cpp), each a CSV text with a header line.
std::string runs_csv(const analysis::Dataset& data);
std::string counts_csv(const analysis::Dataset& data);  // per run, scope and category: calls, errors, time
std::string provenance_csv(const analysis::Dataset& data);
std::string constraints_csv(const analysis::Analysis& a);
std::string fits_csv(const analysis::Analysis& a);
std::string claims_csv(const analysis::Analysis& a);
std::string q3_csv(const analysis::Analysis& a);
std::string vendor_csv(const analysis::Analysis& a);
std::string profiles_csv(const analysis::Analysis& a);
std::string checks_csv(const analysis::Analysis& a);

}  // namespace sysaxis::report
