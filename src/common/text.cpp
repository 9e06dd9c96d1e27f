// Text for files other programs read: valid UTF-8, CSV fields and rows (RFC 4180), base64 and
// file-name slugs. Every untrusted string (command lines, process and device names) that reaches
// a CSV export or a report passes here or through the Markdown renderer (cmark-gfm).
#include "common/text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

namespace sysaxis {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is invalid.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  std::size_t len = 0;
  std::uint32_t cp = 0;
  std::uint32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

}  // namespace

std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t len = utf8_sequence(s, i);
    if (len == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (len == 1) {
      const auto c = static_cast<unsigned char>(s[i]);
      if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) {
        out += kReplacement;
      } else {
        out += s[i];
      }
    } else if (len == 2 && static_cast<unsigned char>(s[i]) == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) {
      out += kReplacement;  // C1 control characters U+0080..U+009F
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::string csv_field(std::string_view s) {
  std::string clean = sanitize_utf8(s);
  const bool quote = clean.find_first_of(",\"\r\n") != std::string::npos ||
                     (!clean.empty() && (clean.front() == ' ' || clean.back() == ' '));
  if (!quote) return clean;
  std::string out = "\"";
  for (char c : clean) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string csv_row(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    out += csv_field(fields[i]);
  }
  out += '\n';
  return out;
}

std::string file_slug(std::string_view s) {
  std::string out;
  bool dash = false;
  for (char c : s) {
    char l = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '_') {
      if (dash && !out.empty()) out += '-';
      dash = false;
      out += l;
    } else {
      dash = true;
    }
  }
  return out.empty() ? "x" : out;
}

std::string base64(std::string_view data) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const std::uint32_t v = (static_cast<unsigned char>(data[i]) << 16) |
                            (static_cast<unsigned char>(data[i + 1]) << 8) | static_cast<unsigned char>(data[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  const std::size_t rest = data.size() - i;
  if (rest == 1) {
    const std::uint32_t v = static_cast<unsigned char>(data[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (rest == 2) {
    const std::uint32_t v =
        (static_cast<unsigned char>(data[i]) << 16) | (static_cast<unsigned char>(data[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

namespace {

// The code points toml++ 3.3's is_non_ascii_horizontal_whitespace sends to __builtin_unreachable.
bool toml_unsafe_code_point(std::uint32_t c) {
  return (c >= 0xA1 && c <= 0x499) || (c >= 0x2C5E && c <= 0x3057 && c != 0x3000) || (c >= 0xFB26 && c <= 0xFEFE);
}

// The first such code point of valid UTF-8 anywhere in `text` (toml++'s error paths read on through
// what looks like a string), with its line.
std::optional<TextProblem> toml_unsafe_anywhere(std::string_view text) {
  int line = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b == '\n') ++line;
    if (b < 0xC0) continue;
    const std::size_t n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
    if (i + n > text.size()) break;
    std::uint32_t c = b & (n == 2 ? 0x1Fu : n == 3 ? 0x0Fu : 0x07u);
    for (std::size_t k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3Fu);
    if (toml_unsafe_code_point(c)) {
      return TextProblem{line, fmt::format("U+{:04X}: the TOML library of this build (toml++ 3.3) mishandles "
                                           "U+00A1..U+0499, U+2C5E..U+3057 and U+FB26..U+FEFE, so sysaxis refuses "
                                           "them in specs and taxonomies (write them as \\u{:04X} in strings)",
                                           c, c)};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<TextProblem> toml_non_ascii_outside_strings(std::string_view text) {
  if (auto p = toml_unsafe_anywhere(text)) return p;
  enum class In { code, comment, basic, literal, multi_basic, multi_literal };
  In in = In::code;
  int line = 1;
  std::size_t i = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;  // a UTF-8 byte order mark is allowed
  auto at = [&](std::string_view s) { return text.substr(i, s.size()) == s; };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      // A comment ends here; a one-line string too (toml++ reports the error there).
      if (in == In::comment || in == In::basic || in == In::literal) in = In::code;
      ++i;
      continue;
    }
    switch (in) {
      case In::code:
        if (c == '#') {
          in = In::comment;
        } else if (at("\"\"\"") || at("'''")) {
          in = c == '"' ? In::multi_basic : In::multi_literal;
          i += 3;
          continue;
        } else if (c == '"') {
          in = In::basic;
        } else if (c == '\'') {
          in = In::literal;
        } else if (static_cast<unsigned char>(c) >= 0x80) {
          return TextProblem{line,
                             fmt::format("a character other than ASCII (byte 0x{:02X}) outside a string or comment",
                                         static_cast<unsigned char>(c))};
        }
        break;
      case In::basic:
      case In::multi_basic:
        if (c == '\\') {
          if (i + 1 < text.size() && text[i + 1] == '\n') ++line;
          i += 2;
          continue;
        }
        if (in == In::basic && c == '"') in = In::code;
        if (in == In::multi_basic && at("\"\"\"")) {
          in = In::code;
          i += 3;
          continue;
        }
        break;
      case In::literal:
        if (c == '\'') in = In::code;
        break;
      case In::multi_literal:
        if (at("'''")) {
          in = In::code;
          i += 3;
          continue;
        }
        break;
      case In::comment: break;
    }
    ++i;
  }
  return std::nullopt;
}

}  // namespace sysaxis
