// The document model rendered to Markdown and HTML, and the safe Markdown subset used for the
// hand-written findings (src/report/document.h).
#include "report/document.h"

#include <gtest/gtest.h>

namespace sysaxis::report {
namespace {

Document sample() {
  Document d;
  d.title = "Report <1>";
  d.heading(2, "Q1 size");
  d.paragraph(Inline{strong("Answer."), text(" a | b <c>"), code("x|y")});
  Table t;
  t.header = {"Runtime", "Count"};
  t.align = "lr";
  t.rows.push_back({{text("cuda | <dev>")}, {text("12")}});
  t.rows.push_back({{code("a|b")}});  // a short row is padded
  d.table(t);
  d.figure("q1_size.svg", "Q1 plot", Inline{text("Caption with "), link("data", "q1_size.csv")});
  d.code_block("sysaxis report --db 'a b.db'\n```");
  d.bullets({{text("one")}, {emph(" two ")}});
  return d;
}

TEST(ReportDocument, RendersMarkdown) {
  const std::string md = render_markdown(sample());
  EXPECT_TRUE(md.starts_with("# Report \\<1\\>\n\n## Q1 size\n\n")) << md;
  EXPECT_NE(md.find("**Answer.** a \\| b \\<c\\>`x|y`"), std::string::npos) << md;
  EXPECT_NE(md.find("| Runtime | Count |\n| --- | ---: |\n| cuda \\| \\<dev\\> | 12 |\n| `a\\|b` | |\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("![Q1 plot](q1_size.svg)\n\nCaption with [data](q1_size.csv)\n"), std::string::npos) << md;
  EXPECT_NE(md.find("````\nsysaxis report --db 'a b.db'\n```\n````\n"), std::string::npos) << md;
  EXPECT_NE(md.find("- one\n-  *two* \n"), std::string::npos) << md;
  EXPECT_TRUE(md.ends_with("\n"));
  EXPECT_FALSE(md.ends_with("\n\n"));
}

TEST(ReportDocument, RendersOneSelfContainedHtmlPage) {
  const std::string html = render_html(sample(), [](const std::string& src) -> std::optional<ImageData> {
    if (src == "q1_size.svg") return ImageData{"image/svg+xml", "<svg/>"};
    return std::nullopt;
  });
  EXPECT_NE(html.find("<title>Report &lt;1&gt;</title>"), std::string::npos);
  EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src 'none'; img-src data:;"), std::string::npos);
  EXPECT_NE(html.find("<h2 id=\"q1-size\">Q1 size</h2>"), std::string::npos);
  EXPECT_NE(html.find("<strong>Answer.</strong> a | b &lt;c&gt;<code>x|y</code>"), std::string::npos);
  EXPECT_NE(html.find("<th>Runtime</th><th class=\"r\">Count</th>"), std::string::npos);
  EXPECT_NE(html.find("<td>cuda | &lt;dev&gt;</td><td class=\"r\">12</td>"), std::string::npos);
  EXPECT_NE(html.find("<img src=\"data:image/svg+xml;base64,PHN2Zy8+\" alt=\"Q1 plot\">"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"q1_size.csv\">data</a>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);

  Document missing;
  missing.figure("gone.svg", "gone", {});
  EXPECT_NE(render_html(missing, nullptr).find("Plot not rendered: gone.svg is missing."), std::string::npos);
}

TEST(ReportDocument, HrefsAreEncoded) {
  Document d;
  d.paragraph(Inline{link("x", "a file\"><script>.csv")});
  EXPECT_NE(render_html(d, nullptr).find("href=\"a%20file%22%3E%3Cscript%3E.csv\""), std::string::npos);
  EXPECT_NE(render_markdown(d).find("[x](a%20file%22%3E%3Cscript%3E.csv)"), std::string::npos);
}

TEST(ReportDocument, FindingsMarkdownSubset) {
  const std::string md =
      "# Findings\n\nFirst *claim* with **bold**, `code <x>` and <b>raw</b>.\n"
      "continued line.\n\n"
      "- item one\n- item [two](results/x.md)\n  - nested\n\n"
      "1. first\n2. second\n\n"
      "```\n# not a heading <tag>\n```\n\n"
      "> quoted *text*\n\n"
      "| a | b |\n|---|--:|\n| 1 | 2 |\n\n"
      "[bad](javascript:alert(1)) ![img](plot.svg) <https://example.org/x> snake_case_name\n\n---\n";
  const std::string html = markdown_to_html(md, 2);
  EXPECT_NE(html.find("<h3 id=\"findings\">Findings</h3>"), std::string::npos) << html;
  EXPECT_NE(html.find("<p>First <em>claim</em> with <strong>bold</strong>, <code>code &lt;x&gt;</code> and "
                      "&lt;b&gt;raw&lt;/b&gt;. continued line.</p>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<ul>\n<li>item one</li>\n<li>item <a href=\"results/x.md\">two</a>\n<ul>\n<li>nested</li>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<ol>\n<li>first</li>\n<li>second</li>\n</ol>"), std::string::npos) << html;
  EXPECT_NE(html.find("<pre><code># not a heading &lt;tag&gt;\n</code></pre>"), std::string::npos) << html;
  EXPECT_NE(html.find("<blockquote>\n<p>quoted <em>text</em></p>\n</blockquote>"), std::string::npos) << html;
  EXPECT_NE(html.find("<th>a</th><th class=\"r\">b</th>"), std::string::npos) << html;
  EXPECT_NE(html.find("<td>1</td><td class=\"r\">2</td>"), std::string::npos) << html;
  EXPECT_EQ(html.find("javascript:"), std::string::npos) << html;
  EXPECT_NE(html.find("<p>bad <a href=\"plot.svg\">image: img</a>"), std::string::npos) << html;
  EXPECT_NE(html.find("<a href=\"https://example.org/x\">https://example.org/x</a> snake_case_name"), std::string::npos)
      << html;
  EXPECT_NE(html.find("<hr>"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
}

TEST(ReportDocument, ShiftsHeadingsOutsideFences) {
  EXPECT_EQ(shift_markdown_headings("# A\ntext #\n```\n# code\n```\n###### deep\n", 2),
            "### A\ntext #\n```\n# code\n```\n###### deep\n");
}

}  // namespace
}  // namespace sysaxis::report
