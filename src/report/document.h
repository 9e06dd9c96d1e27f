// The report as a small document tree, rendered by cmark-gfm (the GFM table extension) to
// Markdown (report.md, images beside it) and to one self-contained HTML page (report.html: inline
// CSS, images as data: URIs, no script, a Content-Security-Policy that forbids every network
// load). All escaping is the library's: every string of the tree is a text node.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sysaxis::report {

struct Span {
  enum class Kind { text, code, strong, emph, link };
  Kind kind = Kind::text;
  std::string text;
  std::string href;  // link: a relative file name or "#anchor"
};
using Inline = std::vector<Span>;

Span text(std::string s);
Span code(std::string s);
Span strong(std::string s);
Span emph(std::string s);
Span link(std::string s, std::string href);
// Concatenated plain text of spans (for alt texts and anchors).
std::string plain(const Inline& in);

struct Table {
  std::vector<std::string> header;
  std::string align;  // one char per column: 'l' or 'r' (missing: 'l')
  std::vector<std::vector<Inline>> rows;
};

struct Block {
  enum class Kind { heading, paragraph, table, figure, code, bullets, markdown };
  Kind kind = Kind::paragraph;
  int level = 2;              // heading
  Inline content;             // heading, paragraph, figure caption
  Table table;                // table
  std::string src, alt;       // figure: the image file beside the report
  std::string raw;            // code (literal text), markdown (hand-written Markdown, parsed safely)
  std::vector<Inline> items;  // bullets
};

struct Document {
  std::string title;
  std::vector<Block> blocks;

  void heading(int level, std::string title_text);
  void paragraph(Inline content);
  void paragraph(std::string plain_text);
  void table(Table t);
  void figure(std::string src, std::string alt, Inline caption);
  void code_block(std::string literal);
  void bullets(std::vector<Inline> items);
  // Hand-written Markdown (docs/findings.md), headings shifted by `heading_shift`: parsed by
  // cmark-gfm; raw HTML in it is shown as text and links other than http(s), mailto, relative
  // paths and anchors are dropped (their text stays).
  void markdown(std::string raw, int heading_shift = 0);
};

// The anchor GitHub derives from a heading: lower case, spaces to '-', punctuation other than
// '-' and '_' dropped.
std::string anchor_of(const std::string& heading);

// Markdown (GitHub): pipe tables, images by relative path.
std::string render_markdown(const Document& doc);

// The data of an image file for inlining: (MIME type, bytes), or none when it is missing.
struct ImageData {
  std::string mime;
  std::string bytes;
};
using ImageLoader = std::function<std::optional<ImageData>(const std::string& src)>;

// One HTML page. Figures whose image the loader cannot provide are rendered as a note.
std::string render_html(const Document& doc, const ImageLoader& images);

}  // namespace sysaxis::report
