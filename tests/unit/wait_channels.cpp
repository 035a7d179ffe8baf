// Conformance of the wait channels themselves (concepts/wait_policy.hpp),
// run over every shipped wait policy, with no pool in between: the guarantee
// "a waiter registered before the condition became true, and notified after
// it did, does not stay asleep", timed waits, free notifies, notify_all.
//
// Sleeping policies (condvar, futex, futex_counted) are held to the stronger, observable
// form: a single commit_wait ends after such a notify.  wait::spin never
// sleeps, so it is driven the way the frame drives every channel: register,
// re-check, commit, until the condition holds.  A lost wake-up shows up as a
// hang, which support/watchdog.hpp turns into a failure, or, where the test
// waits with a deadline, as a wait that ran into its deadline.
#define BOOST_TEST_MODULE unit_wait_channels
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <tuple>
#include <type_traits>
#include <vector>

#include <msgpool/concepts/wait_policy.hpp>
#include <msgpool/sync/native.hpp>
#include <msgpool/wait/condvar.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/futex_counted.hpp>
#include <msgpool/wait/spin.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <sys/syscall.h>
#include <unistd.h>

#include "support/run_threads.hpp"
#include "support/stress.hpp"
#include "support/watchdog.hpp"

namespace msgpool_test {

using namespace std::chrono_literals;
using msgpool::sync::native;
using clock_type = native::clock;

using wait_policies =
    std::tuple<msgpool::wait::condvar, msgpool::wait::futex, msgpool::wait::futex_counted, msgpool::wait::spin>;

/// condvar and futex really sleep until notified; spin returns from every commit.
template <class W>
inline constexpr bool sleeps = !std::is_same_v<W, msgpool::wait::spin>;

/// wait::condvar and wait::futex answer spin(round) with an attempt for their first
/// rounds (wait/detail/spin_then_sleep.hpp): the frame retries unregistered.
template <class W>
inline constexpr bool spins_first = sleeps<W>;

/// The `round` of a caller that has already waited many times in a row: past
/// any spin phase, so a sleeping channel really sleeps on this commit.
inline constexpr unsigned long_waiting = 1000;

template <class W, class Sync = native>
using channel_t = typename W::template channel<Sync>;

/// How the frame waits: try, spin while the channel says so, then register /
/// re-check / commit until `cond` holds.
template <class Channel, class Cond>
void await(Channel& ch, Cond cond) {
    if (cond()) return;
    for (unsigned round = 0;; ++round) {
        if (ch.spin(round)) {
            if (cond()) return;
            continue;
        }
        const auto key = ch.prepare_wait();  // [E1]
        if (cond()) {                        // [E2]
            ch.cancel_wait();
            return;
        }
        ch.commit_wait(key);
    }
}

/// Yield until `cond` holds: for the test's own bookkeeping, never through a channel.
template <class Cond>
void spin_until(Cond cond) {
    while (!cond()) std::this_thread::yield();
}

// A sync family that forwards to sync::native and counts what costs: futex
// calls and mutex acquisitions.  Used to show that notify is free when nobody
// is registered, and that the count would see it if it were not.
struct counting_sync : native {
    static inline std::atomic<long> futex_waits{0}, futex_wakes{0}, mutex_locks{0};
    /// Called from every pause(): lets a test act *during* a spin step.
    static inline void (*on_pause)() = nullptr;
    static void reset() {
        futex_waits = 0;
        futex_wakes = 0;
        mutex_locks = 0;
    }
    static long costly() { return futex_waits.load() + futex_wakes.load() + mutex_locks.load(); }

    class mutex {
    public:
        void lock() {
            ++mutex_locks;
            m_.lock();
        }
        bool try_lock() {
            if (!m_.try_lock()) return false;
            ++mutex_locks;
            return true;
        }
        void unlock() { m_.unlock(); }

    private:
        std::mutex m_;
    };
    using condition_variable = std::condition_variable_any;

