// The study analysis (DESIGN.md "Analysis", docs/analysis.md): per question and runtime, affine
// fits of every category against the varied axis with bootstrap intervals and a class; Q3's
// comparison of execution models; claims generated from the classes with their evidence; the
// vendor annotation of each claim; the ResNet profile and the check of each claim against it.
// `sysaxis analyze` writes it as analysis.json (schema "sysaxis.analysis/1"); the report may use
// these structures directly or read the JSON.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "analysis/dataset.h"
#include "analysis/scaling.h"
#include "analysis/stats.h"

namespace sysaxis::analysis {

inline constexpr std::string_view kSchema = "sysaxis.analysis/1";

// Exit codes of `sysaxis analyze`.
inline constexpr int kExitUsage = 2;
inline constexpr int kExitDatabase = 3;  // a database cannot be read or breaks the contract
inline constexpr int kExitOutput = 4;    // the output cannot be written

struct Options {
  ScalingOptions scaling;
  std::uint64_t seed = 1;  // of every bootstrap (each fit derives its own from its key)
  // A category is "material" in a series when some measured mean reaches this many events per
  // run; claims are made about material categories only.
  double material = 1.0;
  // Q3: a category appears only with a GPU runtime when its GPU mean's lower bound is material
  // and the cpu baseline's upper bound is at most this fraction of it.
  double gpu_only_ratio = 0.05;
};

struct QuestionInfo {
  std::string_view id;    // Q1, Q2, Q3
  std::string_view axis;  // bytes, iters, exec
  std::string_view text;  // verbatim from DESIGN.md (docs/questions.md)
};
const std::vector<QuestionInfo>& questions();

// One measured configuration of a runtime, everything but the varied axes.
struct SeriesKey {
  std::size_t db = 0;
  std::string backend, platform, device, exec, alloc_op, sync, engine;
  std::int64_t threads = 1;
  auto tie() const { return std::tie(db, backend, platform, device, exec, alloc_op, sync, engine, threads); }
  bool operator<(const SeriesKey& o) const { return tie() < o.tie(); }
  bool operator==(const SeriesKey& o) const { return tie() == o.tie(); }
};
SeriesKey series_of(const Run& r);
std::string series_key_string(const SeriesKey& s);  // for seeds and keys
// The runtime, as compared across vendors: backend and platform.
std::string vendor_identity(const SeriesKey& s);
// "alloc, copy", "kernels, sync end", "cpu, 4 threads", "kernels".
std::string exec_label(const SeriesKey& s);

struct LevelSummary {
  double x = 0;
  std::size_t n = 0;
  double mean = 0, sd = 0, min = 0, max = 0;
};

struct Fit {
  std::string id;
  std::string question;  // Q1 (axis bytes, x in MiB) or Q2 (axis iters)
  std::string workload;  // micro, or resnet (bytes = batch size, x in images)
  SeriesKey series;
  std::string axis, x_unit, fixed_axis;
  std::int64_t fixed_value = 0;
  std::string scope;  // all (whole process) or work
  std::string category;
  ScalingFit result;
  std::vector<LevelSummary> levels;
  std::vector<std::int64_t> run_ids;  // in the database series.db
};

struct Q3Category {
  std::string category;
  stats::Estimate gpu;                                     // events per run with the GPU runtime
  std::optional<stats::Estimate> cpu;                      // with the cpu baseline (none without one)
  std::optional<bool> gpu_only;                            // none without a baseline
  std::optional<stats::Estimate> calls_share, time_share;  // syscall categories only, of all calls / syscall time
  std::optional<stats::Estimate> cpu_calls_share, cpu_time_share;  // the same with the cpu baseline
  int rank_calls = 0, rank_time = 0;  // among top-level categories (1 = largest), 0 = not ranked
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
};

struct ResnetCheck {
  std::string verdict = "cannot tell";  // agrees | disagrees | cannot tell
  std::string reason;
  std::vector<std::string> fit_ids;                        // ResNet fits used
  std::vector<std::pair<std::size_t, std::int64_t>> runs;  // (db, run_id) of the ResNet runs used
};

struct Claim {
  std::string id;                      // stable: built from its key
  std::string kind;                    // scaling | gpu-only | dominant
  std::string question;                // primary question
  std::vector<std::string> questions;  // every question whose evidence it uses
  SeriesKey series;
  std::string runtime;  // display label of the series' runtime
  std::string scope, category;
  std::map<std::string, std::string> classes;  // question -> consensus class
  std::string measure;                         // dominant claims: "calls", "time" or "calls and time"
  std::string text;
  bool reliable = false;  // firm classes, no wide interval
  std::string annotation = "uncertain", annotation_reason;
  std::string vendor_key;
  std::vector<std::string> fit_ids, q3_ids;
  std::vector<std::int64_t> run_ids;  // in series.db
  ResnetCheck resnet;
};

struct VendorEntry {
  std::size_t db = 0;
  std::string runtime;   // display label
  std::string identity;  // vendor_identity
  std::string engine;
  std::string cls;  // the compared class
  bool reliable = false;
  std::string claim_id;  // empty when this runtime has no such claim
};

struct VendorGroup {
  std::string key, kind, exec, scope, category;
  std::vector<VendorEntry> entries;
  std::string annotation, reason;
  std::vector<std::string> claim_ids;
};

struct ResnetProfileCategory {
  std::string category;
  stats::Estimate calls, time_ns;
  std::optional<stats::Estimate> calls_share, time_share;
};
struct ResnetProfile {
  std::size_t db = 0;
  std::string exec, engine;  // exec = torch device (cpu, cuda)
  std::int64_t batch = 0, iters = 0;
  std::string phase;  // startup, init, work, teardown, unmarked, or all (whole process)
  std::vector<std::int64_t> run_ids;
  std::vector<ResnetProfileCategory> categories;
};

struct Analysis {
  Options options;
  std::vector<Input> inputs;
  std::size_t micro_runs = 0, resnet_runs = 0, other_runs = 0;
  std::map<SeriesKey, std::string> runtime_labels;
  std::vector<Fit> fits;
  std::vector<Q3Cell> q3;
  std::vector<Claim> claims;
  std::vector<VendorGroup> vendor;
  std::vector<ResnetProfile> resnet_profiles;
  std::vector<Fit> resnet_fits;
  std::vector<std::string> notes;
  std::string tool_version, tool_revision;  // set by the CLI (recorded in the JSON)
};

// The whole analysis of loaded databases. Deterministic: the same data and options give the same result.
Analysis analyze(const Dataset& data, const Options& options);

// Parts, exposed for tests and for the report.
// Display labels: the backend, with the platform where a backend has several, the device where a
// platform has several, and "@<input label>" when several databases are analysed.
std::map<SeriesKey, std::string> label_runtimes(const std::vector<Run>& runs, const std::vector<Input>& inputs);
std::vector<Fit> fit_questions(const std::vector<Run>& runs, const Options& options, std::string_view workload);
std::vector<Q3Cell> compare_exec(const std::vector<Run>& runs, const Options& options);
std::vector<Claim> make_claims(const Analysis& a);
std::vector<VendorGroup> annotate_vendors(Analysis& a);
std::vector<ResnetProfile> resnet_profiles(const std::vector<Run>& runs, const Options& options);
void check_resnet(Analysis& a, const std::vector<Run>& runs);

nlohmann::ordered_json to_json(const Analysis& a);
// JSON text for files: indented, but arrays of numbers or strings and small flat objects on one
// line (run ids, levels), so that analysis.json stays short and diffs well. Ends with a newline.
std::string dump_json(const nlohmann::ordered_json& j);
// A summary a researcher reads on one screen.
std::string summary(const Analysis& a);

}  // namespace sysaxis::analysis
