// bench/child_process.cpp - fork, pipe, deadline (see child_process.hpp).
#include "child_process.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <stdexcept>

#include "watchdog.hpp"

namespace msgpool_bench {
namespace {

void write_all(int fd, const std::string& s) {
    for (std::size_t done = 0; done < s.size();) {
        const ssize_t n = ::write(fd, s.data() + done, s.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        done += static_cast<std::size_t>(n);
    }
}

[[noreturn]] void child(int fd, const std::function<std::string()>& body) {
    int status = 0;
    try {
        write_all(fd, body());
    } catch (const std::exception& e) {
        write_all(fd, e.what());
        status = 1;
    } catch (...) {
        status = 1;
    }
    ::close(fd);
    std::_Exit(status);  // no atexit handlers, no flush of the parent's copied buffers
}

std::string how_it_ended(int status) {
    if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        return "the run's process was killed by signal " + std::to_string(sig) + " (" + ::strsignal(sig) + ")";
    }
    if (WIFEXITED(status)) return "the run's process exited with status " + std::to_string(WEXITSTATUS(status));
    return "the run's process ended abnormally";
}

}  // namespace

child_outcome run_in_child(const std::string& what, std::chrono::seconds limit,
                           const std::function<std::string()>& body) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    std::fflush(nullptr);  // the child must not write out the parent's pending output again
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {
        ::close(fds[0]);
        child(fds[1], body);
    }
    ::close(fds[1]);

    const auto deadline = std::chrono::steady_clock::now() + limit;
    std::string answer;
    char buf[4096];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd p{fds[0], POLLIN, 0};
        const int ready = left.count() > 0 ? ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1 << 30))) : 0;
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
            abort_hung(what, limit);
        }
        const ssize_t n = ::read(fds[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // end of file: the child closed its end (it is exiting)
        answer.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    child_outcome out;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        out.completed = true;
        out.answer = std::move(answer);
    } else {
        out.failure = how_it_ended(status);
        if (!answer.empty()) out.failure += ": " + answer;
    }
    return out;
}

}  // namespace msgpool_bench
