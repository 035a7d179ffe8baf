// tests/shm/crash_recovery.cpp - a process killed at every step of a shared
// pool's operations, and what recovery makes of it (label shm_crash).
//
// Exact kill points.  The pool's sync family is kill_point_sync
// (kill_point_sync.hpp): a forked victim arms it and dies by SIGKILL just
// before its nth atomic operation, barrier, futex wait or wake.  A dry run
// counts a scenario's operations, then every n from 1 to that count (capped
// for the long spinning ones) is a trial.  After the victim is dead and
// reaped, and *before* recovery, the checker reads the owner records
// (for_each_held_slot): which slots the victim held, to write or to read,
// and the message in each.  Then it calls recover() and checks:
//  * the report matches the records (processes, writes dropped, messages
//    returned), and nothing is held or attached but the checker itself;
//  * no published message is lost: the writer victim's messages that are
//    read back are exactly those whose write returned, plus the one in
//    progress if and only if its publish store happened (no held write);
//  * duplicates only of messages a killed reader held: a message both in the
//    victim's record of what it read and read back by the checker was in a
//    slot the victim held to read;
//  * every slot is back: capacity messages fit, and drain again;
//  * no waiter registration is left: the pool's waiter words are clean,
//    which the checker sees as a blocked read that a notify wakes at once.
//
// Then the bounds: survivors blocked on what a dead process held (a write
// slot, a message) return within recover_after, by their own recovery; and
// a producer process killed at 1000 random moments leaves a pool that works.
#define BOOST_TEST_MODULE shm_crash
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <msgpool/basic_shared_pool.hpp>
#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/storage/aligned_slots.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/storage/line_grouped_slots.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/spin.hpp>

#include "kill_point_sync.hpp"

using namespace std::chrono_literals;
using msgpool_test::kill_point_sync;
using msgpool_test::kill_points;

namespace {

/// Anonymous MAP_SHARED memory made before the forks: the pool, and a record
/// area where a victim notes what it did.
class shared_memory {
public:
    explicit shared_memory(std::size_t bytes) : bytes_(bytes) {
        p_ = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (p_ == MAP_FAILED) throw std::runtime_error("mmap failed");
    }
    ~shared_memory() { ::munmap(p_, bytes_); }
    shared_memory(const shared_memory&) = delete;
    shared_memory& operator=(const shared_memory&) = delete;
    void* data() const noexcept { return p_; }
    std::size_t size() const noexcept { return bytes_; }

private:
    std::size_t bytes_;
    void* p_;
};

/// What a victim writes down as it goes, in shared memory: how many of its
/// operations returned, and each message it read (written by the read
/// itself, before the slot is released).
struct victim_record {
    std::atomic<std::uint64_t> returned;
    std::atomic<long> operations;  // the dry run's count
    std::uint64_t got[64];         // messages read, 0: none
};

/// How a trial ended for the victim.
enum class end { killed, exited, hung };

/// Runs `victim` in a forked child armed to die at operation `n` (0: never),
/// and reaps it within `limit`, killing it (by its pid) if it is still there.
end run_victim(const std::function<void()>& victim, long n, std::chrono::milliseconds limit = 5000ms) {
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::alarm(30);  // dies on its own if the parent is gone
        if (n > 0) kill_points::arm(n);
        victim();
        kill_points::disarm();
        ::_exit(0);
    }
    const auto give_up = std::chrono::steady_clock::now() + limit;
    for (;;) {
        int st = 0;
        const pid_t r = ::waitpid(pid, &st, WNOHANG);
        if (r == pid) {
            if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) return end::killed;
            if (WIFEXITED(st) && WEXITSTATUS(st) == 0) return end::exited;
            BOOST_FAIL("the victim ended in an unexpected way, status " << st);
        }
        if (std::chrono::steady_clock::now() >= give_up) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &st, 0);
            return end::hung;
        }
        std::this_thread::sleep_for(50us);
    }
}

template <class Claim, class Storage, class Wait>
using crash_pool = msgpool::basic_shared_pool<std::uint64_t, Claim, Wait, Storage, kill_point_sync>;

/// Whether the pool offers slot handles (cas_scan does, the ring does not).
template <class Pool>
constexpr bool has_handles = msgpool::claim_policy_write_handles<typename Pool::pool_type::claim_type>;