    static void pause() noexcept {
        if (on_pause != nullptr) on_pause();
        native::pause();
    }
    static void wait(wait_word& w, std::uint32_t expected) noexcept {
        ++futex_waits;
        native::wait(w, expected);
    }
    static bool wait_until(wait_word& w, std::uint32_t expected, clock::time_point deadline) noexcept {
        ++futex_waits;
        return native::wait_until(w, expected, deadline);
    }
    static msgpool::wait_end wait_reporting(wait_word& w, std::uint32_t expected) noexcept {
        ++futex_waits;
        return native::wait_reporting(w, expected);
    }
    static msgpool::wait_end wait_until_reporting(wait_word& w, std::uint32_t expected,
                                                  clock::time_point deadline) noexcept {
        ++futex_waits;
        return native::wait_until_reporting(w, expected, deadline);
    }
    static void wake_one(wait_word& w) noexcept {
        ++futex_wakes;
        native::wake_one(w);
    }
    static void wake_all(wait_word& w) noexcept {
        ++futex_wakes;
        native::wake_all(w);
    }
};
static_assert(msgpool::sync_family<counting_sync> && msgpool::reports_wakes<counting_sync>);

BOOST_AUTO_TEST_CASE_TEMPLATE(channels_satisfy_the_concept, W, wait_policies) {
    static_assert(msgpool::wait_policy<W>);
    static_assert(msgpool::wait_channel<channel_t<W>, native>);
    static_assert(msgpool::wait_channel<channel_t<W, counting_sync>, counting_sync>);
    BOOST_TEST(true);
}

// The guarantee itself, one round at a time: the waiter registers [E1] and
// commits without re-checking; the notifier makes the condition true only
// after seeing the registration, then notifies.  The commit must end.  The
// notifier varies how long it lets the waiter run first, so that the notify
// lands before, during and after the waiter's descent into sleep.  Odd rounds
// use commit_wait_until with a deadline far away: ending by the deadline
// instead of the notify is a lost wake-up, counted rather than hung on.
// After the commit the waiter waits as the frame does.
BOOST_AUTO_TEST_CASE_TEMPLATE(registered_waiter_always_wakes, W, wait_policies) {
    channel_t<W> ch;
    const std::uint64_t rounds = scaled(3000);
    std::atomic<std::uint64_t> registered{0}, cond{0}, done{0};
    std::atomic<std::uint64_t> timed_out{0};
    run_threads(2, [&](std::size_t t) {
        if (t == 0) {  // waiter
            for (std::uint64_t r = 1; r <= rounds; ++r) {
                const auto key = ch.prepare_wait();  // [E1]
                registered.store(r);
                if (sleeps<W> && r % 2 == 1) {
                    const auto deadline = clock_type::now() + 20s;
                    if (!ch.commit_wait_until(key, deadline)) timed_out.fetch_add(1);
                } else {
                    ch.commit_wait(key);
                }
                // Whatever ended the commit, the frame's next re-check sees the condition.
                await(ch, [&] { return cond.load() >= r; });
                done.store(r);
            }
        } else {  // notifier
            for (std::uint64_t r = 1; r <= rounds; ++r) {
                spin_until([&] { return registered.load() >= r; });
                for (std::uint64_t k = 0, n = r % 7; k < n * n; ++k) std::this_thread::yield();
                cond.store(r);  // [C1]
                if (r % 3 == 0)
                    ch.notify_all();  // [E3]
                else
                    ch.notify_one();  // [E3]
                spin_until([&] { return done.load() >= r; });
            }
        }
    });
    BOOST_TEST(timed_out.load() == 0u);
    BOOST_TEST(done.load() == rounds);
}

// Two threads hand a token back and forth through two channels, each
// registering while the other may be publishing: every round exercises the
// Dekker pair from both sides.  A lost wake-up hangs (watchdog).
BOOST_AUTO_TEST_CASE_TEMPLATE(ping_pong_never_loses_a_wakeup, W, wait_policies) {
    channel_t<W> to_a, to_b;
    const std::uint64_t rounds = scaled(20000);
    std::atomic<std::uint64_t> ping{0}, pong{0};
    run_threads(2, [&](std::size_t t) {
        for (std::uint64_t r = 1; r <= rounds; ++r) {
            if (t == 0) {
                ping.store(r);
                to_b.notify_one();
                await(to_a, [&] { return pong.load() >= r; });
            } else {
                await(to_b, [&] { return ping.load() >= r; });
                pong.store(r);
                to_a.notify_one();
            }
        }
    });
    BOOST_TEST(ping.load() == rounds);
    BOOST_TEST(pong.load() == rounds);
}

// One notifier, many waiters (more threads than this machine has cores): each
// generation is announced with notify_all while the waiters of the previous one
// are still acknowledging and re-registering.
BOOST_AUTO_TEST_CASE_TEMPLATE(generations_reach_every_waiter, W, wait_policies) {
    channel_t<W> gen_ch, ack_ch;
    constexpr std::size_t waiters = 6;
    const std::uint64_t rounds = scaled(1500);
    std::atomic<std::uint64_t> generation{0}, acks{0};
    run_threads(waiters + 1, [&](std::size_t t) {
        if (t == waiters) {
            for (std::uint64_t r = 1; r <= rounds; ++r) {
                generation.store(r);
                gen_ch.notify_all();
                await(ack_ch, [&] { return acks.load() >= r * waiters; });
            }
        } else {
            for (std::uint64_t r = 1; r <= rounds; ++r) {
                await(gen_ch, [&] { return generation.load() >= r; });
                acks.fetch_add(1);
                ack_ch.notify_one();
            }
        }
    });
    BOOST_TEST(acks.load() == rounds * waiters);
}

// notify_all ends the wait of every one of N registered waiters, most of them
// asleep by then.  Sleeping channels: one commit each, ended by the notify
// (not by the deadline 20 s away).  Repeated with commit_wait (no deadline).
BOOST_AUTO_TEST_CASE_TEMPLATE(notify_all_wakes_all_sleepers, W, wait_policies) {
    constexpr std::size_t n = 8;
    for (std::size_t round = 0; round < scaled(10); ++round) {
        channel_t<W> ch;
        const bool timed = round % 2 == 0;
        std::atomic<std::size_t> registered{0}, woken_by_notify{0};
        std::atomic<bool> cond{false};
        run_threads(n + 1, [&](std::size_t t) {
            if (t == n) {
                spin_until([&] { return registered.load() == n; });
                std::this_thread::sleep_for(20ms);  // paces only: lets them fall asleep; registered, they wake in any case
                cond.store(true);
                ch.notify_all();
                return;
            }
            const auto key = ch.prepare_wait();
            registered.fetch_add(1);
            if constexpr (sleeps<W>) {
                if (timed) {
                    if (ch.commit_wait_until(key, clock_type::now() + 20s)) woken_by_notify.fetch_add(1);
                } else {
                    ch.commit_wait(key);
                    woken_by_notify.fetch_add(1);
                }
            } else {
                ch.commit_wait(key);
                await(ch, [&] { return cond.load(); });
                woken_by_notify.fetch_add(1);
            }
        });
        BOOST_TEST(woken_by_notify.load() == n, "round " << round << (timed ? " (timed)" : ""));
    }
}

// A timed wait that nobody notifies returns false, and not before its
// deadline: in one commit for a sleeping channel, in a series of yields
// for spin.  Deadlines in the past return at once.
BOOST_AUTO_TEST_CASE_TEMPLATE(timed_wait_expires_no_earlier_than_asked, W, wait_policies) {
    channel_t<W> ch;
    for (auto asked : {-5ms, 0ms, 1ms, 20ms, 50ms}) {
        const auto t0 = clock_type::now();
        const auto deadline = t0 + asked;
        auto key = ch.prepare_wait();
        bool in_time = ch.commit_wait_until(key, deadline);
        if constexpr (!sleeps<W>) {
            while (in_time) {
                key = ch.prepare_wait();
                in_time = ch.commit_wait_until(key, deadline);
            }
        }
        const auto took = clock_type::now() - t0;
        BOOST_TEST(!in_time, "asked " << asked.count() << " ms");
        const double took_ms = std::chrono::duration<double, std::milli>(took).count();
        BOOST_TEST((took >= asked), "asked " << asked.count() << " ms, took " << took_ms << " ms");
        BOOST_TEST((took < asked + 10s), "asked " << asked.count() << " ms");
    }
    // The channel is still usable afterwards: a registered waiter is woken.
    std::atomic<bool> cond{false};
    std::thread notifier([&] {
        std::this_thread::sleep_for(10ms);  // paces only: the waiter is likely asleep by then; either order passes
        cond.store(true);
        ch.notify_one();
    });
    await(ch, [&] { return cond.load(); });
    notifier.join();
    BOOST_TEST(cond.load());
}

// Notify with nobody registered: no futex call, no mutex, for every policy
// (the counting family sees each).  The same count does see the cost once a
// waiter is registered, so this test would notice a notify that always paid.
BOOST_AUTO_TEST_CASE_TEMPLATE(notify_without_waiters_is_free, W, wait_policies) {
    channel_t<W, counting_sync> ch;
    counting_sync::reset();
    const auto t0 = clock_type::now();
    for (int i = 0; i < 100000; ++i) {
        ch.notify_one();
        ch.notify_all();
    }
    BOOST_TEST(counting_sync::costly() == 0);
    BOOST_TEST((clock_type::now() - t0 < 10s));

    // One waiter registered: condvar's notify pays (its mutex); futex's only
    // advances the epoch, with no system call, since nobody announced a sleep
    // (sleepers bit, wait/futex.hpp), and the advance is what makes the
    // waiter's commit return without sleeping.  Cancelled again: free again.
    {
        const auto key = ch.prepare_wait();
        counting_sync::reset();
        ch.notify_one();
        const long with_waiter = counting_sync::costly();
        if constexpr (std::is_same_v<W, msgpool::wait::condvar>)
            BOOST_TEST(with_waiter > 0, "a notify with a registered waiter must reach the blocker");
        else
            BOOST_TEST(with_waiter == 0, "futex: no system call for a waiter that is not asleep; spin: never");
        if constexpr (sleeps<W>) {
            ch.commit_wait(key);  // the notify came after [E1]: returns at once
            BOOST_TEST(counting_sync::futex_waits.load() == 0, "the commit after a notify must not sleep");
        } else {
            ch.cancel_wait();
        }
    }
    counting_sync::reset();
    ch.notify_one();
    ch.notify_all();
    BOOST_TEST(counting_sync::costly() == 0);

    // A waiter in its spin phase is not registered while it spins: a notify
    // made during one of its pauses (the hook) is free, and so is the step.
    if constexpr (spins_first<W>) {
        static channel_t<W, counting_sync>* target = nullptr;
        target = &ch;
        counting_sync::on_pause = [] {
            target->notify_one();
            target->notify_all();
        };
        for (unsigned round = 0; round < 3; ++round) {
            counting_sync::reset();
            BOOST_TEST((ch.spin(round) == msgpool::attempt::near), "round " << round);  // not a sleep
            BOOST_TEST(counting_sync::costly() == 0, "round " << round);
        }
        counting_sync::on_pause = nullptr;
        // The phase ends: from spin_rounds on the frame must register and sleep.
        BOOST_TEST(!ch.spin(channel_t<W, counting_sync>::spin_rounds).has_value());
        BOOST_TEST(!ch.spin(long_waiting).has_value());
    } else {
        BOOST_TEST((ch.spin(long_waiting) == msgpool::attempt::full));  // wait::spin never asks to sleep
    }
}

// ------------------------------------------------- wait::futex: wake calls counted
//
// wait::futex makes a FUTEX_WAKE only when a thread has announced a sleep
// (set the sleepers bit) and nobody has woken it since (wait/futex.hpp).  The
// counting family counts each wait and wake call.

using futex_channel = channel_t<msgpool::wait::futex, counting_sync>;

/// Spins (yielding) until a thread has entered counting_sync::wait `n` times.
void until_waits(long n) {
    spin_until([&] { return counting_sync::futex_waits.load() >= n; });
}

// A registered waiter that does not sleep (between [E1] and its sleep, or
// spinning while registered): many notifies, no wake call.  Each advances the
// epoch, so its commit then returns without sleeping.
BOOST_AUTO_TEST_CASE(futex_registered_waiter_not_asleep_costs_no_wake) {
    futex_channel ch;
    const auto key = ch.prepare_wait();
    counting_sync::reset();
    for (int i = 0; i < 1000; ++i) {
        ch.notify_one();
        ch.notify_all();
    }
    BOOST_TEST(counting_sync::futex_wakes.load() == 0);
    ch.commit_wait(key);
    BOOST_TEST(counting_sync::futex_waits.load() == 0);
    BOOST_TEST(counting_sync::costly() == 0);
}

// One waiter asleep in the kernel, then a burst of notifies: exactly one wake
// call, whatever the woken thread is doing meanwhile (woken and not yet run,
// running, deregistered).  Repeated, with notify_one and with notify_all, with
// and without a deadline, so that every round starts from a fresh sleep.
BOOST_AUTO_TEST_CASE(futex_one_sleeper_many_notifies_one_wake) {
    futex_channel ch;
    const int rounds = static_cast<int>(scaled(200));
    for (int r = 0; r < rounds; ++r) {
        counting_sync::reset();
        std::atomic<bool> cond{false}, done{false};
        std::thread waiter([&] {
            const auto key = ch.prepare_wait();
            if (r % 2 == 0)
                ch.commit_wait(key);
            else
                (void)ch.commit_wait_until(key, clock_type::now() + 20s);
            await(ch, [&] { return cond.load(); });
            done.store(true);
        });
        until_waits(1);  // it has announced its sleep (the bit is set before the call)
        cond.store(true);
        for (int i = 0; i < 100; ++i) {
            if (r % 4 < 2)
                ch.notify_one();
            else
                ch.notify_all();
        }
        waiter.join();
        BOOST_TEST(done.load());
        BOOST_TEST(counting_sync::futex_wakes.load() == 1, "round " << r << ": " << counting_sync::futex_wakes.load()
                                                                     << " wake calls for one sleeper");
    }
}

// Several sleepers, one notify_one: one wake call wakes them all (the bit is
// not a count, so the notifier that clears it must empty the queue), and
// further notifies cost nothing until somebody sleeps again.
BOOST_AUTO_TEST_CASE(futex_notify_one_wakes_every_sleeper_in_one_call) {
    constexpr std::size_t n = 4;
    for (std::size_t round = 0; round < scaled(10); ++round) {
        futex_channel ch;
        counting_sync::reset();
        std::atomic<std::size_t> registered{0}, woken{0};
        std::vector<std::thread> sleepers;
        for (std::size_t t = 0; t < n; ++t)
            sleepers.emplace_back([&] {
                const auto key = ch.prepare_wait();
                registered.fetch_add(1);
                ch.commit_wait(key);
                woken.fetch_add(1);
            });
        // All registered before the notify, so even one not asleep yet holds a stale key afterwards.
        spin_until([&] { return registered.load() == n; });
        until_waits(static_cast<long>(n));
        std::this_thread::sleep_for(5ms);  // paces only: lets them reach the kernel; registered, they wake in any case
        ch.notify_one();
        for (auto& th : sleepers) th.join();
        BOOST_TEST(woken.load() == n);
        const long wakes_before = counting_sync::futex_wakes.load();
        BOOST_TEST(wakes_before == 1);
        for (int i = 0; i < 100; ++i) ch.notify_one();
        BOOST_TEST(counting_sync::futex_wakes.load() == wakes_before, "nobody asleep: no wake call");
    }
}

// A timed wait that expires leaves the bit set (other sleepers may rely on
// it): the next notify pays one wake call, which clears it; later ones are free.
BOOST_AUTO_TEST_CASE(futex_expired_wait_costs_at_most_one_wake) {
    futex_channel ch;
    const auto key = ch.prepare_wait();
    counting_sync::reset();
    BOOST_TEST(!ch.commit_wait_until(key, clock_type::now() + 5ms));
    BOOST_TEST(counting_sync::futex_waits.load() >= 1);
    (void)ch.prepare_wait();  // somebody registered, so that the notifies reach the blocker
    for (int i = 0; i < 100; ++i) ch.notify_one();
    ch.cancel_wait();
    BOOST_TEST(counting_sync::futex_wakes.load() == 1, "the expired sleeper's bit costs exactly one wake call");
}

// Ping-pong through the counting family: every message is a notify, but only
// the sleeps are paid for.  A wake call needs the bit set, every setting of
// the bit is followed by a wait call of the thread that set it, and every
// wake call clears it: the wake calls never outnumber the wait calls.
BOOST_AUTO_TEST_CASE(futex_wakes_never_outnumber_sleeps) {
    channel_t<msgpool::wait::futex, counting_sync> to_a, to_b;
    counting_sync::reset();
    const std::uint64_t rounds = scaled(20000);
    std::atomic<std::uint64_t> ping{0}, pong{0};
    run_threads(2, [&](std::size_t t) {
        for (std::uint64_t r = 1; r <= rounds; ++r) {
            if (t == 0) {
                ping.store(r);
                to_b.notify_one();
                await(to_a, [&] { return pong.load() >= r; });
            } else {
                await(to_b, [&] { return ping.load() >= r; });
                pong.store(r);
                to_a.notify_one();
            }
        }
    });
    const long waits = counting_sync::futex_waits.load(), wakes = counting_sync::futex_wakes.load();
    BOOST_TEST_MESSAGE("futex ping-pong: " << 2 * rounds << " notifies, " << waits << " wait calls, " << wakes
                                           << " wake calls");
    BOOST_TEST(wakes <= waits);
}

// ------------------------------------------------- wait::futex_counted: one wake per notify_one
//
// wait::futex_counted counts its sleepers in the futex word
// (wait/futex_counted.hpp): a notify_one wakes one of several sleepers, the
// others stay asleep, and each later notify_one wakes one more.

using counted_channel = channel_t<msgpool::wait::futex_counted, counting_sync>;

/// Whether thread `tid` of this process is asleep in futex(2) on `word`:
/// /proc/self/task/<tid>/syscall names the system call it is blocked in
/// (202, SYS_futex, on x86-64) and its first argument, and the task's state
/// is S.  A thread there has passed the kernel's compare and is queued.
bool asleep_on(pid_t tid, const void* word) {
    std::ifstream sc("/proc/self/task/" + std::to_string(tid) + "/syscall");
    long nr = -1;
    std::string arg;
    if (!(sc >> nr >> arg) || nr != SYS_futex) return false;
    std::ostringstream want;
    want << "0x" << std::hex << reinterpret_cast<std::uintptr_t>(word);
    if (arg != want.str()) return false;
    std::ifstream st("/proc/self/task/" + std::to_string(tid) + "/stat");
    std::string line;
    std::getline(st, line);
    const auto close = line.rfind(')');
    return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'S';
}

/// Yields until `cond` holds or 10 s have passed; false on the deadline.
template <class Cond>
bool within_10s(Cond cond) {
    const auto deadline = clock_type::now() + 10s;
    while (!cond()) {
        if (clock_type::now() > deadline) return false;
        std::this_thread::yield();
    }
    return true;
}

// Four sleepers queued in the kernel on one channel's word (seen through
// /proc, not guessed by a sleep), then one notify_one at a time: each wakes
// exactly one sleeper with exactly one wake call, and the others stay queued.
// Once all are gone, notifies cost no wake call (no unit left in the word).
BOOST_AUTO_TEST_CASE(futex_counted_notify_one_wakes_one_sleeper) {
    constexpr std::size_t n = 4;
    for (std::size_t round = 0; round < scaled(5); ++round) {
        counted_channel ch;
        counting_sync::reset();
        std::atomic<std::size_t> woken{0};
        std::vector<std::atomic<pid_t>> tids(n);
        std::vector<std::thread> sleepers;
        for (std::size_t t = 0; t < n; ++t)
            sleepers.emplace_back([&, t] {
                tids[t].store(static_cast<pid_t>(::syscall(SYS_gettid)));
                const auto key = ch.prepare_wait();
                ch.commit_wait(key);
                woken.fetch_add(1);
            });
        // The word: the channel's epoch word, the only futex word it has.
        const void* word = nullptr;
        {
            // The address the sleepers block on, read from the first one to get there.
            const bool found = within_10s([&] {
                for (auto& tid : tids) {
                    if (tid.load() == 0) continue;
                    std::ifstream sc("/proc/self/task/" + std::to_string(tid.load()) + "/syscall");
                    long nr = -1;
                    std::string arg;
                    if (sc >> nr >> arg && nr == SYS_futex) {
                        word = reinterpret_cast<const void*>(std::stoull(arg, nullptr, 16));
                        return true;
                    }
                }
                return false;
            });
            BOOST_TEST_REQUIRE(found, "no sleeper reached futex(2) within 10 s");
        }
        auto queued = [&] {
            std::size_t k = 0;
            for (auto& tid : tids)
                if (tid.load() != 0 && asleep_on(tid.load(), word)) ++k;
            return k;
        };
        BOOST_TEST_REQUIRE(within_10s([&] { return queued() == n; }), "the sleepers did not all queue within 10 s");
        for (std::size_t k = 1; k <= n; ++k) {
            ch.notify_one();
            BOOST_TEST_REQUIRE(within_10s([&] { return woken.load() >= k; }), "notify_one " << k << " woke nobody");
            BOOST_TEST(counting_sync::futex_wakes.load() == static_cast<long>(k), "one wake call per notify_one");
            // The rest are still queued (the kernel holds them until a wake): no herd.
            BOOST_TEST(within_10s([&] { return queued() == n - k; }));
            BOOST_TEST(woken.load() == k, "notify_one " << k << " woke " << woken.load() - (k - 1) << " sleepers");
        }
        for (auto& th : sleepers) th.join();
        for (int i = 0; i < 100; ++i) ch.notify_one();
        BOOST_TEST(counting_sync::futex_wakes.load() == static_cast<long>(n), "no unit left: no wake call");
    }
}

// A timed wait that expires gives its unit back: later notifies make no wake call.
BOOST_AUTO_TEST_CASE(futex_counted_expired_wait_costs_no_wake) {
    counted_channel ch;
    const auto key = ch.prepare_wait();
    counting_sync::reset();
    BOOST_TEST(!ch.commit_wait_until(key, clock_type::now() + 5ms));
    BOOST_TEST(counting_sync::futex_waits.load() >= 1);
    (void)ch.prepare_wait();  // somebody registered, so that the notifies reach the blocker
    for (int i = 0; i < 100; ++i) ch.notify_one();
    ch.cancel_wait();
    BOOST_TEST(counting_sync::futex_wakes.load() == 0, "the expired sleeper gave its unit back");
}

// Ping-pong through the counting family, as for wait::futex: a wake call
// needs a unit, and every unit is followed by a wait call of its taker.
BOOST_AUTO_TEST_CASE(futex_counted_wakes_never_outnumber_sleeps) {
    channel_t<msgpool::wait::futex_counted, counting_sync> to_a, to_b;
    counting_sync::reset();
    const std::uint64_t rounds = scaled(20000);
    std::atomic<std::uint64_t> ping{0}, pong{0};
    run_threads(2, [&](std::size_t t) {
        for (std::uint64_t r = 1; r <= rounds; ++r) {
            if (t == 0) {
                ping.store(r);
                to_b.notify_one();
                await(to_a, [&] { return pong.load() >= r; });
            } else {
                await(to_b, [&] { return ping.load() >= r; });
                pong.store(r);
                to_a.notify_one();
            }
        }
    });
    const long waits = counting_sync::futex_waits.load(), wakes = counting_sync::futex_wakes.load();
    BOOST_TEST_MESSAGE("futex_counted ping-pong: " << 2 * rounds << " notifies, " << waits << " wait calls, "
                                                   << wakes << " wake calls");
    BOOST_TEST(wakes <= waits);
}

}  // namespace msgpool_test
