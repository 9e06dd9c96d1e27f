// Text for files other programs read: valid UTF-8, CSV (RFC 4180), base64, file-name slugs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sysaxis {

// Replaces invalid UTF-8 sequences with U+FFFD and control characters other than tab and
// newline with U+FFFD, so that every output is valid UTF-8 text.
std::string sanitize_utf8(std::string_view s);

// One CSV field (RFC 4180): quoted when it contains a comma, quote, CR, LF or leading/trailing
// space; quotes doubled; invalid UTF-8 replaced.
std::string csv_field(std::string_view s);
// One CSV line, fields joined with commas, ending in "\n".
std::string csv_row(const std::vector<std::string>& fields);

// A file-name-safe slug: [a-z0-9_-], other runs of characters become one '-'.
std::string file_slug(std::string_view s);

// Checked before toml++ parses a spec or taxonomy: toml++ 3.3's whitespace test reaches
// __builtin_unreachable on U+00A1..U+0499, U+2C5E..U+3057 and U+FB26..U+FEFE (found by fuzzing),
// also from its error paths inside what looks like a string. The first such code point anywhere,
// else the first character other than ASCII outside a string or comment (where TOML allows none):
// its line (1-based) and a description; nullopt when there is none.
struct TextProblem {
  int line = 0;
  std::string what;
};
std::optional<TextProblem> toml_non_ascii_outside_strings(std::string_view text);

// Standard base64 (RFC 4648, with padding).
std::string base64(std::string_view data);

}  // namespace sysaxis