/// The operation a write (a read) of a kill_point_sync pool makes just after
/// its claim: its publish (its release).  Found once per pool type by
/// killing a forked try_write (try_read) at each operation in turn until one
/// dies holding what it claimed.
template <class Pool>
long first_op_after_claim(bool for_writing) {
    static long found[2] = {0, 0};
    long& n = found[for_writing ? 1 : 0];
    if (n != 0) return n;
    shared_memory mem(Pool::bytes_needed(2) + 4096);
    for (long k = 1; k < 64 && n == 0; ++k) {
        msgpool::shared_pool_options o;
        o.recover_after = std::chrono::hours(1);
        Pool pool = Pool::create_in(mem.data(), mem.size(), 2, o);
        if (!for_writing) BOOST_REQUIRE(pool->try_write(std::uint64_t{1}));
        const end e = run_victim(
            [&] {
                std::uint64_t v = 2;
                for_writing ? pool->try_write(v) : pool->try_read(v);
            },
            k);
        std::size_t held = 0;
        pool.for_each_held_slot([&](const msgpool::held_slot& h, const std::uint64_t*) { held += h.for_writing == for_writing; });
        if (e == end::killed && held == 1) n = k;
        pool.recover();
    }
    BOOST_REQUIRE_MESSAGE(n != 0, "no kill point leaves a claim held");
    return n;
}

/// A forked process that dies holding a write slot (a message to read) of
/// `pool`, through a slot handle where the pool has them, else killed at the
/// operation after its claim.
template <class Pool>
void die_holding(Pool& pool, bool for_writing) {
    if constexpr (has_handles<Pool>) {
        BOOST_REQUIRE((run_victim(
                           [&] {
                               if (for_writing) {
                                   if (auto w = pool->try_claim_write()) ::raise(SIGKILL);  // dies holding it
                               } else {
                                   if (auto h = pool->try_claim_read()) ::raise(SIGKILL);
                               }
                           },
                           0) == end::killed));
    } else {
        const long n = first_op_after_claim<Pool>(for_writing);
        BOOST_REQUIRE((run_victim(
                           [&] {
                               std::uint64_t v = 3;
                               for_writing ? pool->try_write(v) : pool->try_read(v);
                           },
                           n) == end::killed));
    }
}

constexpr std::size_t capacity = 4;

struct held_snapshot {
    std::vector<std::uint64_t> reading;  // messages in slots held to read
    std::size_t writing = 0;             // slots held to write
    std::set<unsigned> owners;
};

template <class Pool>
held_snapshot held(const Pool& pool) {
    held_snapshot h;
    pool.for_each_held_slot([&](const msgpool::held_slot& s, const std::uint64_t* element) {
        h.owners.insert(s.owner);
        if (s.for_writing)
            ++h.writing;
        else
            h.reading.push_back(*element);
    });
    return h;
}

template <class Pool>
std::vector<std::uint64_t> drain(Pool& pool) {
    std::vector<std::uint64_t> got;
    for (std::uint64_t v = 0; pool->try_read(v);) got.push_back(v);
    return got;
}

/// Operations a try_write into an empty pool and a try_read from a full
/// one make: each claims the first slot it tries, publishes, and notifies
/// (a light barrier and one load of the waiter word when nobody is
/// registered; more when a waiter bit is set).
struct notify_cost {
    long write = 0, read = 0;
    bool operator==(const notify_cost&) const = default;
};
template <class Pool>
notify_cost measure_notify_cost(Pool& pool) {
    notify_cost c;
    kill_points::arm(0);  // disarmed: counts only
    BOOST_TEST(pool->try_write(std::uint64_t{1000}));
    c.write = kill_points::count().load(std::memory_order_relaxed);  // relaxed: this thread's own count
    for (std::uint64_t i = 1; i < capacity; ++i) BOOST_TEST(pool->try_write(1000 + i));
    BOOST_TEST(!pool->try_write(std::uint64_t{9999}));  // every slot back
    std::uint64_t v = 0;
    kill_points::arm(0);
    BOOST_TEST(pool->try_read(v));
    c.read = kill_points::count().load(std::memory_order_relaxed);  // relaxed: as above
    return c;
}

