// tests/dsched/litmus.hpp - litmus tests: tiny scenarios whose every possible
// outcome is listed.  Each is run over all seeds of its budget; every observed
// outcome must be in the table of allowed outcomes (anything else is forbidden
// and fails with its seed and trace), and every outcome marked `must` must be
// observed at least once, which shows that the schedules really explore the
// race (a scheduler that always ran threads in one order would miss some).
// Outcomes marked `may` are allowed but need not occur with every claim
// policy (a FIFO policy never returns the later of two messages first).
//
// Included by litmus_<claim>.cpp, which defines `litmus_compositions`.
#pragma once

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "checked.hpp"
#include "driver.hpp"
#include "scenarios.hpp"

namespace msgpool_test::dsched::litmus {

struct allowed {
    const char* outcome;
    bool must;  // must be observed at least once over the seeds
};

/// What is left in the pool, drained on a scheduled thread, as "{a,b}".
template <class Pool>
std::string leftover(scheduler& s, Pool& pool) {
    std::vector<std::uint64_t> ids;
    if (!s.run({[&] {
            msg m;
            while (pool.try_read(m)) ids.push_back(m.id());
        }}))
        return "aborted";
    std::sort(ids.begin(), ids.end());
    std::string out = "{";
    for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
    return out + "}";
}

inline std::string got(bool ok, const msg& m) { return ok ? std::to_string(m.id()) : std::string("none"); }

// L1, capacity 1.  T1: write(1).  T2: try_read.
// Forbidden: "none {}" (lost), "1 {1}" (duplicated), any other id (garbage).
template <class C>
struct publish_vs_try_read {
    static constexpr const char* name = "publish_vs_try_read";
    static inline const std::vector<allowed> table = {{"read 1 left {}", true}, {"read none left {1}", true}};
    std::string operator()(scheduler& s) const {
        pool_t<C> pool(1);
        msg out;
        bool ok = false;
        if (!s.run({[&] { pool.write(msg(1)); }, [&] { ok = pool.try_read(out); }})) return "aborted";
        return "read " + got(ok, out) + " left " + leftover(s, pool);
    }
};

// L2, capacity 1, full with message 1.  T1: try_write(2).  T2: try_write(3).  T3: read.
// Forbidden: both try_writes succeed (capacity 1 held two messages), the read
// returns anything but 1 (nothing else was in the pool while it was full).
template <class C>
struct full_pool_try_writes_vs_read {
    static constexpr const char* name = "full_pool_try_writes_vs_read";
    static inline const std::vector<allowed> table = {{"read 1 w2 fail w3 fail left {}", true},
                                                      {"read 1 w2 ok w3 fail left {2}", true},
                                                      {"read 1 w2 fail w3 ok left {3}", true}};
    std::string operator()(scheduler& s) const {
        pool_t<C> pool(1);
        pool.write(msg(1));
        msg out;
        bool r = false, w2 = false, w3 = false;
        if (!s.run({[&] { w2 = pool.try_write(msg(2)); }, [&] { w3 = pool.try_write(msg(3)); },
                    [&] { r = pool.read(out); }}))
            return "aborted";
        return "read " + got(r, out) + " w2 " + (w2 ? "ok" : "fail") + " w3 " + (w3 ? "ok" : "fail") + " left " +
               leftover(s, pool);
    }
};

// L3, capacity 2.  T1: write(1).  T2: write(2).  T3: try_read.  T4: try_read.
// Forbidden: one id read twice, an id both read and left, an id lost.
template <class C>
struct two_writers_two_try_readers {
    static constexpr const char* name = "two_writers_two_try_readers";
    static inline const std::vector<allowed> table = {
        {"r3 none r4 none left {1,2}", true}, {"r3 1 r4 none left {2}", true}, {"r3 2 r4 none left {1}", true},
        {"r3 none r4 1 left {2}", true},      {"r3 none r4 2 left {1}", true}, {"r3 1 r4 2 left {}", true},
        {"r3 2 r4 1 left {}", true}};
    std::string operator()(scheduler& s) const {
        pool_t<C> pool(2);
        msg a, b;
        bool ra = false, rb = false;
        if (!s.run({[&] { pool.write(msg(1)); }, [&] { pool.write(msg(2)); }, [&] { ra = pool.try_read(a); },
                    [&] { rb = pool.try_read(b); }}))
            return "aborted";
        return "r3 " + got(ra, a) + " r4 " + got(rb, b) + " left " + leftover(s, pool);
    }
};

// L4, capacity 1.  T1: write(1), close().  T2: read.  T3: read.
// Forbidden: both reads false (the message stranded in a closed pool; or a
// reader never woken: deadlock), both return 1.
template <class C>
struct close_two_blocked_readers {
    static constexpr const char* name = "close_two_blocked_readers";
    static inline const std::vector<allowed> table = {{"T2 1 T3 none left {}", true}, {"T2 none T3 1 left {}", true}};
    std::string operator()(scheduler& s) const {
        pool_t<C> pool(1);
        msg a, b;
        bool ra = false, rb = false;
        if (!s.run({[&] {
                        pool.write(msg(1));
                        pool.close();
                    },
                    [&] { ra = pool.read(a); }, [&] { rb = pool.read(b); }}))
            return "aborted";
        return "T2 " + got(ra, a) + " T3 " + got(rb, b) + " left " + leftover(s, pool);
    }
};

// L5, capacity 1.  T1: read_until(now + 8 ticks).  T2: write(7).
// Forbidden: "none left {}" (a timed-out read swallowed the message),
// "7 left {7}" (duplicated).
template <class C>
struct timed_read_vs_write {
    static constexpr const char* name = "timed_read_vs_write";
    static inline const std::vector<allowed> table = {{"read 7 left {}", true}, {"read none left {7}", true}};
    std::string operator()(scheduler& s) const {
        pool_t<C> pool(1);
        msg out;
        bool ok = false;
        if (!s.run({[&] { ok = pool.read_until(out, after(8)); }, [&] { pool.write(msg(7)); }})) return "aborted";
        return "read " + got(ok, out) + " left " + leftover(s, pool);
    }
};

// L6, capacity 2 holding message 1.  T1: try_read.  T2: try_write(2).
// The pool is never empty and never full, so neither may fail.
// Forbidden: "read none ..." and "... w fail ...".
template <class C>
struct try_on_half_full {
    static constexpr const char* name = "try_on_half_full";
    static inline const std::vector<allowed> table = {{"read 1 w ok left {2}", true}, {"read 2 w ok left {1}", false}};
    std::string operator()(scheduler& s) const {
        pool_t<C> pool(2);
        pool.write(msg(1));
        msg out;
        bool r = false, w = false;
        if (!s.run({[&] { r = pool.try_read(out); }, [&] { w = pool.try_write(msg(2)); }})) return "aborted";
        return "read " + got(r, out) + " w " + (w ? "ok" : "fail") + " left " + leftover(s, pool);
    }
};

// L7, capacity 1 holding message 1.  T1: read.  T2: wait_until_empty, then try_write(5).
// Forbidden: the try_write fails (wait_until_empty returned before the read
// released the slot), or a deadlock (its wake-up lost).
template <class C>
struct drain_vs_read {
    static constexpr const char* name = "drain_vs_read";
    static inline const std::vector<allowed> table = {{"read 1 w ok left {5}", true}};
    std::string operator()(scheduler& s) const {
        pool_t<C> pool(1);
        pool.write(msg(1));
        msg out;
        bool r = false, w = false;
        if (!s.run({[&] { r = pool.read(out); },
                    [&] {
                        pool.wait_until_empty();
                        w = pool.try_write(msg(5));
                    }}))
            return "aborted";
        return "read " + got(r, out) + " w " + (w ? "ok" : "fail") + " left " + leftover(s, pool);
    }
};

/// Runs litmus test L over its seeds; returns the failure report or "".
template <class L, class Claim>
std::string check() {
    std::map<std::string, std::size_t> seen;
    const limits lim{5, 60, 20'000};
    // At least 1000 seeds, so that every `must` outcome shows up.  Schedules do
    // not depend on the build, so the sanitizer builds, which run fewer seeds,
    // check only that no forbidden outcome occurs.
    const bool check_must = !under_sanitizer;
    const std::size_t seeds = check_must ? std::max<std::size_t>(seeds_for(lim.weight), 1000) : seeds_for(lim.weight);
    const auto sw = run_sweep(
        lim,
        [&](scheduler& s) {
            s.set_element_checks(element_hb_visible<Claim>);
            const std::string outcome = L{}(s);
            if (outcome == "aborted") return;
            ++seen[outcome];
            const bool ok = std::any_of(L::table.begin(), L::table.end(),
                                        [&](const allowed& a) { return outcome == a.outcome; });
            if (!ok) s.fail("forbidden outcome \"" + outcome + "\"");
        },
        false, seeds);
    std::ostringstream os;
    if (!sw.ok()) os << sw.report(L::name) << "\n";
    if (!sw.replay && check_must)
        for (const allowed& a : L::table)
            if (a.must && seen.count(a.outcome) == 0)
                os << L::name << ": allowed outcome \"" << a.outcome << "\" never observed in " << sw.runs
                   << " seeds (the schedules do not explore this race)\n";
    std::ostringstream seen_list;
    for (const auto& [o, n] : seen) seen_list << " [" << o << "] x" << n;
    BOOST_TEST_MESSAGE(L::name << ": " << sw.runs << " seeds, outcomes:" << seen_list.str());
    return os.str();
}

}  // namespace msgpool_test::dsched::litmus

#define MSGPOOL_DSCHED_LITMUS(test)                                                                 \
    BOOST_AUTO_TEST_CASE_TEMPLATE(litmus_##test, C, litmus_compositions) {                          \
        using claim = typename ::msgpool_test::dsched::pool_t<C>::claim_type;                       \
        const std::string failure = ::msgpool_test::dsched::litmus::check<                          \
            ::msgpool_test::dsched::litmus::test<C>, claim>();                                      \
        BOOST_TEST(failure.empty(), failure);                                                       \
    }

#define MSGPOOL_DSCHED_ALL_LITMUS()                        \
    MSGPOOL_DSCHED_LITMUS(publish_vs_try_read)             \
    MSGPOOL_DSCHED_LITMUS(full_pool_try_writes_vs_read)    \
    MSGPOOL_DSCHED_LITMUS(two_writers_two_try_readers)     \
    MSGPOOL_DSCHED_LITMUS(close_two_blocked_readers)       \
    MSGPOOL_DSCHED_LITMUS(timed_read_vs_write)             \
    MSGPOOL_DSCHED_LITMUS(try_on_half_full)                \
    MSGPOOL_DSCHED_LITMUS(drain_vs_read)
