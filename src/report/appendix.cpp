// Claims, provenance and the list of files.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "report/escape.h"
#include "report/palette.h"
#include "report/sections.h"

namespace sysaxis::report::detail {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Claims and provenance.

void claims_section(Document& doc, const Context& ctx) {
  doc.heading(2, "Claims");
  const json& claims = jarray(ctx.analysis, "claims");
  if (claims.empty()) {
    doc.paragraph("The analysis states no claims.");
    return;
  }
  doc.paragraph(Inline{text("Generated mechanically by the analysis from the classes, each with its evidence (fits, "
                            "intervals and run ids in "),
                       link("claims.csv", "claims.csv"), text(" and "), link("analysis.json", "analysis.json"),
                       text(").")});
  for (const auto& q : question_table()) {
    Table t;
    t.header = {"Claim", "Firm", "Annotation", "ResNet"};
    for (const auto& c : claims) {
      if (jstr(c, "question") != q.id) continue;
      t.rows.push_back({{text(jstr(c, "text"))},
                        {text(firm_text(c))},
                        {text(jstr(c, "annotation", "–"))},
                        {text(jstr(jfield(c, "resnet"), "verdict", "–"))}});
    }
    if (t.rows.empty()) continue;
    doc.heading(3, fmt::format("{} claims", q.name));
    doc.table(std::move(t));
  }
}

std::string relative_to(const std::filesystem::path& out_dir, const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path abs = fs::absolute(path, ec).lexically_normal();
  const fs::path out = fs::absolute(out_dir, ec).lexically_normal();
  fs::path rel = abs.lexically_relative(out);
  return rel.empty() ? path : rel.string();
}

std::string shell_quote(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@") ==
                        std::string::npos) {
    return s;
  }
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

void provenance_section(Document& doc, const Context& ctx, const Options& options) {
  doc.heading(2, "Provenance");
  for (std::size_t i = 0; i < ctx.study.dbs.size(); ++i) {
    const StudyDb& db = ctx.study.dbs[i];
    doc.heading(3, fmt::format("Database {}: {}", i, ctx.db_labels.at(i)));
    std::map<std::string, std::size_t> status;
    std::map<std::string, std::size_t> workloads;
    std::set<std::string> engines;
    for (const auto& r : ctx.study.runs) {
      if (r.db != i) continue;
      ++status[r.status];
      ++workloads[r.workload];
      engines.insert(r.engine);
    }
    std::vector<std::string> s;
    s.reserve(status.size());
    for (const auto& [k, n] : status) s.push_back(fmt::format("{} {}", n, k));
    std::vector<std::string> w;
    w.reserve(workloads.size());
    for (const auto& [k, n] : workloads) w.push_back(fmt::format("{} {}", n, k));
    doc.paragraph(
        Inline{text("File "), code(relative_to(options.out_dir, db.path)),
               text(fmt::format(" (relative to this report): runs by status: {}; by workload: {}; engines: {}.",
                                s.empty() ? "none" : join_words(s), w.empty() ? "none" : join_words(w),
                                engines.empty() ? "none" : join_words({engines.begin(), engines.end()})))});
    Table t;
    t.header = {"Key", "Value"};
    for (const auto& [k, v] : db.provenance) t.rows.push_back({{code(k)}, {text(v)}});
    if (!t.rows.empty()) doc.table(std::move(t));
    std::vector<std::string> commands;
    for (const auto& [k, v] : db.provenance) {
      if (k == "command" || k.starts_with("command.")) commands.push_back(v);
    }
    if (!commands.empty()) {
      doc.paragraph("Commands recorded in the database:");
      doc.code_block(fmt::format("{}", fmt::join(commands, "\n")));
    }
  }
  doc.heading(3, "Tools");
  const json& gen = jfield(ctx.analysis, "generator");
  const json& method = jfield(ctx.analysis, "method");
  std::vector<Inline> items;
  items.push_back(
      {text(fmt::format("Report: sysaxis report {} (revision {}).", options.tool_version, options.tool_revision))});
  items.push_back(
      {text(fmt::format("Analysis: schema {}, {} {} (revision {}){}.", jstr(ctx.analysis, "schema", "?"),
                        jstr(gen, "tool", "sysaxis analyze"), jstr(gen, "version", "?"), jstr(gen, "revision", "?"),
                        options.analysis_path.empty() ? ", run in-process by sysaxis report" : ""))});
  if (method.is_object()) {
    items.push_back({text(fmt::format("Method: {}; bootstrap {} replicates, confidence {}, seed {} (docs/analysis.md).",
                                      jstr(method, "fit", "affine fit"), jstr(method, "bootstrap", "?"),
                                      jstr(method, "confidence", "?"), jstr(method, "seed", "?")))});
  }
  doc.bullets(std::move(items));
  std::vector<Inline> notes;
  for (const auto& n : jarray(ctx.analysis, "notes")) notes.push_back({text(jtext(n))});
  for (const auto& db : ctx.study.dbs) {
    for (const auto& n : db.notes) notes.push_back({text(fmt::format("{}: {}", db.path, n))});
  }
  if (!notes.empty()) {
    doc.paragraph("Notes:");
    doc.bullets(std::move(notes));
  }

  doc.heading(3, "Regenerate");
  std::string dbs;
  for (const auto& d : options.dbs) dbs += " --db " + shell_quote(relative_to(options.out_dir, d));
  std::string cmd = "# in the folder of this report\n";
  if (options.analysis_path.empty()) {
    cmd += fmt::format("sysaxis report{} -o .", dbs);
  } else {
    cmd += fmt::format("sysaxis analyze{} -o analysis.json\nsysaxis report{} -o . --analysis analysis.json", dbs, dbs);
  }
  if (!options.findings_path.empty())
    cmd += " --findings " + shell_quote(relative_to(options.out_dir, options.findings_path));
  if (!options.plots) cmd += " --no-plots";
  cmd += "\n# one plot alone, from its data (q1_size, q2_repetition, q3_execution):\ngnuplot q1_size.gp";
  doc.code_block(cmd);
}

void files_section(Document& doc, const std::vector<TextFile>& files, const std::vector<Plot>& plots,
                   bool with_images) {
  doc.heading(2, "Files");
  static const std::map<std::string, std::string> kDescriptions = {
      {"analysis.json", "the analysis this report shows (schema sysaxis.analysis/1)"},
      {"runs.csv", "one row per run (every status)"},
      {"counts.csv", "calls, errors and time per run, phase, category and driver device"},
      {"faults.csv", "page faults and context switches per run and phase"},
      {"fits.csv", "every fit: class, c0, c1 with intervals, per question, runtime, phase and category"},
      {"claims.csv", "every claim with its annotation, ResNet verdict and evidence ids"},
      {"q3.csv", "Q3 comparison per GPU series, cell and category: means, GPU-only, shares"},
      {"vendor.csv", "the vendor comparison, one row per claim group and runtime"},
      {"provenance.csv", "the provenance view of each database"},
      {"resnet_profile.csv", "ResNet calls per configuration, phase and category"},
  };
  std::vector<Inline> items;
  for (const auto& f : files) {
    auto it = kDescriptions.find(f.name);
    if (it != kDescriptions.end()) items.push_back({link(f.name, f.name), text(": " + it->second)});
  }
  for (const auto& p : plots) {
    Inline item;
    if (with_images) {
      item.push_back(link(p.name + ".svg", p.name + ".svg"));
      item.push_back(text(" from "));
    }
    item.push_back(link(p.name + ".dat", p.name + ".dat"));
    item.push_back(text(" by "));
    item.push_back(link(p.name + ".gp", p.name + ".gp"));
    item.push_back(text(" (tidy: "));
    item.push_back(link(p.name + ".csv", p.name + ".csv"));
    item.push_back(text(")"));
    items.push_back(std::move(item));
  }
  doc.bullets(std::move(items));
}

std::string default_title(const Study& study) {
  std::set<std::string> names;
  for (const auto& r : study.runs) {
    if (!r.study.empty()) names.insert(r.study);
  }
  if (names.empty()) {
    for (const auto& db : study.dbs) names.insert(std::filesystem::path(db.path).stem().string());
  }
  return fmt::format("sysaxis study report: {}", join_words({names.begin(), names.end()}));
}

}  // namespace sysaxis::report::detail