/// The checks every trial ends with, after recovery and drain: nothing held,
/// only the checker attached, every slot back, and no stale waiter
/// registration (notifies cost what they cost on a fresh pool).
template <class Pool>
void expect_whole(Pool& pool, const notify_cost& fresh_cost) {
    BOOST_TEST(held(pool).owners.empty());
    BOOST_TEST(pool.attached_processes() == 1u);
    const notify_cost c = measure_notify_cost(pool);
    BOOST_TEST(c.write == fresh_cost.write);
    BOOST_TEST(c.read == fresh_cost.read);
    BOOST_TEST(drain(pool).size() == capacity - 1);
    BOOST_TEST(pool->was_empty());
}

struct scenario {
    const char* name;
    long cap;  // kill points tried at most (the operations of a long spin are many)
    std::function<void(victim_record&)> prepare;        // the checker, before the fork
    std::function<void(victim_record&)> victim;         // the child
    std::function<void(victim_record&, const held_snapshot&, const std::vector<std::uint64_t>&)> check;
};

template <class Pool>
std::vector<scenario> scenarios(Pool& pool) {
    std::vector<scenario> out;
    // A writer of three messages into an empty pool: never blocks.
    out.push_back({"writer", 1000, [](victim_record&) {},
                   [&pool](victim_record& r) {
                       for (std::uint64_t id = 1; id <= 3; ++id) {
                           pool->write(id);
                           r.returned.store(id, std::memory_order_relaxed);  // relaxed: read after the victim is reaped
                       }
                   },
                   [](victim_record& r, const held_snapshot& h, const std::vector<std::uint64_t>& got) {
                       const std::uint64_t done = r.returned.load(std::memory_order_relaxed);
                       std::vector<std::uint64_t> sorted = got;
                       std::sort(sorted.begin(), sorted.end());
                       BOOST_TEST((std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end()));  // no duplicate
                       // Every write that returned is there; so is the one in progress exactly
                       // when its publish store happened (then it holds no write slot).
                       std::vector<std::uint64_t> expect;
                       for (std::uint64_t id = 1; id <= done; ++id) expect.push_back(id);
                       if (sorted.size() == done + 1 && done < 3) {
                           BOOST_TEST(h.writing == 0u);  // published: not held
                           expect.push_back(done + 1);
                       }
                       BOOST_TEST(sorted == expect);
                   }});
    // A reader of three of four messages.
    out.push_back({"reader", 1000,
                   [&pool](victim_record&) {
                       for (std::uint64_t id = 1; id <= 4; ++id) BOOST_REQUIRE(pool->try_write(id));
                   },
                   [&pool](victim_record& r) {
                       for (int k = 0; k < 3; ++k) {
                           pool->read(r.got[k]);  // the message lands in the record before the release
                           r.returned.store(k + 1, std::memory_order_relaxed);  // relaxed: read after reaping
                       }
                   },
                   [](victim_record& r, const held_snapshot& h, const std::vector<std::uint64_t>& got) {
                       std::multiset<std::uint64_t> all(got.begin(), got.end());
                       std::set<std::uint64_t> recorded;
                       for (int k = 0; k < 64; ++k)
                           if (r.got[k] != 0) BOOST_TEST(recorded.insert(r.got[k]).second);  // each read once
                       for (std::uint64_t id = 1; id <= 4; ++id) {
                           const bool read_back = all.count(id) != 0, victim_had = recorded.count(id) != 0;
                           BOOST_TEST(all.count(id) <= 1u);
                           BOOST_TEST((read_back || victim_had), "message " << id << " lost");
                           if (read_back && victim_had)  // a duplicate: only of a message the victim held
                               BOOST_TEST((std::count(h.reading.begin(), h.reading.end(), id) == 1),
                                          "message " << id << " delivered twice but not held by the victim");
                       }
                   }});
    // A writer that finds the pool full and waits (spins, registers, sleeps).
    out.push_back({"blocked writer", 400,
                   [&pool](victim_record&) {
                       for (std::uint64_t id = 1; id <= capacity; ++id) BOOST_REQUIRE(pool->try_write(id));
                   },
                   [&pool](victim_record&) { pool->write_for(std::uint64_t{99}, 20ms); },
                   [](victim_record&, const held_snapshot& h, const std::vector<std::uint64_t>& got) {
                       BOOST_TEST(h.writing == 0u);
                       BOOST_TEST(got.size() == capacity);
                       BOOST_TEST(std::count(got.begin(), got.end(), 99u) == 0);
                   }});
    // A reader that finds the pool empty and waits.
    out.push_back({"blocked reader", 400, [](victim_record&) {},
                   [&pool](victim_record& r) { pool->read_for(r.got[0], 20ms); },
                   [](victim_record& r, const held_snapshot&, const std::vector<std::uint64_t>& got) {
                       BOOST_TEST(got.empty());
                       BOOST_TEST(r.got[0] == 0u);
                   }});
    // Slot handles: a write handle filled and committed, a read handle released.
    if constexpr (has_handles<Pool>)
    out.push_back({"handles", 1000,
                   [&pool](victim_record&) { BOOST_REQUIRE(pool->try_write(std::uint64_t{7})); },
                   [&pool](victim_record& r) {
                       if (auto w = pool->try_claim_write()) {
                           *w = 8;
                           w.commit();
                           r.returned.store(1, std::memory_order_relaxed);  // relaxed: read after reaping
                       }
                       if (auto h = pool->try_claim_read()) {
                           kill_points::hit();  // dies holding the message, before it has it
                           r.got[0] = *h;
                           kill_points::hit();  // dies with it, before the release
                           h.release();
                       }
                   },
                   [](victim_record& r, const held_snapshot& h, const std::vector<std::uint64_t>& got) {
                       std::multiset<std::uint64_t> all(got.begin(), got.end());
                       if (r.got[0] != 0 && all.count(r.got[0]) != 0)
                           BOOST_TEST(std::count(h.reading.begin(), h.reading.end(), r.got[0]) == 1);
                       BOOST_TEST(all.count(7) + (r.got[0] == 7) >= 1u);  // 7 was published before the victim ran
                       BOOST_TEST(all.count(7) <= 1u);
                       if (r.returned.load(std::memory_order_relaxed) == 1)  // 8 was committed: not lost
                           BOOST_TEST(all.count(8) + (r.got[0] == 8) >= 1u);
                       BOOST_TEST(all.count(8) <= 1u);
                   }});
    // A recoverer killed while it recovers a victim that died holding a
    // write slot and a message.
    out.push_back({"recoverer", 1000,
                   [&pool](victim_record&) {
                       BOOST_REQUIRE(pool->try_write(std::uint64_t{5}));
                       BOOST_REQUIRE(pool->try_write(std::uint64_t{6}));
                       // The first victims: hold a write slot and a message and die
                       // (uncounted: they are not the scenario's victim).
                       die_holding(pool, true);
                       die_holding(pool, false);
                   },
                   [&pool](victim_record&) { pool.recover(); },
                   [](victim_record&, const held_snapshot&, const std::vector<std::uint64_t>& got) {
                       std::vector<std::uint64_t> sorted = got;
                       std::sort(sorted.begin(), sorted.end());
                       BOOST_TEST((sorted == std::vector<std::uint64_t>{5, 6}));  // the held one came back, once
                   }});
    return out;
}

