// The deterministic scenarios for claim::fetch_add_ring over every wait policy,
// plus one of the ring's own: a read slot held across other threads' work.
#define BOOST_TEST_MODULE dsched_fetch_add_ring
#include <boost/test/unit_test.hpp>

#include <functional>
#include <string>
#include <vector>

#include "dsched/compositions.hpp"

using compositions_under_test = msgpool_test::dsched::over_waits<msgpool::claim::fetch_add_ring>;

#include "dsched/scenario_suite.hpp"

namespace msgpool_test::dsched {

/// A held ring position: the pool starts full (capacity 1-3); one thread
/// takes a read handle and holds it for a while (work_for: long enough for
/// the others to stop spinning and sleep) before it lets go, while 1-2
/// writers write 1-2 messages each and 1-2 readers read the rest with
/// blocking reads (plain, swap, or try_read in a loop).  In ring order the
/// held slot is the next writers' slot, and messages published behind it
/// may sit while its next writer waits: writers must back off behind the
/// holder and wake when it releases, readers must not call the pool empty
/// while a message sits behind a writer that holds its position.  Every
/// message arrives exactly once, nothing hangs, and the pool ends drained.
template <class C>
struct held_ring_position {
    static constexpr const char* name = "held_ring_position";
    static constexpr limits lim{2, 300, 40'000};

    void operator()(scheduler& s) const {
        rng& p = s.params();
        const std::size_t cap = 1 + p.below(3);
        const unsigned writers = 1 + static_cast<unsigned>(p.below(2));
        const unsigned per_writer = 1 + static_cast<unsigned>(p.below(2));
        const unsigned readers = 1 + static_cast<unsigned>(p.below(2));
        const std::int64_t hold = p.below(2) == 0 ? 300 : static_cast<std::int64_t>(p.below(40));
        pool_t<C> pool(cap);
        ledger book(s, 100);
        for (std::size_t k = 1; k <= cap; ++k) {
            pool.write(msg(k));
            book.expect(k);
        }
        const std::size_t total = cap + writers * per_writer;
        std::size_t left = total - 1;  // the holder reads one
        std::vector<std::function<void()>> threads;
        threads.push_back([&] {
            auto h = pool.claim_read();
            if (!h) {
                s.fail("a blocking claim_read on an open, full pool returned an empty handle");
                return;
            }
            book.got(h->id());
            work_for(hold);
        });
        for (unsigned w = 0; w < writers; ++w) {
            for (unsigned k = 0; k < per_writer; ++k) book.expect(50 + w * per_writer + k);
            threads.push_back([&, w] {
                for (unsigned k = 0; k < per_writer; ++k) pool.write(msg(50 + w * per_writer + k));
            });
        }
        for (unsigned r = 0; r < readers; ++r) {
            const unsigned form = static_cast<unsigned>(p.below(3));
            threads.push_back([&, form] {
                while (left > 0) {
                    --left;  // claim one read of the rest (threads switch only at scheduling points)
                    msg m;
                    bool ok = false;
                    if (form == 0) {
                        ok = pool.read(m);
                    } else if (form == 1) {
                        ok = pool.read(m, msg{});
                    } else {
                        while (!(ok = pool.try_read(m))) yield();
                    }
                    if (ok) book.got(m.id());
                    else s.fail("a read on an open pool returned false");
                }
            });
        }
        if (!s.run(std::move(threads))) return;
        if (pool.was_size() != 0) s.fail("messages left after every one was read: was_size " +
                                         std::to_string(pool.was_size()));
        book.check();
        s.run({[&] { pool.wait_until_empty(); }});
    }

private:
    static void yield() { sync::yield(); }
};

}  // namespace msgpool_test::dsched

MSGPOOL_DSCHED_SCENARIO(held_ring_position)
