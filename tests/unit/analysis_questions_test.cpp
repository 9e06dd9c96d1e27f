// The analysis is organised by the frozen questions: the texts in the code are those of
// docs/questions.md, word for word.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "analysis/analysis.h"

TEST(AnalysisQuestions, MatchDocsQuestionsVerbatim) {
  std::ifstream in(std::string(SYSAXIS_SOURCE_DIR) + "/docs/questions.md");
  ASSERT_TRUE(in) << "docs/questions.md is missing";
  std::stringstream text;
  text << in.rdbuf();
  const auto& qs = sysaxis::analysis::questions();
  ASSERT_EQ(qs.size(), 3U);
  EXPECT_EQ(qs[0].id, "Q1");
  EXPECT_EQ(qs[0].axis, "bytes");
  EXPECT_EQ(qs[1].axis, "iters");
  EXPECT_EQ(qs[2].axis, "exec");
  for (const auto& q : qs) {
    EXPECT_NE(text.str().find("- " + std::string(q.text) + "\n"), std::string::npos) << q.text;
  }
}