template <class Claim, class Storage, class Wait>
std::size_t kill_everywhere(const char* composition) {
    using pool_type = crash_pool<Claim, Storage, Wait>;
    shared_memory mem(pool_type::bytes_needed(capacity) + 4096);
    shared_memory records(sizeof(victim_record));
    auto& rec = *static_cast<victim_record*>(records.data());
    msgpool::shared_pool_options o;
    o.recover_after = 1h;  // the checker recovers by itself, after reading the owner records
    std::size_t trials = 0;
    auto fresh = [&] {
        std::memset(records.data(), 0, sizeof(victim_record));
        return pool_type::create_in(mem.data(), mem.size(), capacity, o);
    };
    pool_type probe = fresh();
    const std::size_t count = scenarios(probe).size();
    const notify_cost fresh_cost = measure_notify_cost(probe);
    probe.detach();
    for (std::size_t s = 0; s < count; ++s) {
        // Dry run: how many operations the scenario makes.
        long total = 0;
        std::string name;
        {
            pool_type pool = fresh();
            scenario sc = scenarios(pool)[s];
            name = sc.name;
            sc.prepare(rec);
            BOOST_REQUIRE((run_victim(
                               [&] {
                                   kill_points::arm(0);
                                   sc.victim(rec);
                                   rec.operations.store(kill_points::count().load(std::memory_order_relaxed),
                                                        std::memory_order_relaxed);  // relaxed: read after reaping
                               },
                               0) == end::exited));
            total = std::min(rec.operations.load(std::memory_order_relaxed), sc.cap);  // relaxed: the child is reaped
            BOOST_REQUIRE(total > 0);
        }
        for (long n = 1; n <= total + 1; ++n) {
            pool_type pool = fresh();
            scenario sc = scenarios(pool)[s];
            sc.prepare(rec);
            const end e = run_victim([&] { sc.victim(rec); }, n);
            const std::string where = std::string(composition) + ", " + name + ", kill point " + std::to_string(n);
            BOOST_TEST_CONTEXT(where) {
                BOOST_TEST((e != end::hung));
                const held_snapshot h = held(pool);  // the owner records, before recovery
                const std::size_t dead = pool.attached_processes() - 1;
                const msgpool::recovery_report r = pool.recover();
                BOOST_TEST(r.processes == dead);
                BOOST_TEST(r.writes_dropped == h.writing);
                BOOST_TEST(r.messages_returned == h.reading.size());
                sc.check(rec, h, drain(pool));
                expect_whole(pool, fresh_cost);
            }
            ++trials;
        }
    }
    return trials;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_process_killed_at_every_step_loses_nothing_published) {
    std::size_t trials = 0;
    using msgpool::claim::cas_scan;
    using msgpool::claim::fetch_add_ring;
    using namespace msgpool::storage;
    using msgpool::wait::futex;
    using msgpool::wait::spin;
    trials += kill_everywhere<cas_scan, inline_slots, futex>("cas_scan, inline_slots, futex");
    trials += kill_everywhere<cas_scan, line_grouped_slots, futex>("cas_scan, line_grouped_slots, futex");
    trials += kill_everywhere<cas_scan, aligned_slots, spin>("cas_scan, aligned_slots, spin");
    trials += kill_everywhere<fetch_add_ring, inline_slots, futex>("fetch_add_ring, inline_slots, futex");
    trials += kill_everywhere<fetch_add_ring, aligned_slots, spin>("fetch_add_ring, aligned_slots, spin");
    BOOST_TEST_MESSAGE("exact kill points: " << trials);
    std::printf("exact kill points: %zu\n", trials);
    BOOST_TEST(trials >= 1000u);
}

