// msgpool/claim/detail/thread_cursor.hpp - a per-thread starting point for slot scans.
//
// The original library kept shared `last_read` / `last_write` hints: every
// operation wrote them, so they were the most contended cache lines of the
// pool.  A thread-local cursor costs no shared write.  Each thread starts at a
// different place (a hash of a per-thread counter) so that threads spread out
// instead of fighting over slot 0.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace msgpool::detail {

inline std::size_t thread_seed() noexcept {
    // relaxed: only distinctness matters, not order.
    static std::atomic<std::uint64_t> next{0};
    std::uint64_t x = next.fetch_add(1, std::memory_order_relaxed) + 1;
    x *= 0x9E3779B97F4A7C15ull;  // Fibonacci hashing spreads consecutive ids far apart
    return static_cast<std::size_t>(x ^ (x >> 29));
}

struct write_cursor;  ///< tag: where this thread's next write scan starts
struct read_cursor;   ///< tag: where this thread's next read scan starts

/// A thread's cursor for one purpose (Tag), shared by all pools: only a hint.
template <class Tag>
inline std::size_t& thread_cursor() noexcept {
    thread_local std::size_t cursor = thread_seed();
    return cursor;
}

}  // namespace msgpool::detail
