// Escaping of untrusted strings (command lines, paths, device names, claim texts) for the
// report's outputs: HTML, Markdown, CSV. Every string that reaches an output passes here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sysaxis::report {

// Replaces invalid UTF-8 sequences with U+FFFD and control characters other than tab and
// newline with U+FFFD, so that every output is valid UTF-8 text.
std::string sanitize_utf8(std::string_view s);

// HTML text and attribute values: & < > " ' become entities (after sanitize_utf8).
std::string html_escape(std::string_view s);

// Markdown inline text (paragraphs and table cells): newlines become spaces, and the characters
// that Markdown or GitHub would interpret (\ ` * _ [ ] < > | ~ & $ and # + - = at a line start,
// a digit-dot list marker) are backslash-escaped, so the text renders literally.
std::string md_escape(std::string_view s);

// A Markdown code span holding `s` literally: fenced with more backticks than any run inside,
// padded with spaces where needed. In a table cell (GFM), pipes are escaped as "\|", which GFM
// renders as '|' there (outside tables the backslash would show, so pass in_table = false).
std::string md_code(std::string_view s, bool in_table = false);

// A fence for a Markdown code block holding `s`: three backticks, or more than the longest run
// of backticks at a line start inside.
std::string md_fence(std::string_view s);

// One CSV field (RFC 4180): quoted when it contains a comma, quote, CR, LF or leading/trailing
// space; quotes doubled.
std::string csv_field(std::string_view s);
// One CSV line, fields joined with commas, ending in "\n".
std::string csv_row(const std::vector<std::string>& fields);

// The anchor GitHub derives from a heading: lower case, spaces to '-', punctuation other than
// '-' and '_' dropped.
std::string github_anchor(std::string_view heading);

// A file-name-safe slug: [a-z0-9_-], other runs of characters become one '-'.
std::string file_slug(std::string_view s);

// Standard base64 (RFC 4648, with padding).
std::string base64(std::string_view data);

}  // namespace sysaxis::report
