// msgpool/detail/process_identity.hpp - naming a process so that a later look
// can tell whether *that* process is still alive.
//
// A pid alone is not a name: pids are reused, so kill(pid, 0) can answer for
// a newer process.  The pair (pid, start time) is: the start time (field 22
// of /proc/<pid>/stat, in clock ticks since boot) of a reused pid differs.
// Pids mean something only inside one pid namespace; processes in different
// namespaces (containers sharing /dev/shm) cannot judge each other this way,
// and is_alive() then answers "alive" for a pid it cannot see only if an
// unrelated process of that namespace happens to have the same pid and start
// time, which the tick resolution makes unlikely but not impossible.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include <sys/types.h>
#include <unistd.h>

namespace msgpool::detail {

struct process_identity {
    std::int64_t pid = 0;
    std::uint64_t start = 0;  // clock ticks since boot; 0: unknown

    /// The start time of `pid`, or 0 when it does not exist (or is a zombie:
    /// a dead process whose parent has not reaped it yet).
    static std::uint64_t start_of(std::int64_t pid) noexcept {
        const std::string path = "/proc/" + std::to_string(pid) + "/stat";
        std::FILE* f = std::fopen(path.c_str(), "re");
        if (f == nullptr) return 0;
        char buf[1024];
        const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
        std::fclose(f);
        buf[n] = '\0';
        // The command name (field 2) is in parentheses and may hold spaces
        // and ')': the fields after it start after the *last* ')'.
        const char* p = std::strrchr(buf, ')');
        if (p == nullptr) return 0;
        ++p;
        char state = 0;
        unsigned long long start = 0;
        // field 3 is the state; the start time is field 22, the 20th after the ')'.
        if (std::sscanf(p, " %c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu",
                        &state, &start) != 2)
            return 0;
        if (state == 'Z' || state == 'X') return 0;
        return start;
    }

    static process_identity self() noexcept {
        const std::int64_t pid = ::getpid();
        return {pid, start_of(pid)};
    }

    /// Whether the process so named still runs (or is stopped: a stopped
    /// process is alive).
    bool is_alive() const noexcept {
        if (pid <= 0) return false;
        const std::uint64_t now = start_of(pid);
        return now != 0 && (start == 0 || now == start);
    }
};

}  // namespace msgpool::detail
