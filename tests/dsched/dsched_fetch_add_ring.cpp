// The deterministic scenarios for claim::fetch_add_ring over every wait policy,
// plus one of the ring's own: a read position held across other threads' work.
#define BOOST_TEST_MODULE dsched_fetch_add_ring
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <msgpool/claim/fetch_add_ring.hpp>

#include "dsched/compositions.hpp"

using compositions_under_test = msgpool_test::dsched::over_waits<msgpool::claim::fetch_add_ring>;

#include "dsched/scenario_suite.hpp"

namespace msgpool_test::dsched {

/// A msg whose move into one chosen object takes `hold` ticks of scheduled
/// time: a reader moving a message into that object holds its ring position
/// that long, between its claim and its publish (the ring has no read
/// handles, which would hold it longer still).
struct slow_msg : msg {
    static inline const slow_msg* slow_target = nullptr;
    static inline std::int64_t hold = 0;

    slow_msg() noexcept = default;
    explicit slow_msg(std::uint64_t id) noexcept : msg(id) {}
    slow_msg(slow_msg&&) noexcept = default;
    slow_msg& operator=(slow_msg&& other) noexcept {
        msg::operator=(std::move(other));
        if (this == slow_target) work_for(hold);
        return *this;
    }
};

/// A held ring position: the pool starts full (capacity 1-3); one thread
/// reads a message whose move out takes a while (work_for: long enough for
/// the others to stop spinning and sleep) before it publishes, while 1-2
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
        slow_msg::hold = p.below(2) == 0 ? 300 : static_cast<std::int64_t>(p.below(40));
        typename C::template pool<slow_msg> pool(cap);
        ledger book(s, 100);
        for (std::size_t k = 1; k <= cap; ++k) {
            pool.write(slow_msg(k));
            book.expect(k);
        }
        const std::size_t total = cap + writers * per_writer;
        std::size_t left = total - 1;  // the holder reads one
        std::vector<std::function<void()>> threads;
        slow_msg held;
        slow_msg::slow_target = &held;
        threads.push_back([&] {
            if (!pool.read(held)) {  // holds its position while the move into `held` lasts
                s.fail("a blocking read on an open, full pool returned false");
                return;
            }
            book.got(held.id());
        });
        for (unsigned w = 0; w < writers; ++w) {
            for (unsigned k = 0; k < per_writer; ++k) book.expect(50 + w * per_writer + k);
            threads.push_back([&, w] {
                for (unsigned k = 0; k < per_writer; ++k) pool.write(slow_msg(50 + w * per_writer + k));
            });
        }
        for (unsigned r = 0; r < readers; ++r) {
            const unsigned form = static_cast<unsigned>(p.below(3));
            threads.push_back([&, form] {
                while (left > 0) {
                    --left;  // claim one read of the rest (threads switch only at scheduling points)
                    slow_msg m;
                    bool ok = false;
                    if (form == 0) {
                        ok = pool.read(m);
                    } else if (form == 1) {
                        ok = pool.read(m, slow_msg{});
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
