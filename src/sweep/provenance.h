// Where and with what a study ran: host, CPU, kernel, OS, GPU driver files, time stamps, ids.
#pragma once

#include <cstdint>
#include <string>

#include "store/records.h"

namespace sysaxis::sweep {

// Fills host, cpu, cpus, kernel, os and extra (a JSON object: glibc, memory, GPU driver
// versions from /proc and /sys where present, CPU frequency governor, relevant environment).
void collect_host(store::Session& session);

// UTC time as ISO 8601 with milliseconds: "2025-01-31T12:34:56.789Z".
std::string iso_now();
// A random (version 4) UUID.
std::string new_uuid();

}  // namespace sysaxis::sweep
