// bench/tests/in_place.cpp - the in-place form of msgpool-bench
// (bench/msgpool_in_place_adapter.hpp) through the real workload
// (workload.hpp, run_once):
//
//   - the workload takes the in-place path exactly for adapters that offer
//     it (adapter.hpp, in_place_queue), the copy path for the others;
//   - every message is delivered exactly once (count, id sums, payloads), for
//     the pools the tool measures in place, over sizes from 8 to 4096 bytes,
//     1x1, 2x2 and 1x4 producers x consumers, a capacity of 1 (every write
//     waits for a read) and 1024, under the O(1) check and under --full-check;
//   - --full-check writes every word in the slot: the slots start zeroed, so
//     a word the producer left alone fails the consumer's comparison; and the
//     consumer compares in the slot: a word spoilt in the slot after the fill
//     is caught, under the O(1) check when it is a word that check compares
//     (the last one), under --full-check wherever it is.
//
// Each run joins its threads when every message is read; a run that hung
// would be ended by CTest's TIMEOUT (bench/CMakeLists.txt).
#define BOOST_TEST_MODULE bench_in_place
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <cstring>
#include <string>

#include <msgpool/compositions.hpp>
#include <msgpool/pool.hpp>

#include "messages.hpp"
#include "msgpool_adapter.hpp"
#include "msgpool_in_place_adapter.hpp"
#include "workload.hpp"

using namespace msgpool_bench;

namespace {

template <class Msg>
using pool_in_place = msgpool_in_place_queue<msgpool::pool<Msg>>;
template <class Msg>
using futex_pool_in_place = msgpool_in_place_queue<msgpool::futex_pool<Msg>>;
template <class Msg>
using line_pool_in_place = msgpool_in_place_queue<msgpool::line_pool<Msg>>;

static_assert(in_place_queue<pool_in_place<message_of<4096>>>);
static_assert(in_place_queue<line_pool_in_place<msg8>>);
static_assert(!in_place_queue<msgpool_queue<msgpool::pool<message_of<4096>>>>,
              "the copy form must keep the copy path");

/// An in-place queue that spoils one payload word of every `period`-th
/// message in its slot, after the producer filled it and before it is
/// published.  FromEnd: which payload word, counted from the last (0).
template <class Msg, std::size_t FromEnd>
class spoiling_queue : public pool_in_place<Msg> {
public:
    using pool_in_place<Msg>::pool_in_place;
    template <class Fill>
    void write_in_place(typename pool_in_place<Msg>::producer& p, Fill&& fill) {
        pool_in_place<Msg>::write_in_place(p, [&](Msg& m) noexcept {
            fill(m);
            if (id_of(m) % 97 == 5) {
                const std::size_t k = payload_words<Msg> - 1 - FromEnd;
                std::uint64_t w;
                std::memcpy(&w, m.bytes + 8 + 8 * k, 8);
                w ^= 0x10;
                std::memcpy(m.bytes + 8 + 8 * k, &w, 8);
            }
        });
    }
};

run_config config(unsigned producers, unsigned consumers, std::size_t capacity, std::uint64_t messages,
                  check_mode check) {
    run_config c;
    c.queue.capacity = capacity;
    c.queue.producers = producers;
    c.queue.consumers = consumers;
    c.messages = messages;
    c.check = check;
    return c;
}

template <template <class> class Q, std::size_t Bytes>
void expect_exactly_once(const char* name) {
    for (const auto check : {check_mode::sampled, check_mode::full})
        for (const std::size_t capacity : {std::size_t{1}, std::size_t{1024}})
            for (const auto& [p, c] : {std::pair{1u, 1u}, std::pair{2u, 2u}, std::pair{1u, 4u}}) {
                // Few messages where every write waits for a read: each hand-off
                // may wait for a yield, which on a loaded machine is long.
                const std::uint64_t n = capacity == 1 ? 300 : 5000;
                const run_measure m = run_once<Q<message_of<Bytes>>>(config(p, c, capacity, n, check));
                BOOST_TEST(m.exactly_once, name << " " << Bytes << " B " << p << "x" << c << " cap " << capacity
                                                << " " << to_string(check) << ": " << m.failure);
            }
}

}  // namespace

BOOST_AUTO_TEST_CASE(in_place_delivers_exactly_once) {
    expect_exactly_once<pool_in_place, 8>("pool in place");
    expect_exactly_once<pool_in_place, 512>("pool in place");
    expect_exactly_once<pool_in_place, 4096>("pool in place");
    expect_exactly_once<futex_pool_in_place, 4096>("futex_pool in place");
    expect_exactly_once<line_pool_in_place, 16>("line_pool in place");
    expect_exactly_once<line_pool_in_place, 4096>("line_pool in place");
}

BOOST_AUTO_TEST_CASE(a_word_spoilt_in_the_slot_is_caught) {
    // The last word: the O(1) check compares it on every message.
    {
        using Q = spoiling_queue<message_of<4096>, 0>;
        for (const auto check : {check_mode::sampled, check_mode::full}) {
            const run_measure m = run_once<Q>(config(2, 2, 64, 5000, check));
            BOOST_TEST(!m.exactly_once, "last word, " << to_string(check));
            BOOST_TEST(m.failure.find("corrupt") != std::string::npos, m.failure);
        }
    }
    // A word in the middle: --full-check compares it on every message.
    {
        using Q = spoiling_queue<message_of<4096>, 200>;
        const run_measure m = run_once<Q>(config(2, 2, 64, 5000, check_mode::full));
        BOOST_TEST(!m.exactly_once);
        BOOST_TEST(m.failure.find("corrupt") != std::string::npos, m.failure);
    }
}
