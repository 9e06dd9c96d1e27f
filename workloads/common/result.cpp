// The result record (schema "sysaxis.workload/1") and the driver shared by every backend's main().
#include <cstdio>
#include <exception>
#include <new>
#include <nlohmann/json.hpp>
#include <string>

#include "common/atomic_file.h"
#include "workload.h"

namespace sysaxis::wl {

namespace {

nlohmann::ordered_json optional_string(const std::optional<std::string>& s) {
  return s ? nlohmann::ordered_json(*s) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json to_json(const Field& f) {
  return std::visit([](const auto& v) { return nlohmann::ordered_json(v); }, f);
}

}  // namespace

std::string result_json(const BackendSpec& spec, const Options& o, const Context& c, std::string_view status,
                        std::string_view error) {
  nlohmann::ordered_json j;
  j["schema"] = "sysaxis.workload/1";
  j["workload"] = "micro";
  j["backend"] = spec.name;
  j["platform"] = c.platform;
  j["device"] = c.device;
  j["runtime_version"] = optional_string(c.runtime_version);
  j["driver_version"] = optional_string(c.driver_version);
  j["exec"] = to_string(o.exec);
  j["bytes"] = o.bytes;
  j["iters"] = o.iters;
  j["alloc_op"] = to_string(o.alloc_op);
  j["sync"] = to_string(o.sync);
  j["threads"] = o.threads;
  j["warmup"] = o.warmup;
  nlohmann::ordered_json phases = nlohmann::ordered_json::object();
  for (Phase p : {Phase::init, Phase::work, Phase::teardown}) phases[std::string(phase_name(p))] = nullptr;
  for (const auto& [phase, ns] : c.phase_durations()) phases[std::string(phase_name(phase))] = ns;
  j["phases_ns"] = phases;
  j["verified"] = c.verified() && status == "ok";
  j["status"] = status;
  j["error"] = error.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(error);
  for (const auto& [key, value] : c.extra())
    if (!j.contains(key)) j[key] = to_json(value);
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

int run(int argc, const char* const* argv, const BackendSpec& spec, const Body& body) {
  const std::string prog = "sysaxis-wl-" + spec.name;
  Options options;
  try {
    options = parse_args(argc, argv, spec);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "%s: %s (see --help)\n", prog.c_str(), e.what());
    return kExitUsage;
  }
  if (options.help) {
    std::fputs(help_text(spec).c_str(), stdout);
    return kExitOk;
  }

  Context context(options);
  int code = kExitOk;
  std::string error;
  try {
    body(options, context);
    if (!context.verified())
      throw std::logic_error("the " + std::string(to_string(options.exec)) + " run ended without its check");
  } catch (const Failure& e) {
    code = e.code();
    error = e.what();
  } catch (const std::bad_alloc&) {
    code = kExitNoMemory;
    error = "out of host memory";
  } catch (const std::exception& e) {
    code = kExitRuntime;
    error = e.what();
  }
  context.stop_clock();
  const std::string_view status = code == kExitOk ? "ok" : code == kExitVerify ? "verify_failed" : "error";
  if (code != kExitOk) std::fprintf(stderr, "%s: %s\n", prog.c_str(), error.c_str());

  std::string json;
  try {
    json = result_json(spec, options, context, status, error);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: cannot format the result: %s\n", prog.c_str(), e.what());
    return code != kExitOk ? code : kExitRuntime;
  }
  json += '\n';
  if (options.json_path.empty()) {
    if (std::fputs(json.c_str(), stdout) < 0 || std::fflush(stdout) != 0) {
      std::fprintf(stderr, "%s: cannot write the result to stdout\n", prog.c_str());
      return code != kExitOk ? code : kExitRuntime;
    }
  } else {
    try {
      write_file_atomic(options.json_path, json);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s: %s\n", prog.c_str(), e.what());
      return code != kExitOk ? code : kExitRuntime;
    }
  }
  return code;
}

}  // namespace sysaxis::wl
