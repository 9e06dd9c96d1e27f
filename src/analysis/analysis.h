// The study analysis (DESIGN.md "Analysis", docs/analysis.md). Per question, runtime series, fixed
// value of the other axis, scope, category and metric (calls, time in the calls): an affine fit
// with bootstrap intervals, a test of dependence corrected for the family (Benjamini-Hochberg), a
// materiality threshold and a class. Q3 compares execution models. Claims are generated from the
// classes with their evidence, annotated by vendor, and merged into at most six constraints with
// scope and counterexamples; real workloads are checked against each constraint.
// `sysaxis analyze` writes it as analysis.json (schema "sysaxis.analysis/2"); from_json reads it
// back into the same structures, so that the report is a pure function of them.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "analysis/dataset.h"
#include "analysis/scaling.h"
#include "analysis/stats.h"

namespace sysaxis::analysis {

inline constexpr std::string_view kSchema = "sysaxis.analysis/2";

class AnalysisError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The smallest change over a measured range that a verdict may call a dependence, per metric:
// max(absolute, relative x the category's level in the whole process).
struct Materiality {
  double calls = 10;       // events per run
  double time_ns = 100e3;  // syscall time per run (100 us)
  double cpu_ns = 10e6;    // CPU time per run (10 ms)
  double relative = 0.05;  // of the largest level mean of the category and metric in the fit's scope
  double threshold(std::string_view category, std::string_view metric, double reference) const;
};

struct Options {
  ScalingOptions scaling;
  std::uint64_t seed = 1;  // of every bootstrap (each fit derives its own from its key)
  double fdr = 0.05;       // Benjamini-Hochberg level over the family of dependence tests
  Materiality material;
  // Q3: a category appears only with a GPU runtime when its GPU mean's lower bound is material
  // (material.calls) and the cpu baseline's upper bound is at most this fraction of it.
  double gpu_only_ratio = 0.05;
  std::size_t max_constraints = 6;
};

struct QuestionInfo {
  std::string_view id;    // Q1, Q2, Q3
  std::string_view axis;  // bytes, iters, exec
  std::string_view name;  // "Q1 size"
  std::string_view text;  // verbatim from docs/questions.md
};
const std::vector<QuestionInfo>& questions();
const QuestionInfo& question(std::string_view id);

// One measured configuration: everything but the varied axes.
struct SeriesKey {
  std::size_t db = 0;
  std::string workload = "micro", backend, platform, device, exec, engine;
  RunOptions options;
  auto tie() const { return std::tie(db, workload, backend, platform, device, exec, options, engine); }
  bool operator<(const SeriesKey& o) const { return tie() < o.tie(); }
  bool operator==(const SeriesKey& o) const { return tie() == o.tie(); }
};
SeriesKey series_of(const Run& r);
std::string series_key_string(const SeriesKey& s);  // for seeds and ids
// "alloc, free", "kernels, sync end", "cpu, 4 threads", "alloc, free, async"; workloads: the device.
std::string exec_label(const SeriesKey& s);

// Who executes the work (DESIGN.md "Vendor annotation"): the maker of the device, and whether it
// is a GPU. Runtimes that execute on the CPU (cpu, PoCL, HIP-CPU) are the CPU's behaviour.
struct Executor {
  std::string vendor;  // "NVIDIA GPU", "AMD GPU", "Intel GPU", "CPU", or "unknown"
  bool gpu = false;
};
Executor executor_of(const SeriesKey& s);
// The API a series uses on its executor: cuda, opencl, hip, cpu, torch.
std::string api_of(const SeriesKey& s);

struct LevelSummary {
  double x = 0;
  std::size_t n = 0;
  double mean = 0, sd = 0, min = 0, max = 0;
};

struct Fit {
  std::string id;
  std::string question;  // Q1 (axis bytes) or Q2 (axis iters)
  SeriesKey series;
  std::string axis, x_unit, fixed_axis;
  std::int64_t fixed_value = 0;
  std::string scope;  // all (whole process) or work
  std::string category;
  std::string metric;  // calls | time_ns
  ScalingFit result;
  std::vector<LevelSummary> levels;
  std::vector<std::int64_t> run_ids;  // in the database series.db
};

struct Q3Category {
  std::string category;
  std::string metric;                               // calls | time_ns
  stats::Estimate gpu;                              // per run with the GPU runtime
  std::optional<stats::Estimate> cpu;               // with the cpu baseline (none without one)
  std::optional<bool> gpu_only;                     // none without a baseline
  std::optional<stats::Estimate> share, cpu_share;  // top-level syscall categories: of all calls / time
  int rank = 0;                                     // among top-level categories by share (1 = largest), 0 = not ranked
};

struct Q3Cell {
  std::string id;
  SeriesKey series;  // a GPU series
  std::int64_t bytes = 0, iters = 0;
  std::string scope;
  std::vector<std::int64_t> run_ids;
  std::optional<SeriesKey> baseline;
  std::vector<std::int64_t> baseline_run_ids;
  std::vector<Q3Category> categories;
  const Q3Category* find(std::string_view category, std::string_view metric) const;
};

// One axis and metric of a claim, over every measured value of the other axis (the crossed design).
struct Verdict {
  std::string question;  // Q1 | Q2
  std::string metric;    // calls | time_ns
  std::string cls;       // the class at every fixed value when they agree, "mixed" when not, "insufficient"
  std::vector<std::pair<std::int64_t, std::string>> at;  // fixed value -> class
  std::vector<std::string> fit_ids;
  bool depends() const;  // some fixed value has a dependent class
  bool flat() const;     // every fixed value is flat
};

struct Annotation {
  // vendor-agnostic (same class on two or more GPU vendors), vendor-specific (a measured
  // difference between GPU vendors), uncertain (one GPU vendor measured, or no firm classes), or
  // cpu-only (no GPU runtime makes the claim's kind of measurement).
  std::string label = "uncertain";
  std::string api;     // "API-agnostic on NVIDIA GPU (cuda, opencl)", "API-specific on NVIDIA GPU ...", ...
  std::string reason;  // which vendors were measured, which is missing, the classes compared
};

struct Claim {
  std::string id;
  std::string kind;      // scaling | gpu-only | dominant
  std::string question;  // primary question
  SeriesKey series;
  std::string runtime;  // display label
  std::string scope, category;
  std::vector<Verdict> verdicts;  // scaling: Q1/Q2 x calls/time_ns, as measured
  std::string measure;            // dominant: calls | time_ns | calls and time_ns
  std::string text;
  bool firm = false;  // every verdict firm (no insufficient, no wide interval)
  Annotation annotation;
  std::string vendor_key;
  std::vector<std::string> fit_ids, q3_ids;
  std::vector<std::int64_t> run_ids;  // in series.db
};

struct VendorEntry {
  std::size_t db = 0;
  std::string runtime, vendor, api, engine;
  std::string cls;
  bool firm = false;
  std::string claim_id;  // empty when this series has no such claim
};

struct VendorGroup {
  std::string key, kind, exec, scope, category;
  std::vector<VendorEntry> entries;
  Annotation annotation;
  std::vector<std::string> claim_ids;
};

// A number a constraint rests on, with its source in this analysis.
struct KeyNumber {
  std::string id;     // "C1.1"
  std::string label;  // what it is, in words
  double value = 0;
  std::optional<double> lo, hi;  // its interval, when it has one
  std::string unit;              // "calls per iteration", "ns per MiB", ...
  std::string source;            // "fit:F12", "q3:X3"
};

struct Counterexample {
  std::string runtime, exec, scope, category, metric, cls;
  std::string text;    // one sentence with the numbers
  std::string source;  // "fit:F12", "q3:X3", "claim:..."
};

// One clause of a constraint: what a category does on the constraint's axis.
struct Clause {
  std::string category;
  // drives (on most runtimes) | drives-some (on a minority, named) | insensitive | time-only (counts
  // insensitive everywhere, time not) | gpu-only | dominant | spin
  std::string status;
};

struct Constraint {
  std::string id;    // C1, C2, ...
  std::string axis;  // bytes | iters | exec | cpu
  std::string title;
  std::string text;                      // "OS interaction depends on A but is insensitive to B, ruling out C"
  std::vector<std::string> holds_on;     // runtime series (label, exec) where every clause holds
  std::vector<Counterexample> fails_on;  // where a clause fails, with numbers
  std::vector<std::string> beside;       // CPU-executed runtimes and the baseline, reported beside
  std::vector<std::string> claims;       // claim ids behind it
  std::vector<KeyNumber> numbers;
  std::vector<Clause> clauses;
  std::string scope_note;  // what was measured (values of the axes, machines)
};

// A real workload's OS profile: per phase, per category, per run (mean with interval).
struct ProfileCategory {
  std::string category;
  stats::Estimate calls, time_ns;
  std::optional<stats::Estimate> calls_share, time_share;
};
struct WorkloadProfile {
  SeriesKey series;
  std::int64_t bytes = 0, iters = 0;  // the workload's size knob and iterations
  std::string phase;                  // startup, init, work, teardown, unmarked, or all
  std::vector<std::int64_t> run_ids;
  std::vector<ProfileCategory> categories;
};

// Whether a real workload agrees with a constraint.
struct WorkloadCheck {
  std::string workload, runtime, constraint;
  std::string verdict = "cannot tell";  // agrees | disagrees | cannot tell
  std::string reason;
  std::vector<std::string> fit_ids;
};

// The same cell (everything but the engine and the database) measured with several engines: the
// tracer's perturbation (DESIGN.md, "Tracing engines").
struct EngineMeans {
  std::string engine;
  std::vector<std::int64_t> run_ids;
  std::vector<std::size_t> dbs;  // the databases its runs come from
  stats::Estimate syscalls;      // syscalls per run, whole process
  double largest = 0;            // per run of `largest_category`
};
struct Perturbation {
  SeriesKey series;  // db 0, no engine
  std::string runtime;
  std::int64_t bytes = 0, iters = 0;
  std::vector<EngineMeans> engines;
  double ratio = 0;              // largest mean of syscalls over the smallest
  std::string largest_category;  // the top-level category whose means differ most
};

// The family of dependence tests and what survived.
struct Family {
  std::size_t fits = 0;         // fits made
  std::size_t tested = 0;       // with a p-value (enough repetitions)
  std::size_t significant = 0;  // q <= fdr
  std::size_t depends = 0;      // significant and material
  std::size_t flat = 0;
  std::size_t insufficient = 0;
};

struct Analysis {
  Options options;
  std::vector<Input> inputs;
  std::string taxonomy;  // its source
  Vocabulary words;      // its words and order (analysis.json records them when not the built-in ones)
  std::size_t micro_runs = 0, workload_runs = 0;
  std::map<SeriesKey, std::string> runtime_labels;
  std::vector<Fit> fits;  // microbenchmarks (F...) and real workloads (W...)
  std::vector<Q3Cell> q3;
  std::vector<Claim> claims;
  std::vector<VendorGroup> vendor;
  std::vector<Constraint> constraints;
  std::vector<WorkloadProfile> profiles;
  std::vector<WorkloadCheck> checks;
  std::vector<Perturbation> perturbation;
  Family family;
  std::vector<std::string> notes;
  std::string tool_version, tool_revision;  // set by the CLI (recorded in the JSON)

