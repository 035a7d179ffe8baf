// tests/shm/shm_pool.cpp - shared-memory pools across processes: exactly once
// by id over every shared composition, close / reopen / wait_until_empty and
// the timed forms across processes, fork after attach, pools in caller memory
// mapped at two addresses, and every bad input as a clear error.  Every wait
// is bounded (children die by alarm(); the parent kills the children it
// started, by pid, at a limit) and every segment is removed, also on failure.
#define BOOST_TEST_MODULE shm_pool
#include <boost/mpl/list.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <msgpool/basic_shared_pool.hpp>
#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/storage/aligned_slots.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/storage/line_grouped_slots.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/futex_counted.hpp>
#include <msgpool/wait/spin.hpp>

#include "shm/processes.hpp"
#include "support/stress.hpp"

namespace msgpool {
// For Boost.Test's messages.
inline std::ostream& operator<<(std::ostream& os, shared_pool_errc c) { return os << "errc " << static_cast<int>(c); }
}  // namespace msgpool

using namespace msgpool;
using namespace std::chrono_literals;
using msgpool_test::children;
using msgpool_test::segment_guard;
using msgpool_test::shared_counters;
using msgpool_test::unique_name;

namespace {

template <class Claim, class Wait, class Storage, class Sync = sync::shared_fenced>
using u64_pool = basic_shared_pool<std::uint64_t, Claim, Wait, Storage, Sync>;

// Every composition that works across processes, on the fence barrier, and
// the two blocking claims on the membarrier barrier; wait::futex_counted
// under each claim once.
using shared_compositions = boost::mpl::list<
    u64_pool<claim::cas_scan, wait::futex, storage::inline_slots>,
    u64_pool<claim::cas_scan, wait::futex, storage::aligned_slots>,
    u64_pool<claim::cas_scan, wait::futex, storage::line_grouped_slots>,
    u64_pool<claim::cas_scan, wait::spin, storage::inline_slots>,
    u64_pool<claim::cas_scan, wait::spin, storage::aligned_slots>,
    u64_pool<claim::cas_scan, wait::spin, storage::line_grouped_slots>,
    u64_pool<claim::fetch_add_ring, wait::futex, storage::inline_slots>,
    u64_pool<claim::fetch_add_ring, wait::futex, storage::aligned_slots>,
    u64_pool<claim::fetch_add_ring, wait::spin, storage::inline_slots>,
    u64_pool<claim::fetch_add_ring, wait::spin, storage::aligned_slots>,
    u64_pool<claim::cas_scan, wait::futex, storage::inline_slots, sync::shared_membarrier>,
    u64_pool<claim::fetch_add_ring, wait::futex, storage::aligned_slots, sync::shared_membarrier>,
    u64_pool<claim::cas_scan, wait::futex_counted, storage::inline_slots>,
    u64_pool<claim::fetch_add_ring, wait::futex_counted, storage::inline_slots, sync::shared_membarrier>>;

// The blocking waits with many sleepers on one channel (capacity one, eight
// by eight): wait::futex wakes them all, wait::futex_counted one per notify.
using blocking_compositions = boost::mpl::list<u64_pool<claim::cas_scan, wait::futex, storage::inline_slots>,
                                               u64_pool<claim::fetch_add_ring, wait::futex, storage::inline_slots>,
                                               u64_pool<claim::cas_scan, wait::futex_counted, storage::inline_slots>>;

using default_shared = u64_pool<claim::cas_scan, wait::futex, storage::inline_slots>;

constexpr auto child_limit = 120s;

/// P producer and C consumer processes move `n` ids through a new pool of
/// `capacity`; the last producer closes it.  Checks each id arrived once.
template <class Pool>
void exactly_once(unsigned producers, unsigned consumers, std::size_t capacity, std::size_t n) {
    segment_guard seg(unique_name("once"));
    auto pool = Pool::create(seg.name(), capacity);
    shared_counters seen(n + 1);  // seen[id]; the last counter counts producers done
    children kids;
    for (unsigned p = 0; p < producers; ++p)
        kids.spawn([&, p] {
            auto q = Pool::open(seg.name());
            for (std::size_t id = p; id < n; id += producers) q->write(id);
            if (seen[n].fetch_add(1) + 1 == producers) q->close();
            return 0;
        });
    for (unsigned c = 0; c < consumers; ++c)
        kids.spawn([&] {
            auto q = Pool::open(seg.name());
            std::uint64_t id = 0;
            while (q->read(id)) {
                if (id >= n) return 3;
                seen[id].fetch_add(1, std::memory_order_relaxed);
            }
            return 0;
        });
    BOOST_REQUIRE(kids.all_succeeded(child_limit));
    std::size_t lost = 0, doubled = 0;
    for (std::size_t id = 0; id < n; ++id) {
        const auto k = seen[id].load();
        lost += k == 0;
        doubled += k > 1;
    }
    BOOST_TEST(lost == 0u);
    BOOST_TEST(doubled == 0u);
    BOOST_TEST(pool->was_size() == 0u);
}

/// Writes `len` bytes at `offset` of the header of a pool in `memory`.
void poke(void* memory, std::size_t offset, const void* bytes, std::size_t len, bool fix_checksum) {
    auto* h = static_cast<detail::segment_header*>(memory);
    std::memcpy(reinterpret_cast<unsigned char*>(h) + offset, bytes, len);
    if (fix_checksum) h->checksum = detail::header_checksum(*h);
}

/// Maps the named segment whole, for a test to edit its header.
detail::segment_mapping map_whole(const std::string& name) {
    return detail::open_segment(name, 0, 0ms, false);
}

template <class F>
shared_pool_errc error_of(F&& f) {
    try {
        f();
    } catch (const shared_pool_error& e) {
        BOOST_TEST_MESSAGE("clear error: " << e.what());
        return e.code();
    }
    return shared_pool_errc{};
}

}  // namespace

