// The exit codes of sysaxis: one table for every subcommand. `sysaxis --help` prints it, each
// subcommand's --help its rows, and README.md ("Exit codes") repeats it, which a unit test checks.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace sysaxis {

inline constexpr int kExitOk = 0;
inline constexpr int kExitSomeFailed = 1;  // done, with a negative answer: failed runs, not reproduced
inline constexpr int kExitUsage = 2;
inline constexpr int kExitDatabase = 3;         // a study database cannot be read or written, or refuses
inline constexpr int kExitOutput = 4;           // an output file or folder cannot be written
inline constexpr int kExitAnalysis = 5;         // an analysis.json cannot be read or is not of this study
inline constexpr int kExitMissingProgram = 6;   // a workload or gnuplot is missing, unavailable or failed
inline constexpr int kExitTracerFailure = 125;  // the tracer cannot run here or failed
inline constexpr int kExitNotExecutable = 126;
inline constexpr int kExitNotFound = 127;
inline constexpr int kExitInterrupted = 130;  // 128 + SIGINT; run: stopped by any signal

struct ExitCode {
  std::string_view code;      // "128+N" for the one row that is a range
  std::string_view meaning;   // one sentence
  std::string_view commands;  // the subcommands that exit with it, comma-separated; "all"
};

inline constexpr std::array<ExitCode, 11> kExitCodes = {{
    {"0", "done (run: every run stored and ok; compare --check: every constraint and firm claim of A reproduced)",
     "all"},
    {"1",
     "done, with a negative answer: every run stored, some failed (run); a constraint or firm claim of A not "
     "reproduced in B (compare --check); a number without a source or that disagrees with it (check-numbers, one "
     "line each: DOC:LINE: what)",
     "run, compare, check-numbers"},
    {"2", "usage error: an unknown option or a bad argument, an invalid spec or taxonomy", "all"},
    {"3",
     "database: a study database cannot be read or written, is not a study, or refuses the change (another "
     "schema version or spec, overlapping runs, disk full)",
     "run, merge, analyze, report"},
    {"4", "output: a file or folder to write cannot be written (nothing is left half-written)",
     "analyze, report, compare"},
    {"5",
     "analysis: an analysis.json cannot be read, is not of schema sysaxis.analysis/2, or is of another study; "
     "check-numbers: the document or an analysis it cites cannot be read",
     "report, compare, check-numbers"},
    {"6",
     "missing program: a required backend's workload is missing or not available (run), gnuplot is missing or "
     "failed (report)",
     "run, report"},
    {"125",
     "the tracer cannot run here or failed (trace, run; trace: also an -o file that cannot be written), or an "
     "unexpected internal error",
     "all"},
    {"126", "the command cannot be executed", "trace"},
    {"127", "the command is not found", "trace"},
    {"128+N",
     "a signal N ended it: the command killed by N (trace); 130, whatever the signal: interrupted, run the same "
     "command again to continue (run)",
     "trace, run"},
}};

// After the table: what the rows do not say.
inline constexpr std::string_view kExitCodesNote =
    "sysaxis trace exits with the command's own status when the command ran.";

// The table as plain text for --help: "Exit codes:" and one line per code (of one subcommand,
// or all of them when `command` is empty).
std::string exit_codes_text(std::string_view command = {});
// The table as the Markdown table of README.md, and the note under it.
std::string exit_codes_markdown();

}  // namespace sysaxis
