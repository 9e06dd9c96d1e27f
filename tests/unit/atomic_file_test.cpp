// write_file_atomic: whole or nothing for regular files; devices, FIFOs and links stay what they are.
#include "common/atomic_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "common/temp_dir.h"

namespace fs = std::filesystem;
using sysaxis::TempDir;
using sysaxis::write_file_atomic;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST(AtomicFile, ReplacesARegularFileWhole) {
  TempDir tmp("sysaxis-atomic");
  const auto f = tmp.path() / "out.txt";
  write_file_atomic(f, "first\n");
  write_file_atomic(f, "second\n");
  EXPECT_EQ(slurp(f), "second\n");
  // Nothing but the file itself is left in the folder (no temporaries).
  EXPECT_EQ(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()), 1);
}

// A FIFO stands for /dev/null and /dev/stdout: renaming over it would put a regular file where the
// node was (as root, `sysaxis trace -o /dev/null` did exactly that to /dev/null).
TEST(AtomicFile, WritesIntoAFifoAndLeavesItAFifo) {
  TempDir tmp("sysaxis-atomic");
  const auto fifo = tmp.path() / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string got;
  std::thread reader([&] { got = slurp(fifo); });
  write_file_atomic(fifo, "through the pipe\n");
  reader.join();
  EXPECT_EQ(got, "through the pipe\n");
  EXPECT_TRUE(fs::is_fifo(fs::symlink_status(fifo)));
}

TEST(AtomicFile, DevNullStaysACharacterDevice) {
  write_file_atomic("/dev/null", "discarded\n");
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST(AtomicFile, FollowsASymbolicLinkAndKeepsIt) {
  TempDir tmp("sysaxis-atomic");
  const auto real = tmp.path() / "real.txt";
  const auto link = tmp.path() / "link.txt";
  write_file_atomic(real, "old\n");
  fs::create_symlink(real, link);
  write_file_atomic(link, "new\n");
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(link)));
  EXPECT_EQ(slurp(real), "new\n");
}

TEST(AtomicFile, ADirectoryIsRefusedAndUntouched) {
  TempDir tmp("sysaxis-atomic");
  EXPECT_THROW(write_file_atomic(tmp.path(), "x"), std::runtime_error);
  EXPECT_TRUE(fs::is_directory(tmp.path()));
}

TEST(AtomicFile, AMissingFolderFailsWithThePath) {
  try {
    write_file_atomic("/nonexistent-sysaxis-dir/out.txt", "x");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-sysaxis-dir/out.txt"), std::string::npos) << e.what();
  }
}

TEST(AtomicFile, ReadsBackWhatItWroteAndNothingForAMissingFile) {
  TempDir tmp("sysaxis-atomic");
  const auto f = tmp.path() / "data.bin";
  const std::string bytes("a\0b\nc", 5);
  write_file_atomic(f, bytes);
  EXPECT_EQ(sysaxis::read_file_whole(f), bytes);
  EXPECT_EQ(sysaxis::read_file_whole(tmp.path() / "missing"), std::nullopt);
  EXPECT_EQ(sysaxis::read_file_whole(tmp.path()), std::nullopt);  // a directory cannot be read
}
