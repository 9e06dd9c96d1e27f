// The check that keeps characters other than ASCII outside TOML strings and comments away from
// toml++ (whose whitespace test reaches __builtin_unreachable on some; found by fuzz/fuzz_taxonomy).
#include <gtest/gtest.h>

#include "common/text.h"
#include "sweep/spec.h"
#include "syscalls/taxonomy.h"

namespace {

using sysaxis::toml_non_ascii_outside_strings;

TEST(TomlNonAscii, AllowedInStringsAndComments) {
  EXPECT_FALSE(toml_non_ascii_outside_strings("a = \"caf\xE2\x82\xAC\"  # caf\xE2\x82\xAC\nb = 'x\xE2\x82\xAC'\n"));
  EXPECT_FALSE(
      toml_non_ascii_outside_strings("a = \"\"\"\n\xE2\x82\xAC\n\\\n\xE2\x82\xAC\"\"\"\nb = '''\n\xE2\x82\xAC'''\n"));
  EXPECT_FALSE(toml_non_ascii_outside_strings("a = \"q\\\"\xE2\x82\xAC\"\n"));  // an escaped quote
  EXPECT_FALSE(
      toml_non_ascii_outside_strings("\xEF\xBB\xBF"
                                     "a = 1\n"));  // a byte order mark
}

TEST(TomlNonAscii, ElsewhereIsReportedWithItsLine) {
  auto p = toml_non_ascii_outside_strings("a = 1\n\xE2\x82\xAC = 2\n");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->line, 2);
  EXPECT_EQ(p->what, "a character other than ASCII (byte 0xE2) outside a string or comment");
  // What fuzzing found: U+FEDF where whitespace may be.
  p = toml_non_ascii_outside_strings(
      "\xEF\xBB\x9F"
      "ema = \"x\"\n");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->line, 1);
  // A one-line string ends at the end of its line (an error toml++ reports).
  p = toml_non_ascii_outside_strings("a = \"open\n\xE2\x82\xAC\n");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->line, 2);
}

TEST(TomlNonAscii, TaxonomyAndSpecSayWhere) {
  try {
    (void)sysaxis::syscalls::Taxonomy::parse(
        "\xEF\xBB\x9F"
        "schema = \"sysaxis.taxonomy/1\"\n",
        "t.toml");
    ADD_FAILURE() << "accepted";
  } catch (const sysaxis::syscalls::TaxonomyError& e) {
    EXPECT_EQ(std::string(e.what()).substr(0, 32), "t.toml:1: invalid TOML: U+FEDF: ");
  }
  EXPECT_THROW((void)sysaxis::sweep::parse_spec("schema = 1\n\xC2\xA1\n", "s.toml"), sysaxis::sweep::SpecError);
}

}  // namespace
