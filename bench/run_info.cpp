// bench/run_info.cpp - collects the run's identity.
#include "run_info.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <thread>

#ifndef MSGPOOL_BENCH_SOURCE_DIR
#define MSGPOOL_BENCH_SOURCE_DIR "."
#endif

namespace msgpool_bench {
namespace {

std::string command_output(const std::string& command) {
    std::string out;
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
        std::array<char, 256> buffer{};
        while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) out += buffer.data();
        ::pclose(pipe);
    }
    while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
    return out;
}

std::string git_commit() {
    const std::string git = "git -C '" MSGPOOL_BENCH_SOURCE_DIR "' ";
    std::string hash = command_output(git + "rev-parse --short HEAD 2>/dev/null");
    if (hash.empty()) return "unknown";
    if (!command_output(git + "status --porcelain --untracked-files=no 2>/dev/null").empty()) hash += "-dirty";
    return hash;
}

std::string compiler() {
#if defined(__clang__)
    return "clang " + std::to_string(__clang_major__) + "." + std::to_string(__clang_minor__) + "." +
           std::to_string(__clang_patchlevel__);
#elif defined(__GNUC__)
    return "gcc " + std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__) + "." +
           std::to_string(__GNUC_PATCHLEVEL__);
#else
    return "unknown";
#endif
}

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("model name", 0) == 0) {
            const auto colon = line.find(':');
            if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
        }
    return "unknown";
}

}  // namespace

run_info describe_this_run() {
    run_info r;
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm local{};
    localtime_r(&now, &local);
    char stamp[32], iso[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
    std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%S%z", &local);
    r.timestamp = iso;
    r.commit = git_commit();
    r.compiler = compiler();
    r.cpu = cpu_model();
    r.hardware_threads = std::thread::hardware_concurrency();
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) == 0) r.host = host;
    std::string short_compiler = r.compiler;  // "gcc 12.2.0" -> "gcc12.2"
    short_compiler.erase(std::remove(short_compiler.begin(), short_compiler.end(), ' '), short_compiler.end());
    if (const auto last_dot = short_compiler.rfind('.'); last_dot != std::string::npos &&
                                                        short_compiler.find('.') != last_dot)
        short_compiler.erase(last_dot);
    r.id = std::string(stamp) + "-" + r.commit + "-" + short_compiler;
    return r;
}

}  // namespace msgpool_bench