  std::string label(const SeriesKey& s) const;  // runtime display label
  const Fit* fit(std::string_view id) const;
  const Claim* claim(std::string_view id) const;
  const Q3Cell* cell(std::string_view id) const;
};

// The whole analysis of loaded databases. Deterministic: the same data and options give the same result.
Analysis analyze(const Dataset& data, const Options& options);

// Parts, exposed for tests.
std::map<SeriesKey, std::string> label_runtimes(const std::vector<Run>& runs, const std::vector<Input>& inputs);
std::vector<Fit> fit_questions(const Dataset& data, const Options& options);
void correct_family(std::vector<Fit>& fits, const Options& options, Family& family);
std::vector<Q3Cell> compare_exec(const Dataset& data, const Options& options);
std::vector<Claim> make_claims(const Analysis& a);
std::vector<VendorGroup> annotate_vendors(Analysis& a);
std::vector<Constraint> make_constraints(const Analysis& a);
std::vector<WorkloadProfile> workload_profiles(const Dataset& data, const Options& options);
std::vector<WorkloadCheck> check_workloads(const Analysis& a);
std::vector<Perturbation> compare_engines(const std::vector<Run>& runs, const Analysis& a);

// analysis.json: the typed analysis and back. from_json(to_json(a)) gives a structure whose
// to_json is byte-identical (the round trip tests/unit/analysis_json_test.cpp checks on the
// committed analyses). Throws AnalysisError with one line on another schema or a malformed file.
nlohmann::ordered_json to_json(const Analysis& a);
Analysis from_json(const nlohmann::json& j);
// Reads analysis.json or analysis.json.gz (by content, not by name). Throws AnalysisError with one
// line when the file cannot be read, is not JSON or is not an analysis of this schema.
Analysis read_analysis_file(const std::string& path);
// JSON text for files: indented, but arrays of numbers or strings and small flat objects on one
// line, so that analysis.json stays short and diffs well. Ends with a newline.
std::string dump_json(const nlohmann::ordered_json& j);
// A summary a researcher reads on one screen.
std::string summary(const Analysis& a);

}  // namespace sysaxis::analysis
