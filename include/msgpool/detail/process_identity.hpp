// msgpool/detail/process_identity.hpp - naming a process so that a later look
// can tell whether *that* process is still alive.
//
// A pid alone is not a name: pids are reused, so kill(pid, 0) can answer for
// a newer process.  The pair (pid, start time) is: the start time (field 22
// of /proc/<pid>/stat, in clock ticks since boot) of a reused pid differs.
// Pids mean something only inside one pid namespace; processes in different
// namespaces (containers sharing /dev/shm) cannot judge each other this way,
// so a shared pool records its creator's namespace (pid_namespace()) and
// refuses processes of another one.
//
// Dead means: no such pid, another process under that pid, or a zombie
// (killed, not yet reaped).  A thread-group leader that ended with
// pthread_exit while other threads of its process still run also shows as a
// zombie; its process is alive, so a zombie leader is dead only when no task
// of its group is still running (/proc/<pid>/task).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include <dirent.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

namespace msgpool::detail {

struct process_identity {
    std::int64_t pid = 0;
    std::uint64_t start = 0;  // clock ticks since boot; 0: unknown

    /// The start time of `pid`, or 0 when it does not exist or is dead (a
    /// zombie whose tasks have all ended: see the preamble).
    static std::uint64_t start_of(std::int64_t pid) noexcept {
        char state = 0;
        const std::uint64_t start = stat_of("/proc/" + std::to_string(pid) + "/stat", state);
        if (start == 0) return 0;
        if (state == 'Z' || state == 'X') return any_task_running(pid) ? start : 0;
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

    /// The inode of this process's pid namespace (0 if it cannot be read):
    /// processes compare pids only when theirs are equal.
    static std::uint64_t pid_namespace() noexcept {
        struct stat st {};
        if (::stat("/proc/self/ns/pid", &st) != 0) return 0;
        return static_cast<std::uint64_t>(st.st_ino);
    }

private:
    // Field 22 (start time) and field 3 (state) of a /proc stat file; 0 if
    // it cannot be read.
    static std::uint64_t stat_of(const std::string& path, char& state) noexcept {
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
        unsigned long long start = 0;
        // field 3 is the state; the start time is field 22, the 20th after the ')'.
        if (std::sscanf(p, " %c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu",
                        &state, &start) != 2)
            return 0;
        return start;
    }

    // Whether some task of `pid`'s thread group is neither a zombie nor dead.
    static bool any_task_running(std::int64_t pid) noexcept {
        const std::string dir = "/proc/" + std::to_string(pid) + "/task";
        DIR* d = ::opendir(dir.c_str());
        if (d == nullptr) return false;
        bool running = false;
        while (const dirent* e = ::readdir(d)) {
            if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
            char state = 0;
            if (stat_of(dir + "/" + e->d_name + "/stat", state) != 0 && state != 'Z' && state != 'X') {
                running = true;
                break;
            }
        }
        ::closedir(d);
        return running;
    }
};

}  // namespace msgpool::detail
