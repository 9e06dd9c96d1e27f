#include "report/escape.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace sysaxis::report {

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

std::string html_escape(std::string_view s) {
  const std::string clean = sanitize_utf8(s);
  std::string out;
  out.reserve(clean.size() + clean.size() / 8);
  for (char c : clean) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string md_escape(std::string_view s) {
  std::string clean = sanitize_utf8(s);
  std::replace(clean.begin(), clean.end(), '\n', ' ');
  std::replace(clean.begin(), clean.end(), '\t', ' ');
  std::string out;
  out.reserve(clean.size() + clean.size() / 8);
  // A block marker at the start: heading, list item, setext underline.
  std::size_t start = 0;
  // A block marker is followed by a space or the end: "- x", "+ x", "## x", "===" (not "-0.5", "#1").
  auto marker_at_start = [&clean]() {
    if (clean.empty()) return false;
    const char c = clean[0];
    if (c != '#' && c != '+' && c != '-' && c != '=') return false;
    std::size_t run = 1;
    while (run < clean.size() && clean[run] == c) ++run;
    if (c == '+' && run > 1) return false;
    return run == clean.size() || clean[run] == ' ';
  };
  if (marker_at_start()) {
    out += '\\';
  } else {
    std::size_t d = 0;
    while (d < clean.size() && clean[d] >= '0' && clean[d] <= '9') ++d;
    // An ordered-list marker is digits, '.' or ')', then a space or the end ("1. x", not "37.0").
    if (d > 0 && d < clean.size() && (clean[d] == '.' || clean[d] == ')') &&
        (d + 1 == clean.size() || clean[d + 1] == ' ')) {
      out.append(clean, 0, d);
      out += '\\';
      out += clean[d];
      start = d + 1;
    }
  }
  static constexpr std::string_view kSpecial = "\\`*_[]<>|~&$";
  for (std::size_t i = start; i < clean.size(); ++i) {
    const char c = clean[i];
    if (kSpecial.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

namespace {

std::size_t longest_backtick_run(std::string_view s) {
  std::size_t best = 0;
  std::size_t run = 0;
  for (char c : s) {
    run = c == '`' ? run + 1 : 0;
    best = std::max(best, run);
  }
  return best;
}

}  // namespace

std::string md_code(std::string_view s, bool in_table) {
  std::string clean = sanitize_utf8(s);
  std::replace(clean.begin(), clean.end(), '\n', ' ');
  std::replace(clean.begin(), clean.end(), '\t', ' ');
  // GFM splits table cells at '|' even inside code spans unless escaped; "\|" inside a code span
  // in a table renders as '|'.
  std::string body;
  for (char c : clean) {
    if (in_table && c == '|') body += '\\';
    body += c;
  }
  const std::string fence(longest_backtick_run(clean) + 1, '`');
  if (body.empty()) return fence + " " + fence;
  const bool pad = body.front() == '`' || body.back() == '`' || body.front() == ' ';
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

std::string md_fence(std::string_view s) {
  std::size_t longest = 0;
  std::size_t pos = 0;
  while (pos <= s.size()) {
    std::size_t end = s.find('\n', pos);
    if (end == std::string_view::npos) end = s.size();
    std::string_view line = s.substr(pos, end - pos);
    std::size_t lead = line.find_first_not_of(' ');
    if (lead < 4) {  // npos is not
      std::size_t run = 0;
      while (lead + run < line.size() && line[lead + run] == '`') ++run;
      longest = std::max(longest, run);
    }
    pos = end + 1;
  }
  return std::string(std::max<std::size_t>(3, longest + 1), '`');
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

std::string github_anchor(std::string_view heading) {
  std::string out;
  for (char c : heading) {
    const auto u = static_cast<unsigned char>(c);
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || u >= 0x80) {
      out += c;
    } else if (c == ' ') {
      out += '-';
    }
  }
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

}  // namespace sysaxis::report
