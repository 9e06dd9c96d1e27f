// Tidy CSV exports: one observation per row, one variable per column, a header line; loadable with
// pandas.read_csv / readr::read_csv as they are. They format the dataset and the typed analysis.
#include <fmt/format.h>

#include <cmath>

#include "analysis/text.h"
#include "common/text.h"
#include "report/report.h"

namespace sysaxis::report {

using analysis::Analysis;
using analysis::Dataset;

namespace {

std::string n(double v) {
  if (!std::isfinite(v)) return {};
  if (v == std::floor(v) && std::abs(v) < 9e15) return fmt::format("{}", static_cast<std::int64_t>(v));
  return fmt::format("{:.6g}", v);
}
std::string n(const std::optional<double>& v) {
  return v ? n(*v) : std::string();
}
std::string b(bool v) {
  return v ? "true" : "false";
}
std::string options_text(const analysis::RunOptions& o) {
  std::vector<std::string> parts;
  parts.reserve(o.size());
  for (const auto& [k, v] : o) parts.push_back(fmt::format("{}={}", k, v));
  return fmt::format("{}", fmt::join(parts, ";"));
}
std::vector<std::string> series_fields(const Analysis& a, const analysis::SeriesKey& s) {
  return {fmt::format("{}", s.db),
          s.workload,
          a.label(s),
          s.backend,
          s.platform,
          s.device,
          s.exec,
          options_text(s.options),
          s.engine,
          analysis::executor_of(s).vendor};
}
const std::vector<std::string> kSeriesColumns = {"db",     "workload", "runtime", "backend", "platform",
                                                 "device", "exec",     "options", "engine",  "executor"};
std::vector<std::string> cat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

std::string runs_csv(const Dataset& data) {
  std::string out = csv_row({"db", "run_id", "workload", "study", "backend", "platform", "device", "exec", "options",
                             "bytes", "iters", "rep", "engine", "wall_ns", "cpu_user_ns", "cpu_sys_ns"});
  for (const auto& r : data.runs) {
    out +=
        csv_row({fmt::format("{}", r.db), fmt::format("{}", r.run_id), r.workload, r.study, r.backend, r.platform,
                 r.device, r.exec, options_text(r.options), fmt::format("{}", r.bytes), fmt::format("{}", r.iters),
                 fmt::format("{}", r.rep), r.engine, fmt::format("{}", r.wall_ns), n(r.cpu_user_ns), n(r.cpu_sys_ns)});
  }
  return out;
}

std::string counts_csv(const Dataset& data) {
  std::string out = csv_row({"db", "run_id", "scope", "category", "calls", "errors", "time_ns"});
  for (const auto& r : data.runs) {
    for (const auto& [scope, tallies] : r.scopes) {
      for (const auto& [category, t] : tallies) {
        out += csv_row({fmt::format("{}", r.db), fmt::format("{}", r.run_id), scope, category, n(t.calls), n(t.errors),
                        n(t.time_ns)});
      }
    }
  }
  return out;
}

std::string provenance_csv(const Dataset& data) {
  std::string out = csv_row({"db", "path", "key", "value"});
  for (std::size_t i = 0; i < data.inputs.size(); ++i) {
    for (const auto& [k, v] : data.inputs[i].provenance)
      out += csv_row({fmt::format("{}", i), data.inputs[i].path, k, v});
  }
  return out;
}

std::string constraints_csv(const Analysis& a) {
  std::string out = csv_row({"constraint", "axis", "title", "row", "text", "category", "metric", "class", "value", "lo",
                             "hi", "unit", "source"});
  for (const auto& c : a.constraints) {
    out += csv_row({c.id, c.axis, c.title, "statement", c.text, "", "", "", "", "", "", "", ""});
    for (const auto& h : c.holds_on)
      out += csv_row({c.id, c.axis, c.title, "holds_on", h, "", "", "", "", "", "", "", ""});
    for (const auto& e : c.fails_on) {
      out +=
          csv_row({c.id, c.axis, c.title, "fails_on", e.text, e.category, e.metric, e.cls, "", "", "", "", e.source});
    }
    for (const auto& x : c.beside) out += csv_row({c.id, c.axis, c.title, "beside", x, "", "", "", "", "", "", "", ""});
    for (const auto& k : c.numbers) {
      out += csv_row(
          {c.id, c.axis, c.title, "number", k.label, "", "", k.id, n(k.value), n(k.lo), n(k.hi), k.unit, k.source});
    }
  }
  return out;
}

std::string fits_csv(const Analysis& a) {
  std::string out =
      csv_row(cat({"id", "question"},
                  cat(kSeriesColumns,
                      {"phase",    "category",   "metric",     "axis",   "x_unit",  "fixed_axis", "fixed",  "class",
                       "c0",       "c1",         "c1_lo",      "c1_hi",  "p_value", "q_value",    "effect", "effect_hi",
                       "material", "step_below", "step_above", "levels", "wide",    "reason"})));
  for (const auto& f : a.fits) {
    const auto& r = f.result;
    out += csv_row(cat({f.id, f.question}, cat(series_fields(a, f.series), {f.scope,
                                                                            f.category,
                                                                            f.metric,
                                                                            f.axis,
                                                                            f.x_unit,
                                                                            f.fixed_axis,
                                                                            fmt::format("{}", f.fixed_value),
                                                                            std::string(analysis::shape_name(r.shape)),
                                                                            n(r.c0),
                                                                            r.fitted ? n(r.c1) : "",
                                                                            r.c1_ci ? n(r.c1_ci->lo) : "",
                                                                            r.c1_ci ? n(r.c1_ci->hi) : "",
                                                                            n(r.p),
                                                                            n(r.q),
                                                                            n(r.effect),
                                                                            n(r.effect_hi),
                                                                            n(r.material),
                                                                            r.step.ok ? n(r.step.x_below) : "",
                                                                            r.step.ok ? n(r.step.x_above) : "",
                                                                            fmt::format("{}", r.levels),
                                                                            b(r.wide),
                                                                            r.reason})));
  }
  return out;
}

std::string claims_csv(const Analysis& a) {
  std::string out = csv_row(
      cat({"id", "kind", "question"}, cat(kSeriesColumns, {"phase", "category", "verdicts", "firm", "annotation", "api",
                                                           "annotation_reason", "fits", "q3", "text"})));
  for (const auto& c : a.claims) {
    std::vector<std::string> v;
    for (const auto& d : c.verdicts) v.push_back(fmt::format("{}/{}={}", d.question, d.metric, d.cls));
    out += csv_row(cat({c.id, c.kind, c.question},
                       cat(series_fields(a, c.series),
                           {c.scope, c.category, fmt::format("{}", fmt::join(v, ";")), b(c.firm), c.annotation.label,
                            c.annotation.api, c.annotation.reason, fmt::format("{}", fmt::join(c.fit_ids, ";")),
                            fmt::format("{}", fmt::join(c.q3_ids, ";")), c.text})));
  }
  return out;
}

std::string q3_csv(const Analysis& a) {
  std::string out = csv_row(
      cat({"id"}, cat(kSeriesColumns, {"bytes", "iters", "phase", "category", "metric", "gpu_mean", "gpu_lo", "gpu_hi",
                                       "cpu_mean", "cpu_lo", "cpu_hi", "gpu_only", "share", "cpu_share", "rank"})));
  for (const auto& q : a.q3) {
    for (const auto& c : q.categories) {
      out += csv_row(cat(
          {q.id},
          cat(series_fields(a, q.series),
              {fmt::format("{}", q.bytes), fmt::format("{}", q.iters), q.scope, c.category, c.metric, n(c.gpu.value),
               n(c.gpu.ci.lo), n(c.gpu.ci.hi), c.cpu ? n(c.cpu->value) : "", c.cpu ? n(c.cpu->ci.lo) : "",
               c.cpu ? n(c.cpu->ci.hi) : "", c.gpu_only ? b(*c.gpu_only) : "", c.share ? n(c.share->value) : "",
               c.cpu_share ? n(c.cpu_share->value) : "", c.rank ? fmt::format("{}", c.rank) : ""})));
    }
  }
  return out;
}

std::string vendor_csv(const Analysis& a) {
  std::string out = csv_row({"key", "kind", "exec", "phase", "category", "annotation", "api", "reason", "db", "runtime",
                             "vendor", "entry_api", "engine", "class", "firm", "claim"});
  for (const auto& g : a.vendor) {
    for (const auto& e : g.entries) {
      out += csv_row({g.key, g.kind, g.exec, g.scope, g.category, g.annotation.label, g.annotation.api,
                      g.annotation.reason, fmt::format("{}", e.db), e.runtime, e.vendor, e.api, e.engine, e.cls,
                      b(e.firm), e.claim_id});
    }
  }
  return out;
}

std::string profiles_csv(const Analysis& a) {
  std::string out = csv_row(cat(kSeriesColumns, {"bytes", "iters", "phase", "category", "calls", "calls_lo", "calls_hi",
                                                 "time_ns", "time_lo", "time_hi", "calls_share", "time_share"}));
  for (const auto& p : a.profiles) {
    for (const auto& c : p.categories) {
      out +=
          csv_row(cat(series_fields(a, p.series),
                      {fmt::format("{}", p.bytes), fmt::format("{}", p.iters), p.phase, c.category, n(c.calls.value),
                       n(c.calls.ci.lo), n(c.calls.ci.hi), n(c.time_ns.value), n(c.time_ns.ci.lo), n(c.time_ns.ci.hi),
                       c.calls_share ? n(c.calls_share->value) : "", c.time_share ? n(c.time_share->value) : ""}));
    }
  }
  return out;
}

std::string checks_csv(const Analysis& a) {
  std::string out = csv_row({"workload", "runtime", "constraint", "verdict", "reason", "fits"});
  for (const auto& c : a.checks) {
    out += csv_row(
        {c.workload, c.runtime, c.constraint, c.verdict, c.reason, fmt::format("{}", fmt::join(c.fit_ids, ";"))});
  }
  return out;
}

}  // namespace sysaxis::report
