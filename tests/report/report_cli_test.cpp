// `sysaxis report` end to end on a synthetic study: the files, determinism, escaping of untrusted
// strings, relative links in the Markdown, bad inputs, and report.html rendered in headless
// Chromium (every plot shown, nothing fetched, no error).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "../integration/process.h"
#include "synthetic_study.h"

namespace fs = std::filesystem;
using sysaxis::testing::Proc;
using sysaxis::testing::run;
using sysaxis::testing::slurp;
using sysaxis::testing::temp_dir;

namespace {

bool have_gnuplot() {
  return run({"sh", "-c", "command -v gnuplot"}).exit_code() == 0;
}

std::string chromium_path() {
  if (const char* env = std::getenv("SYSAXIS_CHROMIUM"); env && *env) return env;
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
    if (fs::exists(p)) return p;
  }
  return {};
}

std::vector<std::string> list_files(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

class ReportCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = temp_dir("report");
    db_ = (dir_ / "study.db").string();
    sysaxis::testing::write_synthetic_study(db_);
    analysis_ = (dir_ / "analysis.json").string();
    std::ofstream(analysis_) << sysaxis::testing::synthetic_analysis(db_).dump(2);
    findings_ = (dir_ / "findings.md").string();
    std::ofstream(findings_) << "# Findings\n\nHand-written *finding* with a `code` span and <b>raw html</b>.\n\n"
                                "| constraint | evidence |\n|---|---|\n| size drives faults | fits.csv |\n";
  }
  void TearDown() override {
    // SYSAXIS_REPORT_TEST_KEEP=DIR keeps the last test's files there, to look at them.
    if (const char* keep = std::getenv("SYSAXIS_REPORT_TEST_KEEP"); keep && *keep) {
      fs::remove_all(keep);
      fs::copy(dir_, keep, fs::copy_options::recursive);
    }
    fs::remove_all(dir_);
  }

  Proc report(const fs::path& out, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {SYSAXIS_BIN, "report", "--db", db_, "-o", out.string(), "-q"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run(argv);
  }
  Proc full_report(const fs::path& out) { return report(out, {"--analysis", analysis_, "--findings", findings_}); }

  fs::path dir_;
  std::string db_, analysis_, findings_;
};

TEST_F(ReportCli, WritesReportPlotsDataAndExports) {
  if (!have_gnuplot()) GTEST_SKIP() << "gnuplot is not installed (Debian: gnuplot-nox)";
  const fs::path out = dir_ / "out";
  Proc p = full_report(out);
  ASSERT_EQ(p.exit_code(), 0) << p.err;
  for (const char* f : {"report.md", "report.html", "analysis.json", "runs.csv", "counts.csv", "faults.csv", "fits.csv",
                        "claims.csv", "q3.csv", "vendor.csv", "provenance.csv", "resnet_profile.csv"}) {
    EXPECT_TRUE(fs::is_regular_file(out / f)) << f;
  }
  for (const char* plot : {"q1_size", "q2_repetition", "q3_execution"}) {
    for (const char* ext : {".svg", ".gp", ".dat", ".csv"}) {
      EXPECT_TRUE(fs::is_regular_file(out / (std::string(plot) + ext))) << plot << ext;
    }
  }
  // No staging folder or temporary file left behind.
  for (const auto& name : list_files(out)) EXPECT_FALSE(name.starts_with(".")) << name;

  const std::string md = slurp(out / "report.md");
  for (const char* section : {"## Q1 size", "## Q2 repetition", "## Q3 execution", "## Vendor comparison",
                              "## ResNet validation", "## Synthesis", "## Claims", "## Provenance"}) {
    EXPECT_NE(md.find(section), std::string::npos) << section;
  }
  // One answer and one draft constraint per question, constraints in the frozen form.
  std::size_t answers = 0;
  std::size_t constraints = 0;
  for (std::size_t pos = 0; (pos = md.find("**Answer.**", pos)) != std::string::npos; ++pos) ++answers;
  for (std::size_t pos = 0; (pos = md.find("**Draft constraint.**", pos)) != std::string::npos; ++pos) ++constraints;
  EXPECT_EQ(answers, 3u);
  EXPECT_EQ(constraints, 3u);
  EXPECT_NE(md.find("OS interaction depends on bytes through"), std::string::npos);
  EXPECT_NE(md.find("ruling out per-byte"), std::string::npos);
  EXPECT_NE(md.find("OS interaction depends on the execution model through driver"), std::string::npos);
  // The hand-written findings are included; the ResNet profile is there.
  EXPECT_NE(md.find("Hand-written *finding*"), std::string::npos);
  EXPECT_NE(md.find("### Category profile per phase"), std::string::npos);
  EXPECT_NE(md.find("vendor-specific"), std::string::npos);
  // The baseline cell traced under both engines: the perturbation table.
  EXPECT_NE(md.find("| cpu | cpu | micro | 1 MiB × 10 | ebpf and ptrace |"), std::string::npos);

  // Tidy CSV: a header and rows with as many fields (no embedded newlines in these files).
  const std::string counts = slurp(out / "counts.csv");
  EXPECT_TRUE(counts.starts_with("db,run_id,workload,study,backend,platform,device,exec,bytes,iters,"))
      << counts.substr(0, 200);
  EXPECT_NE(counts.find(",driver,nvidiactl,"), std::string::npos);

  // The scripts re-plot from the data beside them, to the same image.
  const fs::path replot = dir_ / "replot";
  fs::create_directories(replot);
  for (const char* f : {"q1_size.gp", "q1_size.dat"}) fs::copy_file(out / f, replot / f);
  Proc g = run({"sh", "-c", "cd '" + replot.string() + "' && gnuplot -d q1_size.gp"});
  ASSERT_EQ(g.exit_code(), 0) << g.err;
  EXPECT_EQ(slurp(replot / "q1_size.svg"), slurp(out / "q1_size.svg"));
}

