// bench/run_info.hpp - what identifies a run: when, which commit, which
// compiler, which machine.  The id names the output folder and heads every file.
#pragma once

#include <string>

namespace msgpool_bench {

struct run_info {
    std::string id;         // 20240101-120000-abc1234-gcc12.2
    std::string timestamp;  // ISO 8601, local time
    std::string commit;     // short hash (+"-dirty"), or "unknown"
    std::string compiler;   // "gcc 12.2.0", "clang 14.0.6"
    std::string cpu;        // model name from /proc/cpuinfo, or "unknown"
    unsigned hardware_threads = 0;
    std::string host;
};

run_info describe_this_run();

}  // namespace msgpool_bench