namespace {

template <class Wait>
using plain_pool = msgpool::basic_shared_pool<std::uint64_t, msgpool::claim::cas_scan, Wait,
                                              msgpool::storage::inline_slots, msgpool::sync::shared_fenced>;

template <class Pool>
Pool quick_pool(shared_memory& mem, std::size_t slots) {
    msgpool::shared_pool_options o;
    o.recover_after = 100ms;
    return Pool::create_in(mem.data(), mem.size(), slots, o);
}

template <class pool_type>
void survivors_return_within_the_bound() {
    shared_memory mem(pool_type::bytes_needed(1) + 4096);
    using clock = std::chrono::steady_clock;
    {  // A writer blocked on the one slot a dead writer claimed.
        pool_type pool = quick_pool<pool_type>(mem, 1);
        die_holding(pool, true);
        const auto t0 = clock::now();
        BOOST_TEST(pool->write_for(std::uint64_t{1}, 5s));  // recovers by itself after recover_after
        BOOST_TEST((clock::now() - t0 < 2s));
        std::uint64_t v = 0;
        BOOST_TEST((pool->try_read(v) && v == 1u));
        BOOST_TEST(pool.attached_processes() == 1u);
    }
    {  // A reader blocked while a dead reader holds the only message; and wait_until_empty.
        pool_type pool = quick_pool<pool_type>(mem, 1);
        BOOST_REQUIRE(pool->try_write(std::uint64_t{42}));
        die_holding(pool, false);
        const auto t0 = clock::now();
        bool drained = false;
        std::thread waiter([&] { drained = pool->wait_until_empty_for(5s); });
        std::uint64_t v = 0;
        BOOST_TEST(pool->read_for(v, 5s));
        BOOST_TEST(v == 42u);
        waiter.join();
        BOOST_TEST(drained);
        BOOST_TEST((clock::now() - t0 < 2s));
    }
}

}  // namespace

