// The document tree rendered by cmark-gfm to Markdown and to one self-contained HTML page
// (src/report/document.h): structure, escaping of every string, tables, figures, safe findings.
#include "report/document.h"

#include <gtest/gtest.h>

namespace sysaxis::report {
namespace {

Document sample() {
  Document d;
  d.title = "Report <1>";
  d.heading(2, "Q1 size");
  d.paragraph(Inline{strong("Answer. "), text("a | b <c> *d* [e](javascript:f)"), code("x|y")});
  Table t;
  t.header = {"Runtime", "Count"};
  t.align = "lr";
  t.rows.push_back({{text("cuda | <dev>")}, {text("12")}});
  t.rows.push_back({{code("a|b")}});  // a short row is padded
  d.table(t);
  d.figure("q1_size.svg", "Q1 \"plot\"", Inline{text("Caption with "), link("data", "q1_size.csv")});
  d.code_block("sysaxis report --db 'a b.db'\n```");
  d.bullets({{text("one")}, {emph(" two ")}});
  d.markdown("# Findings\n\nSome <b>raw</b> html and a [bad link](javascript:alert(1)) and a [good one](a.md).\n", 1);
  return d;
}

TEST(ReportDocument, RendersMarkdownThatReadsBackAsTheSameText) {
  const std::string md = render_markdown(sample());
  EXPECT_TRUE(md.starts_with("# Report \\<1\\>\n\n## Q1 size\n\n")) << md;
  // Emphasis keeps its spaces outside (CommonMark does not close "**Answer. **").
  EXPECT_NE(md.find("**Answer.** a | b \\<c\\> \\*d\\* \\[e\\](javascript:f)`x|y`"), std::string::npos) << md;
  // A pipe inside a table cell is escaped so the row keeps its columns.
  EXPECT_NE(md.find("| Runtime | Count |"), std::string::npos) << md;
  EXPECT_NE(md.find("| cuda \\| \\<dev\\> | 12 |"), std::string::npos) << md;
  EXPECT_NE(md.find("![Q1 \"plot\"](q1_size.svg)"), std::string::npos) << md;
  EXPECT_NE(md.find("[data](q1_size.csv)"), std::string::npos) << md;
  EXPECT_NE(md.find("    sysaxis report --db 'a b.db'\n    ```\n"), std::string::npos) << md;
  // The findings: headings shifted, raw HTML shown as code, the unsafe link without its target.
  EXPECT_NE(md.find("## Findings"), std::string::npos) << md;
  EXPECT_EQ(md.find("javascript:alert"), std::string::npos) << md;
  EXPECT_NE(md.find("[good one](a.md)"), std::string::npos) << md;
}

TEST(ReportDocument, RendersOneSelfContainedHtmlPage) {
  const std::string html = render_html(sample(), [](const std::string& src) -> std::optional<ImageData> {
    if (src == "q1_size.svg") return ImageData{"image/svg+xml", "<svg/>"};
    return std::nullopt;
  });
  EXPECT_NE(html.find("<title>Report &lt;1&gt;</title>"), std::string::npos) << html;
  EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src 'none'; img-src data:;"), std::string::npos);
  EXPECT_NE(html.find("<h2><a id=\"q1-size\"></a>Q1 size</h2>"), std::string::npos) << html;
  EXPECT_NE(html.find("<strong>Answer.</strong> a | b &lt;c&gt; *d* [e](javascript:f)<code>x|y</code>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<td align=\"left\">cuda | &lt;dev&gt;</td>"), std::string::npos) << html;
  EXPECT_NE(html.find("<th align=\"right\">Count</th>"), std::string::npos) << html;
  // The image inlined as a data: URI, its alt text escaped.
  EXPECT_NE(html.find("<img alt=\"Q1 &quot;plot&quot;\" src=\"data:image/svg+xml;base64,PHN2Zy8+\">"),
            std::string::npos)
      << html;
  EXPECT_EQ(html.find("<b>raw</b>"), std::string::npos) << html;
  EXPECT_NE(html.find("&lt;b&gt;"), std::string::npos) << html;
  EXPECT_EQ(html.find("href=\"javascript:"), std::string::npos) << html;
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST(ReportDocument, AMissingImageIsANote) {
  Document d;
  d.title = "t";
  d.figure("gone.svg", "alt", Inline{text("caption")});
  const std::string html = render_html(d, [](const std::string&) { return std::nullopt; });
  EXPECT_NE(html.find("(image gone.svg not rendered)"), std::string::npos) << html;
  EXPECT_EQ(html.find("<img"), std::string::npos);
}

TEST(ReportDocument, Anchors) {
  EXPECT_EQ(anchor_of("Q1 size"), "q1-size");
  EXPECT_EQ(anchor_of("Appendix: claims"), "appendix-claims");
  EXPECT_EQ(anchor_of("OS cost per API call"), "os-cost-per-api-call");
}

}  // namespace
}  // namespace sysaxis::report
