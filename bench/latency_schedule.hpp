// bench/latency_schedule.hpp - whether a paced one-way run (latency.hpp,
// run_one_way) offered the load it was asked to: the verdict printed
// beside each one-way row of msgpool-bench --latency.
//
// A paced run has a fixed schedule: `messages` sends, the last one due
// `scheduled_seconds` after the start.  Its verdict is
//   behind  the last write returned so late that the senders moved the
//           messages at under min_sent_share of the offered rate: the load
//           was not offered, and the latency is the backlog of a rate the
//           system did not take;
//   late    the rate was offered on the whole, but the median pacing error
//           (actual minus scheduled send time) exceeds the gap between two
//           sends of one producer: the median message left after its
//           successor was due, so the senders sent in bursts, not on the
//           schedule, and the latency holds the senders' own lateness;
//   kept    neither.
// Only a "kept" row is a measurement at its load.  The sent rate is the
// messages over the time to the last write's return: a sender delayed for
// a while that catches up keeps its rate, one that never does loses it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "latency.hpp"

namespace msgpool_bench {

enum class schedule_state { kept, late, behind };

inline const char* to_string(schedule_state s) noexcept {
    switch (s) {
        case schedule_state::kept: return "kept";
        case schedule_state::late: return "LATE";
        case schedule_state::behind: return "BEHIND";
    }
    return "?";
}

struct schedule_verdict {
    schedule_state state = schedule_state::kept;
    double sent_mps = 0;      // messages per second the senders moved (to the last write's return)
    double sent_share = 0;    // sent_mps over the offered rate (at most about 1)
    double interval_ns = 0;   // the schedule's gap between two sends of one producer
    double pacing_p50_ns = 0;
};

/// The sent rate below which a run is "behind": 95% of the offered one.
inline constexpr double min_sent_share = 0.95;

/// The verdict on a paced one-way run of `producers` senders offered
/// `offered_mps` messages per second in all; "behind" also when the run
/// recorded no send at all.
inline schedule_verdict judge_schedule(const latency_measure& m, double offered_mps, unsigned producers) {
    schedule_verdict v;
    v.interval_ns = offered_mps > 0 ? 1e9 * producers / offered_mps : 0;
    v.pacing_p50_ns = static_cast<double>(m.pacing.percentile(50));
    if (!(m.sent_seconds > 0) || m.messages == 0 || !(offered_mps > 0)) {
        v.state = schedule_state::behind;
        return v;
    }
    v.sent_mps = static_cast<double>(m.messages) / m.sent_seconds;
    // The schedule's own rate: the messages over the span to the last due send.
    const double scheduled_mps = m.scheduled_seconds > 0 ? static_cast<double>(m.messages) / m.scheduled_seconds
                                                         : offered_mps;
    v.sent_share = v.sent_mps / scheduled_mps;
    if (v.sent_share < min_sent_share)
        v.state = schedule_state::behind;
    else if (v.pacing_p50_ns > v.interval_ns)
        v.state = schedule_state::late;
    return v;
}

/// One line on a verdict that is not "kept", for the report's list of the
/// rows that are not at their load: "BEHIND: sent 41% of the offered rate,
/// pacing p50 14286.847 us, the schedule's gap 0.066 us".
inline std::string describe(const schedule_verdict& v) {
    const auto fixed3 = [](double x) {
        char buf[48];
        std::snprintf(buf, sizeof buf, "%.3f", x);
        return std::string(buf);
    };
    return std::string(to_string(v.state)) + ": sent " + std::to_string(static_cast<int>(100 * v.sent_share + 0.5)) +
           "% of the offered rate, pacing p50 " + fixed3(v.pacing_p50_ns / 1e3) + " us, the schedule's gap " +
           fixed3(v.interval_ns / 1e3) + " us";
}

}  // namespace msgpool_bench
