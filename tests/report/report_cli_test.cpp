// `sysaxis report` end to end on a synthetic study made through the store and analysed by the real
// analyser (`sysaxis analyze`): the files, determinism, escaping of untrusted strings, relative
// links in the Markdown, bad inputs, and report.html rendered in headless Chromium (every plot
// shown, nothing fetched, no error).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "../integration/process.h"
#include "../support/synthetic_study.h"

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

// A platform name with HTML and Markdown metacharacters (an untrusted string from a driver).
constexpr const char* kEvil = "Evil | <script>alert(1)</script> `tick` *star* [x](javascript:alert(2))";

class ReportCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = temp_dir("report");
    db_ = (dir_ / "study.db").string();
    auto spec = sysaxis::test::gpu_study(kEvil);
    spec.host = "lab-host | `x` <b>bold</b>";
    sysaxis::test::write_study(db_, spec);
    analysis_ = (dir_ / "analysis.json").string();
    Proc a = run({SYSAXIS_BIN, "analyze", "-q", "--bootstrap", "200", "--db", db_, "-o", analysis_});
    ASSERT_EQ(a.exit_code(), 0) << a.err;
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
  for (const char* f :
       {"report.md", "report.html", "analysis.json", "runs.csv", "counts.csv", "provenance.csv", "constraints.csv",
        "fits.csv", "claims.csv", "q3.csv", "vendor.csv", "profiles.csv", "checks.csv"}) {
    EXPECT_TRUE(fs::is_regular_file(out / f)) << f;
  }
  for (const char* plot : {"q1_size", "q1_size_time", "q2_repetition", "q2_repetition_time", "q3_execution"}) {
    for (const char* ext : {".svg", ".gp", ".dat", ".csv"}) {
      EXPECT_TRUE(fs::is_regular_file(out / (std::string(plot) + ext))) << plot << ext;
    }
  }
  // The analysis beside the report is the one given, byte for byte.
  EXPECT_EQ(slurp(out / "analysis.json"), slurp(analysis_));
  // No staging folder or temporary file left behind.
  for (const auto& name : list_files(out)) EXPECT_FALSE(name.starts_with(".")) << name;

  const std::string md = slurp(out / "report.md");
  // The constraints lead, then the questions.
  const auto constraints = md.find("## Constraints");
  ASSERT_NE(constraints, std::string::npos);
  for (const char* section :
       {"## Q1 size", "## Q2 repetition", "## Q3 execution", "## Vendor comparison", "## OS cost per API call",
        "## Real workloads", "## Synthesis", "## Appendix: claims", "## Provenance", "## Files"}) {
    const auto at = md.find(section);
    EXPECT_NE(at, std::string::npos) << section;
    EXPECT_GT(at, constraints) << section;
  }
  for (const char* c : {"### C1 Size", "### C2 Repetition", "### C3 Execution model", "### C4 CPU time"}) {
    EXPECT_NE(md.find(c), std::string::npos) << c;
  }
  EXPECT_NE(md.find("counts hide this cost"), std::string::npos);
  EXPECT_NE(md.find("ruling out per-"), std::string::npos);
  EXPECT_NE(md.find("Benjamini-Hochberg"), std::string::npos);
  EXPECT_NE(md.find("API-agnostic on NVIDIA GPU (cuda, opencl)"), std::string::npos);
  EXPECT_EQ(md.find("| vendor-agnostic |"), std::string::npos);  // one GPU vendor measured
  // One answer and one draft constraint per question.
  std::size_t answers = 0;
  std::size_t drafts = 0;
  for (std::size_t pos = 0; (pos = md.find("**Answer.**", pos)) != std::string::npos; ++pos) ++answers;
  for (std::size_t pos = 0; (pos = md.find("**Draft constraint.**", pos)) != std::string::npos; ++pos) ++drafts;
  EXPECT_EQ(answers, 3u);
  EXPECT_EQ(drafts, 3u);
  // The hand-written findings are included.
  EXPECT_NE(md.find("Hand-written *finding*"), std::string::npos);

  // Tidy CSV: a header and rows.
  const std::string counts = slurp(out / "counts.csv");
  EXPECT_TRUE(counts.starts_with("db,run_id,scope,category,calls,errors,time_ns\n")) << counts.substr(0, 200);
  EXPECT_NE(counts.find(",driver:nvidiactl,"), std::string::npos);
  const std::string fits = slurp(out / "fits.csv");
  EXPECT_NE(fits.find(",time_ns,"), std::string::npos);
  EXPECT_NE(fits.find(",step,"), std::string::npos);

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
  // The planted platform name and host never reach the page as markup or as a link.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_EQ(html.find("href=\"javascript:"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("lab-host | `x` &lt;b&gt;bold&lt;/b&gt;"), std::string::npos);
  // The findings' raw HTML is shown as code.
  EXPECT_NE(html.find("<code>&lt;b&gt;</code>raw html<code>&lt;/b&gt;</code>"), std::string::npos);
  // The page loads nothing: a CSP forbidding it, no external reference.
  EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
  EXPECT_FALSE(std::regex_search(html, std::regex(R"((src|href)\s*=\s*"(https?:)?//)")));

  const std::string md = slurp(out / "report.md");
  // In Markdown the string is either escaped text or a literal code span: never markup, never a link.
  EXPECT_NE(md.find("\\<script\\>alert(1)"), std::string::npos);
  EXPECT_NE(md.find("\\[x\\](javascript:alert(2))"), std::string::npos);
  {
    std::istringstream all(md);
    for (std::string line; std::getline(all, line);) {
      for (auto at = line.find("<script>"); at != std::string::npos; at = line.find("<script>", at + 1)) {
        const auto open = line.rfind("``", at);
        ASSERT_NE(open, std::string::npos) << line;
        EXPECT_NE(line.find("``", at), std::string::npos) << "raw <script> outside a code span: " << line;
      }
    }
  }
  // Inside a Markdown table row a pipe of the data is escaped, so every row keeps its columns.
  std::istringstream lines(md);
  std::size_t rows_with_platform = 0;
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("|") || line.find("alert(1)") == std::string::npos) continue;
    ++rows_with_platform;
    EXPECT_NE(line.find(R"(Evil \|)"), std::string::npos) << line;
  }
  EXPECT_GT(rows_with_platform, 0u);
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
  EXPECT_EQ(images, 5u);
  // Every link's target (not an escaped "\]", not inside a code span) is a file beside the report.
  const std::string text = std::regex_replace(md, std::regex("``.*?``|`[^`]*`"), "");
  std::regex links(R"([^\\]\]\(([^)#][^)]*)\))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), links); it != std::sregex_iterator(); ++it) {
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
  EXPECT_EQ(m[1].str(), "images=5 loaded=5 violations=0 errors=0 figures=5");
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

// A user's taxonomy with a category of its own and no words for it: `sysaxis analyze --taxonomy`
// names it and records its words, and the report draws it in the colour the analysis recorded.
TEST_F(ReportCli, AUserTaxonomyCategoryIsNamedAndColoured) {
  std::string text = slurp(fs::path(SYSAXIS_SOURCE_DIR) / "taxonomy/default.toml");
  const std::string mmap = "\"brk\", \"mmap\", ";
  ASSERT_NE(text.find(mmap), std::string::npos);
  text.replace(text.find(mmap), mmap.size(), "\"brk\", ");
  text += "\n[categories.mapping]\nsyscalls = [\"mmap\"]\n";
  const fs::path taxonomy = dir_ / "mine.toml";
  std::ofstream(taxonomy) << text;
  const fs::path analysis = dir_ / "mine.json";
  Proc a = run({SYSAXIS_BIN, "analyze", "-q", "--bootstrap", "200", "--db", db_, "--taxonomy", taxonomy.string(), "-o",
                analysis.string()});
  ASSERT_EQ(a.exit_code(), 0) << a.err;
  const auto j = nlohmann::json::parse(slurp(analysis));
  ASSERT_TRUE(j.contains("categories"));
  std::string colour;
  for (const auto& c : j["categories"]) {
    if (c["category"] == "mapping") {
      EXPECT_EQ(c["noun"], "mapping calls");
      colour = c["colour"].get<std::string>();
    }
  }
  ASSERT_EQ(colour.size(), 7U);
  EXPECT_NE(colour, "#b0b0b0");
  EXPECT_NE(colour, "#a0a0a0");
  // The built-in taxonomy's words are not repeated in an analysis made with it.
  EXPECT_FALSE(nlohmann::json::parse(slurp(analysis_)).contains("categories"));
  const fs::path out = dir_ / "out";
  Proc p = report(out, {"--analysis", analysis.string(), "--taxonomy", taxonomy.string(), "--no-plots"});
  ASSERT_EQ(p.exit_code(), 0) << p.err;
  std::string scripts;
  for (const char* plot : {"q1_size", "q1_size_time", "q3_execution"})
    scripts += slurp(out / (std::string(plot) + ".gp"));
  EXPECT_NE(scripts.find("lc rgb '" + colour + "'"), std::string::npos);
  EXPECT_NE(scripts.find("title 'mapping'"), std::string::npos);
}

TEST_F(ReportCli, DegradesOnACpuOnlyStudy) {
  sysaxis::test::Series cpu;
  cpu.bytes = {4096, 1 << 20};
  cpu.iters = {1};
  cpu.rows.push_back({"startup", "openat", "", sysaxis::test::constant(12), nullptr});
  sysaxis::test::StudySpec spec;
  spec.series = {cpu};
  sysaxis::test::write_study(db_, spec);
  const fs::path out = dir_ / "out";
  Proc p = report(out, {"--no-plots"});
  ASSERT_EQ(p.exit_code(), 0) << p.err;
  const std::string md = slurp(out / "report.md");
  EXPECT_NE(md.find("The analysis found no constraint"), std::string::npos);
  EXPECT_NE(md.find("Not measured: no runtime series varied iters"), std::string::npos);
  EXPECT_NE(md.find("No real-workload runs in this study."), std::string::npos);
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
  std::ofstream(dir_ / "old.json") << R"({"schema": "sysaxis.analysis/1", "fits": []})";
  expect(report(out, {"--analysis", (dir_ / "old.json").string()}), 5, "sysaxis.analysis/2");
  // An analysis of another study: the runs it counts do not match.
  const std::string other_db = (dir_ / "other.db").string();
  sysaxis::test::Series cpu;
  cpu.bytes = {4096};
  cpu.iters = {1, 2};
  cpu.rows.push_back({"startup", "openat", "", sysaxis::test::constant(12), nullptr});
  sysaxis::test::StudySpec spec;
  spec.series = {cpu};
  sysaxis::test::write_study(other_db, spec);
  const std::string other = (dir_ / "other.json").string();
  ASSERT_EQ(run({SYSAXIS_BIN, "analyze", "-q", "--db", other_db, "-o", other}).exit_code(), 0);
  expect(report(out, {"--analysis", other}), 5, "does not match");
  std::ofstream(dir_ / "a-file") << "x";
  expect(report(dir_ / "a-file", {"--analysis", analysis_, "--no-plots"}), 4, "a-file");
  expect(report(out, {"--analysis", analysis_, "--gnuplot", "/nonexistent/gnuplot"}), 6, "not found");
  expect(report(out, {"--analysis", analysis_, "--findings", (dir_ / "nope.md").string()}), 2, "nope.md");
  EXPECT_EQ(run({SYSAXIS_BIN, "report", "-o", out.string()}).exit_code(), 2);
  // Without --analysis: analysed in-process.
  Proc p = report(dir_ / "inproc", {"--no-plots"});
  EXPECT_EQ(p.exit_code(), 0) << p.err;
  EXPECT_TRUE(fs::exists(dir_ / "inproc" / "report.html"));
}

}  // namespace

// A sweep under ptrace in its own database (specs/perturbation.toml) pairs with the same cells of
// the study measured with eBPF.
TEST_F(ReportCli, PairsEnginesAcrossDatabases) {
  auto engine_study = [](const std::string& engine, double futex_per_iter) {
    sysaxis::test::Series cpu;
    cpu.bytes = {4096, 1 << 20};
    cpu.iters = {1, 10};
    cpu.engine = engine;
    cpu.rows.push_back({"startup", "openat", "", sysaxis::test::constant(12), nullptr});
    cpu.rows.push_back(
        {"work", "futex", "",
         [futex_per_iter](std::int64_t, std::int64_t i) { return futex_per_iter * static_cast<double>(i); }, nullptr});
    sysaxis::test::StudySpec spec;
    spec.host = "lab-" + engine;
    spec.series = {cpu};
    return spec;
  };
  const std::string ebpf_db = (dir_ / "ebpf.db").string();
  const std::string ptrace_db = (dir_ / "ptrace.db").string();
  sysaxis::test::write_study(ebpf_db, engine_study("ebpf", 2));
  sysaxis::test::write_study(ptrace_db, engine_study("ptrace", 4));
  const fs::path out = dir_ / "out";
  Proc p = run({SYSAXIS_BIN, "report", "-q", "--db", ebpf_db, "--db", ptrace_db, "-o", out.string(), "--no-plots"});
  ASSERT_EQ(p.exit_code(), 0) << p.err;
  const std::string md = slurp(out / "report.md");
  const auto from = md.find("## Tracer perturbation");
  ASSERT_NE(from, std::string::npos);
  const std::string section = md.substr(from, md.find("\n## ", from + 1) - from);
  // Four cells, each under both engines; at 1 MiB × 10 ptrace's futex count is twice eBPF's.
  EXPECT_NE(section.find(
                "| cpu @lab-ebpf | cpu | 1 MiB × 10 | 32 (ebpf) / 52 (ptrace) | 1.62 | sync: ebpf 20 and ptrace 40 |"),
            std::string::npos)
      << section;
}