// ---------------------------------------------------------------------------- exactly once

BOOST_AUTO_TEST_CASE_TEMPLATE(exactly_once_three_by_three_processes, Pool, shared_compositions) {
    exactly_once<Pool>(3, 3, 64, msgpool_test::scaled(60000));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(exactly_once_capacity_one_eight_by_eight, Pool, blocking_compositions) {
    // 16 processes on two cores through one slot: every hand-off is a wake-up.
    exactly_once<Pool>(8, 8, 1, msgpool_test::scaled(8000));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(short_bursts_capacity_one, Pool, blocking_compositions) {
    // Many short bursts, each drained (wait_until_empty) before the next: a
    // lost wake-up leaves a reader or the drainer asleep past its bound.
    segment_guard seg(unique_name("bursts"));
    auto pool = Pool::create(seg.name(), 1);
    const std::size_t bursts = msgpool_test::scaled(200), per_burst = 8;
    shared_counters seen(bursts * per_burst);
    children kids;
    kids.spawn([&] {
        auto q = Pool::open(seg.name());
        for (std::size_t b = 0; b < bursts; ++b) {
            for (std::size_t i = 0; i < per_burst; ++i) q->write(b * per_burst + i);
            if (!q->wait_until_empty_for(10s)) return 4;
        }
        q->close();
        return 0;
    });
    for (int c = 0; c < 2; ++c)
        kids.spawn([&] {
            auto q = Pool::open(seg.name());
            std::uint64_t id = 0;
            while (q->read(id)) seen[id].fetch_add(1);
            return 0;
        });
    BOOST_REQUIRE(kids.all_succeeded(child_limit));
    for (std::size_t id = 0; id < seen.size(); ++id) BOOST_TEST_REQUIRE(seen[id].load() == 1u);
}

BOOST_AUTO_TEST_CASE(raw_bytes_across_processes) {
    using raw_pool = basic_shared_pool<raw_bytes, claim::cas_scan, wait::futex, storage::inline_slots>;
    segment_guard seg(unique_name("raw"));
    auto pool = raw_pool::create(seg.name(), 16, 24);
    children kids;
    kids.spawn([&] {
        auto q = raw_pool::open(seg.name());
        if (q->element_size() != 24) return 5;
        for (std::uint32_t i = 0; i < 1000; ++i) {
            unsigned char rec[24];
            std::memset(rec, static_cast<int>(i & 0xff), sizeof rec);
            std::memcpy(rec, &i, sizeof i);
            q->write(rec);
        }
        return 0;
    });
    for (std::uint32_t i = 0; i < 1000; ++i) {
        unsigned char rec[24];
        BOOST_REQUIRE(pool->read_for(rec, nullptr, 10s));
        std::uint32_t id = 0;
        std::memcpy(&id, rec, sizeof id);
        BOOST_TEST(rec[23] == static_cast<unsigned char>(id & 0xff));
    }
    BOOST_REQUIRE(kids.all_succeeded(child_limit));
}

// ---------------------------------------------------------------------------- close, reopen, drain, timed

BOOST_AUTO_TEST_CASE_TEMPLATE(close_wakes_a_reader_in_another_process, Pool, blocking_compositions) {
    segment_guard seg(unique_name("close"));
    auto pool = Pool::create(seg.name(), 8);
    shared_counters state(1);
    children kids;
    kids.spawn([&] {
        auto q = Pool::open(seg.name());
        state[0].store(1);
        std::uint64_t v = 0;
        return q->read(v) ? 6 : 0;  // closed and empty: false, whether close came before or during the read
    });
    while (state[0].load() == 0) std::this_thread::sleep_for(1ms);  // paces only: both orders must end in false
    std::this_thread::sleep_for(20ms);  // paces only: usually lets the reader reach its sleep first
    pool->close();
    BOOST_REQUIRE(kids.all_succeeded(child_limit));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(reopen_and_wait_until_empty_across_processes, Pool, blocking_compositions) {
    segment_guard seg(unique_name("reopen"));
    auto pool = Pool::create(seg.name(), 8);
    pool->close();
    pool->reopen();
    const std::size_t n = 500;
    shared_counters reads(2);  // [0] messages read by the child, [1] its timed read is over
    children kids;
    kids.spawn([&] {
        auto q = Pool::open(seg.name());
        std::uint64_t v = 0;
        // Reopened: an empty pool blocks again (here for 30 ms) instead of failing at once.
        const auto t0 = std::chrono::steady_clock::now();
        if (q->read_for(v, 30ms)) return 7;
        if (std::chrono::steady_clock::now() - t0 < 30ms) return 8;
        reads[1].store(1);  // the parent writes only now
        for (std::size_t i = 0; i < n; ++i) {
            if (!q->read_for(v, 10s)) return 9;
            reads[0].fetch_add(1);
        }
        return 0;
    });
    const auto give_up = std::chrono::steady_clock::now() + 20s;
    while (reads[1].load() == 0 && std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(1ms);
    bool written = true;
    for (std::uint64_t i = 0; i < n && written; ++i) written = pool->write_for(i, 20s);
    BOOST_TEST(written);
    BOOST_TEST(pool->wait_until_empty_for(20s));
    BOOST_TEST(reads[0].load() == n);  // every message completely read when it returned
    BOOST_REQUIRE(kids.all_succeeded(child_limit));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(timed_forms_across_processes, Pool, blocking_compositions) {
    segment_guard seg(unique_name("timed"));
    auto pool = Pool::create(seg.name(), 2);
    std::uint64_t v = 0;
    auto t0 = std::chrono::steady_clock::now();
    BOOST_TEST(!pool->read_for(v, 50ms));
    BOOST_TEST((std::chrono::steady_clock::now() - t0 >= 50ms));
    pool->write(1);
    pool->write(2);
    t0 = std::chrono::steady_clock::now();
    BOOST_TEST(!pool->write_for(3, 50ms));
    BOOST_TEST((std::chrono::steady_clock::now() - t0 >= 50ms));
    BOOST_TEST(pool->try_read(v));
    BOOST_TEST(pool->try_read(v));
    // A timed read longer than the sleep bound, satisfied by another process.
    children kids;
    kids.spawn([&] {
        auto q = Pool::open(seg.name());
        std::this_thread::sleep_for(250ms);  // paces only: the reader waits across more than one bounded sleep
        q->write(42);
        return 0;
    });
    BOOST_TEST(pool->read_until(v, std::chrono::steady_clock::now() + 20s));
    BOOST_TEST(v == 42u);
    BOOST_REQUIRE(kids.all_succeeded(child_limit));
}

// ---------------------------------------------------------------------------- fork, caller memory

BOOST_AUTO_TEST_CASE_TEMPLATE(fork_after_attach_shares_the_pool, Pool, blocking_compositions) {
    segment_guard seg(unique_name("fork"));
    auto pool = Pool::create(seg.name(), 16);
    const std::size_t n = 2000;
    children kids;
    kids.spawn([&] {  // uses the handle it inherited, then detaches its own mapping only
        for (std::uint64_t i = 0; i < n; ++i) pool->write(i);
        pool.detach();
        return pool.attached() ? 10 : 0;
    });
    std::uint64_t sum = 0, v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        BOOST_REQUIRE(pool->read_for(v, 10s));
        sum += v;
    }
    BOOST_REQUIRE(kids.all_succeeded(child_limit));
    BOOST_TEST(sum == n * (n - 1) / 2);
    pool->write(7);  // the parent's mapping survived the child's detach
    BOOST_TEST(pool->try_read(v));
    BOOST_TEST(v == 7u);
}

BOOST_AUTO_TEST_CASE(caller_memory_mapped_at_two_addresses_holds_two_pools) {
    using P = default_shared;
    const std::size_t one = P::bytes_needed(32);
    const std::size_t second = (one + 4095) / 4096 * 4096;
    const int fd = ::memfd_create("msgpool-test", MFD_CLOEXEC);
    BOOST_REQUIRE(fd >= 0);
    BOOST_REQUIRE(::ftruncate(fd, static_cast<off_t>(2 * second)) == 0);
    void* a = ::mmap(nullptr, 2 * second, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    void* b = ::mmap(nullptr, 2 * second, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    ::close(fd);
    BOOST_REQUIRE(a != MAP_FAILED);
    BOOST_REQUIRE(b != MAP_FAILED);
    BOOST_REQUIRE(a != b);
    {
        auto a1 = P::create_in(a, second, 32);
        auto a2 = P::create_in(static_cast<char*>(a) + second, second, 32);
        auto b1 = P::open_in(b, second);
        auto b2 = P::open_in(static_cast<char*>(b) + second, second);
        for (std::uint64_t i = 0; i < 32; ++i) a1->write(i);
        b2->write(100);
        std::uint64_t v = 0, sum = 0;
        for (int i = 0; i < 32; ++i) {
            BOOST_REQUIRE(b1->try_read(v));
            sum += v;
        }
        BOOST_TEST(sum == 31u * 32 / 2);
        BOOST_TEST(!b1->try_read(v));
        BOOST_TEST(a2->try_read(v));
        BOOST_TEST(v == 100u);
        BOOST_TEST(a1->was_size() == 0u);
    }
    ::munmap(a, 2 * second);
    ::munmap(b, 2 * second);
}

// ---------------------------------------------------------------------------- setup

BOOST_AUTO_TEST_CASE(segment_mode_is_0600_whatever_the_umask_and_can_be_chosen) {
    const mode_t old = ::umask(0);
    segment_guard seg(unique_name("mode"));
    {
        auto pool = default_shared::create(seg.name(), 4);
        struct stat st {};
        const int fd = ::shm_open(seg.name().c_str(), O_RDONLY, 0);
        BOOST_REQUIRE(fd >= 0);
        BOOST_REQUIRE(::fstat(fd, &st) == 0);
        ::close(fd);
        BOOST_TEST((st.st_mode & 0777) == 0600u);
    }
    default_shared::remove(seg.name());
    ::umask(0077);
    {
        shared_pool_options o;
        o.mode = 0640;
        o.populate = true;
        auto pool = default_shared::create(seg.name(), 4, o);
        struct stat st {};
        const int fd = ::shm_open(seg.name().c_str(), O_RDONLY, 0);
        BOOST_REQUIRE(fd >= 0);
        BOOST_REQUIRE(::fstat(fd, &st) == 0);
        ::close(fd);
        BOOST_TEST((st.st_mode & 0777) == 0640u);
    }
    ::umask(old);
}

BOOST_AUTO_TEST_CASE(open_or_create_creates_once_and_then_opens) {
    segment_guard seg(unique_name("ooc"));
    auto a = default_shared::open_or_create(seg.name(), 8);
    auto b = default_shared::open_or_create(seg.name(), 8);
    a->write(5);
    std::uint64_t v = 0;
    BOOST_TEST(b->try_read(v));
    BOOST_TEST(v == 5u);
    BOOST_TEST(error_of([&] { default_shared::open_or_create(seg.name(), 9); }) == shared_pool_errc::mismatch);
    BOOST_TEST(default_shared::remove(seg.name()));
    BOOST_TEST(!default_shared::remove(seg.name()));
}

// ---------------------------------------------------------------------------- bad input

BOOST_AUTO_TEST_CASE(bad_names_are_refused) {
    for (const std::string& name : {std::string(""), std::string("noslash"), std::string("/"), std::string("/a/b"),
                                   std::string("/.."), std::string("/bad name"), "/" + std::string(201, 'x')})
        BOOST_TEST((error_of([&] { default_shared::create(name, 4); }) == shared_pool_errc::invalid_argument));
}

BOOST_AUTO_TEST_CASE(existing_missing_and_zero_capacity) {
    segment_guard seg(unique_name("exists"));
    auto pool = default_shared::create(seg.name(), 4);
    BOOST_TEST((error_of([&] { default_shared::create(seg.name(), 4); }) == shared_pool_errc::already_exists));
    BOOST_TEST((error_of([&] { default_shared::open(seg.name() + "-missing"); }) == shared_pool_errc::not_found));
    segment_guard zero(unique_name("zero"));
    BOOST_CHECK_THROW(default_shared::create(zero.name(), 0), std::invalid_argument);
    BOOST_TEST(!default_shared::remove(zero.name()));  // nothing left behind
}

BOOST_AUTO_TEST_CASE(a_full_tmpfs_is_an_error_at_create_time) {
    segment_guard seg(unique_name("huge"));
    // 2^40 slots of 16 bytes: 16 TiB, more than any /dev/shm here reserves.
    BOOST_TEST((error_of([&] { default_shared::create(seg.name(), std::size_t(1) << 40); }) ==
                shared_pool_errc::no_space));
    BOOST_TEST(!default_shared::remove(seg.name()));  // nothing left behind
}

BOOST_AUTO_TEST_CASE(another_type_policy_mix_tag_or_capacity_is_a_mismatch) {
    segment_guard seg(unique_name("mismatch"));
    shared_pool_options tagged;
    tagged.type_tag = 0xfeed;
    auto pool = default_shared::create(seg.name(), 8, tagged);
    struct eight_bytes_align_1 {
        char c[8];
    };
    const std::string& n = seg.name();
    auto expect = [&](auto f) { BOOST_TEST((error_of(f) == shared_pool_errc::mismatch)); };
    expect([&] { basic_shared_pool<std::uint32_t, claim::cas_scan, wait::futex, storage::inline_slots>::open(n, tagged); });
    expect([&] { basic_shared_pool<eight_bytes_align_1, claim::cas_scan, wait::futex, storage::inline_slots>::open(n, tagged); });
    expect([&] { default_shared::open(n); });  // type tag 0, segment has 0xfeed
    expect([&] { default_shared::open_or_create(n, 16, tagged); });
    expect([&] { u64_pool<claim::fetch_add_ring, wait::futex, storage::inline_slots>::open(n, tagged); });
    expect([&] { u64_pool<claim::cas_scan, wait::spin, storage::inline_slots>::open(n, tagged); });
    expect([&] { u64_pool<claim::cas_scan, wait::futex, storage::aligned_slots>::open(n, tagged); });
    expect([&] { u64_pool<claim::cas_scan, wait::futex, storage::inline_slots, sync::shared_membarrier>::open(n, tagged); });
    BOOST_TEST(default_shared::open(n, tagged).attached());
}

BOOST_AUTO_TEST_CASE(layout_version_size_and_corruption_are_clear_errors) {
    segment_guard seg(unique_name("header"));
    auto pool = default_shared::create(seg.name(), 8);
    shared_pool_options quick;
    quick.patience = 20ms;
    auto m = map_whole(seg.name());
    detail::segment_header saved;
    std::memcpy(static_cast<void*>(&saved), m.data(), sizeof saved);
    auto restore = [&] { std::memcpy(m.data(), static_cast<const void*>(&saved), sizeof saved); };
    auto code = [&] { return error_of([&] { default_shared::open(seg.name(), quick); }); };

    const std::uint32_t other_version = detail::segment_header::current_layout + 1;
    poke(m.data(), offsetof(detail::segment_header, layout_version), &other_version, 4, true);
    BOOST_TEST((code() == shared_pool_errc::mismatch));
    restore();
    const std::uint32_t swapped = 0x04030201;
    poke(m.data(), offsetof(detail::segment_header, byte_order), &swapped, 4, true);
    BOOST_TEST((code() == shared_pool_errc::mismatch));
    restore();
    const unsigned char junk = 0x5a;
    poke(m.data(), offsetof(detail::segment_header, capacity), &junk, 1, false);
    BOOST_TEST((code() == shared_pool_errc::corrupt));
    restore();
    const std::uint32_t bad_magic = 0;
    poke(m.data(), offsetof(detail::segment_header, magic), &bad_magic, 4, false);
    BOOST_TEST((code() == shared_pool_errc::corrupt));
    restore();
    // A header that claims more bytes than the segment has.
    const std::uint64_t more = saved.total_bytes + 4096, more_slots = saved.slots_bytes + 4096;
    poke(m.data(), offsetof(detail::segment_header, total_bytes), &more, 8, false);
    poke(m.data(), offsetof(detail::segment_header, slots_bytes), &more_slots, 8, true);
    BOOST_TEST((code() == shared_pool_errc::too_small));
    restore();
    BOOST_TEST(default_shared::open(seg.name(), quick).attached());
    // A segment cut short below its header's size.
    const int fd = ::shm_open(seg.name().c_str(), O_RDWR, 0);
    BOOST_REQUIRE(fd >= 0);
    BOOST_REQUIRE(::ftruncate(fd, static_cast<off_t>(saved.total_bytes - 64)) == 0);
    ::close(fd);
    BOOST_TEST((code() == shared_pool_errc::too_small));
}

BOOST_AUTO_TEST_CASE(half_created_and_never_initialised_segments) {
    shared_pool_options quick;
    quick.patience = 20ms;
    // Never initialised: a segment of the right size whose creator wrote nothing.
    segment_guard fresh(unique_name("fresh"));
    {
        const int fd = ::shm_open(fresh.name().c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
        BOOST_REQUIRE(fd >= 0);
        BOOST_REQUIRE(::ftruncate(fd, static_cast<off_t>(default_shared::bytes_needed(8))) == 0);
        ::close(fd);
    }
    BOOST_TEST((error_of([&] { default_shared::open(fresh.name(), quick); }) == shared_pool_errc::not_ready));
    // Half-created by a process that died: state "initialising", its identity written.
    children kids;
    const pid_t dead = kids.spawn([] { return 0; });
    BOOST_REQUIRE(kids.all_succeeded(10s));
    segment_guard half(unique_name("half"));
    {
        auto pool = default_shared::create(half.name(), 8);
    }
    auto m = map_whole(half.name());
    auto* h = static_cast<detail::segment_header*>(m.data());
    h->creator_pid = dead;
    h->state.store(detail::segment_header::initialising);
    const auto e = error_of([&] { default_shared::open(half.name(), quick); });
    BOOST_TEST((e == shared_pool_errc::not_ready));
    // Still initialising by a live process (this one): not ready either, and said so.
    h->creator_pid = ::getpid();
    h->creator_start = detail::process_identity::self().start;
    BOOST_TEST((error_of([&] { default_shared::open(half.name(), quick); }) == shared_pool_errc::not_ready));
    h->state.store(7);
    BOOST_TEST((error_of([&] { default_shared::open(half.name(), quick); }) == shared_pool_errc::corrupt));
}

BOOST_AUTO_TEST_CASE(a_segment_of_another_user_is_refused) {
    if (::geteuid() != 0) {
        BOOST_TEST_MESSAGE("not root: cannot give a segment to another user; skipped");
        return;
    }
    segment_guard seg(unique_name("owner"));
    auto pool = default_shared::create(seg.name(), 4);
    const int fd = ::shm_open(seg.name().c_str(), O_RDWR, 0);
    BOOST_REQUIRE(fd >= 0);
    BOOST_REQUIRE(::fchown(fd, 4242, 4242) == 0);
    ::close(fd);
    BOOST_TEST((error_of([&] { default_shared::open(seg.name()); }) == shared_pool_errc::permission));
    BOOST_TEST((error_of([&] { default_shared::open_or_create(seg.name(), 4); }) == shared_pool_errc::permission));
}

BOOST_AUTO_TEST_CASE(caller_memory_that_is_too_small_or_misaligned) {
    using P = default_shared;
    std::vector<std::max_align_t> buf(P::bytes_needed(8) / sizeof(std::max_align_t) + 16);
    void* raw = buf.data();
    std::size_t space = buf.size() * sizeof(std::max_align_t);
    void* aligned = std::align(64, P::bytes_needed(8), raw, space);
    BOOST_REQUIRE(aligned != nullptr);
    BOOST_TEST((error_of([&] { P::create_in(aligned, P::bytes_needed(8) - 1, 8); }) == shared_pool_errc::too_small));
    BOOST_TEST((error_of([&] { P::create_in(static_cast<char*>(aligned) + 8, P::bytes_needed(8), 8); }) ==
                shared_pool_errc::invalid_argument));
    BOOST_TEST((error_of([&] { P::open_in(aligned, 16); }) == shared_pool_errc::too_small));
}

BOOST_AUTO_TEST_CASE(header_fuzzer_every_corruption_is_a_clear_error) {
    using P = default_shared;
    const std::size_t bytes = (P::bytes_needed(16) + 63) / 64 * 64;
    std::unique_ptr<void, void (*)(void*)> original(std::aligned_alloc(64, bytes), std::free),
        trial(std::aligned_alloc(64, bytes), std::free);
    BOOST_REQUIRE(original && trial);
    {
        auto p = P::create_in(original.get(), bytes, 16);
        p->write(1);
    }
    shared_pool_options quick;
    quick.patience = 0ms;
    std::mt19937_64 rng(12345);
    const int trials = 1000;
    int clear = 0;
    for (int t = 0; t < trials; ++t) {
        std::memcpy(trial.get(), original.get(), bytes);
        auto* header = static_cast<unsigned char*>(trial.get());
        // 1 to 4 distinct header bytes, each changed to another value.
        std::vector<std::size_t> at;
        const std::size_t changes = 1 + rng() % 4;
        while (at.size() < changes) {
            const std::size_t i = rng() % sizeof(detail::segment_header);
            if (std::find(at.begin(), at.end(), i) == at.end()) at.push_back(i);
        }
        for (const std::size_t i : at) header[i] ^= static_cast<unsigned char>(1 + rng() % 255);
        try {
            P::open_in(trial.get(), bytes, quick);
            std::string where;
            for (const std::size_t i : at) {
                where += ' ';
                where += std::to_string(i);
            }
            BOOST_TEST_MESSAGE("trial " << t << ": corruption of bytes" << where << " accepted");
        } catch (const shared_pool_error&) {
            ++clear;
        }
    }
    BOOST_TEST_MESSAGE("header fuzzer: " << clear << " of " << trials << " corruptions were clear errors");
    std::printf("header fuzzer: %d of %d corruptions were clear errors\n", clear, trials);
    BOOST_TEST(clear == trials);
}