TEST_F(ReportCli, SameInputsGiveIdenticalFiles) {
  const std::vector<std::string> extra =
      have_gnuplot() ? std::vector<std::string>{} : std::vector<std::string>{"--no-plots"};
  const fs::path a = dir_ / "a";
  const fs::path b = dir_ / "b";
  std::vector<std::string> args = {"--analysis", analysis_, "--findings", findings_};
  args.insert(args.end(), extra.begin(), extra.end());
  ASSERT_EQ(report(a, args).exit_code(), 0);
  ASSERT_EQ(report(b, args).exit_code(), 0);
  // Again into the same folder (replacing the files).
  ASSERT_EQ(report(b, args).exit_code(), 0);
  const auto files = list_files(a);
  ASSERT_EQ(files, list_files(b));
  EXPECT_GE(files.size(), 15u);
  for (const auto& f : files) EXPECT_EQ(slurp(a / f), slurp(b / f)) << f << " differs between two renders";
}

TEST_F(ReportCli, EscapesUntrustedStrings) {
  const fs::path out = dir_ / "out";
  ASSERT_EQ(report(out, {"--analysis", analysis_, "--findings", findings_, "--no-plots"}).exit_code(), 0);
  const std::string html = slurp(out / "report.html");
  // The planted device name never reaches the page as markup.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("lab-host | `x` &lt;b&gt;bold&lt;/b&gt;"), std::string::npos);
  // The page loads nothing: a CSP forbidding it, no external reference.
  EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
  EXPECT_FALSE(std::regex_search(html, std::regex(R"((src|href)\s*=\s*"(https?:)?//)")));

  const std::string md = slurp(out / "report.md");
  EXPECT_EQ(md.find("<script>"), std::string::npos);
  EXPECT_NE(md.find(R"(\<script\>alert(1)\</script\>)"), std::string::npos);
  // Inside a Markdown table row a pipe of the data is escaped, so every row keeps its columns.
  std::istringstream lines(md);
  std::size_t rows_with_device = 0;
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("|") || line.find("alert(1)") == std::string::npos) continue;
    ++rows_with_device;
    EXPECT_NE(line.find(R"(\|)"), std::string::npos) << line;
    EXPECT_EQ(line.find("`tick`"), std::string::npos) << line;
  }
  EXPECT_GT(rows_with_device, 0u);
}

TEST_F(ReportCli, MarkdownUsesRelativeLinksToImagesBesideIt) {
  if (!have_gnuplot()) GTEST_SKIP() << "gnuplot is not installed (Debian: gnuplot-nox)";
  const fs::path out = dir_ / "out";
  ASSERT_EQ(full_report(out).exit_code(), 0);
  const std::string md = slurp(out / "report.md");
  std::regex image(R"(!\[[^\]]*\]\(([^)]+)\))");
  std::size_t images = 0;
  for (auto it = std::sregex_iterator(md.begin(), md.end(), image); it != std::sregex_iterator(); ++it) {
    const std::string target = (*it)[1];
    ++images;
    EXPECT_EQ(target.find('/'), std::string::npos) << target;
    EXPECT_TRUE(fs::is_regular_file(out / target)) << target;
  }
  EXPECT_EQ(images, 3u);
  std::regex links(R"(\]\(([^)#][^)]*)\))");
  for (auto it = std::sregex_iterator(md.begin(), md.end(), links); it != std::sregex_iterator(); ++it) {
    const std::string target = (*it)[1];
    EXPECT_TRUE(fs::is_regular_file(out / target)) << "dangling link " << target;
  }
}

TEST_F(ReportCli, ChromiumShowsEveryPlotWithoutErrors) {
  const std::string chromium = chromium_path();
  if (chromium.empty()) GTEST_SKIP() << "chromium is not installed (scripts/install-deps.sh --with-browser)";
  if (!have_gnuplot()) GTEST_SKIP() << "gnuplot is not installed (Debian: gnuplot-nox)";
  const fs::path out = dir_ / "out";
  ASSERT_EQ(full_report(out).exit_code(), 0);
  // A copy of the page with a checker: allowed to run by its CSP (which still forbids every
  // load), it records CSP violations and errors from the start and, after load, whether each
  // image decoded.
  std::string html = slurp(out / "report.html");
  const std::string csp = "default-src 'none';";
  const std::size_t at = html.find(csp);
  ASSERT_NE(at, std::string::npos);
  html.replace(at, csp.size(), "default-src 'none'; script-src 'unsafe-inline';");
  const std::string checker = R"(<script>
var sysaxisViolations = 0, sysaxisErrors = 0;
document.addEventListener('securitypolicyviolation', function () { sysaxisViolations++; });
window.addEventListener('error', function () { sysaxisErrors++; }, true);
window.addEventListener('load', function () {
  var imgs = Array.prototype.slice.call(document.images);
  var loaded = imgs.filter(function (i) { return i.complete && i.naturalWidth > 0 && i.naturalHeight > 0; }).length;
  var pre = document.createElement('pre');
  pre.id = 'sysaxis-check';
  pre.textContent = 'images=' + imgs.length + ' loaded=' + loaded + ' violations=' + sysaxisViolations +
      ' errors=' + sysaxisErrors + ' figures=' + document.querySelectorAll('figure').length;
  document.body.appendChild(pre);
});
</script>
)";
  const std::size_t head = html.find("<head>");
  ASSERT_NE(head, std::string::npos);
  html.insert(head + 6, "\n" + checker);
  const fs::path page = dir_ / "check.html";
  std::ofstream(page) << html;
  const fs::path profile = temp_dir("chromium-profile");
  Proc p = run({"timeout", "120", chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile.string(), "--virtual-time-budget=10000",
                "--dump-dom", "file://" + page.string()});
  fs::remove_all(profile);
  ASSERT_EQ(p.exit_code(), 0) << p.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(p.out, m, std::regex(R"(<pre id="sysaxis-check">([^<]*)</pre>)")))
      << "the checker did not run; chromium said: " << p.err.substr(0, 2000);
  EXPECT_EQ(m[1].str(), "images=3 loaded=3 violations=0 errors=0 figures=3");
}

