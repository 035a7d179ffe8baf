// Large trivially copyable messages (512, 4096 and 4100 bytes: copied as bytes
// by the frame, <msgpool/detail/element_copy.hpp>) through pools under 4
// producers and 4 consumers, every form that copies a message in or out by
// value: each message is read exactly once and arrives with every byte intact.
#define BOOST_TEST_MODULE unit_large_message_pools
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <msgpool/compositions.hpp>
#include <msgpool/detail/element_copy.hpp>
#include <msgpool/pool.hpp>

#include "support/run_threads.hpp"
#include "support/stress.hpp"
#include "support/watchdog.hpp"

namespace {

template <std::size_t N>
struct message {
    std::uint32_t producer;
    std::uint32_t seq;
    unsigned char payload[N - 8];
};

unsigned char payload_byte(std::uint32_t producer, std::uint32_t seq, std::size_t i) {
    return static_cast<unsigned char>((producer * 251u + seq * 13u + i * 7u + (i >> 8)) & 0xffu);
}

template <std::size_t N>
void fill(message<N>& m, std::uint32_t producer, std::uint32_t seq) {
    m.producer = producer;
    m.seq = seq;
    for (std::size_t i = 0; i < N - 8; ++i) m.payload[i] = payload_byte(producer, seq, i);
}

template <std::size_t N>
bool intact(const message<N>& m, std::size_t producers, std::size_t per_producer) {
    if (m.producer >= producers || m.seq >= per_producer) return false;
    for (std::size_t i = 0; i < N - 8; ++i)
        if (m.payload[i] != payload_byte(m.producer, m.seq, i)) return false;
    return true;
}

constexpr std::size_t producers = 4, consumers = 4;
constexpr auto bound = std::chrono::seconds(60);  // a wait longer than this is a hang, reported as a failure

// What one consumer saw, checked after the join (Boost.Test is not thread-safe).
struct consumer_record {
    std::vector<std::vector<std::uint32_t>> seen;  // [producer][seq]: times read
    std::size_t corrupt = 0;
    bool timed_out = false;
};

template <template <class> class Pool, std::size_t N>
void exactly_once(std::size_t capacity) {
    using T = message<N>;
    static_assert(sizeof(T) == N);
#if MSGPOOL_DETAIL_ELEMENT_COPY_AVX2
    static_assert(msgpool::detail::element_copied_as_bytes<T, T&&>);
    static_assert(msgpool::detail::element_copied_as_bytes<T, const T&>);
#endif
    const std::size_t per = msgpool_test::scaled(600);
    Pool<T> pool(capacity);
    std::vector<consumer_record> records(consumers);
    std::vector<char> producer_timed_out(producers, 0);
    std::atomic<std::size_t> producers_left{producers};
    msgpool_test::run_threads(producers + consumers, [&](std::size_t t) {
        if (t < producers) {
            const auto p = static_cast<std::uint32_t>(t);
            std::vector<T> batch(3);
            std::uint32_t seq = 0;
            for (unsigned form = 0; seq < per && !producer_timed_out[t]; form = (form + 1) % 4) {
                if (form < 2) {  // one message: moved in, then copied in
                    T m;
                    fill(m, p, seq);
                    const bool ok =
                        form == 0 ? pool.write_for(std::move(m), bound) : pool.write_for(std::as_const(m), bound);
                    if (!ok) producer_timed_out[t] = 1;
                    ++seq;
                    continue;
                }
                // A bulk of up to 3: moved from a span of T, then copied from a span of const T.
                const std::size_t n = std::min<std::size_t>(3, per - seq);
                for (std::size_t i = 0; i < n; ++i) fill(batch[i], p, seq + static_cast<std::uint32_t>(i));
                std::size_t done = 0;
                while (done < n) {
                    const std::size_t k =
                        form == 2 ? pool.write_bulk_for(std::span<T>(batch.data() + done, n - done), bound)
                                  : pool.write_bulk_for(std::span<const T>(batch.data() + done, n - done), bound);
                    if (k == 0) {
                        producer_timed_out[t] = 1;
                        break;
                    }
                    done += k;
                }
                seq += static_cast<std::uint32_t>(n);
            }
            // seq_cst (the default): a count, not a pair; the last producer's close() follows
            // every producer's last write, each of which returned before its decrement.
            if (producers_left.fetch_sub(1) == 1) pool.close();
        } else {
            consumer_record& r = records[t - producers];
            r.seen.assign(producers, std::vector<std::uint32_t>(per, 0));
            auto note = [&](const T& m) {
                if (!intact(m, producers, per))
                    ++r.corrupt;
                else
                    ++r.seen[m.producer][m.seq];
            };
            std::vector<T> out(3);
            for (unsigned form = 0;; form ^= 1) {
                std::size_t k = 0;
                if (form == 0)
                    k = pool.read_for(out[0], bound) ? 1 : 0;
                else
                    k = pool.read_bulk_for(std::span<T>(out), bound);
                if (k == 0) {
                    // No message within the bound: the pool is closed and empty,
                    // or the wait hung.
                    if (!pool.is_closed()) r.timed_out = true;
                    break;
                }
                for (std::size_t i = 0; i < k; ++i) note(out[i]);
            }
        }
    });
    std::size_t missing = 0, duplicated = 0, corrupt = 0;
    for (std::size_t p = 0; p < producers; ++p)
        for (std::size_t s = 0; s < per; ++s) {
            std::uint32_t times = 0;
            for (const auto& r : records) times += r.seen[p][s];
            missing += times == 0;
            duplicated += times > 1;
        }
    bool timed_out = false;
    for (const auto& r : records) {
        corrupt += r.corrupt;
        timed_out = timed_out || r.timed_out;
    }
    for (char c : producer_timed_out) timed_out = timed_out || c != 0;
    const std::string cell = std::to_string(N) + " bytes, capacity " + std::to_string(capacity);
    BOOST_TEST(!timed_out, cell << ": a wait passed its bound");
    BOOST_TEST(missing == 0u, cell);
    BOOST_TEST(duplicated == 0u, cell);
    BOOST_TEST(corrupt == 0u, cell);
}

template <template <class> class Pool>
void every_size_and_capacity() {
    for (std::size_t capacity : {std::size_t{1}, std::size_t{64}}) {
        exactly_once<Pool, 512>(capacity);
        exactly_once<Pool, 4096>(capacity);
        exactly_once<Pool, 4100>(capacity);
    }
}

}  // namespace

BOOST_AUTO_TEST_CASE(default_pool) { every_size_and_capacity<msgpool::pool>(); }
BOOST_AUTO_TEST_CASE(futex_pool) { every_size_and_capacity<msgpool::futex_pool>(); }
BOOST_AUTO_TEST_CASE(ring_pool) { every_size_and_capacity<msgpool::ring_pool>(); }
