// bench/crash_survival/trials.hpp - the producer, the survivor and the
// parent's loop of trials (survival.hpp tells the whole trial), for any
// system that offers:
//
//   struct S {
//       static constexpr const char* name;
//       static constexpr bool has_recover;                // an explicit recovery call exists
//       using handle = ...;                               // one process's access to the queue
//       static std::string make_name();                   // a fresh, unique name
//       static std::string shm_path(const std::string&);  // what shm_unlink removes
//       static handle create(const std::string&, const settings&);
//       static handle open(const std::string&, const settings&);
//       static void remove(const std::string&) noexcept;
//       static void write(handle&, const message&);       // blocking
//       static void read(handle&, message&);              // blocking
//       static bool write_for(handle&, const message&, std::chrono::milliseconds);
//       static bool read_for(handle&, message&, std::chrono::milliseconds);
//       static void recover(handle&, recovery_totals&);   // when has_recover
//   };
//
// and, optionally, for --verbose: static unsigned owner_id(const handle&)
// (0: this process's claims are not recorded) and static std::size_t
// attached(const handle&) (processes attached, live or dead).
#pragma once

#include <sched.h>
#include <signal.h>

#include <chrono>
#include <concepts>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <optional>
#include <random>
#include <string>
#include <thread>

#include "process_control.hpp"
#include "survival.hpp"

namespace crash_survival {

/// The queue the trials share, created anew after a failed trial; removed
/// when it goes (and by the clean-up registry if the run is interrupted).
template <class S>
class shared_queue {
public:
    explicit shared_queue(const settings& s) : settings_(s) { make(); }
    shared_queue(const shared_queue&) = delete;
    shared_queue& operator=(const shared_queue&) = delete;
    ~shared_queue() { drop(); }