TEST_F(ReportCli, WithoutPlotsTheReportSaysHowToDrawThem) {
  const fs::path out = dir_ / "out";
  // Over an earlier report with images: they go, the folder holds exactly the new report.
  if (have_gnuplot()) {
    ASSERT_EQ(report(out, {"--analysis", analysis_}).exit_code(), 0);
  }
  std::ofstream(out / "notes-of-mine.txt") << "kept";
  ASSERT_EQ(report(out, {"--analysis", analysis_, "--no-plots"}).exit_code(), 0);
  EXPECT_FALSE(fs::exists(out / "q1_size.svg"));
  EXPECT_TRUE(fs::exists(out / "notes-of-mine.txt"));  // not a file of the report: untouched
  EXPECT_TRUE(fs::exists(out / "q1_size.gp"));
  EXPECT_NE(slurp(out / "report.md").find("gnuplot q1_size.gp"), std::string::npos);
  EXPECT_EQ(slurp(out / "report.html").find("<img"), std::string::npos);
}

TEST_F(ReportCli, DegradesOnACpuOnlyStudyAndAMinimalAnalysis) {
  sysaxis::testing::SyntheticOptions o;
  o.gpu = false;
  o.resnet = false;
  sysaxis::testing::write_synthetic_study(db_, o);
  std::ofstream(analysis_) << R"({"schema": "sysaxis.analysis/1", "fits": [], "claims": []})";
  const fs::path out = dir_ / "out";
  Proc p = report(out, {"--analysis", analysis_, "--no-plots"});
  ASSERT_EQ(p.exit_code(), 0) << p.err;
  const std::string md = slurp(out / "report.md");
  EXPECT_NE(md.find("Not answered: the analysis holds no Q1 fits"), std::string::npos);
  EXPECT_NE(md.find("The study holds no ResNet runs"), std::string::npos);
  EXPECT_NE(md.find("No plot: no microbenchmark runs of a GPU runtime"), std::string::npos);
  EXPECT_NE(md.find("opencl, cuda and hip"), std::string::npos);  // runtimes not measured
  EXPECT_NE(md.find("ROCm path is built but ran on no AMD GPU"), std::string::npos);
}

