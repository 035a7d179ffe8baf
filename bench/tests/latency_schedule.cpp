// bench/tests/latency_schedule.cpp - the verdict on a paced one-way run
// (bench/latency_schedule.hpp): a run whose senders fell behind their
// schedule is flagged, and the unpaced calibration (bench/latency.hpp)
// delivers every message and reports its times.
//
// Two halves: judge_schedule on measures built by hand (every state and its
// boundary), and run_one_way end to end on a structure whose consumer is
// slow on purpose, offered far more than it can take: the senders must come
// out BEHIND; the same structure offered a rate it takes easily must not.
#define BOOST_TEST_MODULE bench_latency_schedule
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdint>
#include <ostream>
#include <thread>

#include "latency.hpp"
#include "latency_schedule.hpp"
#include "peers/mutex_deque.hpp"

using namespace msgpool_bench;

namespace msgpool_bench {
std::ostream& operator<<(std::ostream& out, schedule_state s) { return out << to_string(s); }
}  // namespace msgpool_bench

namespace {

/// A paced run's measure: `messages` sends due over `scheduled` seconds,
/// the last write back after `sent` seconds, `pacing_ns` late each.
latency_measure made(std::uint64_t messages, double scheduled, double sent, std::uint64_t pacing_ns) {
    latency_measure m;
    m.messages = messages;
    m.scheduled_seconds = scheduled;
    m.sent_seconds = sent;
    m.read_seconds = sent;
    for (std::uint64_t i = 0; i < messages; ++i) m.pacing.record(pacing_ns);
    return m;
}

/// mutex+condvar+deque whose reads take at least 50 us each: a consumer
/// that sustains at most 20000 messages a second.
template <class Msg>
class slow_consumer_queue : public mutex_deque_queue<Msg> {
public:
    using mutex_deque_queue<Msg>::mutex_deque_queue;
    bool read(typename mutex_deque_queue<Msg>::consumer& c, Msg& m) {
        // Not an ordering: the sleep only makes each read slow.
        std::this_thread::sleep_for(std::chrono::microseconds(50));
        return mutex_deque_queue<Msg>::read(c, m);
    }
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_run_on_schedule_is_kept) {
    // 1000 messages over 1 ms offered at 1 M msg/s, one producer (gap 1 us),
    // last write 0.5% after the last due time, every send 100 ns late.
    const auto v = judge_schedule(made(1000, 1e-3, 1.005e-3, 100), 1e6, 1);
    BOOST_TEST(v.state == schedule_state::kept);
    BOOST_TEST(v.interval_ns == 1000.0);
    BOOST_TEST(v.sent_share > 0.99);
    BOOST_TEST(std::string(to_string(v.state)) == "kept");
}

BOOST_AUTO_TEST_CASE(a_sender_that_fell_behind_is_flagged) {
    // The same schedule, the last write after 2.5 ms: 40% of the offered rate.
    const auto v = judge_schedule(made(1000, 1e-3, 2.5e-3, 700'000), 1e6, 1);
    BOOST_TEST(v.state == schedule_state::behind);
    BOOST_TEST(v.sent_share < 0.41);
    BOOST_TEST(v.sent_share > 0.39);
    BOOST_TEST(describe(v).find("BEHIND: sent 40% of the offered rate") == 0u);
    // Just under the bound is behind, just over is not.
    BOOST_TEST((judge_schedule(made(1000, 1e-3, 1e-3 / (min_sent_share - 0.01), 100), 1e6, 1).state ==
                schedule_state::behind));
    BOOST_TEST((judge_schedule(made(1000, 1e-3, 1e-3 / (min_sent_share + 0.01), 100), 1e6, 1).state ==
                schedule_state::kept));
}

BOOST_AUTO_TEST_CASE(a_sender_late_at_the_median_is_flagged) {
    // The rate was kept, but the median send was 5 us late with 4 producers
    // at 1 M msg/s in all (gap 4 us): bursts, not the schedule.
    const auto v = judge_schedule(made(1000, 1e-3, 1.001e-3, 5000), 1e6, 4);
    BOOST_TEST(v.interval_ns == 4000.0);
    BOOST_TEST(v.state == schedule_state::late);
    BOOST_TEST(std::string(to_string(v.state)) == "LATE");
    // 3 us late with the same gap: kept.
    BOOST_TEST((judge_schedule(made(1000, 1e-3, 1.001e-3, 3000), 1e6, 4).state == schedule_state::kept));
}

BOOST_AUTO_TEST_CASE(a_run_with_no_send_is_behind) {
    BOOST_TEST((judge_schedule(latency_measure{}, 1e6, 1).state == schedule_state::behind));
}

BOOST_AUTO_TEST_CASE(an_overloaded_one_way_run_comes_out_behind) {
    // 1000 messages offered at 10 M msg/s (a 0.1 ms schedule) to a consumer
    // that takes at most 20000 a second, capacity 16: the producer blocks on
    // the full structure and the run lasts at least 50 ms, 500 times the
    // schedule.  Bounded: the run ends when the consumer has read them all.
    latency_config config;
    config.queue = queue_config{16, 1, 1};
    config.samples = 1000;
    config.warmup = 10;
    config.rate = 10e6;
    const latency_measure m = run_one_way<slow_consumer_queue<stamped_message>>(config);
    BOOST_TEST(m.failure.empty(), m.failure);
    BOOST_TEST(m.messages == 1010u);
    BOOST_TEST(m.sent_seconds > 0.03);
    const auto v = judge_schedule(m, config.rate, 1);
    BOOST_TEST(v.state == schedule_state::behind, describe(v));
    BOOST_TEST(v.sent_share < 0.1);
}

BOOST_AUTO_TEST_CASE(a_one_way_run_well_within_the_consumer_keeps_its_rate) {
    // 200 messages at 2000 a second (a 100 ms schedule, gaps of 500 us that
    // the producer sleeps through) to the same consumer (20000 a second):
    // the rate is offered; only a stall of over 5 ms at the very end of the
    // run could make it "behind", so the test asks for the rate alone.
    latency_config config;
    config.queue = queue_config{16, 1, 1};
    config.samples = 200;
    config.warmup = 10;
    config.rate = 2000;
    const latency_measure m = run_one_way<slow_consumer_queue<stamped_message>>(config);
    BOOST_TEST(m.failure.empty(), m.failure);
    const auto v = judge_schedule(m, config.rate, 1);
    BOOST_TEST(v.state != schedule_state::behind, describe(v));
    BOOST_TEST(m.scheduled_seconds > 0.09);
}

BOOST_AUTO_TEST_CASE(the_unpaced_calibration_delivers_everything_and_times_it) {
    latency_config config;
    config.queue = queue_config{64, 2, 2};
    config.samples = 20000;
    config.warmup = 100;
    config.rate = 0;  // unpaced
    const latency_measure m = run_one_way<mutex_deque_queue<stamped_message>>(config);
    BOOST_TEST(m.failure.empty(), m.failure);
    BOOST_TEST(m.messages == 20200u);
    BOOST_TEST(m.scheduled_seconds == 0.0);
    BOOST_TEST(m.read_seconds > 0.0);
    BOOST_TEST(m.read_seconds >= m.sent_seconds * 0.5);  // the last read follows the writes
    BOOST_TEST(m.latency.count() == 20000u);
    BOOST_TEST(m.pacing.max() == 0u);  // recorded as zeros, as the paced run records its errors
    BOOST_TEST(latency_detail::clock_read_ns() > 0.0);
}
