// bench/runner.cpp - runs in a child or in this process (see runner.hpp).
//
// A child sends its measure back as one line of text: the floating-point
// fields in hexadecimal (%a, exact), then the failure text, if any.
#include "runner.hpp"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "child_process.hpp"

namespace msgpool_bench {
namespace {

std::string encode(const run_measure& m) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "%a %a %" PRIu64 " %d ", m.seconds, m.cpu_seconds, m.context_switches,
                  m.exactly_once ? 1 : 0);
    return buf + m.failure;
}

run_measure decode_run(const std::string& text) {
    run_measure m;
    int once = 0, used = 0;
    if (std::sscanf(text.c_str(), "%la %la %" SCNu64 " %d %n", &m.seconds, &m.cpu_seconds, &m.context_switches, &once,
                    &used) < 4)
        throw std::runtime_error("a run's process answered '" + text + "'");
    m.exactly_once = once != 0;
    m.failure = text.substr(static_cast<std::size_t>(used));
    return m;
}

std::string encode(const idle_measure& m) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "%a %a %" PRIu64, m.window_seconds, m.cpu_seconds, m.context_switches);
    return buf;
}

idle_measure decode_idle(const std::string& text) {
    idle_measure m;
    if (std::sscanf(text.c_str(), "%la %la %" SCNu64, &m.window_seconds, &m.cpu_seconds, &m.context_switches) != 3)
        throw std::runtime_error("an idle run's process answered '" + text + "'");
    return m;
}

/// Four lines: the times (%a) and the message count, the latency
/// histogram, the pacing histogram (latency_histogram::encode), then the
/// failure text.
std::string encode(const latency_measure& m) {
    char buf[192];
    std::snprintf(buf, sizeof buf, "%a %a %a %a %" PRIu64 "\n", m.seconds, m.scheduled_seconds, m.sent_seconds,
                  m.read_seconds, m.messages);
    return buf + m.latency.encode() + "\n" + m.pacing.encode() + "\n" + m.failure;
}

latency_measure decode_latency(const std::string& text) {
    latency_measure m;
    const auto a = text.find('\n'), b = text.find('\n', a + 1), c = text.find('\n', b + 1);
    if (c == std::string::npos ||
        std::sscanf(text.c_str(), "%la %la %la %la %" SCNu64, &m.seconds, &m.scheduled_seconds, &m.sent_seconds,
                    &m.read_seconds, &m.messages) != 5 ||
        !m.latency.decode(text.substr(a + 1, b - a - 1)) || !m.pacing.decode(text.substr(b + 1, c - b - 1)))
        throw std::runtime_error("a latency run's process answered '" + text.substr(0, 200) + "'");
    m.failure = text.substr(c + 1);
    return m;
}

}  // namespace

runner::runner(bool in_process, std::chrono::seconds limit) : in_process_(in_process), limit_(limit) {
    if (in_process_) dog_.emplace();
}

run_measure runner::run(const system& s, std::size_t message_bytes, const run_config& config,
                        const std::string& what) {
    if (in_process_) {
        dog_->arm(what, limit_);
        auto m = s.run(message_bytes, config);
        dog_->disarm();
        return m;
    }
    const auto out = run_in_child(what, limit_, [&] { return encode(s.run(message_bytes, config)); });
    if (out.completed) return decode_run(out.answer);
    run_measure failed;
    failed.failure = out.failure;
    return failed;
}

idle_measure runner::idle(const system& s, const idle_config& config, const std::string& what) {
    if (in_process_) {
        dog_->arm(what, limit_);
        auto m = s.idle(config);
        dog_->disarm();
        return m;
    }
    const auto out = run_in_child(what, limit_, [&] { return encode(s.idle(config)); });
    if (!out.completed) throw std::runtime_error(what + ": " + out.failure);
    return decode_idle(out.answer);
}

latency_measure runner::latency(latency_measure (*workload)(const latency_config&), const latency_config& config,
                                const std::string& what) {
    if (in_process_) {
        dog_->arm(what, limit_);
        auto m = workload(config);
        dog_->disarm();
        return m;
    }
    const auto out = run_in_child(what, limit_, [&] { return encode(workload(config)); });
    if (out.completed) return decode_latency(out.answer);
    latency_measure failed;
    failed.failure = out.failure;
    return failed;
}

}  // namespace msgpool_bench