BOOST_AUTO_TEST_CASE(survivors_blocked_by_a_dead_process_return_within_the_bound) {
    survivors_return_within_the_bound<plain_pool<msgpool::wait::futex>>();
    survivors_return_within_the_bound<plain_pool<msgpool::wait::spin>>();
    using ring = msgpool::claim::fetch_add_ring;
    survivors_return_within_the_bound<crash_pool<ring, msgpool::storage::inline_slots, msgpool::wait::futex>>();
    survivors_return_within_the_bound<crash_pool<ring, msgpool::storage::inline_slots, msgpool::wait::spin>>();
}

BOOST_AUTO_TEST_CASE(recovery_leaves_a_live_holder_alone) {
    using pool_type = plain_pool<msgpool::wait::futex>;
    shared_memory mem(pool_type::bytes_needed(4) + 4096);
    pool_type pool = quick_pool<pool_type>(mem, 4);
    BOOST_REQUIRE(pool->try_write(std::uint64_t{1}));
    BOOST_REQUIRE(pool->try_write(std::uint64_t{2}));
    auto mine_w = pool->try_claim_write();
    auto mine_r = pool->try_claim_read();
    BOOST_REQUIRE((mine_w && mine_r));
    BOOST_REQUIRE((run_victim(
                       [&] {
                           auto w = pool->try_claim_write();
                           auto h = pool->try_claim_read();
                           if (w && h) ::raise(SIGKILL);
                       },
                       0) == end::killed));
    const msgpool::recovery_report r = pool.recover();
    BOOST_TEST(r.processes == 1u);
    BOOST_TEST(r.writes_dropped == 1u);
    BOOST_TEST(r.messages_returned == 1u);
    std::size_t mine = 0;
    pool.for_each_held_slot([&](const msgpool::held_slot& s, const std::uint64_t*) {
        BOOST_TEST(s.owner == pool.owner_id());
        ++mine;
    });
    BOOST_TEST(mine == 2u);  // both of ours, still ours
    const std::uint64_t held_message = *mine_r;
    *mine_w = 3;
    mine_w.commit();
    mine_r.release();
    std::multiset<std::uint64_t> got;
    for (std::uint64_t v = 0; pool->try_read(v);) got.insert(v);
    BOOST_TEST(got.count(held_message) == 0u);  // read once, by us
    BOOST_TEST(got.size() == 2u);               // the returned message and ours
    BOOST_TEST(got.count(3) == 1u);
}

