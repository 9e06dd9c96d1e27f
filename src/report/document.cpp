#include "report/document.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <mutex>

#include "common/text.h"

// The GFM table extension's node types (libcmark-gfm-extensions exports them; its table.h is
// not installed).
extern "C" {
extern cmark_node_type CMARK_NODE_TABLE, CMARK_NODE_TABLE_ROW, CMARK_NODE_TABLE_CELL;
}

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
void Document::markdown(std::string raw, int heading_shift) {
  Block b;
  b.kind = Block::Kind::markdown;
  b.raw = std::move(raw);
  b.level = heading_shift;
  blocks.push_back(std::move(b));
}

std::string anchor_of(const std::string& heading) {
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

namespace {

enum class Target { markdown, html };

struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
using NodePtr = std::unique_ptr<cmark_node, NodeDeleter>;

cmark_syntax_extension* table_extension() {
  static cmark_syntax_extension* ext = [] {
    cmark_gfm_core_extensions_ensure_registered();
    return cmark_find_syntax_extension("table");
  }();
  return ext;
}

cmark_node* new_node(cmark_node_type type) {
  return cmark_node_new(type);
}

cmark_node* text_node(const std::string& s) {
  cmark_node* n = new_node(CMARK_NODE_TEXT);
  cmark_node_set_literal(n, sanitize_utf8(s).c_str());
  return n;
}

void append(cmark_node* parent, cmark_node* child) {
  cmark_node_append_child(parent, child);
}

void add_inline(cmark_node* parent, const Inline& in) {
  for (const auto& s : in) {
    switch (s.kind) {
      case Span::Kind::text: append(parent, text_node(s.text)); break;
      case Span::Kind::code: {
        cmark_node* n = new_node(CMARK_NODE_CODE);
        cmark_node_set_literal(n, sanitize_utf8(s.text).c_str());
        append(parent, n);
        break;
      }
      case Span::Kind::strong:
      case Span::Kind::emph: {
        // Emphasis may not begin or end with a space in CommonMark: spaces stay outside it.
        const auto first = s.text.find_first_not_of(' ');
        if (first == std::string::npos) {
          append(parent, text_node(s.text));
          break;
        }
        const auto last = s.text.find_last_not_of(' ');
        if (first > 0) append(parent, text_node(s.text.substr(0, first)));
        cmark_node* n = new_node(s.kind == Span::Kind::strong ? CMARK_NODE_STRONG : CMARK_NODE_EMPH);
        append(n, text_node(s.text.substr(first, last - first + 1)));
        append(parent, n);
        if (last + 1 < s.text.size()) append(parent, text_node(s.text.substr(last + 1)));
        break;
      }
      case Span::Kind::link: {
        cmark_node* n = new_node(CMARK_NODE_LINK);
        cmark_node_set_url(n, sanitize_utf8(s.href).c_str());
        append(n, text_node(s.text));
        append(parent, n);
        break;
      }
    }
  }
}

cmark_node* html_node(cmark_node_type type, const std::string& html) {
  cmark_node* n = new_node(type);
  cmark_node_set_literal(n, html.c_str());
  return n;
}

cmark_node* table_node(const Table& t) {
  cmark_syntax_extension* ext = table_extension();
  cmark_node* table = cmark_node_new_with_ext(CMARK_NODE_TABLE, ext);
  const auto cols = static_cast<std::uint16_t>(t.header.size());
  cmark_gfm_extensions_set_table_columns(table, cols);
  std::vector<std::uint8_t> align(cols, 'l');
  for (std::size_t c = 0; c < cols && c < t.align.size(); ++c) align[c] = t.align[c] == 'r' ? 'r' : 'l';
  cmark_gfm_extensions_set_table_alignments(table, cols, align.data());
  auto row = [&](const std::vector<Inline>& cells, bool header) {
    cmark_node* r = cmark_node_new_with_ext(CMARK_NODE_TABLE_ROW, ext);
    cmark_gfm_extensions_set_table_row_is_header(r, header ? 1 : 0);
    for (std::size_t c = 0; c < cols; ++c) {
      // Debian's cmark-gfm 0.29.0.gfm.6 allocates an opaque block for a cell made with its
      // extension and never frees it; the renderers read only the row's and table's data, so
      // the cell gets its extension after it is made.
      cmark_node* cell = new_node(CMARK_NODE_TABLE_CELL);
      cmark_node_set_syntax_extension(cell, ext);
      if (c < cells.size()) add_inline(cell, cells[c]);
      append(r, cell);
    }
    append(table, r);
  };
  std::vector<Inline> head;
  for (const auto& h : t.header) head.push_back({text(h)});
  row(head, true);
  for (const auto& r : t.rows) row(r, false);
  return table;
}

bool safe_url(const std::string& url) {
  if (url.empty() || url[0] == '#') return true;
  const auto colon = url.find(':');
  const auto slash = url.find('/');
  if (colon == std::string::npos || (slash != std::string::npos && slash < colon)) return true;  // relative
  std::string scheme = url.substr(0, colon);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
  return scheme == "http" || scheme == "https" || scheme == "mailto";
}

// Hand-written Markdown, parsed; raw HTML becomes literal text, unsafe links lose their target,
// headings move down by `shift` levels.
NodePtr parse_markdown(const std::string& md, int shift) {
  cmark_parser* parser = cmark_parser_new(CMARK_OPT_DEFAULT);
  cmark_parser_attach_syntax_extension(parser, table_extension());
  const std::string clean = sanitize_utf8(md);
  cmark_parser_feed(parser, clean.c_str(), clean.size());
  NodePtr doc(cmark_parser_finish(parser));
  cmark_parser_free(parser);
  std::vector<cmark_node*> html;
  std::vector<cmark_node*> links;
  cmark_iter* it = cmark_iter_new(doc.get());
  for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* n = cmark_iter_get_node(it);
    const cmark_node_type type = cmark_node_get_type(n);
    if (type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE) html.push_back(n);
    if ((type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) && !safe_url(cmark_node_get_url(n))) links.push_back(n);
    if (type == CMARK_NODE_HEADING) {
      cmark_node_set_heading_level(n, std::clamp(cmark_node_get_heading_level(n) + shift, 1, 6));
    }
  }
  cmark_iter_free(it);
  for (cmark_node* n : html) {
    const bool block = cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK;
    cmark_node* repl = new_node(block ? CMARK_NODE_CODE_BLOCK : CMARK_NODE_CODE);
    cmark_node_set_literal(repl, cmark_node_get_literal(n));
    cmark_node_replace(n, repl);
    cmark_node_free(n);
  }
  for (cmark_node* n : links) cmark_node_set_url(n, "");
  return doc;
}

std::string take(char* s) {
  std::string out(s ? s : "");
  std::free(s);
  return out;
}

// Plain text as HTML, escaped by cmark's renderer (a one-paragraph document, the <p> removed).
std::string escaped_text(const std::string& s) {
  NodePtr doc(new_node(CMARK_NODE_DOCUMENT));
  cmark_node* p = new_node(CMARK_NODE_PARAGRAPH);
  append(p, text_node(s));
  append(doc.get(), p);
  std::string html = take(cmark_render_html(doc.get(), CMARK_OPT_DEFAULT, nullptr));
  // "<p>" + text + "</p>\n"
  return html.size() >= 8 ? html.substr(3, html.size() - 8) : std::string();
}

NodePtr build(const Document& doc, Target target, const ImageLoader& images) {
  NodePtr root(new_node(CMARK_NODE_DOCUMENT));
  cmark_node* h1 = new_node(CMARK_NODE_HEADING);
  cmark_node_set_heading_level(h1, 1);
  append(h1, text_node(doc.title));
  append(root.get(), h1);
  for (const auto& b : doc.blocks) {
    switch (b.kind) {
      case Block::Kind::heading: {
        cmark_node* h = new_node(CMARK_NODE_HEADING);
        cmark_node_set_heading_level(h, std::clamp(b.level, 1, 6));
        if (target == Target::html) {
          // GitHub derives the same anchor from the heading text for report.md.
          append(h, html_node(CMARK_NODE_HTML_INLINE, fmt::format("<a id=\"{}\"></a>", anchor_of(plain(b.content)))));
        }
        add_inline(h, b.content);
        append(root.get(), h);
        break;
      }
      case Block::Kind::paragraph: {
        cmark_node* p = new_node(CMARK_NODE_PARAGRAPH);
        add_inline(p, b.content);
        append(root.get(), p);
        break;
      }
      case Block::Kind::table:
        if (!b.table.header.empty()) append(root.get(), table_node(b.table));
        break;
      case Block::Kind::figure: {
        if (target == Target::markdown) {
          cmark_node* p = new_node(CMARK_NODE_PARAGRAPH);
          cmark_node* img = new_node(CMARK_NODE_IMAGE);
          cmark_node_set_url(img, b.src.c_str());
          append(img, text_node(b.alt));
          append(p, img);
          append(root.get(), p);
        } else {
          auto data = images ? images(b.src) : std::nullopt;
          if (data) {
            // Our own markup: the image bytes as a data: URI (the alt text is escaped by rendering
            // it as a text node first).
            const std::string alt_text = escaped_text(b.alt);
            append(root.get(), html_node(CMARK_NODE_HTML_BLOCK,
                                         fmt::format("<figure><img alt=\"{}\" src=\"data:{};base64,{}\"></figure>",
                                                     alt_text, data->mime, base64(data->bytes))));
          } else {
            cmark_node* p = new_node(CMARK_NODE_PARAGRAPH);
            append(p, text_node(fmt::format("(image {} not rendered)", b.src)));
            append(root.get(), p);
          }
        }
        cmark_node* cap = new_node(CMARK_NODE_PARAGRAPH);
        add_inline(cap, b.content);
        append(root.get(), cap);
        break;
      }
      case Block::Kind::code: {
        cmark_node* c = new_node(CMARK_NODE_CODE_BLOCK);
        cmark_node_set_literal(c, sanitize_utf8(b.raw).c_str());
        append(root.get(), c);
        break;
      }
      case Block::Kind::bullets: {
        cmark_node* list = new_node(CMARK_NODE_LIST);
        cmark_node_set_list_type(list, CMARK_BULLET_LIST);
        cmark_node_set_list_tight(list, 1);
        for (const auto& item : b.items) {
          cmark_node* li = new_node(CMARK_NODE_ITEM);
          cmark_node* p = new_node(CMARK_NODE_PARAGRAPH);
          add_inline(p, item);
          append(li, p);
          append(list, li);
        }
        append(root.get(), list);
        break;
      }
      case Block::Kind::markdown: {
        NodePtr sub = parse_markdown(b.raw, b.level);
        while (cmark_node* child = cmark_node_first_child(sub.get())) {
          cmark_node_unlink(child);
          append(root.get(), child);
        }
        break;
      }
    }
  }
  return root;
}

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
table { border-collapse: collapse; font-size: 0.88em; display: block; overflow-x: auto; margin: 1em 0; }
th, td { border: 1px solid #d4d4d4; padding: 0.25em 0.55em; vertical-align: top; text-align: left; }
th { background: #f0f0f0; }
td[align="right"], th[align="right"] { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr:nth-child(even) td { background: #fafafa; }
figure { margin: 1.2em 0 0.3em; }
figure img { max-width: 100%; height: auto; border: 1px solid #e3e3e3; }
blockquote { border-left: 3px solid #ccc; margin: 1em 0; padding: 0 1em; color: #333; }
)css";

std::mutex& render_mutex() {
  static std::mutex m;  // cmark's extension registry is global
  return m;
}

}  // namespace

std::string render_markdown(const Document& doc) {
  std::lock_guard lock(render_mutex());
  NodePtr root = build(doc, Target::markdown, nullptr);
  return take(cmark_render_commonmark(root.get(), CMARK_OPT_DEFAULT, 0));
}

std::string render_html(const Document& doc, const ImageLoader& images) {
  std::lock_guard lock(render_mutex());
  NodePtr root = build(doc, Target::html, images);
  cmark_llist* exts = nullptr;
  cmark_mem* mem = cmark_get_default_mem_allocator();
  exts = cmark_llist_append(mem, exts, table_extension());
  // Raw HTML is rendered: the tree's only HTML nodes are the report's own (anchors, images);
  // every string from the data is a text node, and hand-written Markdown had its HTML made text.
  std::string body = take(cmark_render_html(root.get(), CMARK_OPT_UNSAFE, exts));
  cmark_llist_free(mem, exts);
  const std::string title = escaped_text(doc.title);
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  // Nothing may be fetched: images are data: URIs, the style is inline, there is no script.
  out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
      "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + title + "</title>\n<style>" + std::string(kCss) + "</style>\n</head>\n<body>\n<main>\n";
  out += body;
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace sysaxis::report
