// Claim protocols on their own, against a bare detail::slot_array, without a
// wait policy or the frame: exact capacity at sizes that are not powers of
// two, many laps of a small ring, the drained signal, failed claims that leave
// no trace (the fetch-add ticket trap), exactly-once under threads, abandoned
// write claims (abandon_write, behind write handles) that return their slot,
// bulk claims (claim_protocol_bulk), and no allocation once a protocol is
// constructed.
#define BOOST_TEST_MODULE unit_claim_protocols
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <new>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>
#include <vector>

#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/claim/index_queue.hpp>
#include <msgpool/concepts/claim_policy.hpp>
#include <msgpool/detail/backoff.hpp>
#include <msgpool/detail/element_layout.hpp>
#include <msgpool/storage/detail/slot_array.hpp>
#include <msgpool/sync/native.hpp>

#include "support/run_threads.hpp"
#include "support/stress.hpp"
#include "support/tsan_boost_lockfree.hpp"
#include "support/watchdog.hpp"

// ------------------------------------------------------------------ allocation counting
// Every global allocation of this program goes through these, so a thread can
// count the allocations it made itself (its own thread_local counter: other
// threads, Boost.Test's and the watchdog's included, do not disturb it).

namespace {
thread_local std::size_t thread_allocations = 0;

void* counted_alloc(std::size_t size, std::size_t align) {
    ++thread_allocations;
    if (size == 0) size = 1;
    void* p = nullptr;
    if (align <= alignof(std::max_align_t)) {
        p = std::malloc(size);
    } else {
        const std::size_t rounded = (size + align - 1) / align * align;  // aligned_alloc wants a multiple
        p = rounded < size ? nullptr : std::aligned_alloc(align, rounded);
    }
    return p;
}

// Out of line, so that GCC does not see free() applied to what operator new
// returned once both are inlined and warn (-Wmismatched-new-delete): they do
// match, both are ours.
[[gnu::noinline]] void counted_free(void* p) noexcept { std::free(p); }
}  // namespace

