#include "report/document.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "report/escape.h"

namespace sysaxis::report {

Span text(std::string s) {
  return {Span::Kind::text, std::move(s), {}};
}
Span code(std::string s) {
  return {Span::Kind::code, std::move(s), {}};
}
Span strong(std::string s) {
  return {Span::Kind::strong, std::move(s), {}};
}
Span emph(std::string s) {
  return {Span::Kind::emph, std::move(s), {}};
}
Span link(std::string s, std::string href) {
  return {Span::Kind::link, std::move(s), std::move(href)};
}

std::string plain(const Inline& in) {
  std::string out;
  for (const auto& s : in) out += s.text;
  return out;
}

void Document::heading(int level, std::string title_text) {
  Block b;
  b.kind = Block::Kind::heading;
  b.level = level;
  b.id = github_anchor(title_text);
  b.content = {text(std::move(title_text))};
  blocks.push_back(std::move(b));
}
void Document::paragraph(Inline content) {
  Block b;
  b.kind = Block::Kind::paragraph;
  b.content = std::move(content);
  blocks.push_back(std::move(b));
}
void Document::paragraph(std::string plain_text) {
  paragraph(Inline{text(std::move(plain_text))});
}
void Document::table(Table t) {
  Block b;
  b.kind = Block::Kind::table;
  b.table = std::move(t);
  blocks.push_back(std::move(b));
}
void Document::figure(std::string src, std::string alt, Inline caption) {
  Block b;
  b.kind = Block::Kind::figure;
  b.src = std::move(src);
  b.alt = std::move(alt);
  b.content = std::move(caption);
  blocks.push_back(std::move(b));
}
void Document::code_block(std::string literal) {
  Block b;
  b.kind = Block::Kind::code;
  b.raw = std::move(literal);
  blocks.push_back(std::move(b));
}
void Document::bullets(std::vector<Inline> items) {
  Block b;
  b.kind = Block::Kind::bullets;
  b.items = std::move(items);
  blocks.push_back(std::move(b));
}
void Document::markdown(std::string raw) {
  Block b;
  b.kind = Block::Kind::markdown;
  b.raw = std::move(raw);
  blocks.push_back(std::move(b));
}

namespace {

// Hrefs the report writes itself are anchors and file names; anything else is percent-encoded.
std::string encode_href(std::string_view href) {
  std::string out;
  for (char c : href) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || std::string_view("-._~/#:?=&").find(c) != std::string_view::npos) {
      out += c;
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

std::string md_inline(const Inline& in, bool in_table) {
  std::string out;
  for (const auto& s : in) {
    switch (s.kind) {
      case Span::Kind::text: out += md_escape(s.text); break;
      case Span::Kind::code: out += md_code(s.text, in_table); break;
      case Span::Kind::strong:
      case Span::Kind::emph: {
        // Emphasis must not start or end with a space (CommonMark flanking rules): spaces go outside.
        const std::string_view t = s.text;
        const std::size_t b = t.find_first_not_of(' ');
        if (b == std::string_view::npos) {
          out += md_escape(s.text);
          break;
        }
        const std::size_t e = t.find_last_not_of(' ');
        const std::string mark = s.kind == Span::Kind::strong ? "**" : "*";
        out.append(b, ' ').append(mark).append(md_escape(t.substr(b, e - b + 1))).append(mark);
        out.append(t.size() - e - 1, ' ');
        break;
      }
      case Span::Kind::link: out += "[" + md_escape(s.text) + "](" + encode_href(s.href) + ")"; break;
    }
  }
  return out;
}

std::string html_inline(const Inline& in) {
  std::string out;
  for (const auto& s : in) {
    switch (s.kind) {
      case Span::Kind::text: out += html_escape(s.text); break;
      case Span::Kind::code: out += "<code>" + html_escape(s.text) + "</code>"; break;
      case Span::Kind::strong: out += "<strong>" + html_escape(s.text) + "</strong>"; break;
      case Span::Kind::emph: out += "<em>" + html_escape(s.text) + "</em>"; break;
      case Span::Kind::link:
        out += "<a href=\"" + html_escape(encode_href(s.href)) + "\">" + html_escape(s.text) + "</a>";
        break;
    }
  }
  return out;
}

char align_of(const Table& t, std::size_t col) {
  return col < t.align.size() ? t.align[col] : 'l';
}

}  // namespace

std::string render_markdown(const Document& doc) {
  std::string out = "# " + md_escape(doc.title) + "\n\n";
  for (const auto& b : doc.blocks) {
    switch (b.kind) {
      case Block::Kind::heading:
        out += std::string(static_cast<std::size_t>(std::clamp(b.level, 1, 6)), '#') + " " +
               md_inline(b.content, false) + "\n\n";
        break;
      case Block::Kind::paragraph: out += md_inline(b.content, false) + "\n\n"; break;
      case Block::Kind::table: {
        const Table& t = b.table;
        if (t.header.empty()) break;
        out += "|";
        for (const auto& h : t.header) out += " " + md_escape(h) + " |";
        out += "\n|";
        for (std::size_t c = 0; c < t.header.size(); ++c) out += align_of(t, c) == 'r' ? " ---: |" : " --- |";
        out += "\n";
        for (const auto& row : t.rows) {
          out += "|";
          for (std::size_t c = 0; c < t.header.size(); ++c) {
            std::string cell = c < row.size() ? md_inline(row[c], true) : "";
            out += " " + (cell.empty() ? std::string() : cell + " ") + "|";
          }
          out += "\n";
        }
        out += "\n";
        break;
      }
      case Block::Kind::figure:
        out += "![" + md_escape(b.alt) + "](" + encode_href(b.src) + ")\n\n";
        if (!b.content.empty()) out += md_inline(b.content, false) + "\n\n";
        break;
      case Block::Kind::code: {
        const std::string fence = md_fence(b.raw);
        out.append(fence).append("\n").append(sanitize_utf8(b.raw));
        out.append(b.raw.ends_with('\n') ? "" : "\n").append(fence).append("\n\n");
        break;
      }
      case Block::Kind::bullets:
        for (const auto& item : b.items) out += "- " + md_inline(item, false) + "\n";
        out += "\n";
        break;
      case Block::Kind::markdown: {
        std::string raw = sanitize_utf8(b.raw);
        while (!raw.empty() && raw.back() == '\n') raw.pop_back();
        out += raw + "\n\n";
        break;
      }
    }
  }
  while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') out.pop_back();
  return out;
}

namespace {

constexpr std::string_view kCss = R"css(
body { margin: 0; background: #fff; color: #1a1a1a; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 1.5em 2em 4em; }
h1 { font-size: 1.8em; margin: 0.4em 0 0.6em; }
h2 { font-size: 1.4em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
h3 { font-size: 1.15em; margin-top: 1.6em; }
h4, h5, h6 { font-size: 1em; margin-top: 1.4em; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.9em; }
code { background: #f3f3f3; padding: 0 0.2em; border-radius: 3px; overflow-wrap: anywhere; }
pre { background: #f6f6f6; border: 1px solid #e3e3e3; padding: 0.7em 1em; overflow-x: auto; white-space: pre-wrap; }
pre code { background: none; padding: 0; }
div.table { overflow-x: auto; margin: 1em 0; }
table { border-collapse: collapse; font-size: 0.88em; }
th, td { border: 1px solid #d4d4d4; padding: 0.25em 0.55em; vertical-align: top; text-align: left; }
th { background: #f0f0f0; position: sticky; top: 0; }
td.r, th.r { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr:nth-child(even) td { background: #fafafa; }
figure { margin: 1.2em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #e3e3e3; }
figcaption { font-size: 0.9em; color: #444; margin-top: 0.3em; }
p.missing { color: #a00; }
blockquote { border-left: 3px solid #ccc; margin: 1em 0; padding: 0 1em; color: #333; }
section.findings { border-left: 3px solid #6a8fc0; padding-left: 1em; }
)css";

}  // namespace

std::string render_html(const Document& doc, const ImageLoader& images) {
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  // Nothing may be fetched: images are data: URIs, the style is inline, there is no script.
  out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
      "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + html_escape(doc.title) + "</title>\n<style>" + std::string(kCss) + "</style>\n</head>\n";
  out += "<body>\n<main>\n<h1>" + html_escape(doc.title) + "</h1>\n";
  for (const auto& b : doc.blocks) {
    switch (b.kind) {
      case Block::Kind::heading: {
        const int level = std::clamp(b.level, 1, 6);
        out += fmt::format("<h{0} id=\"{1}\">{2}</h{0}>\n", level, html_escape(b.id), html_inline(b.content));
        break;
      }
      case Block::Kind::paragraph: out += "<p>" + html_inline(b.content) + "</p>\n"; break;
      case Block::Kind::table: {
        const Table& t = b.table;
        if (t.header.empty()) break;
        out += "<div class=\"table\"><table>\n<thead><tr>";
        for (std::size_t c = 0; c < t.header.size(); ++c) {
          out += std::string(align_of(t, c) == 'r' ? "<th class=\"r\">" : "<th>") + html_escape(t.header[c]) + "</th>";
        }
        out += "</tr></thead>\n<tbody>\n";
        for (const auto& row : t.rows) {
          out += "<tr>";
          for (std::size_t c = 0; c < t.header.size(); ++c) {
            out += std::string(align_of(t, c) == 'r' ? "<td class=\"r\">" : "<td>") +
                   (c < row.size() ? html_inline(row[c]) : std::string()) + "</td>";
          }
          out += "</tr>\n";
        }
        out += "</tbody>\n</table></div>\n";
        break;
      }
      case Block::Kind::figure: {
        auto data = images ? images(b.src) : std::nullopt;
        out += "<figure>\n";
        if (data) {
          out += "<img src=\"data:" + html_escape(data->mime) + ";base64," + base64(data->bytes) + "\" alt=\"" +
                 html_escape(b.alt) + "\">\n";
        } else {
          out += "<p class=\"missing\">Plot not rendered: " + html_escape(b.src) + " is missing.</p>\n";
        }
        if (!b.content.empty()) out += "<figcaption>" + html_inline(b.content) + "</figcaption>\n";
        out += "</figure>\n";
        break;
      }
      case Block::Kind::code: out += "<pre><code>" + html_escape(b.raw) + "</code></pre>\n"; break;
      case Block::Kind::bullets:
        out += "<ul>\n";
        for (const auto& item : b.items) out += "<li>" + html_inline(item) + "</li>\n";
        out += "</ul>\n";
        break;
      case Block::Kind::markdown:
        out += "<section class=\"findings\">\n" + markdown_to_html(b.raw, 0) + "</section>\n";
        break;
    }
  }
  out += "</main>\n</body>\n</html>\n";
  return out;
}

// ---------------------------------------------------------------------------------------------
// A safe subset of Markdown for hand-written text.

namespace {

bool safe_url(std::string_view url) {
  if (url.starts_with("http://") || url.starts_with("https://") || url.starts_with("mailto:") || url.starts_with("#")) {
    return true;
  }
  // Relative: no scheme (no ':' before the first '/', '?' or '#').
  const std::size_t colon = url.find(':');
  const std::size_t stop = url.find_first_of("/?#");
  return colon == std::string_view::npos || (stop != std::string_view::npos && stop < colon);
}

bool is_punct(char c) {
  return std::ispunct(static_cast<unsigned char>(c)) != 0;
}

std::string md_inline_html(std::string_view s);

// Parses "[text](url)" at s[i] == '['; returns the end position or npos.
std::size_t parse_link(std::string_view s, std::size_t i, std::string_view& label, std::string_view& url) {
  int depth = 0;
  std::size_t j = i;
  for (; j < s.size(); ++j) {
    if (s[j] == '\\') {
      ++j;
      continue;
    }
    if (s[j] == '[') ++depth;
    if (s[j] == ']' && --depth == 0) break;
  }
  if (j >= s.size() || j + 1 >= s.size() || s[j + 1] != '(') return std::string_view::npos;
  // The destination ends at the parenthesis that balances the opening one.
  std::size_t close = j + 2;
  for (int open = 1; close < s.size(); ++close) {
    if (s[close] == '(') ++open;
    if (s[close] == ')' && --open == 0) break;
  }
  if (close >= s.size()) return std::string_view::npos;
  label = s.substr(i + 1, j - i - 1);
  url = s.substr(j + 2, close - j - 2);
  while (!url.empty() && url.front() == ' ') url.remove_prefix(1);
  if (const std::size_t sp = url.find(' '); sp != std::string_view::npos) url = url.substr(0, sp);  // drop a title
  if (url.size() >= 2 && url.front() == '<' && url.back() == '>') url = url.substr(1, url.size() - 2);
  return close + 1;
}

std::string md_inline_html(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '\\' && i + 1 < s.size() && is_punct(s[i + 1])) {
      out += html_escape(s.substr(i + 1, 1));
      i += 2;
      continue;
    }
    if (c == '`') {
      std::size_t run = 0;
      while (i + run < s.size() && s[i + run] == '`') ++run;
      const std::string fence(run, '`');
      std::size_t close = i + run;
      while (true) {
        close = s.find(fence, close);
        if (close == std::string_view::npos) break;
        if (close + run < s.size() && s[close + run] == '`') {
          while (close < s.size() && s[close] == '`') ++close;
          continue;
        }
        break;
      }
      if (close == std::string_view::npos) {
        out += fence;
        i += run;
        continue;
      }
      std::string_view body = s.substr(i + run, close - i - run);
      if (body.size() >= 2 && body.front() == ' ' && body.back() == ' ') body = body.substr(1, body.size() - 2);
      out += "<code>" + html_escape(body) + "</code>";
      i = close + run;
      continue;
    }
    if ((c == '[') || (c == '!' && i + 1 < s.size() && s[i + 1] == '[')) {
      const bool image = c == '!';
      std::string_view label;
      std::string_view url;
      const std::size_t end = parse_link(s, image ? i + 1 : i, label, url);
      if (end != std::string_view::npos) {
        // Images are not fetched (the page loads nothing): they become links.
        std::string inner = image ? "image: " + html_escape(label) : md_inline_html(label);
        if (safe_url(url)) {
          out += "<a href=\"" + html_escape(url) + "\">" + inner + "</a>";
        } else {
          out += inner;
        }
        i = end;
        continue;
      }
    }
    if (c == '<') {
      const std::size_t close = s.find('>', i);
      if (close != std::string_view::npos) {
        std::string_view url = s.substr(i + 1, close - i - 1);
        if ((url.starts_with("http://") || url.starts_with("https://")) && url.find(' ') == std::string_view::npos) {
          out += "<a href=\"" + html_escape(url) + "\">" + html_escape(url) + "</a>";
          i = close + 1;
          continue;
        }
      }
    }
    if (c == '*' || c == '_') {
      std::size_t run = 0;
      while (i + run < s.size() && s[i + run] == c) ++run;
      const std::size_t k = std::min<std::size_t>(run, 2);
      const bool opens = i + run < s.size() && s[i + run] != ' ';
      const bool intraword = c == '_' && i > 0 && std::isalnum(static_cast<unsigned char>(s[i - 1]));
      if (opens && !intraword) {
        const std::string delim(k, c);
        std::size_t close = s.find(delim, i + k + 1);
        while (close != std::string_view::npos && s[close - 1] == ' ') close = s.find(delim, close + 1);
        if (close != std::string_view::npos) {
          const std::string_view body = s.substr(i + k, close - i - k);
          const char* tag = k == 2 ? "strong" : "em";
          out += fmt::format("<{0}>{1}</{0}>", tag, md_inline_html(body));
          i = close + k;
          continue;
        }
      }
      out += html_escape(s.substr(i, run));
      i += run;
      continue;
    }
    // Plain text up to the next special character.
    std::size_t next = s.find_first_of("\\`[!<*_", i + 1);
    if (next == std::string_view::npos) next = s.size();
    out += html_escape(s.substr(i, next - i));
    i = next;
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::size_t indent_of(std::string_view line) {
  std::size_t n = 0;
  for (char c : line) {
    if (c == ' ') {
      ++n;
    } else if (c == '\t') {
      n += 4;
    } else {
      break;
    }
  }
  return n;
}

// "```lang" / "~~~": the fence characters, or empty.
std::string fence_of(std::string_view line) {
  if (indent_of(line) > 3) return {};
  line = trim(line);
  if (line.size() < 3 || (line[0] != '`' && line[0] != '~')) return {};
  std::size_t run = 0;
  while (run < line.size() && line[run] == line[0]) ++run;
  if (run < 3) return {};
  if (line[0] == '`' && line.substr(run).find('`') != std::string_view::npos) return {};
  return std::string(line.substr(0, run));
}

int heading_level(std::string_view line, std::string_view& title) {
  if (indent_of(line) > 3) return 0;
  line = trim(line);
  std::size_t n = 0;
  while (n < line.size() && line[n] == '#') ++n;
  if (n == 0 || n > 6 || (n < line.size() && line[n] != ' ')) return 0;
  title = trim(line.substr(n));
  while (!title.empty() && title.back() == '#') title.remove_suffix(1);
  title = trim(title);
  return static_cast<int>(n);
}

bool is_rule(std::string_view line) {
  line = trim(line);
  if (line.size() < 3) return false;
  const char c = line[0];
  if (c != '-' && c != '*' && c != '_') return false;
  std::size_t count = 0;
  for (char x : line) {
    if (x == c) {
      ++count;
    } else if (x != ' ') {
      return false;
    }
  }
  return count >= 3;
}

// A list marker: returns the content start (0 when none) and whether it is ordered.
std::size_t list_marker(std::string_view line, bool& ordered) {
  const std::size_t ind = line.find_first_not_of(' ');
  if (ind == std::string_view::npos) return 0;
  std::string_view rest = line.substr(ind);
  if (rest.size() >= 2 && (rest[0] == '-' || rest[0] == '*' || rest[0] == '+') && rest[1] == ' ') {
    ordered = false;
    return ind + 2;
  }
  std::size_t d = 0;
  while (d < rest.size() && d < 9 && std::isdigit(static_cast<unsigned char>(rest[d]))) ++d;
  if (d > 0 && d + 1 < rest.size() && (rest[d] == '.' || rest[d] == ')') && rest[d + 1] == ' ') {
    ordered = true;
    return ind + d + 2;
  }
  return 0;
}

std::vector<std::string_view> split_cells(std::string_view line) {
  line = trim(line);
  if (line.starts_with('|')) line.remove_prefix(1);
  if (line.ends_with('|') && !line.ends_with("\\|")) line.remove_suffix(1);
  std::vector<std::string_view> cells;
  std::size_t start = 0;
  bool in_code = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\') {
      ++i;
      continue;
    }
    if (line[i] == '`') in_code = !in_code;
    if (line[i] == '|' && !in_code) {
      cells.push_back(trim(line.substr(start, i - start)));
      start = i + 1;
    }
  }
  cells.push_back(trim(line.substr(start)));
  return cells;
}

bool is_delimiter_row(std::string_view line) {
  if (line.find('-') == std::string_view::npos) return false;
  for (auto cell : split_cells(line)) {
    if (cell.empty()) return false;
    for (char c : cell) {
      if (c != '-' && c != ':' && c != ' ') return false;
    }
  }
  return true;
}

std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t end = s.find('\n', pos);
    if (end == std::string_view::npos) end = s.size();
    std::string_view line = s.substr(pos, end - pos);
    if (line.ends_with('\r')) line.remove_suffix(1);
    lines.push_back(line);
    pos = end + 1;
  }
  return lines;
}

std::string blocks_to_html(const std::vector<std::string_view>& lines, int shift);

std::string list_to_html(const std::vector<std::string_view>& lines, std::size_t& i, int shift) {
  bool ordered = false;
  const std::size_t base_indent = indent_of(lines[i]);
  list_marker(lines[i], ordered);
  std::string out = ordered ? "<ol>\n" : "<ul>\n";
  while (i < lines.size()) {
    bool o = false;
    const std::size_t start = list_marker(lines[i], o);
    if (start == 0 || indent_of(lines[i]) != base_indent || o != ordered) break;
    // The item: its first line and every following line indented deeper or continuing the text.
    std::vector<std::string_view> body{lines[i].substr(start)};
    ++i;
    while (i < lines.size()) {
      std::string_view l = lines[i];
      if (trim(l).empty()) {
        if (i + 1 < lines.size() && indent_of(lines[i + 1]) > base_indent && !trim(lines[i + 1]).empty()) {
          body.push_back("");
          ++i;
          continue;
        }
        break;
      }
      bool o2 = false;
      if (list_marker(l, o2) && indent_of(l) <= base_indent) break;
      std::string_view ignored;
      if (indent_of(l) <= base_indent && (heading_level(l, ignored) || !fence_of(l).empty())) break;
      // Strip the item's content indentation (all of it for a lazy continuation line).
      const std::size_t spaces = std::min(l.find_first_not_of(' '), l.size());
      body.push_back(l.substr(std::min(spaces, start)));
      ++i;
    }
    const bool tight = std::find(body.begin(), body.end(), std::string_view()) == body.end();
    std::string inner = blocks_to_html(body, shift);
    // A tight item (no blank line inside) shows its first paragraph without <p>.
    if (tight && inner.starts_with("<p>")) {
      const std::size_t end = inner.find("</p>\n");
      inner = inner.substr(3, end - 3) + (end + 5 < inner.size() ? "\n" + inner.substr(end + 5) : std::string());
    }
    out += "<li>" + inner + "</li>\n";
  }
  out += ordered ? "</ol>\n" : "</ul>\n";
  return out;
}

std::string blocks_to_html(const std::vector<std::string_view>& lines, int shift) {
  std::string out;
  std::vector<std::string_view> para;
  auto flush = [&]() {
    if (para.empty()) return;
    std::string joined;
    for (std::size_t k = 0; k < para.size(); ++k) joined += (k ? " " : "") + std::string(trim(para[k]));
    out += "<p>" + md_inline_html(joined) + "</p>\n";
    para.clear();
  };
  std::size_t i = 0;
  while (i < lines.size()) {
    std::string_view line = lines[i];
    if (trim(line).empty()) {
      flush();
      ++i;
      continue;
    }
    if (std::string fence = fence_of(line); !fence.empty()) {
      flush();
      std::string body;
      ++i;
      while (i < lines.size()) {
        std::string_view t = trim(lines[i]);
        if (t.starts_with(fence) && t.find_first_not_of(fence[0]) == std::string_view::npos) {
          ++i;
          break;
        }
        body += std::string(lines[i]) + "\n";
        ++i;
      }
      out += "<pre><code>" + html_escape(body) + "</code></pre>\n";
      continue;
    }
    std::string_view title;
    if (int level = heading_level(line, title); level > 0) {
      flush();
      const int l = std::clamp(level + shift, 1, 6);
      out += fmt::format("<h{0} id=\"{1}\">{2}</h{0}>\n", l, html_escape(github_anchor(title)), md_inline_html(title));
      ++i;
      continue;
    }
    if (is_rule(line) && para.empty()) {
      out += "<hr>\n";
      ++i;
      continue;
    }
    if (trim(line).starts_with('>')) {
      flush();
      std::vector<std::string> quoted;
      while (i < lines.size() && trim(lines[i]).starts_with('>')) {
        std::string_view q = trim(lines[i]).substr(1);
        if (q.starts_with(' ')) q.remove_prefix(1);
        quoted.emplace_back(q);
        ++i;
      }
      std::vector<std::string_view> views(quoted.begin(), quoted.end());
      out += "<blockquote>\n" + blocks_to_html(views, shift) + "</blockquote>\n";
      continue;
    }
    bool ordered = false;
    if (list_marker(line, ordered) && indent_of(line) <= 3) {
      flush();
      out += list_to_html(lines, i, shift);
      continue;
    }
    if (line.find('|') != std::string_view::npos && i + 1 < lines.size() && is_delimiter_row(lines[i + 1]) &&
        para.empty()) {
      const auto header = split_cells(line);
      std::vector<char> align;
      for (auto cell : split_cells(lines[i + 1])) align.push_back(cell.ends_with(':') ? 'r' : 'l');
      out += "<div class=\"table\"><table>\n<thead><tr>";
      for (std::size_t c = 0; c < header.size(); ++c) {
        out += std::string(c < align.size() && align[c] == 'r' ? "<th class=\"r\">" : "<th>") +
               md_inline_html(header[c]) + "</th>";
      }
      out += "</tr></thead>\n<tbody>\n";
      i += 2;
      while (i < lines.size() && !trim(lines[i]).empty() && lines[i].find('|') != std::string_view::npos) {
        const auto cells = split_cells(lines[i]);
        out += "<tr>";
        for (std::size_t c = 0; c < header.size(); ++c) {
          out += std::string(c < align.size() && align[c] == 'r' ? "<td class=\"r\">" : "<td>") +
                 (c < cells.size() ? md_inline_html(cells[c]) : std::string()) + "</td>";
        }
        out += "</tr>\n";
        ++i;
      }
      out += "</tbody>\n</table></div>\n";
      continue;
    }
    para.push_back(line);
    ++i;
  }
  flush();
  return out;
}

}  // namespace

std::string markdown_to_html(const std::string& md, int heading_shift) {
  const std::string clean = sanitize_utf8(md);
  return blocks_to_html(split_lines(clean), heading_shift);
}

std::string shift_markdown_headings(const std::string& md, int heading_shift) {
  std::string out;
  std::string fence;
  for (std::string_view line : split_lines(md)) {
    if (fence.empty()) {
      if (std::string f = fence_of(line); !f.empty()) {
        fence = f;
      } else if (std::string_view title; heading_level(line, title) > 0) {
        int level = 0;
        while (level < static_cast<int>(line.size()) && line[static_cast<std::size_t>(level)] == '#') ++level;
        if (level > 0) {
          const int l = std::clamp(level + heading_shift, 1, 6);
          out += std::string(static_cast<std::size_t>(l), '#') +
                 std::string(line.substr(static_cast<std::size_t>(level))) + "\n";
          continue;
        }
      }
    } else {
      std::string_view t = trim(line);
      if (t.starts_with(fence) && t.find_first_not_of(fence[0]) == std::string_view::npos) fence.clear();
    }
    out += std::string(line) + "\n";
  }
  return out;
}

}  // namespace sysaxis::report
