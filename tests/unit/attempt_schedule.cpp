// The attempt schedule (concepts/attempt.hpp) is one contract between the
// wait channel and the claim, whatever the channel's numbers:
//
//  - a channel names its attempts in the order near..., last_near (once, after
//    its last pause step), full... (after its yield steps), then no attempt;
//  - through the frame, a claim that holds back in near attempts (both claims'
//    slip) claims in the attempt after the last pause step, before any yield:
//    a blocked call whose slot frees during its first pause step returns after
//    exactly the channel's pause steps (1 + 2 + ... + 2^(P-1) pauses) and no
//    yield.  A schedule whose near attempts ran into the yield steps (or a
//    claim that counted rounds against another number of pause steps) shows up
//    here as a yield, or as fewer pauses;
//  - try_ takes any slot, also the one a near attempt holds back from;
//  - a claim that names fewer pause steps (claim_protocol_paced: cas_scan on
//    one-slot groups) gets that many and the channel's yields after them, and
//    the attempt after the last of them is last_near: a channel that shortened
//    the pause steps but answered near after the last one (broken_paced
//    below) would hold back into the yields, and is caught here.
//
// Run for several PauseRounds of detail::sleeping_wait, on the two claims
// with near attempts (cas_scan on one-slot groups, fetch_add_ring), with
// capacities at which both slip.
#define BOOST_TEST_MODULE unit_attempt_schedule
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include <msgpool/basic_pool.hpp>
#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/detail/thread_cursor.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/concepts/attempt.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/sync/native.hpp>
#include <msgpool/wait/condvar.hpp>
#include <msgpool/wait/detail/sleeping_wait.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/spin.hpp>

#include "support/watchdog.hpp"

namespace msgpool_test {

using msgpool::attempt;

/// sync::native that counts this thread's pauses and yields and runs a hook,
/// once, at the first pause or yield after it is set: the test acts *during*
/// the first spin step.
struct counting_sync : msgpool::sync::native {
    static inline thread_local unsigned long pauses = 0, yields = 0;
    static inline thread_local void (*on_first_step)(void*) = nullptr;
    static inline thread_local void* hook_arg = nullptr;

