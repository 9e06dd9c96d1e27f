// SHA-256 (FIPS 180-4), for spec and taxonomy identities. Not for secrets.
#pragma once

#include <string>
#include <string_view>

namespace sysaxis::store {

// Lower-case hex digest of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace sysaxis::store
