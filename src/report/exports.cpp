// Tidy CSV exports: one observation per row, one variable per column, a header line; loadable
// with pandas.read_csv / readr::read_csv as they are.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "report/escape.h"
#include "report/report.h"

namespace sysaxis::report {

using nlohmann::json;

namespace {

std::string i64(std::int64_t v) {
  return fmt::format("{}", v);
}
std::string db_path(const Context& ctx, std::size_t db) {
  return db < ctx.study.dbs.size() ? ctx.study.dbs[db].path : std::string();
}

const std::vector<std::string> kRunColumns = {"db",      "run_id", "workload", "study", "backend",  "platform",
                                              "device",  "exec",   "bytes",    "iters", "alloc_op", "sync",
                                              "threads", "rep",    "engine",   "status"};

std::vector<std::string> run_fields(const RunRow* r, std::size_t db, std::int64_t run_id) {
  if (!r) {
    std::vector<std::string> f(kRunColumns.size());
    f[0] = fmt::format("{}", db);
    f[1] = i64(run_id);
    return f;
  }
  return {fmt::format("{}", r->db),
          i64(r->run_id),
          r->workload,
          r->study,
          r->backend,
          r->platform,
          r->device,
          r->exec,
          i64(r->bytes),
          i64(r->iters),
          r->alloc_op,
          r->sync,
          i64(r->threads),
          i64(r->rep),
          r->engine,
          r->status};
}

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// One CSV of JSON objects: the given columns, dotted names reaching into nested objects.
std::string json_csv(const json& rows, const std::vector<std::string>& columns) {
  std::string out = csv_row(columns);
  for (const auto& row : rows) {
    std::vector<std::string> fields;
    for (const auto& c : columns) {
      const json* v = &row;
      std::size_t start = 0;
      while (v && start <= c.size()) {
        const std::size_t dot = c.find('.', start);
        const std::string key = c.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        const json& next = jfield(*v, key.c_str());
        v = next.is_null() ? nullptr : &next;
        if (dot == std::string::npos) break;
        start = dot + 1;
      }
      if (!v) {
        fields.emplace_back();
      } else if (v->is_array()) {
        std::vector<std::string> parts;
        for (const auto& x : *v) parts.push_back(jtext(x));
        fields.push_back(fmt::format("{}", fmt::join(parts, ";")));
      } else {
        fields.push_back(jtext(*v));
      }
    }
    out += csv_row(fields);
  }
  return out;
}

}  // namespace

std::string runs_csv(const Context& ctx) {
  std::string out = csv_row(with(kRunColumns, {"wall_ns", "db_path"}));
  for (const auto& r : ctx.study.runs) {
    out += csv_row(with(run_fields(&r, r.db, r.run_id), {r.wall_ns ? i64(*r.wall_ns) : "", db_path(ctx, r.db)}));
  }
  return out;
}

std::string counts_csv(const Context& ctx) {
  std::string out = csv_row(with(kRunColumns, {"phase", "category", "device", "calls", "errors", "time_ns"}));
  for (const auto& c : ctx.study.counts) {
    out += csv_row(with(run_fields(ctx.study.find_run({c.db, c.run_id}), c.db, c.run_id),
                        {c.phase, c.category, c.device, i64(c.calls), i64(c.errors), i64(c.time_ns)}));
  }
  return out;
}

std::string faults_csv(const Context& ctx) {
  std::string out = csv_row(with(kRunColumns, {"phase", "minor", "major", "vol_cs", "invol_cs"}));
  for (const auto& f : ctx.study.faults) {
    out += csv_row(with(run_fields(ctx.study.find_run({f.db, f.run_id}), f.db, f.run_id),
                        {f.phase, i64(f.minor), i64(f.major), i64(f.vol_cs), i64(f.invol_cs)}));
  }
  return out;
}

std::string provenance_csv(const Context& ctx) {
  std::string out = csv_row({"db", "db_path", "key", "value"});
  for (std::size_t i = 0; i < ctx.study.dbs.size(); ++i) {
    for (const auto& [k, v] : ctx.study.dbs[i].provenance)
      out += csv_row({fmt::format("{}", i), db_path(ctx, i), k, v});
  }
  return out;
}

std::string fits_csv(const json& analysis) {
  // The fixed axis is an object {"iters": 100}: flattened into fixed_axis and fixed_value.
  json rows = json::array();
  for (const auto& f : jarray(analysis, "fits")) {
    if (!f.is_object()) continue;
    json row = f;
    const json& fixed = jfield(f, "fixed");
    if (fixed.is_object() && !fixed.empty()) {
      row["fixed_axis"] = fixed.begin().key();
      row["fixed_value"] = fixed.begin().value();
    }
    row["n_levels"] = jarray(f, "levels").size();
    row["n_runs"] = jarray(f, "run_ids").size();
    rows.push_back(std::move(row));
  }
  return json_csv(
      rows, {"id",        "question",   "workload",    "db",      "runtime",  "backend", "platform", "device",
             "exec",      "alloc_op",   "sync",        "threads", "engine",   "phase",   "category", "axis",
             "x_unit",    "fixed_axis", "fixed_value", "class",   "reason",   "c0",      "c0_lo",    "c0_hi",
             "c1",        "c1_lo",      "c1_hi",       "depends", "wide",     "r2",      "lof_p",    "loglog_slope",
             "loglog_lo", "loglog_hi",  "x_min",       "x_max",   "n_levels", "n_runs"});
}

std::string claims_csv(const json& analysis) {
  json rows = json::array();
  for (const auto& c : jarray(analysis, "claims")) {
    if (!c.is_object()) continue;
    json row = c;
    std::vector<std::string> fits;
    for (const auto& e : jarray(c, "evidence")) {
      const std::string id = jstr(e, "fit").empty() ? jstr(e, "q3") : jstr(e, "fit");
      if (!id.empty()) fits.push_back(id);
    }
    row["evidence_ids"] = fmt::format("{}", fmt::join(fits, ";"));
    row["n_runs"] = jarray(c, "run_ids").size();
    rows.push_back(std::move(row));
  }
  return json_csv(rows, {"id",
                         "question",
                         "kind",
                         "db",
                         "runtime",
                         "backend",
                         "platform",
                         "device",
                         "exec",
                         "alloc_op",
                         "sync",
                         "threads",
                         "engine",
                         "phase",
                         "category",
                         "firm",
                         "annotation",
                         "annotation_reason",
                         "resnet.verdict",
                         "resnet.reason",
                         "text",
                         "evidence_ids",
                         "n_runs",
                         "run_ids"});
}

std::string q3_csv(const json& analysis) {
  json rows = json::array();
  for (const auto& q : jarray(analysis, "q3")) {
    for (const auto& c : jarray(q, "categories")) {
      if (!c.is_object()) continue;
      json row = c;
      for (const char* k : {"id", "db", "runtime", "backend", "platform", "device", "exec", "alloc_op", "sync",
                            "threads", "engine", "bytes", "iters", "phase"}) {
        row[std::string("cell_") + k] = jfield(q, k);
      }
      row["baseline_exec"] = jfield(jfield(q, "baseline"), "exec");
      rows.push_back(std::move(row));
    }
  }
  return json_csv(
      rows, {"cell_id",        "cell_db",        "cell_runtime",  "cell_backend",  "cell_platform", "cell_device",
             "cell_exec",      "cell_alloc_op",  "cell_sync",     "cell_threads",  "cell_engine",   "cell_bytes",
             "cell_iters",     "cell_phase",     "baseline_exec", "category",      "gpu_mean",      "gpu_mean_lo",
             "gpu_mean_hi",    "cpu_mean",       "cpu_mean_lo",   "cpu_mean_hi",   "gpu_only",      "calls_share",
             "calls_share_lo", "calls_share_hi", "time_share",    "time_share_lo", "time_share_hi", "cpu_calls_share",
             "cpu_time_share", "rank_calls",     "rank_time"});
}

std::string vendor_csv(const json& analysis) {
  json rows = json::array();
  for (const auto& g : jarray(analysis, "vendor")) {
    for (const auto& e : jarray(g, "entries")) {
      if (!e.is_object()) continue;
      json row = e;
      for (const char* k : {"key", "kind", "exec", "phase", "category", "annotation", "reason"}) {
        row[std::string("group_") + k] = jfield(g, k);
      }
      rows.push_back(std::move(row));
    }
  }
  return json_csv(rows, {"group_key", "group_kind", "group_exec", "group_phase", "group_category", "group_annotation",
                         "group_reason", "db", "runtime", "identity", "engine", "class", "firm", "claim"});
}

std::string resnet_profile_csv(const Context& ctx) {
  // (db, exec, batch, iters, engine, phase, category) -> values over runs.
  using Key = std::tuple<std::size_t, std::string, std::int64_t, std::int64_t, std::string>;
  std::map<Key, std::vector<RunKey>> configs;
  for (const auto& r : ctx.study.runs) {
    if (r.status == "ok" && r.workload == "resnet") {
      configs[{r.db, r.exec, r.bytes, r.iters, r.engine}].emplace_back(r.db, r.run_id);
    }
  }
  std::string out = csv_row({"db", "exec", "batch", "iters", "engine", "phase", "category", "n", "mean", "min", "max"});
  for (const auto& [key, runs] : configs) {
    std::map<std::string, std::set<std::string>> cats;  // phase -> categories
    for (const auto& run : runs) {
      auto it = ctx.study.by_run.find(run);
      if (it == ctx.study.by_run.end()) continue;
      for (const auto& [phase, m] : it->second) {
        for (const auto& [cat, v] : m) cats[phase].insert(cat);
      }
    }
    for (const auto& [phase, set] : cats) {
      std::vector<std::string> ordered(set.begin(), set.end());
      std::sort(ordered.begin(), ordered.end(), category_less);
      for (const auto& cat : ordered) {
        std::vector<double> values;
        for (const auto& run : runs) values.push_back(ctx.study.in_phase(run, phase, cat));
        const Level l = summarize(0, values);
        out += csv_row({fmt::format("{}", std::get<0>(key)), std::get<1>(key), i64(std::get<2>(key)),
                        i64(std::get<3>(key)), std::get<4>(key), phase, cat, fmt::format("{}", l.n),
                        fmt::format("{}", l.mean), fmt::format("{}", l.min), fmt::format("{}", l.max)});
      }
    }
  }
  return out;
}

}  // namespace sysaxis::report