    static void pause() noexcept {
        ++pauses;
        run_hook();
        msgpool::sync::native::pause();
    }
    static void yield() noexcept {
        ++yields;
        run_hook();
        msgpool::sync::native::yield();
    }

private:
    static void run_hook() noexcept {
        if (auto f = on_first_step) {
            on_first_step = nullptr;
            f(hook_arg);
        }
    }
};

template <unsigned Pauses, unsigned Yields = 4>
using futex_schedule = msgpool::detail::sleeping_wait<msgpool::wait::futex_blocker, Pauses, Yields>;
template <unsigned Pauses, unsigned Yields = 4>
using condvar_schedule = msgpool::detail::sleeping_wait<msgpool::wait::condvar_blocker, Pauses, Yields>;

/// What a channel answers round by round until it asks to sleep (at most `limit` rounds).
template <class Channel>
std::vector<std::optional<attempt>> answers(Channel& ch, unsigned limit) {
    std::vector<std::optional<attempt>> out;
    for (unsigned round = 0; round < limit; ++round) {
        out.push_back(ch.spin(round));
        if (!out.back()) break;
    }
    return out;
}

std::vector<std::optional<attempt>> expected(unsigned pauses, unsigned yields, bool sleeps) {
    std::vector<std::optional<attempt>> out;
    for (unsigned r = 0; r < pauses; ++r) out.push_back(r + 1 < pauses ? attempt::near : attempt::last_near);
    for (unsigned r = 0; r < yields; ++r) out.push_back(attempt::full);
    if (sleeps) out.push_back(std::nullopt);
    return out;
}

template <unsigned P>
struct pause_rounds : std::integral_constant<unsigned, P> {};
using pause_rounds_under_test = std::tuple<pause_rounds<0>, pause_rounds<1>, pause_rounds<3>, pause_rounds<7>,
                                           pause_rounds<12>>;

BOOST_AUTO_TEST_CASE_TEMPLATE(sleeping_channels_name_attempts_in_order, P, pause_rounds_under_test) {
    typename futex_schedule<P::value, 5>::template channel<msgpool::sync::native> futex_ch;
    typename condvar_schedule<P::value, 2>::template channel<msgpool::sync::native> condvar_ch;
    BOOST_TEST((answers(futex_ch, 100) == expected(P::value, 5, true)));
    BOOST_TEST((answers(condvar_ch, 100) == expected(P::value, 2, true)));
}

BOOST_AUTO_TEST_CASE(spin_names_attempts_in_order_and_never_sleeps) {
    msgpool::wait::spin::channel<msgpool::sync::native> ch;
    // backoff's seven pause steps, then yields for ever
    BOOST_TEST((answers(ch, 7 + 3) == expected(7, 3, false)));
}

/// What a channel answers under a claim's pause-step limit (wait_channel_paced).
template <class Channel>
std::vector<std::optional<attempt>> answers(Channel& ch, unsigned limit, unsigned max_pause_steps) {
    std::vector<std::optional<attempt>> out;
    for (unsigned round = 0; round < limit; ++round) {
        out.push_back(ch.spin(round, max_pause_steps));
        if (!out.back()) break;
    }
    return out;
}

BOOST_AUTO_TEST_CASE_TEMPLATE(paced_channels_make_the_fewer_pause_steps, P, pause_rounds_under_test) {
    using futex_ch = typename futex_schedule<P::value, 5>::template channel<msgpool::sync::native>;
    using spin_ch = msgpool::wait::spin::channel<msgpool::sync::native>;
    static_assert(msgpool::wait_channel_paced<futex_ch> && msgpool::wait_channel_paced<spin_ch>);
    for (const unsigned limit : {0u, 1u, 2u, 4u, 7u, 13u, msgpool::no_pause_limit}) {
        futex_ch futex;
        spin_ch spin;
        const unsigned sleeping = limit < P::value ? limit : P::value;
        const unsigned spinning = limit < 7 ? limit : 7;
        BOOST_TEST((answers(futex, 100, limit) == expected(sleeping, 5, true)), "limit " << limit);
        BOOST_TEST((answers(spin, spinning + 3, limit) == expected(spinning, 3, false)), "limit " << limit);
    }
}

// ------------------------------------------------ through the frame

template <class Claim, std::size_t Capacity, unsigned MaxPauseSteps>
struct claim_at {
    using type = Claim;
    static constexpr std::size_t capacity = Capacity;
    static constexpr unsigned max_pause_steps = MaxPauseSteps;  // what the claim names on inline slots
};
// Capacities at which each claim slips (claim/detail/slip.hpp): a slip of 16
// and of 256 for each claim.  cas_scan on inline slots
// (one-slot groups) names 4 pause steps where its slip is short (at most 16)
// and none where it is longer; the ring names none.
using claims_under_test = std::tuple<claim_at<msgpool::claim::cas_scan, 64, 4>,
                                     claim_at<msgpool::claim::cas_scan, 1024, msgpool::no_pause_limit>,
                                     claim_at<msgpool::claim::fetch_add_ring, 64, msgpool::no_pause_limit>,
                                     claim_at<msgpool::claim::fetch_add_ring, 1024, msgpool::no_pause_limit>>;

template <class C, class Wait>
using pool_waiting_by =
    msgpool::basic_pool<std::uint64_t, typename C::type, Wait, msgpool::storage::inline_slots, counting_sync>;
template <class C, unsigned P>
using pool_under_test = pool_waiting_by<C, futex_schedule<P>>;

/// A broken paced channel: it makes the claim's fewer pause steps, but
/// answers attempt::last_near only after its own last one (as if the limit
/// shortened the pauses and not the schedule), so under a limit every
/// attempt after a pause step is attempt::near and holding back runs into
/// the yields.
template <unsigned Pauses, unsigned Yields>
struct broken_paced {
    template <class Sync>
    struct channel : futex_schedule<Pauses, Yields>::template channel<Sync> {
        using base = typename futex_schedule<Pauses, Yields>::template channel<Sync>;
        using base::spin;
        std::optional<attempt> spin(unsigned round, unsigned max_pause_steps) noexcept {
            std::optional<attempt> next = base::spin(round, max_pause_steps);
            if (next == attempt::last_near && round + 1 < Pauses) next = attempt::near;  // BUG: the channel's last, not the call's
            return next;
        }
    };
};

/// A blocking write on a full pool whose next slot (at the writers' cursor or
/// position) frees during the write's first spin step, while the slot a slip
/// ahead stays full: near attempts hold back, last_near claims.  Returns the
/// pauses and yields the write took.
template <class C, class Wait>
std::pair<unsigned long, unsigned long> blocked_write() {
    pool_waiting_by<C, Wait> pool(C::capacity);
    auto& write_cursor = msgpool::detail::thread_cursor<msgpool::detail::write_cursor>();
    auto& read_cursor = msgpool::detail::thread_cursor<msgpool::detail::read_cursor>();
    write_cursor = 0;
    for (std::uint64_t v = 0; v < C::capacity; ++v) BOOST_REQUIRE(pool.try_write(v));
    BOOST_REQUIRE(!pool.try_write(0));
    read_cursor = write_cursor;  // cas_scan: free the slot where the writer's pass starts (the ring frees it anyway)
    counting_sync::hook_arg = &pool;
    counting_sync::on_first_step = [](void* p) {
        using pool_t = pool_waiting_by<C, Wait>;
        std::uint64_t v = 0;
        BOOST_TEST(static_cast<pool_t*>(p)->try_read(v));
    };
    counting_sync::pauses = counting_sync::yields = 0;
    pool.write(std::uint64_t{99});
    const auto taken = std::make_pair(counting_sync::pauses, counting_sync::yields);
    BOOST_TEST(counting_sync::on_first_step == nullptr);  // the hook ran
    BOOST_TEST(pool.was_size() == C::capacity);
    return taken;
}

/// The mirror image: a blocking read on an empty pool whose next slot gets a
/// message during the read's first spin step, the slot a slip ahead none.
template <class C, class Wait>
std::pair<unsigned long, unsigned long> blocked_read() {
    pool_waiting_by<C, Wait> pool(C::capacity);
    auto& write_cursor = msgpool::detail::thread_cursor<msgpool::detail::write_cursor>();
    auto& read_cursor = msgpool::detail::thread_cursor<msgpool::detail::read_cursor>();
    read_cursor = 5;
    write_cursor = read_cursor;  // cas_scan: the message lands where the reader's pass starts
    counting_sync::hook_arg = &pool;
    counting_sync::on_first_step = [](void* p) {
        using pool_t = pool_waiting_by<C, Wait>;
        BOOST_TEST(static_cast<pool_t*>(p)->try_write(std::uint64_t{42}));
    };
    counting_sync::pauses = counting_sync::yields = 0;
    std::uint64_t v = 0;
    pool.read(v);
    const auto taken = std::make_pair(counting_sync::pauses, counting_sync::yields);
    BOOST_TEST(v == 42u);
    BOOST_TEST(counting_sync::on_first_step == nullptr);
    return taken;
}

/// The pauses and yields a call whose slot became usable during its first
/// spin step takes with P pause steps: all of them (1 + 2 + ... + 2^(P-1)
/// pauses) and no yield; with no pause steps, one yield and the full attempt
/// after it.
constexpr std::pair<unsigned long, unsigned long> schedule_to_last_near(unsigned p) {
    return {(1ul << p) - 1, p == 0 ? 1 : 0};
}

/// Under PauseRounds P a call makes min(P, the claim's limit) pause steps.
template <class C, unsigned P>
void check_claims_after_the_last_pause_step() {
    const unsigned steps = C::max_pause_steps < P ? C::max_pause_steps : P;
    BOOST_TEST((blocked_write<C, futex_schedule<P>>() == schedule_to_last_near(steps)), "write, PauseRounds " << P);
    BOOST_TEST((blocked_read<C, futex_schedule<P>>() == schedule_to_last_near(steps)), "read, PauseRounds " << P);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(near_attempts_hold_back_until_the_last_pause_step, C, claims_under_test) {
    check_claims_after_the_last_pause_step<C, 0>();
    check_claims_after_the_last_pause_step<C, 1>();
    check_claims_after_the_last_pause_step<C, 3>();
    check_claims_after_the_last_pause_step<C, 7>();
    check_claims_after_the_last_pause_step<C, 12>();
}

// The claim's limit reaches the channel: cas_scan on one-slot groups names
// its pause steps, and the frame's call makes exactly those.
static_assert(msgpool::claim_protocol_paced<
              msgpool::claim::cas_scan::protocol<msgpool::sync::native>,
              msgpool::storage::inline_slots::slots<msgpool::claim::cas_scan::control<msgpool::sync::native>>>);

// The broken paced channel is caught: under cas_scan's limit its call holds
// back through the fewer pause steps and claims only after a yield.
BOOST_AUTO_TEST_CASE(a_limit_that_shortens_pauses_but_not_the_schedule_is_caught) {
    using C = claim_at<msgpool::claim::cas_scan, 64, 4>;
    using broken = broken_paced<7, 4>;
    const auto write = blocked_write<C, broken>();
    const auto read = blocked_read<C, broken>();
    BOOST_TEST((write != schedule_to_last_near(4)), "write " << write.first << " pauses, " << write.second << " yields");
    BOOST_TEST((read != schedule_to_last_near(4)), "read " << read.first << " pauses, " << read.second << " yields");
    BOOST_TEST(write.second > 0u);  // held back into a yield
    BOOST_TEST(read.second > 0u);
}

// A try_ takes the lone message a near attempt holds back from (the slot a
// slip ahead holds none), at once and without a spin step.
BOOST_AUTO_TEST_CASE_TEMPLATE(try_takes_what_near_holds_back_from, C, claims_under_test) {
    pool_under_test<C, 3> pool(C::capacity);
    auto& write_cursor = msgpool::detail::thread_cursor<msgpool::detail::write_cursor>();
    auto& read_cursor = msgpool::detail::thread_cursor<msgpool::detail::read_cursor>();
    read_cursor = write_cursor;
    BOOST_REQUIRE(pool.try_write(std::uint64_t{1}));
    counting_sync::pauses = counting_sync::yields = 0;
    std::uint64_t v = 0;
    BOOST_TEST(pool.try_read(v));
    BOOST_TEST(v == 1u);
    BOOST_TEST(counting_sync::pauses + counting_sync::yields == 0u);
}

}  // namespace msgpool_test