TEST_F(ReportCli, BadInputsFailWithOneLineAndDistinctCodes) {
  const fs::path out = dir_ / "out";
  auto expect = [](const Proc& p, int code, const std::string& needle) {
    EXPECT_EQ(p.exit_code(), code) << p.err;
    EXPECT_NE(p.err.find(needle), std::string::npos) << p.err;
    EXPECT_EQ(std::count(p.err.begin(), p.err.end(), '\n'), 1) << p.err;
  };
  expect(
      run({SYSAXIS_BIN, "report", "--db", (dir_ / "missing.db").string(), "-o", out.string(), "--analysis", analysis_}),
      3, "no such file");
  std::ofstream(dir_ / "text.db") << "not a database at all, just some text that is long enough to be read";
  expect(run({SYSAXIS_BIN, "report", "--db", (dir_ / "text.db").string(), "-o", out.string(), "--analysis", analysis_}),
         3, "text.db");
  std::ofstream(dir_ / "bad.json") << "{not json";
  expect(report(out, {"--analysis", (dir_ / "bad.json").string()}), 5, "not JSON");
  std::ofstream(dir_ / "other.json") << R"({"schema": "sysaxis.analysis/1", "inputs": [{"db": 0, "runs_ok": 3}]})";
  expect(report(out, {"--analysis", (dir_ / "other.json").string()}), 5, "does not match");
  std::ofstream(dir_ / "cites.json")
      << R"({"schema": "sysaxis.analysis/1", "fits": [{"id": "f", "db": 0, "run_ids": [99999]}]})";
  expect(report(out, {"--analysis", (dir_ / "cites.json").string()}), 5, "99999");
  std::ofstream(dir_ / "schema.json") << R"({"schema": "something/2"})";
  expect(report(out, {"--analysis", (dir_ / "schema.json").string()}), 5, "schema");
  std::ofstream(dir_ / "a-file") << "x";
  expect(report(dir_ / "a-file", {"--analysis", analysis_, "--no-plots"}), 4, "a-file");
  expect(report(out, {"--analysis", analysis_, "--gnuplot", "/nonexistent/gnuplot"}), 6, "not found");
  expect(report(out, {"--analysis", analysis_, "--findings", (dir_ / "nope.md").string()}), 2, "nope.md");
  EXPECT_EQ(run({SYSAXIS_BIN, "report", "-o", out.string()}).exit_code(), 2);
  // Without --analysis: analysed in-process, or (until the analysis is wired in) a clear refusal.
  Proc p = report(dir_ / "inproc", {"--no-plots"});
  if (p.exit_code() == 0) {
    EXPECT_TRUE(fs::exists(dir_ / "inproc" / "report.html"));
  } else {
    expect(p, 5, "pass --analysis");
  }
}

}  // namespace

// A sweep under ptrace in its own database (specs/perturbation.toml) pairs with the same cells of
// the study measured with eBPF: every cell of the baseline, not only the one traced twice.
TEST_F(ReportCli, PairsEnginesAcrossDatabases) {
  sysaxis::testing::SyntheticOptions o;
  o.gpu = false;
  o.resnet = false;
  o.engine = "ptrace";
  const std::string ptrace_db = (dir_ / "ptrace.db").string();
  sysaxis::testing::write_synthetic_study(ptrace_db, o);
  const fs::path out = dir_ / "out";
  Proc p = report(out, {"--db", ptrace_db, "--no-plots"});
  ASSERT_EQ(p.exit_code(), 0) << p.err;
  const std::string md = slurp(out / "report.md");
  // Rows are named like the runtime everywhere else: with two databases, "cpu @<database>".
  EXPECT_NE(md.find(" | cpu | micro | 16 MiB × 10 | ebpf and ptrace |"), std::string::npos);
  EXPECT_NE(md.find("\n| cpu @lab-host"), std::string::npos);
  EXPECT_NE(md.find(" | cpu | micro | 4 KiB × 1 | ebpf and ptrace |"), std::string::npos);
  const auto from = md.find("## Tracer perturbation");
  ASSERT_NE(from, std::string::npos);
  const std::string section = md.substr(from, md.find("\n## ", from + 1) - from);
  EXPECT_EQ(section.find("| opencl"), std::string::npos) << section;  // one engine only: not paired
}