void* operator new(std::size_t n) {
    if (void* p = counted_alloc(n, 0)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return ::operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return counted_alloc(n, 0); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return counted_alloc(n, 0); }
void* operator new(std::size_t n, std::align_val_t a) {
    if (void* p = counted_alloc(n, static_cast<std::size_t>(a))) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) { return ::operator new(n, a); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    return counted_alloc(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    return counted_alloc(n, static_cast<std::size_t>(a));
}
void operator delete(void* p) noexcept { counted_free(p); }
void operator delete[](void* p) noexcept { counted_free(p); }
void operator delete(void* p, std::size_t) noexcept { counted_free(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_free(p); }
void operator delete(void* p, std::align_val_t) noexcept { counted_free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { counted_free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { counted_free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { counted_free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { counted_free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { counted_free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { counted_free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { counted_free(p); }

namespace msgpool_test {

using namespace msgpool;

/// A claim policy driving K slots per control word (as storage::line_grouped_slots lays out).
template <class Claim, std::size_t K>
struct on_groups_of {};

template <class C>
struct claim_layout {
    using claim = C;
    static constexpr std::size_t per_control = 1;
};
template <class C, std::size_t K>
struct claim_layout<on_groups_of<C, K>> {
    using claim = C;
    static constexpr std::size_t per_control = K;
};

/// One protocol and the slots it governs, laid out as storage::inline_slots
/// does (or in groups, for on_groups_of<Claim, K>), holding std::uint64_t elements.
template <class ClaimLayout>
struct rig {
    using Claim = typename claim_layout<ClaimLayout>::claim;
    using control_type = typename Claim::template control<sync::native>;
    using slots_type = detail::slot_array<control_type, 1, claim_layout<ClaimLayout>::per_control>;
    using protocol_type = typename Claim::template protocol<sync::native>;
    using token = typename protocol_type::token;

    slots_type slots;
    protocol_type protocol;

    explicit rig(std::size_t capacity)
        : slots(capacity, detail::element_layout::of<std::uint64_t>()), protocol(capacity) {
        for (std::size_t i = 0; i < capacity; ++i) ::new (slots.element(i)) std::uint64_t(0);
    }

    std::uint64_t& element(std::size_t i) { return *std::launder(static_cast<std::uint64_t*>(slots.element(i))); }

    /// Claim, store, publish; false when the pool is full.  `index` receives the slot.
    bool try_write(std::uint64_t v, std::size_t* index = nullptr) {
        const auto t = protocol.try_claim_write(slots);
        if (!t) return false;
        element(t->index) = v;
        if (index) *index = t->index;
        protocol.publish_write(slots, *t);
        return true;
    }

    /// Claim, load, publish; nullopt when the pool is empty.  `drained`
    /// receives publish_read's answer, `index` the slot.
    std::optional<std::uint64_t> try_read(bool* drained = nullptr, std::size_t* index = nullptr) {
        const auto t = protocol.try_claim_read(slots);
        if (!t) return std::nullopt;
        const std::uint64_t v = element(t->index);
        if (index) *index = t->index;
        const bool d = protocol.publish_read(slots, *t);
        if (drained) *drained = d;
        return v;
    }
};

using claims_under_test = std::tuple<claim::cas_scan, on_groups_of<claim::cas_scan, 7>,
                                     on_groups_of<claim::cas_scan, 8>, claim::fetch_add_ring, claim::index_queue>;

/// linearizable_try is an optional trait: the claim concept does not ask for
/// it (the frame never reads it), linearizable_try_v reads it, and a policy
/// that does not say is taken as not exact.
struct cas_scan_without_exactness_fact {
    static constexpr std::size_t max_slots_per_control = claim::cas_scan::max_slots_per_control;
    template <class Sync>
    using control = claim::cas_scan::control<Sync>;
    template <class Sync>
    using protocol = claim::cas_scan::protocol<Sync>;
};
static_assert(claim_policy<cas_scan_without_exactness_fact>);
static_assert(!linearizable_try_v<cas_scan_without_exactness_fact>);
static_assert(linearizable_try_v<claim::fetch_add_ring> && linearizable_try_v<claim::index_queue>);
static_assert(!linearizable_try_v<claim::cas_scan>);

/// Whether publish_read's "drained" answer is exact (policies with admission
/// counters) or a hint that is true whenever the pool did drain (cas_scan and
/// fetch_add_ring: always true, their publish is a plain store).
template <class ClaimLayout>
inline constexpr bool exact_drained_signal =
    !std::is_same_v<typename claim_layout<ClaimLayout>::claim, claim::cas_scan> &&
    !std::is_same_v<typename claim_layout<ClaimLayout>::claim, claim::fetch_add_ring>;

// A pool of capacity n takes exactly n messages in n distinct slots, refuses
// the next, gives all n back and then refuses to read; several rounds, so the
// later laps of a ring are covered too.  Capacities are not powers of two.
BOOST_AUTO_TEST_CASE_TEMPLATE(fill_and_drain_exactly_capacity, Claim, claims_under_test) {
    for (std::size_t cap : {std::size_t{1}, std::size_t{3}, std::size_t{1000}}) {
        rig<Claim> r(cap);
        for (int round = 0; round < 3; ++round) {
            BOOST_TEST(r.protocol.is_drained(r.slots));
            std::set<std::size_t> indices;
            std::size_t accepted = 0, index = 0;
            while (accepted <= cap && r.try_write(1000 * round + accepted, &index)) {
                indices.insert(index);
                ++accepted;
            }
            BOOST_TEST(accepted == cap, "capacity " << cap << ", round " << round);
            BOOST_TEST(indices.size() == cap);
            BOOST_TEST(*indices.rbegin() < cap);
            BOOST_TEST(r.protocol.was_size(r.slots) == cap);
            BOOST_TEST(!r.protocol.try_claim_write(r.slots).has_value());
            BOOST_TEST(!r.protocol.is_drained(r.slots));

            std::set<std::uint64_t> values;
            while (const auto v = r.try_read()) values.insert(*v);
            BOOST_TEST(values.size() == cap);
            BOOST_TEST(*values.begin() == std::uint64_t(1000 * round));
            BOOST_TEST(*values.rbegin() == std::uint64_t(1000 * round + cap - 1));
            BOOST_TEST(r.protocol.was_size(r.slots) == 0u);
            BOOST_TEST(!r.protocol.try_claim_read(r.slots).has_value());
        }
    }
}

// Capacity-1 and capacity-3 pools cycled 100000 times (as many laps of a
// ring of one slot, a third as many of three), with one message in flight,
// then (capacity 3) two: every message comes back intact.
BOOST_AUTO_TEST_CASE_TEMPLATE(many_laps_single_thread, Claim, claims_under_test) {
    const std::uint64_t cycles = 100000;
    for (std::size_t cap : {std::size_t{1}, std::size_t{3}}) {
        rig<Claim> r(cap);
        std::uint64_t wrong = 0;
        for (std::uint64_t i = 0; i < cycles; ++i) {
            BOOST_REQUIRE(r.try_write(i));
            const auto v = r.try_read();
            wrong += !v || *v != i;
        }
        BOOST_TEST(wrong == 0u, "capacity " << cap);
        BOOST_TEST(r.protocol.is_drained(r.slots));
        if (cap < 2) continue;
        // Two in flight: write i before reading, so each read chooses between
        // the message left over and the new one (the pool is unordered).
        BOOST_REQUIRE(r.try_write(0));
        std::uint64_t pending = 0;
        for (std::uint64_t i = 1; i < cycles; ++i) {
            BOOST_REQUIRE(r.try_write(i));
            const auto v = r.try_read();
            if (!v || (*v != pending && *v != i)) {
                ++wrong;
                break;
            }
            if (*v == pending) pending = i;
        }
        const auto last = r.try_read();
        BOOST_TEST((last && *last == pending));
        BOOST_TEST(wrong == 0u, "capacity " << cap);
        BOOST_TEST(r.protocol.is_drained(r.slots));
    }
}

// cas_scan's near attempts on line-grouped storage are patient: they leave
// alone a line (other than the cursor's own) that the other side is still
// filling or draining, while a full pass (attempt::last_near, or a try_) takes
// from it.  A line that is done (every lane full for a reader, every lane
// empty for a writer) is taken at once, the last, shorter group included.
BOOST_AUTO_TEST_CASE(cas_scan_near_attempts_skip_lines_in_progress) {
    using scan = claim::cas_scan;
    constexpr std::size_t k = 7;
    auto& read_cursor = detail::thread_cursor<detail::read_cursor>();
    auto& write_cursor = detail::thread_cursor<detail::write_cursor>();
    const std::size_t saved_read = read_cursor, saved_write = write_cursor;
    auto set = [](auto& r, std::size_t group, std::size_t lanes, std::uint8_t state) {
        for (std::size_t j = 0; j < lanes; ++j) r.slots.control(group * k).lane[j].store(state);
    };
    auto group_of = [](const auto& t) { return t ? t->index / k : std::size_t(-1); };
    {
        rig<on_groups_of<scan, k>> r(70);  // ten groups of seven
        // A reader whose cursor is on group 2; group 3 half written.
        set(r, 3, 3, scan::full);
        read_cursor = 2;
        BOOST_TEST(!r.protocol.try_claim_read_near(r.slots, attempt::first).has_value());
        BOOST_TEST(!r.protocol.try_claim_read_near(r.slots, attempt::near).has_value());
        auto t = r.protocol.try_claim_read_near(r.slots, attempt::last_near);  // after the last pause: a full pass
        BOOST_TEST(group_of(t) == 3u);
        if (t) r.protocol.publish_read(r.slots, *t);
        read_cursor = 2;
        t = r.protocol.try_claim_read(r.slots);  // a try_: a full pass
        BOOST_TEST(group_of(t) == 3u);
        if (t) r.protocol.publish_read(r.slots, *t);
        // Its own group is never skipped: the cursor stays where it succeeded.
        BOOST_TEST(read_cursor == 3u);
        t = r.protocol.try_claim_read_near(r.slots, attempt::first);
        BOOST_TEST(group_of(t) == 3u);
        if (t) r.protocol.publish_read(r.slots, *t);
        // A complete line is taken by the first near attempt.
        set(r, 3, k, scan::empty);
        set(r, 4, k, scan::full);
        read_cursor = 2;
        t = r.protocol.try_claim_read_near(r.slots, attempt::first);
        BOOST_TEST(group_of(t) == 4u);
        if (t) r.protocol.publish_read(r.slots, *t);
        // A writer on group 4 (full: nothing to take there) skips group 5,
        // where a message still waits for its reader, and fills group 6.
        set(r, 4, k, scan::full);
        set(r, 5, 1, scan::full);
        write_cursor = 4;
        t = r.protocol.try_claim_write_near(r.slots, attempt::first);
        BOOST_TEST(group_of(t) == 6u);
        if (t) r.protocol.publish_write(r.slots, *t);
        write_cursor = 4;
        t = r.protocol.try_claim_write(r.slots);
        BOOST_TEST(group_of(t) == 5u);
        if (t) r.protocol.publish_write(r.slots, *t);
    }
    {
        rig<on_groups_of<scan, k>> r(66);  // nine groups of seven and one of three
        set(r, 9, 3, scan::full);          // the last group, complete
        read_cursor = 8;
        const auto t = r.protocol.try_claim_read_near(r.slots, attempt::first);
        BOOST_TEST(group_of(t) == 9u);
        if (t) r.protocol.publish_read(r.slots, *t);
    }
    read_cursor = saved_read;
    write_cursor = saved_write;
}

// cas_scan on one-slot groups (inline and aligned slots): after a claim the
// thread's next pass starts at the next slot, not at the one it just took
// (which is in the wrong state for its next claim), wrapping after the last.
BOOST_AUTO_TEST_CASE(cas_scan_one_slot_groups_move_the_cursor_on) {
    using scan = claim::cas_scan;
    auto& read_cursor = detail::thread_cursor<detail::read_cursor>();
    auto& write_cursor = detail::thread_cursor<detail::write_cursor>();
    const std::size_t saved_read = read_cursor, saved_write = write_cursor;
    {
        rig<scan> r(5);
        write_cursor = 3;
        auto t = r.protocol.try_claim_write(r.slots);
        BOOST_TEST((t && t->index == 3u));
        BOOST_TEST(write_cursor == 4u);
        if (t) r.protocol.publish_write(r.slots, *t);
        t = r.protocol.try_claim_write_near(r.slots, attempt::first);
        BOOST_TEST((t && t->index == 4u));
        if (t) r.protocol.publish_write(r.slots, *t);
        t = r.protocol.try_claim_write(r.slots);  // past the last slot: the first
        BOOST_TEST((t && t->index == 0u));
        if (t) r.protocol.publish_write(r.slots, *t);
        BOOST_TEST(write_cursor == 1u);
        read_cursor = 4;
        t = r.protocol.try_claim_read(r.slots);
        BOOST_TEST((t && t->index == 4u));
        if (t) r.protocol.publish_read(r.slots, *t);
        t = r.protocol.try_claim_read_near(r.slots, attempt::first);
        BOOST_TEST((t && t->index == 0u));
        if (t) r.protocol.publish_read(r.slots, *t);
        BOOST_TEST(read_cursor == 1u);
        t = r.protocol.try_claim_read(r.slots);  // slots 1 and 2 are empty: the scan goes on to 3
        BOOST_TEST((t && t->index == 3u));
        if (t) r.protocol.publish_read(r.slots, *t);
        BOOST_TEST(read_cursor == 4u);
    }
    read_cursor = saved_read;
    write_cursor = saved_write;
}

// cas_scan on one-slot groups slips: attempt::near (after a blocking call's
// pause steps but the last) takes nothing until the slot a quarter of the
// capacity (at most 256) past the cursor is in the state it needs;
// attempt::first, attempt::last_near and every try_ take any slot.  Below 16
// slots there is no slip.
BOOST_AUTO_TEST_CASE(cas_scan_one_slot_groups_slip) {
    using scan = claim::cas_scan;
    auto& read_cursor = detail::thread_cursor<detail::read_cursor>();
    auto& write_cursor = detail::thread_cursor<detail::write_cursor>();
    const std::size_t saved_read = read_cursor, saved_write = write_cursor;
    auto set = [](auto& r, std::size_t i, std::uint8_t state) { r.slots.control(i).lane[0].store(state); };
    auto index_of = [](const auto& t) { return t ? t->index : std::size_t(-1); };
    {
        rig<scan> r(64);  // a slip of 16 slots
        set(r, 0, scan::full);
        set(r, 1, scan::full);
        read_cursor = 0;
        BOOST_TEST(!r.protocol.try_claim_read_near(r.slots, attempt::near).has_value());  // slot 16 holds no message
        BOOST_TEST(!r.protocol.try_claim_read_near(r.slots, attempt::near).has_value());
        auto t = r.protocol.try_claim_read_near(r.slots, attempt::last_near);  // after the last pause
        BOOST_TEST(index_of(t) == 0u);
        if (t) r.protocol.publish_read(r.slots, *t);
        t = r.protocol.try_claim_read_near(r.slots, attempt::first);  // a call's first attempt
        BOOST_TEST(index_of(t) == 1u);
        if (t) r.protocol.publish_read(r.slots, *t);
        set(r, 2, scan::full);
        BOOST_TEST(!r.protocol.try_claim_read_near(r.slots, attempt::near).has_value());
        set(r, 18, scan::full);  // the writers are 16 slots ahead of the cursor (2)
        t = r.protocol.try_claim_read_near(r.slots, attempt::near);
        BOOST_TEST(index_of(t) == 2u);
        if (t) r.protocol.publish_read(r.slots, *t);
        // Near the end of the ring the slot ahead wraps: cursor 60, slot 12.
        set(r, 60, scan::full);
        read_cursor = 60;
        BOOST_TEST(!r.protocol.try_claim_read_near(r.slots, attempt::near).has_value());
        set(r, 12, scan::full);
        t = r.protocol.try_claim_read_near(r.slots, attempt::near);
        BOOST_TEST(index_of(t) == 60u);
        if (t) r.protocol.publish_read(r.slots, *t);
        // A writer in a full pool: slot 5 free, slot 21 not yet.
        for (std::size_t i = 0; i < 64; ++i) set(r, i, scan::full);
        set(r, 5, scan::empty);
        write_cursor = 5;
        BOOST_TEST(!r.protocol.try_claim_write_near(r.slots, attempt::near).has_value());
        t = r.protocol.try_claim_write(r.slots);  // a try_ takes it
        BOOST_TEST(index_of(t) == 5u);
        if (t) r.protocol.abandon_write(r.slots, *t);
        set(r, 21, scan::empty);
        write_cursor = 5;
        t = r.protocol.try_claim_write_near(r.slots, attempt::near);
        BOOST_TEST(index_of(t) == 5u);
        if (t) r.protocol.publish_write(r.slots, *t);
    }
    {
        rig<scan> r(15);  // no slip
        set(r, 0, scan::full);
        read_cursor = 0;
        const auto t = r.protocol.try_claim_read_near(r.slots, attempt::near);
        BOOST_TEST(index_of(t) == 0u);
        if (t) r.protocol.publish_read(r.slots, *t);
    }
    read_cursor = saved_read;
    write_cursor = saved_write;
}

// fetch_add_ring hands out slots in ticket order: ticket t uses slot t % capacity,
// for writers and readers alike, lap after lap.
BOOST_AUTO_TEST_CASE(fetch_add_ring_slot_is_ticket_mod_capacity) {
    rig<claim::fetch_add_ring> r(3);
    std::uint64_t wrong = 0;
    for (std::uint64_t t = 0; t < 30000; t += 2) {
        std::size_t w1 = 0, w2 = 0, r1 = 0, r2 = 0;
        BOOST_REQUIRE(r.try_write(t, &w1));
        BOOST_REQUIRE(r.try_write(t + 1, &w2));
        const auto a = r.try_read(nullptr, &r1);
        const auto b = r.try_read(nullptr, &r2);
        wrong += w1 != t % 3 || w2 != (t + 1) % 3 || r1 != t % 3 || r2 != (t + 1) % 3;
        wrong += !a || !b || *a != t || *b != t + 1;  // a ring returns them in order
    }
    BOOST_TEST(wrong == 0u);
}

// fetch_add_ring's near attempts (the first attempts of a blocking call) look
// at the slot at their position only: they take it when it is ready and
// otherwise fail at once with nothing taken, even with a ready slot behind a
// held one (a full attempt looks further and waits for the holder).
BOOST_AUTO_TEST_CASE(fetch_add_ring_near_attempts_look_at_their_slot_only) {
    constexpr std::size_t capacity = 4;
    rig<claim::fetch_add_ring> r(capacity);
    using ring = decltype(r.protocol);

    BOOST_TEST(!r.protocol.try_claim_read_near(r.slots, attempt::first).has_value());  // empty
    BOOST_TEST(!r.protocol.try_claim_read_near(r.slots, attempt::near).has_value());

    // A writer holds position 0; position 1 is published behind it.
    const auto held = r.protocol.try_claim_write(r.slots);
    BOOST_REQUIRE((held && held->index == 0));
    BOOST_REQUIRE(r.try_write(11));
    BOOST_TEST(!r.protocol.try_claim_read_near(r.slots, attempt::first).has_value());  // not ready: no look behind it
    r.element(held->index) = 10;
    r.protocol.publish_write(r.slots, *held);
    for (std::uint64_t want : {10u, 11u}) {  // in ring order, nothing skipped or left behind
        const auto t = r.protocol.try_claim_read_near(r.slots, attempt::first);
        BOOST_REQUIRE(t.has_value());
        BOOST_TEST(r.element(t->index) == want);
        r.protocol.publish_read(r.slots, *t);
    }

    // Writers: full, nothing to take; one read frees the slot at the writers' position.
    for (std::uint64_t v = 0; v < capacity; ++v) BOOST_REQUIRE(r.try_write(v));
    BOOST_TEST(!r.protocol.try_claim_write_near(r.slots, attempt::first).has_value());
    BOOST_REQUIRE(r.try_read().has_value());
    const auto w = r.protocol.try_claim_write_near(r.slots, attempt::near);
    BOOST_TEST((w && w->index == 2u));  // positions 2..5 written: the next is 6, slot 6 % 4
    if (w) r.protocol.publish_write(r.slots, *w);
    static_assert(claim_protocol_near<ring, decltype(r.slots)>);
}

// A near attempt expected to take nothing; what it takes all the same is
// given back, so that a failing check cannot stall the ring.
template <class Rig>
bool near_read_takes_nothing(Rig& r, msgpool::attempt kind) {
    const auto t = r.protocol.try_claim_read_near(r.slots, kind);
    if (t) r.protocol.publish_read(r.slots, *t);
    return !t;
}
template <class Rig>
bool near_write_takes_nothing(Rig& r, msgpool::attempt kind) {
    const auto t = r.protocol.try_claim_write_near(r.slots, kind);
    if (t) r.protocol.publish_write(r.slots, *t);
    return !t;
}

// fetch_add_ring's near attempts slip from 16 slots on (a slip of a quarter
// of the capacity): attempt::near takes nothing
// until the slot a slip past their side's position is ready for its
// position, in this lap or the next.
BOOST_AUTO_TEST_CASE(fetch_add_ring_near_attempts_slip) {
    {
        constexpr std::size_t capacity = 300;  // a slip of 75; positions run past the capacity to 512 per lap
        rig<claim::fetch_add_ring> r(capacity);
        const auto reads_nothing = [&](msgpool::attempt kind) { return near_read_takes_nothing(r, kind); };
        const auto writes_nothing = [&](msgpool::attempt kind) { return near_write_takes_nothing(r, kind); };
        BOOST_REQUIRE(r.try_write(0));
        BOOST_REQUIRE(r.try_write(1));
        BOOST_TEST(reads_nothing(attempt::near));  // position 75 not published
        BOOST_TEST(reads_nothing(attempt::near));
        auto t = r.protocol.try_claim_read_near(r.slots, attempt::last_near);  // after the last pause
        BOOST_TEST((t && r.element(t->index) == 0u));
        if (t) r.protocol.publish_read(r.slots, *t);
        for (std::uint64_t v = 2; v <= 76; ++v) BOOST_REQUIRE(r.try_write(v));  // positions up to 76
        t = r.protocol.try_claim_read_near(r.slots, attempt::near);  // the writers are 75 past position 1
        BOOST_TEST((t && r.element(t->index) == 1u));
        if (t) r.protocol.publish_read(r.slots, *t);
        // A full pool: writers at position 512 (lap 1, slot 0) look at slot 75.
        for (std::uint64_t v = 77; v < capacity + 2; ++v) BOOST_REQUIRE(r.try_write(v));
        BOOST_REQUIRE(!r.try_write(0));
        BOOST_REQUIRE(r.try_read().has_value());  // frees slot 2, the writers' next
        BOOST_TEST(writes_nothing(attempt::near));  // slot 77 still full
        for (int i = 0; i < 75; ++i) BOOST_REQUIRE(r.try_read().has_value());  // frees slots 3..77
        const auto w = r.protocol.try_claim_write_near(r.slots, attempt::near);
        BOOST_TEST((w && w->index == 2u));
        if (w) r.protocol.publish_write(r.slots, *w);
        // Near the end of a lap the slot ahead is in the next lap: drain, then
        // move both sides to slot 290 of this lap.
        while (r.try_read()) {
        }
        std::size_t i = 0;
        for (std::size_t n = 0; n < capacity && i != 289; ++n) {
            BOOST_REQUIRE(r.try_write(0, &i));
            BOOST_REQUIRE(r.try_read().has_value());
        }
        BOOST_REQUIRE(i == 289u);
        BOOST_REQUIRE(r.try_write(290));  // slot 290; the slot a slip ahead is 65, next lap
        BOOST_TEST(reads_nothing(attempt::near));
        for (std::uint64_t v = 291; v < 300 + 66; ++v) BOOST_REQUIRE(r.try_write(v));  // slots 291..299, 0..65
        t = r.protocol.try_claim_read_near(r.slots, attempt::near);
        BOOST_TEST((t && r.element(t->index) == 290u));
        if (t) r.protocol.publish_read(r.slots, *t);
    }
    {
        rig<claim::fetch_add_ring> r(16);  // the smallest ring that slips: a slip of 4
        BOOST_REQUIRE(r.try_write(0));
        BOOST_TEST(near_read_takes_nothing(r, attempt::near));  // position 4 not published
        for (std::uint64_t v = 1; v <= 4; ++v) BOOST_REQUIRE(r.try_write(v));
        const auto t = r.protocol.try_claim_read_near(r.slots, attempt::near);  // the writers are 4 past position 0
        BOOST_TEST((t && r.element(t->index) == 0u));
        if (t) r.protocol.publish_read(r.slots, *t);
    }
    {
        rig<claim::fetch_add_ring> r(15);  // below 16 slots: no slip
        BOOST_REQUIRE(r.try_write(7));
        const auto t = r.protocol.try_claim_read_near(r.slots, attempt::near);
        BOOST_TEST((t && r.element(t->index) == 7u));
        if (t) r.protocol.publish_read(r.slots, *t);
    }
}

// publish_read reports "drained" exactly when it released the last claimed
// slot; a write in progress (claimed, not yet published) keeps the pool from
// being drained.
BOOST_AUTO_TEST_CASE_TEMPLATE(publish_read_reports_drained_on_the_last_release, Claim, claims_under_test) {
    constexpr std::size_t cap = 5;
    rig<Claim> r(cap);
    for (std::size_t k = 1; k <= cap; ++k) {
        for (std::size_t i = 0; i < k; ++i) BOOST_REQUIRE(r.try_write(i));
        for (std::size_t i = 0; i < k; ++i) {
            bool drained = false;
            BOOST_REQUIRE(r.try_read(&drained));
            if (exact_drained_signal<Claim> || i + 1 == k) BOOST_TEST(drained == (i + 1 == k), "k=" << k << " i=" << i);
            BOOST_TEST(r.protocol.is_drained(r.slots) == (i + 1 == k));
        }
    }

    BOOST_REQUIRE(r.try_write(1));
    BOOST_REQUIRE(r.try_write(2));
    const auto in_progress = r.protocol.try_claim_write(r.slots);  // claimed, not published
    BOOST_REQUIRE(in_progress.has_value());
    BOOST_TEST(r.protocol.was_size(r.slots) == 2u);
    bool drained = true;
    BOOST_REQUIRE(r.try_read(&drained));
    if (exact_drained_signal<Claim>) BOOST_TEST(!drained);
    BOOST_REQUIRE(r.try_read(&drained));
    if (exact_drained_signal<Claim>) BOOST_TEST(!drained);  // every message read, but a write is in progress
    BOOST_TEST(!r.protocol.is_drained(r.slots));
    BOOST_TEST(!r.protocol.try_claim_read(r.slots).has_value());
    r.element(in_progress->index) = 3;
    r.protocol.publish_write(r.slots, *in_progress);
    const auto v = r.try_read(&drained);
    BOOST_TEST((v && *v == 3u));
    BOOST_TEST(drained);
}

// The fetch-add trap (design.md section 4): claims that fail must leave no
// trace.  Had a failed try_claim_read taken a ticket, the next message would
// land in that ticket's slot and the next reader would wait behind a ticket
// nobody holds (a hang, which the watchdog turns into a failure); had a failed
// write taken one, a later writer would wait for a turn that never comes.
BOOST_AUTO_TEST_CASE_TEMPLATE(failed_claims_leave_no_trace, Claim, claims_under_test) {
    constexpr std::size_t cap = 3;
    rig<Claim> r(cap);
    for (int i = 0; i < 1000; ++i) BOOST_REQUIRE(!r.protocol.try_claim_read(r.slots).has_value());
    BOOST_TEST(r.protocol.is_drained(r.slots));
    for (std::uint64_t round = 0; round < 10; ++round) {
        BOOST_REQUIRE(r.try_write(round));
        const auto v = r.try_read();
        BOOST_TEST((v && *v == round));
        BOOST_REQUIRE(!r.protocol.try_claim_read(r.slots).has_value());
    }
    std::multiset<std::uint64_t> written, read;
    for (std::uint64_t i = 0; i < cap; ++i) {
        BOOST_REQUIRE(r.try_write(i));
        written.insert(i);
    }
    for (int i = 0; i < 1000; ++i) BOOST_REQUIRE(!r.protocol.try_claim_write(r.slots).has_value());
    BOOST_TEST(r.protocol.was_size(r.slots) == cap);
    for (std::uint64_t round = 0; round < 10; ++round) {
        const auto v = r.try_read();  // a full pool after 1000 failed writes: the read frees a slot...
        BOOST_REQUIRE(v.has_value());
        read.insert(*v);
        BOOST_REQUIRE(r.try_write(100 + round));  // ...that the next writer gets at once
        written.insert(100 + round);
        BOOST_REQUIRE(!r.protocol.try_claim_write(r.slots).has_value());
    }
    while (const auto v = r.try_read()) read.insert(*v);
    BOOST_TEST((read == written));
    BOOST_TEST(r.protocol.is_drained(r.slots));
}

// Exactly once under threads, with the protocol alone: writers and readers
// spin on try_ claims (yielding when the pool is full or empty), four of each
// on this two-core machine, so ticket holders do get preempted.
BOOST_AUTO_TEST_CASE_TEMPLATE(exactly_once_under_threads, Claim, claims_under_test) {
    for (std::size_t cap : {std::size_t{1}, std::size_t{2}, std::size_t{7}}) {
        rig<Claim> r(cap);
        constexpr std::size_t writers = 4, readers = 4;
        const std::uint64_t messages = scaled(10000);
        std::vector<std::atomic<std::uint32_t>> seen(messages);
        std::atomic<std::uint64_t> read_count{0}, foreign{0}, drained_signals{0};
        run_threads(writers + readers, [&](std::size_t t) {
            if (t < writers) {
                for (std::uint64_t id = t; id < messages; id += writers)
                    while (!r.try_write(id)) std::this_thread::yield();
            } else {
                while (read_count.load(std::memory_order_relaxed) < messages) {  // relaxed: a stop hint only
                    bool drained = false;
                    if (const auto v = r.try_read(&drained)) {
                        if (*v < messages)
                            seen[*v].fetch_add(1, std::memory_order_relaxed);  // relaxed: read after join()
                        else
                            foreign.fetch_add(1, std::memory_order_relaxed);
                        drained_signals.fetch_add(drained ? 1 : 0, std::memory_order_relaxed);
                        read_count.fetch_add(1, std::memory_order_relaxed);
                    } else {
                        std::this_thread::yield();
                    }
                }
            }
        });
        std::uint64_t missing = 0, duplicated = 0;
        for (auto& s : seen) {
            missing += s.load() == 0;
            duplicated += s.load() > 1;
        }
        BOOST_TEST(missing == 0u, "capacity " << cap);
        BOOST_TEST(duplicated == 0u, "capacity " << cap);
        BOOST_TEST(foreign.load() == 0u);
        BOOST_TEST(drained_signals.load() >= 1u);  // at least the very last read drained the pool
        BOOST_TEST(r.protocol.was_size(r.slots) == 0u);
        BOOST_TEST(r.protocol.is_drained(r.slots));
    }
}

// ------------------------------------------------------------------ abandon_write
// The protocols that can give back a slot claimed for writing without
// publishing it (a write handle dropped without commit): cas_scan, on one
// slot per word and on line-grouped words of 7, and index_queue.
// (fetch_add_ring has no abandon_write: a ticket cannot be given back.)
using abandoning_claims_under_test =
    std::tuple<claim::cas_scan, on_groups_of<claim::cas_scan, 7>, claim::index_queue>;

template <class ClaimLayout>
inline constexpr bool can_abandon = claim_protocol_abandon_write<typename rig<ClaimLayout>::protocol_type,
                                                                 typename rig<ClaimLayout>::slots_type>;
static_assert(can_abandon<claim::cas_scan> && can_abandon<on_groups_of<claim::cas_scan, 7>> &&
              can_abandon<claim::index_queue> && !can_abandon<claim::fetch_add_ring>);

// Claim, abandon: the slot is empty again (no message appears, the next
// claim may take it), was_size() never counts it, and abandon_write reports
// "drained" when it gave back the last claimed slot.  Capacities 1, 3 and 8
// (two words of 7 for the grouped layout, the second with one lane).
BOOST_AUTO_TEST_CASE_TEMPLATE(abandon_write_returns_the_slot, Claim, abandoning_claims_under_test) {
    for (std::size_t cap : {std::size_t{1}, std::size_t{3}, std::size_t{8}}) {
        rig<Claim> r(cap);
        // Alone: many claim/abandon cycles, each leaving the pool drained and empty.
        for (int i = 0; i < 1000; ++i) {
            const auto t = r.protocol.try_claim_write(r.slots);
            BOOST_REQUIRE(t.has_value());
            BOOST_TEST(!r.protocol.is_drained(r.slots));
            r.element(t->index) = 777;  // filled, then dropped: must never arrive
            const bool drained = r.protocol.abandon_write(r.slots, *t);
            BOOST_TEST(drained, "capacity " << cap << ", cycle " << i);
            BOOST_TEST(r.protocol.is_drained(r.slots));
            BOOST_TEST(r.protocol.was_size(r.slots) == 0u);
            BOOST_TEST(!r.protocol.try_claim_read(r.slots).has_value());
        }

        // Full but for one slot; claim it (now the pool is full), abandon it:
        // exactly that slot is free again, the messages untouched.
        std::set<std::size_t> taken;
        for (std::uint64_t v = 1; v < cap; ++v) {
            std::size_t index = 0;
            BOOST_REQUIRE(r.try_write(v, &index));
            taken.insert(index);
        }
        const auto last = r.protocol.try_claim_write(r.slots);
        BOOST_REQUIRE(last.has_value());
        BOOST_TEST(taken.count(last->index) == 0u);
        BOOST_TEST(!r.protocol.try_claim_write(r.slots).has_value());  // full: every slot held or written
        r.element(last->index) = 777;
        const bool drained = r.protocol.abandon_write(r.slots, *last);
        if (exact_drained_signal<Claim> || cap == 1) BOOST_TEST(drained == (cap == 1), "capacity " << cap);
        BOOST_TEST(r.protocol.is_drained(r.slots) == (cap == 1));
        BOOST_TEST(r.protocol.was_size(r.slots) == cap - 1);
        const auto again = r.protocol.try_claim_write(r.slots);  // the abandoned slot, the only free one
        BOOST_REQUIRE(again.has_value());
        BOOST_TEST(again->index == last->index);
        r.element(again->index) = cap;
        r.protocol.publish_write(r.slots, *again);
        BOOST_TEST(r.protocol.was_size(r.slots) == cap);
        std::set<std::uint64_t> values;
        while (const auto v = r.try_read()) values.insert(*v);
        BOOST_TEST(values.size() == cap);
        BOOST_TEST(values.count(777) == 0u);
        BOOST_TEST(r.protocol.is_drained(r.slots));

        // A write claimed while the last message is read keeps the pool from
        // draining; its abandon is what drains it.
        if (cap < 2) continue;
        BOOST_REQUIRE(r.try_write(5));
        const auto open = r.protocol.try_claim_write(r.slots);
        BOOST_REQUIRE(open.has_value());
        bool read_drained = true;
        const auto v = r.try_read(&read_drained);
        BOOST_TEST((v && *v == 5u));
        if (exact_drained_signal<Claim>) BOOST_TEST(!read_drained);
        BOOST_TEST(!r.protocol.is_drained(r.slots));
        BOOST_TEST(r.protocol.abandon_write(r.slots, *open));  // the last claimed slot: drained, exactly
        BOOST_TEST(r.protocol.is_drained(r.slots));
        BOOST_TEST(!r.protocol.try_claim_read(r.slots).has_value());
    }
}

// Exactly once under threads with abandons: writers claim, fill and drop a
// poison value for every third id before claiming again and publishing it;
// readers must see every id once and never a poison value, and at the end
// every slot is free (none lost to an abandon).  Under TSan this also checks
// [A1]: the poison write happens before the next writer's write to the slot.
BOOST_AUTO_TEST_CASE_TEMPLATE(abandon_exactly_once_under_threads, Claim, abandoning_claims_under_test) {
    for (std::size_t cap : {std::size_t{1}, std::size_t{2}, std::size_t{7}}) {
        rig<Claim> r(cap);
        constexpr std::size_t writers = 4, readers = 4;
        const std::uint64_t messages = scaled(10000);
        const std::uint64_t poison = std::numeric_limits<std::uint64_t>::max();
        std::vector<std::atomic<std::uint32_t>> seen(messages);
        std::atomic<std::uint64_t> read_count{0}, foreign{0}, abandons{0};
        auto claim_write = [&r] {
            for (;;) {
                if (const auto t = r.protocol.try_claim_write(r.slots)) return *t;
                std::this_thread::yield();
            }
        };
        run_threads(writers + readers, [&](std::size_t t) {
            if (t < writers) {
                for (std::uint64_t id = t; id < messages; id += writers) {
                    if (id % 3 == 0) {
                        const auto dropped = claim_write();
                        r.element(dropped.index) = poison;
                        r.protocol.abandon_write(r.slots, dropped);
                        abandons.fetch_add(1, std::memory_order_relaxed);  // relaxed: read after join()
                    }
                    const auto kept = claim_write();
                    r.element(kept.index) = id;
                    r.protocol.publish_write(r.slots, kept);
                }
            } else {
                while (read_count.load(std::memory_order_relaxed) < messages) {  // relaxed: a stop hint only
                    if (const auto v = r.try_read()) {
                        if (*v < messages)
                            seen[*v].fetch_add(1, std::memory_order_relaxed);  // relaxed: read after join()
                        else
                            foreign.fetch_add(1, std::memory_order_relaxed);
                        read_count.fetch_add(1, std::memory_order_relaxed);
                    } else {
                        std::this_thread::yield();
                    }
                }
            }
        });
        std::uint64_t missing = 0, duplicated = 0;
        for (auto& s : seen) {
            missing += s.load() == 0;
            duplicated += s.load() > 1;
        }
        BOOST_TEST(missing == 0u, "capacity " << cap);
        BOOST_TEST(duplicated == 0u, "capacity " << cap);
        BOOST_TEST(foreign.load() == 0u, "capacity " << cap << ": an abandoned slot was read");
        BOOST_TEST(abandons.load() == (messages + 2) / 3);
        BOOST_TEST(r.protocol.was_size(r.slots) == 0u);
        BOOST_TEST(r.protocol.is_drained(r.slots));
        std::vector<typename rig<Claim>::token> all;  // every slot claimable at once: none lost
        while (const auto t = r.protocol.try_claim_write(r.slots)) all.push_back(*t);
        BOOST_TEST(all.size() == cap);
        for (const auto& t : all) r.protocol.abandon_write(r.slots, t);
        BOOST_TEST(r.protocol.is_drained(r.slots));
    }
}

// Once constructed, a protocol never allocates: not alone, not under threads.
// For index_queue this checks that the nodes reserved up front suffice (the
// counting argument in its header); the construction itself must show up in
// the count, or the hook would not be seeing Boost's nodes at all.
BOOST_AUTO_TEST_CASE_TEMPLATE(claims_never_allocate_after_construction, Claim, claims_under_test) {
    constexpr std::size_t cap = 64;
    const std::size_t before_construction = thread_allocations;
    rig<Claim> r(cap);
    const std::size_t construction = thread_allocations - before_construction;
    if constexpr (std::is_same_v<Claim, claim::index_queue>) BOOST_TEST(construction >= 2 * cap);

    // No Boost.Test assertion inside the measured loops: those may allocate.
    std::size_t alone = thread_allocations, failed = 0;
    for (std::uint64_t i = 0; i < 10000; ++i) {
        for (std::uint64_t k = 0; k < i % cap + 1; ++k) failed += !r.try_write(k);
        while (r.try_read()) {
        }
    }
    alone = thread_allocations - alone;
    BOOST_TEST(failed == 0u);
    BOOST_TEST(alone == 0u);

    std::vector<std::size_t> per_thread(4, 0);  // each written by its own thread, read after join()
    const std::uint64_t per_writer = scaled(20000);
    std::atomic<std::uint64_t> read_count{0};
    run_threads(4, [&](std::size_t t) {
        const std::size_t start = thread_allocations;
        if (t < 2) {
            for (std::uint64_t i = 0; i < per_writer; ++i)
                while (!r.try_write(i)) std::this_thread::yield();
        } else {
            while (read_count.load(std::memory_order_relaxed) < 2 * per_writer) {  // relaxed: a stop hint only
                if (r.try_read())
                    read_count.fetch_add(1, std::memory_order_relaxed);
                else
                    std::this_thread::yield();
            }
        }
        per_thread[t] = thread_allocations - start;
    });
    for (std::size_t t = 0; t < 4; ++t) BOOST_TEST(per_thread[t] == 0u, "thread " << t);
}

// Bulk claims (claim_protocol_bulk) on their own.  Which layouts model them:
// cas_scan on groups of several slots (not one-slot groups), fetch_add_ring
// (under the native family), never index_queue.  cas_scan: a bulk claim takes
// the lowest n lanes in the needed state of one group, exactly those (lanes
// in other states are left alone), with the cursor on that group; the bulk
// publish moves exactly them.  fetch_add_ring: a bulk claim takes the run of
// ready positions from the counter, at most n and at most capacity, across
// the lap's skipped positions, many laps over; a failed one leaves no trace.
static_assert(claim_protocol_bulk<rig<on_groups_of<claim::cas_scan, 7>>::protocol_type,
                                  rig<on_groups_of<claim::cas_scan, 7>>::slots_type>);
static_assert(!claim_protocol_bulk<rig<claim::cas_scan>::protocol_type, rig<claim::cas_scan>::slots_type>);
static_assert(claim_protocol_bulk<rig<claim::fetch_add_ring>::protocol_type, rig<claim::fetch_add_ring>::slots_type>);
static_assert(!claim_protocol_bulk<rig<claim::index_queue>::protocol_type, rig<claim::index_queue>::slots_type>);

BOOST_AUTO_TEST_CASE(cas_scan_bulk_claims_take_exactly_the_lanes_they_move) {
    using scan = claim::cas_scan;
    constexpr std::size_t k = 7;
    auto& write_cursor = detail::thread_cursor<detail::write_cursor>();
    auto& read_cursor = detail::thread_cursor<detail::read_cursor>();
    const std::size_t saved_read = read_cursor, saved_write = write_cursor;
    rig<on_groups_of<scan, k>> r(17);  // groups of 7, 7 and 3 lanes
    auto indices = [&](const auto& b) {
        std::vector<std::size_t> v;
        r.protocol.for_each_index(b, [&](std::size_t i) noexcept { v.push_back(i); });
        return v;
    };
    // Group 1 has lanes 1 and 4 busy (another writer holds them): a bulk of 7
    // takes the other five, lowest first, and nothing else.
    r.slots.control(7).lane[1].store(scan::writing);
    r.slots.control(7).lane[4].store(scan::full);
    write_cursor = 1;
    auto b = r.protocol.try_claim_write_bulk(r.slots, 7);
    BOOST_TEST_REQUIRE(b.has_value());
    BOOST_TEST(b->count == 5u);
    BOOST_TEST((indices(*b) == std::vector<std::size_t>{7, 9, 10, 12, 13}));
    BOOST_TEST(write_cursor == 1u);
    BOOST_TEST(r.slots.control(7).lane[1].load() == scan::writing);  // untouched
    BOOST_TEST(r.slots.control(7).lane[4].load() == scan::full);     // untouched
    for (std::size_t i : indices(*b)) r.element(i) = 100 + i;
    r.protocol.publish_write_bulk(r.slots, *b);
    for (std::size_t i : {7u, 9u, 10u, 12u, 13u}) BOOST_TEST(r.slots.control(i).lane[i % k].load() == scan::full);
    // At most n: a bulk of 2 on the last group (3 lanes) takes lanes 0 and 1.
    write_cursor = 2;
    b = r.protocol.try_claim_write_bulk(r.slots, 2);
    BOOST_TEST_REQUIRE(b.has_value());
    BOOST_TEST((indices(*b) == std::vector<std::size_t>{14, 15}));
    r.protocol.publish_write_bulk(r.slots, *b);
    // Reads: a bulk read from group 1 takes its six full lanes, not the busy one.
    read_cursor = 1;
    auto rb = r.protocol.try_claim_read_bulk(r.slots, 32);
    BOOST_TEST_REQUIRE(rb.has_value());
    BOOST_TEST((indices(*rb) == std::vector<std::size_t>{7, 9, 10, 11, 12, 13}));
    BOOST_TEST(r.protocol.publish_read_bulk(r.slots, *rb));
    BOOST_TEST(r.slots.control(7).lane[1].load() == scan::writing);
    // Lanes past capacity in the last group are never taken: fill the pool,
    // then a bulk write finds nothing and changes nothing.
    r.slots.control(7).lane[1].store(scan::full);
    while (const auto w = r.protocol.try_claim_write_bulk(r.slots, 32)) r.protocol.publish_write_bulk(r.slots, *w);
    BOOST_TEST(r.protocol.was_size(r.slots) == 17u);
    BOOST_TEST(!r.protocol.try_claim_write_bulk(r.slots, 32).has_value());
    for (std::size_t j = 3; j < 8; ++j) BOOST_TEST(r.slots.control(14).lane[j].load() == scan::empty);
    read_cursor = saved_read;
    write_cursor = saved_write;
}

BOOST_AUTO_TEST_CASE(fetch_add_ring_bulk_claims_take_runs_of_ready_positions) {
    for (std::size_t cap : {std::size_t{1}, std::size_t{3}, std::size_t{5}, std::size_t{8}}) {
        rig<claim::fetch_add_ring> r(cap);
        std::uint64_t written = 0, read = 0;
        for (std::size_t round = 0; round < 40; ++round) {
            // Write a bulk of n: the free run, at most n and capacity.
            const std::size_t n = 1 + round % 7;
            const std::size_t free_before = cap - r.protocol.was_size(r.slots);
            if (const auto b = r.protocol.try_claim_write_bulk(r.slots, n)) {
                BOOST_TEST(b->count == std::min(n, free_before), "capacity " << cap << ", round " << round);
                r.protocol.for_each_index(*b, [&](std::size_t i) noexcept { r.element(i) = written++; });
                r.protocol.publish_write_bulk(r.slots, *b);
            } else {
                BOOST_TEST(free_before == 0u, "capacity " << cap << ", round " << round);
            }
            // Read a bulk of m: in ring order, the ids in the order written.
            const std::size_t m = 1 + (round * 3) % 5;
            const std::size_t there = r.protocol.was_size(r.slots);
            if (const auto b = r.protocol.try_claim_read_bulk(r.slots, m)) {
                BOOST_TEST(b->count == std::min(m, there), "capacity " << cap << ", round " << round);
                r.protocol.for_each_index(*b, [&](std::size_t i) noexcept { BOOST_TEST(r.element(i) == read++); });
                BOOST_TEST(r.protocol.publish_read_bulk(r.slots, *b));
            } else {
                BOOST_TEST(there == 0u);
            }
        }
        // Single claims still work after many laps of bulk claims, and a
        // failed bulk claim left nothing behind.
        while (r.try_read()) ++read;
        BOOST_TEST(read == written);
        BOOST_TEST(!r.protocol.try_claim_read_bulk(r.slots, 4).has_value());
        for (std::size_t i = 0; i < cap; ++i) BOOST_TEST(r.try_write(i));
        BOOST_TEST(!r.try_write(99));
        BOOST_TEST(!r.protocol.try_claim_write_bulk(r.slots, 4).has_value());
        BOOST_TEST(r.protocol.was_size(r.slots) == cap);
    }
}

// index_queue on its own (without the slot array, which fails first in a
// pool): an absurd capacity is a std::length_error that names the capacity,
// not a crash and not a machine that runs out of memory node by node.
BOOST_AUTO_TEST_CASE(index_queue_absurd_capacity_is_a_length_error) {
    using protocol_type = claim::index_queue::protocol<sync::native>;
    for (std::size_t huge : {std::numeric_limits<std::size_t>::max(), std::size_t{1} << 50, std::size_t{1} << 44}) {
        BOOST_CHECK_EXCEPTION(protocol_type{huge}, std::length_error, [huge](const std::length_error& e) {
            const std::string what = e.what();
            return what.find("capacity " + std::to_string(huge)) != std::string::npos;
        });
    }
}

}  // namespace msgpool_test
