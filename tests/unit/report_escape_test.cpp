// Escaping of untrusted strings for HTML, Markdown and CSV (src/report/escape.h).
#include "report/escape.h"

#include <gtest/gtest.h>

namespace sysaxis::report {
namespace {

TEST(ReportEscape, HtmlEscapesMarkupAndQuotes) {
  EXPECT_EQ(html_escape("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(html_escape("plain text · ×"), "plain text · ×");
  EXPECT_EQ(html_escape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
}

TEST(ReportEscape, Utf8IsSanitised) {
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(sanitize_utf8("ok é 😀"), "ok é 😀");
  EXPECT_EQ(sanitize_utf8("a\xFF"
                          "b"),
            "a" + r + "b");
  EXPECT_EQ(sanitize_utf8("\xC0\xAF"), r + r);                  // overlong '/'
  EXPECT_EQ(sanitize_utf8("\xED\xA0\x80"), r + r + r);          // a surrogate
  EXPECT_EQ(sanitize_utf8("\xF4\x90\x80\x80"), r + r + r + r);  // above U+10FFFF
  EXPECT_EQ(sanitize_utf8("x\xE2\x82"), "x" + r + r);           // truncated
  EXPECT_EQ(sanitize_utf8("\x01\x1B[31m"), r + r + "[31m");     // control characters
  EXPECT_EQ(sanitize_utf8("\xC2\x85"), r);                      // C1 control
  EXPECT_EQ(sanitize_utf8("tab\tnewline\n"), "tab\tnewline\n");
  EXPECT_EQ(html_escape("\xFF<"), r + "&lt;");
}

TEST(ReportEscape, MarkdownTextRendersLiterally) {
  EXPECT_EQ(md_escape("a|b`c*d_e[f]g<h>i~j&k$l\\m"), "a\\|b\\`c\\*d\\_e\\[f\\]g\\<h\\>i\\~j\\&k\\$l\\\\m");
  EXPECT_EQ(md_escape("line\nbreak\ttab"), "line break tab");
  // Block markers at the start only.
  EXPECT_EQ(md_escape("# not a heading"), "\\# not a heading");
  EXPECT_EQ(md_escape("- not a list"), "\\- not a list");
  EXPECT_EQ(md_escape("+ x"), "\\+ x");
  EXPECT_EQ(md_escape("==="), "\\===");
  EXPECT_EQ(md_escape("-0.25/MiB"), "-0.25/MiB");
  EXPECT_EQ(md_escape("#1 in"), "#1 in");
  EXPECT_EQ(md_escape("-"), "\\-");
  EXPECT_EQ(md_escape("12. not a list"), "12\\. not a list");
  EXPECT_EQ(md_escape("3) x"), "3\\) x");
  EXPECT_EQ(md_escape("37.0 → 38.5"), "37.0 → 38.5");
  EXPECT_EQ(md_escape("a - b # c"), "a - b # c");
  EXPECT_EQ(md_escape(""), "");
}

TEST(ReportEscape, MarkdownCodeSpansHoldAnyText) {
  EXPECT_EQ(md_code("plain"), "`plain`");
  EXPECT_EQ(md_code("a`b"), "``a`b``");
  EXPECT_EQ(md_code("`x`"), "`` `x` ``");
  EXPECT_EQ(md_code(""), "` `");
  EXPECT_EQ(md_code("a|b"), "`a|b`");
  EXPECT_EQ(md_code("a|b", true), "`a\\|b`");
  EXPECT_EQ(md_code("two\nlines"), "`two lines`");
  EXPECT_EQ(md_fence("no fences"), "```");
  EXPECT_EQ(md_fence("x\n```\ny"), "````");
  EXPECT_EQ(md_fence("  `````"), "``````");
}

TEST(ReportEscape, CsvFieldsFollowRfc4180) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field(" padded"), "\" padded\"");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_row({"a", "b,c", ""}), "a,\"b,c\",\n");
}

TEST(ReportEscape, AnchorsMatchGitHub) {
  EXPECT_EQ(github_anchor("Q1 size"), "q1-size");
  EXPECT_EQ(github_anchor("What Phase 2 must investigate"), "what-phase-2-must-investigate");
  EXPECT_EQ(github_anchor("Database 0: lab | x"), "database-0-lab--x");
  EXPECT_EQ(github_anchor("snake_case-ok"), "snake_case-ok");
}

TEST(ReportEscape, Base64AndSlugs) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foob"), "Zm9vYg==");
  EXPECT_EQ(base64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64(std::string("\0\xFF", 2)), "AP8=");
  EXPECT_EQ(file_slug("Q1 size"), "q1-size");
  EXPECT_EQ(file_slug("../etc/passwd"), "etc-passwd");
  EXPECT_EQ(file_slug("!!!"), "x");
}

}  // namespace
}  // namespace sysaxis::report