namespace {

template <class pool_type>
void kill_a_producer_at_random_moments(const char* what) {
    constexpr std::size_t slots = 64;
    shared_memory mem(pool_type::bytes_needed(slots) + 4096);
    shared_memory records(sizeof(victim_record));
    auto& rec = *static_cast<victim_record*>(records.data());
    std::mt19937 rng(20261206);
    std::uniform_int_distribution<int> delay_us(0, 1500);
    pool_type pool = quick_pool<pool_type>(mem, slots);
    constexpr int trials = 1000;
    int usable = 0;
    std::uint64_t next_id = 1;
    for (int trial = 0; trial < trials; ++trial) {
        const std::uint64_t first = next_id;
        rec.returned.store(first - 1, std::memory_order_relaxed);  // relaxed: before the fork
        std::fflush(nullptr);
        const pid_t pid = ::fork();
        BOOST_REQUIRE(pid >= 0);
        if (pid == 0) {
            ::alarm(30);
            for (std::uint64_t id = first;; ++id) {
                pool->write(id);
                rec.returned.store(id, std::memory_order_relaxed);  // relaxed: read after reaping
            }
        }
        // Read while the producer writes, for a random time; then kill it.
        std::set<std::uint64_t> got;
        const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(delay_us(rng));
        bool ok = true;
        for (std::uint64_t v = 0; std::chrono::steady_clock::now() < until;)
            if (pool->try_read(v)) ok &= got.insert(v).second;
        ::kill(pid, SIGKILL);
        int st = 0;
        BOOST_REQUIRE(::waitpid(pid, &st, 0) == pid);
        pool.recover();
        for (std::uint64_t v = 0; pool->try_read(v);) ok &= got.insert(v).second;  // no duplicate
        const std::uint64_t done = rec.returned.load(std::memory_order_relaxed);
        for (std::uint64_t id = first; id <= done; ++id) ok &= got.count(id) == 1;  // every returned write
        ok &= got.empty() || *got.begin() >= first;
        ok &= got.empty() || *got.rbegin() <= done + 1;  // at most the one in progress besides
        // Usable: a write and a read complete, and every slot is back.
        std::uint64_t v = 0;
        ok &= pool->write_for(std::uint64_t{1}, 1s) && pool->read_for(v, 1s) && v == 1;
        std::size_t n = 0;
        while (pool->try_write(std::uint64_t{2})) ++n;
        ok &= n == slots;
        while (pool->try_read(v)) {
        }
        ok &= pool.attached_processes() == 1;
        usable += ok;
        next_id = done + 2;
    }
    std::printf("random kills, %s: the pool was usable after %d of %d\n", what, usable, trials);
    BOOST_TEST(usable == trials, what);
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_producer_killed_at_random_moments_leaves_a_working_pool) {
    kill_a_producer_at_random_moments<plain_pool<msgpool::wait::futex>>("cas_scan");
    kill_a_producer_at_random_moments<
        crash_pool<msgpool::claim::fetch_add_ring, msgpool::storage::inline_slots, msgpool::wait::futex>>(
        "fetch_add_ring");
}

BOOST_AUTO_TEST_CASE(attachments_beyond_the_table_work_unrecorded) {
    using pool_type = plain_pool<msgpool::wait::futex>;
    const std::string name = "/msgpool-test-" + std::to_string(::getpid()) + "-unrecorded";
    struct remover {
        std::string n;
        ~remover() { pool_type::remove(n); }
    } guard{name};
    std::vector<pool_type> handles;
    handles.push_back(pool_type::create(name, 2));
    for (unsigned i = 1; i < msgpool::detail::process_table::max_owners + 2; ++i) handles.push_back(pool_type::open(name));
    BOOST_TEST(handles.front().attached_processes() == msgpool::detail::process_table::max_owners);
    std::set<unsigned> ids;
    for (auto& h : handles) ids.insert(h.owner_id());
    BOOST_TEST(ids.size() == msgpool::detail::process_table::max_owners + 1);  // 1..63, and 0
    BOOST_TEST(handles.back().owner_id() == 0u);
    // An unrecorded handle blocks and is woken like any other.
    pool_type& unrecorded = handles.back();
    std::uint64_t got = 0;
    std::thread reader([&] { unrecorded->read_for(got, 5s); });
    std::this_thread::sleep_for(20ms);  // paces the write after the read starts; either order must work
    handles.front()->write(std::uint64_t{77});
    reader.join();
    BOOST_TEST(got == 77u);
    auto held = unrecorded->try_claim_write();
    BOOST_TEST(static_cast<bool>(held));
    std::size_t seen = 0;
    handles.front().for_each_held_slot([&](const msgpool::held_slot&, const std::uint64_t*) { ++seen; });
    BOOST_TEST(seen == 0u);  // owner 0: not recorded
    held.reset();
    // Freed entries are taken again.
    handles.erase(handles.begin() + 1);
    handles.push_back(pool_type::open(name));
    BOOST_TEST(handles.back().owner_id() != 0u);
}

BOOST_AUTO_TEST_CASE(one_memory_attached_twice_at_one_address_is_refused) {
    using pool_type = plain_pool<msgpool::wait::futex>;
    shared_memory mem(pool_type::bytes_needed(2) + 4096);
    pool_type first = quick_pool<pool_type>(mem, 2);
    try {
        pool_type second = pool_type::open_in(mem.data(), mem.size());
        BOOST_FAIL("a second attachment at the same address was accepted");
    } catch (const msgpool::shared_pool_error& e) {
        BOOST_TEST((e.code() == msgpool::shared_pool_errc::invalid_argument));
    }
    BOOST_TEST(first->try_write(std::uint64_t{1}));
    first.detach();
    pool_type again = pool_type::open_in(mem.data(), mem.size());  // once detached, fine
    std::uint64_t v = 0;
    BOOST_TEST((again->try_read(v) && v == 1u));
}