    const std::string& name() const noexcept { return name_; }
    void renew() {
        drop();
        make();
    }

private:
    void make() {
        name_ = S::make_name();
        track_segment(S::shm_path(name_));  // before create: an interrupt in between still removes it
        owner_.emplace(S::create(name_, settings_));
    }
    void drop() noexcept {
        owner_.reset();
        S::remove(name_);
        forget_segment(S::shm_path(name_));
    }
    const settings& settings_;
    std::string name_;
    std::optional<typename S::handle> owner_;
};

template <class S>
concept tells_owner = requires(const typename S::handle& h) {
    { S::owner_id(h) } -> std::convertible_to<unsigned>;
    { S::attached(h) } -> std::convertible_to<std::size_t>;
};

inline std::int64_t steady_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

/// The producer: writes ids 0, 1, 2 ... until it is killed (and reads one
/// message after each write in the send-receive scenario).
template <class S>
int produce(shared_state& st, const std::string& name, const settings& s, std::uint64_t trial) {
    try {
        auto q = S::open(name, s);
        const bool also_read = s.scenario == scenario::send_receive;
        for (std::uint64_t id = 0; id + 1 < shared_state::id_limit; ++id) {
            S::write(q, make_message(trial, id, false));
            st.written.store(id + 1, std::memory_order_relaxed);  // relaxed: read after waitpid (shared_state)
            if (id == 0) {
                st.first_write.store(steady_ns(), std::memory_order_relaxed);  // published by [T1]
                if constexpr (tells_owner<S>)  // relaxed: read after waitpid (shared_state)
                    st.producer_owner.store(S::owner_id(q), std::memory_order_relaxed);
                st.started.store(1, std::memory_order_release);  // [T1] release: publishes first_write
            }
            if (also_read) {
                // relaxed, both: read after waitpid (shared_state)
                st.reading.store(1, std::memory_order_relaxed);
                message m;
                S::read(q, m);
                if (intact(m) && m.tag == trial * 2 && m.id <= id) {
                    if (st.producer_seen[m.id] < 255) ++st.producer_seen[m.id];
                } else {
                    ++st.producer_stray;
                }
                st.reading.store(0, std::memory_order_relaxed);
            }
        }
    } catch (const std::exception& e) {
        shared_state::note(st.producer_what, e.what());
        return 3;
    }
    for (;;) ::pause();  // the ids ran out: wait for the kill
}

/// The survivor: reads while the producer runs (produce scenario), then
/// checks the queue once the parent has reaped the producer.
template <class S>
int survive(shared_state& st, const std::string& name, const settings& s, std::uint64_t trial) {
    const auto fail = [&](failure f) {
        st.outcome = f;
        return 0;
    };
    const auto at = [&](survivor_step where) {
        st.step.store(static_cast<std::uint32_t>(where), std::memory_order_relaxed);  // relaxed: read after waitpid
    };
    try {
        auto q = S::open(name, s);
        at(survivor_step::reading_along);
        message m;
        // relaxed: a flag alone (shared_state); the check below reads nothing the parent wrote
        while (st.producer_gone.load(std::memory_order_relaxed) == 0) {
            if (s.scenario == scenario::produce) {
                if (S::read_for(q, m, std::chrono::milliseconds(10))) st.record(m, trial);
            } else {
                std::this_thread::sleep_for(std::chrono::microseconds(100));
            }
        }
        if constexpr (tells_owner<S>)  // relaxed: read after waitpid (shared_state)
            st.attached_at_check.store(static_cast<std::int64_t>(S::attached(q)), std::memory_order_relaxed);
        at(survivor_step::recovering);
        if constexpr (S::has_recover)
            if (s.recovery == recovery_mode::explicit_call) S::recover(q, st.recovered);
        at(survivor_step::draining);
        for (std::size_t n = 0; S::read_for(q, m, s.drain_wait()); ++n) {
            st.record(m, trial);
            if (n > s.capacity + 8) return fail(failure::drain_endless);
        }
        at(survivor_step::writing);
        for (std::size_t i = 0; i < s.capacity; ++i)
            if (!S::write_for(q, make_message(trial, i, true), s.bound))
                return fail(i == 0 ? failure::write_timeout : failure::capacity_short);
        at(survivor_step::reading);
        for (std::size_t probes = 0, reads = 0; probes < s.capacity; ++reads) {
            if (reads > 2 * s.capacity + 8) return fail(failure::drain_endless);
            if (!S::read_for(q, m, s.bound)) return fail(failure::read_timeout);
            st.record(m, trial);
            probes += intact(m) && m.tag == trial * 2 + 1;
        }
        at(survivor_step::done);
    } catch (const std::exception& e) {
        st.outcome = failure::exception;
        shared_state::note(st.what, e.what());
    }
    return 0;
}

/// One system's trials.
template <class S>
system_result run_trials(const settings& s, std::size_t trials, shared_state& st) {
    system_result r;
    r.name = S::name;
    r.trials = trials;
    r.has_recover = S::has_recover && s.recovery == recovery_mode::explicit_call;
    std::mt19937_64 rng(s.seed);  // the same delays, trial by trial, for every system
    std::uniform_int_distribution<long long> delay(0, s.max_delay.count());
    const auto start = std::chrono::steady_clock::now();
    const auto alarm_after = std::chrono::duration_cast<std::chrono::seconds>(
        s.bound + s.survivor_limit() + s.max_delay + std::chrono::seconds(5));

    shared_queue<S> queue(s);
    for (std::size_t trial = 0; trial < trials; ++trial) {
        const auto wait = std::chrono::microseconds(delay(rng));
        st.reset();
        child survivor([&] { return survive<S>(st, queue.name(), s, trial); }, alarm_after);
        child producer([&] { return produce<S>(st, queue.name(), s, trial); }, alarm_after);

        failure f = failure::none;
        const auto give_up = std::chrono::steady_clock::now() + s.bound;
        // [T1] acquire: pairs with the producer's release; first_write is then its own
        while (st.started.load(std::memory_order_acquire) == 0 && !producer.ended() &&
               std::chrono::steady_clock::now() < give_up)
            ::sched_yield();
        const bool started = st.started.load(std::memory_order_acquire) != 0;  // [T1] acquire: as above
        // The delay counts from the producer's first write, whenever the
        // parent saw it; on a busy machine the parent also wakes late, so
        // the delay that counts is the one measured at the kill.
        const std::chrono::steady_clock::time_point first(std::chrono::nanoseconds(
            started ? st.first_write.load(std::memory_order_relaxed) : steady_ns()));  // relaxed: published by [T1]
        if (!started || producer.ended()) {
            f = failure::producer_failed;
        } else {
            std::this_thread::sleep_until(first + wait);
            if (producer.ended()) f = failure::producer_failed;  // it threw (the queue broke under it)
        }
        const auto waited = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - first);
        producer.kill_and_reap();
        const std::uint64_t written = st.written.load(std::memory_order_relaxed);  // relaxed: after waitpid
        r.messages_written += written;
        st.producer_gone.store(1, std::memory_order_relaxed);  // relaxed: a flag alone (shared_state)

        if (!survivor.wait_for(s.survivor_limit())) {
            survivor.kill_and_reap();
            if (f == failure::none) f = failure::survivor_stuck;
        } else if (!survivor.exited_cleanly() && f == failure::none) {
            f = failure::survivor_crashed;
        }
        if (f == failure::none) f = st.outcome;
        if (f == failure::exception && r.first_exception.empty()) r.first_exception = st.what;
        if (f == failure::producer_failed && r.first_exception.empty()) r.first_exception = st.producer_what;
        if (f == failure::none) f = check_accounting(st, s, written);
        r.recovered.calls += st.recovered.calls;
        r.recovered.processes += st.recovered.processes;
        r.recovered.writes_dropped += st.recovered.writes_dropped;
        r.recovered.messages_returned += st.recovered.messages_returned;

        if (s.verbose) {
            std::string owner;  // relaxed, all: read after waitpid (shared_state)
            if (const auto id = st.producer_owner.load(std::memory_order_relaxed); id >= 0)
                owner = "; producer's owner id " + std::to_string(id) + ", " +
                        std::to_string(st.attached_at_check.load(std::memory_order_relaxed)) +
                        " processes attached at the check";
            std::printf("  %s trial %zu: %s (killed %lld us after the first write, %lld asked; %llu written%s; "
                        "survivor %s)%s%s\n",
                        S::name, trial, f == failure::none ? "survived" : to_string(f),
                        static_cast<long long>(waited.count()), static_cast<long long>(wait.count()),
                        static_cast<unsigned long long>(written), owner.c_str(),
                        to_string(static_cast<survivor_step>(st.step.load(std::memory_order_relaxed))),
                        st.what[0] || st.producer_what[0] ? ": " : "", st.what[0] ? st.what : st.producer_what);
        }
        if (f == failure::none) {
            ++r.survived;
        } else {
            ++r.failures[static_cast<std::size_t>(f)];
        }
        if (f != failure::none || s.queue_per_trial) queue.renew();  // the next trial starts from a fresh queue
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
}

}  // namespace crash_survival
