// The one exit-code table (common/exit_codes.h): its constants, its rows per subcommand, and the
// copy in README.md ("Exit codes"), which must be the same table.
#include "common/exit_codes.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../support/text_file.h"

namespace {

using sysaxis::test::read_text;

std::vector<std::string> table_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("|")) out.push_back(line);
  }
  return out;
}

}  // namespace

TEST(ExitCodes, ReadmeShowsTheTableOfTheCode) {
  const std::string readme = read_text(std::string(SYSAXIS_SOURCE_DIR) + "/README.md");
  const auto start = readme.find("\n## Exit codes\n");
  ASSERT_NE(start, std::string::npos) << "README.md has no section \"Exit codes\"";
  const auto end = readme.find("\n## ", start + 1);
  const std::string section = readme.substr(start, end == std::string::npos ? std::string::npos : end - start);
  const std::string generated = sysaxis::exit_codes_markdown();
  EXPECT_EQ(table_lines(section), table_lines(generated)) << "README.md's table, to paste:\n" << generated;
  EXPECT_NE(section.find(sysaxis::kExitCodesNote), std::string::npos);
}

TEST(ExitCodes, EveryConstantHasItsRow) {
  std::set<std::string> codes;
  for (const auto& e : sysaxis::kExitCodes) EXPECT_TRUE(codes.insert(std::string(e.code)).second) << e.code;
  for (int code : {sysaxis::kExitOk, sysaxis::kExitSomeFailed, sysaxis::kExitUsage, sysaxis::kExitDatabase,
                   sysaxis::kExitOutput, sysaxis::kExitAnalysis, sysaxis::kExitMissingProgram,
                   sysaxis::kExitTracerFailure, sysaxis::kExitNotExecutable, sysaxis::kExitNotFound}) {
    EXPECT_TRUE(codes.contains(std::to_string(code))) << code;
  }
  EXPECT_TRUE(codes.contains("128+N"));  // kExitInterrupted is 128 + SIGINT
  EXPECT_EQ(sysaxis::kExitInterrupted, 128 + 2);
}

TEST(ExitCodes, EachSubcommandGetsItsRows) {
  const std::set<std::string> subcommands = {"trace", "run", "merge", "analyze", "report", "compare", "check-numbers"};
  for (const auto& e : sysaxis::kExitCodes) {
    if (e.commands == "all") continue;
    std::istringstream names{std::string(e.commands)};
    for (std::string name; std::getline(names, name, ',');) {
      if (name.starts_with(' ')) name.erase(0, 1);
      EXPECT_TRUE(subcommands.contains(name)) << e.code << ": " << name;
    }
  }
  const std::string run = sysaxis::exit_codes_text("run");
  EXPECT_NE(run.find("\n  6 "), std::string::npos) << run;
  EXPECT_EQ(run.find("\n  127 "), std::string::npos) << run;
  EXPECT_EQ(run.find(sysaxis::kExitCodesNote), std::string::npos);
  const std::string trace = sysaxis::exit_codes_text("trace");
  EXPECT_NE(trace.find("\n  127 "), std::string::npos) << trace;
  EXPECT_EQ(trace.find("\n  3 "), std::string::npos) << trace;
  EXPECT_NE(trace.find(sysaxis::kExitCodesNote), std::string::npos);
  EXPECT_TRUE(sysaxis::exit_codes_text().starts_with("Exit codes:\n"));
}
