// tests/conformance/workload.hpp - producers and consumers moving numbered
// messages through one pool, recording every id they see.
//
// Each producer p writes ids p, p + P, p + 2P, ... below `messages`; each
// consumer counts the ids it reads in a shared table.  After the run every id
// must have been seen exactly once (not merely the right sum), and the pool
// must be empty.  Threads use the blocking, timed or try_ forms (or a mix, by
// thread index) so one workload exercises every path to a slot.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "../support/run_threads.hpp"

namespace msgpool_test {

enum class mode { blocking, timed, try_only, mixed };

/// A 64-byte message whose body is derived from its id: a reader that sees a
/// torn or stale body reports it (and TSan sees the race).
struct wide_message {
    std::uint64_t id = 0;
    std::uint64_t body[7] = {};
    wide_message() = default;
    explicit wide_message(std::uint64_t v) : id(v) {
        for (int i = 0; i < 7; ++i) body[i] = v * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(i);
    }
    bool intact() const {
        for (int i = 0; i < 7; ++i)
            if (body[i] != id * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(i)) return false;
        return true;
    }
};
static_assert(sizeof(wide_message) == 64);

template <class M>
M make_message(std::uint64_t id) {
    if constexpr (std::is_same_v<M, std::uint64_t>)
        return id;
    else if constexpr (std::is_same_v<M, std::unique_ptr<std::uint64_t>>)
        return std::make_unique<std::uint64_t>(id);
    else
        return M(id);
}

template <class M>
std::uint64_t id_of(const M& m) {
    if constexpr (std::is_same_v<M, std::uint64_t>)
        return m;
    else if constexpr (std::is_same_v<M, std::unique_ptr<std::uint64_t>>)
        return m ? *m : ~std::uint64_t{0};
    else
        return m.id;
}

template <class M>
bool intact(const M& m) {
    if constexpr (std::is_same_v<M, wide_message>)
        return m.intact();
    else
        return true;
}

struct workload_result {
    std::uint64_t messages = 0;
    std::uint64_t missing = 0;     // ids never read
    std::uint64_t duplicated = 0;  // ids read more than once
    std::uint64_t foreign = 0;     // ids never written (or torn messages)
    std::size_t left_in_pool = 0;  // was_size() after the run
    bool ok() const { return missing == 0 && duplicated == 0 && foreign == 0 && left_in_pool == 0; }
    std::string describe() const {
        return "messages=" + std::to_string(messages) + " missing=" + std::to_string(missing) +
               " duplicated=" + std::to_string(duplicated) + " foreign/torn=" + std::to_string(foreign) +
               " left_in_pool=" + std::to_string(left_in_pool);
    }
};

inline mode mode_of_thread(mode m, std::size_t index) {
    if (m != mode::mixed) return m;
    static constexpr mode cycle[] = {mode::blocking, mode::timed, mode::try_only};
    return cycle[index % 3];
}

template <class Pool, class M>
void produce(Pool& pool, mode m, std::uint64_t first, std::uint64_t step, std::uint64_t end) {
    using namespace std::chrono_literals;
    for (std::uint64_t id = first; id < end; id += step) {
        M msg = make_message<M>(id);
        switch (m) {
            case mode::blocking: pool.write(std::move(msg)); break;
            case mode::timed:
                while (!pool.write_for(std::move(msg), 200us)) {
                }
                break;
            default:
                while (!pool.try_write(std::move(msg))) std::this_thread::yield();
                break;
        }
    }
}

template <class Pool, class M>
void consume(Pool& pool, mode m, std::vector<std::atomic<std::uint32_t>>& seen, std::atomic<std::uint64_t>& foreign) {
    using namespace std::chrono_literals;
    M msg{};
    auto record = [&] {
        const std::uint64_t id = id_of(msg);
        if (id < seen.size() && intact(msg))
            seen[id].fetch_add(1, std::memory_order_relaxed);  // relaxed: read after join()
        else
            foreign.fetch_add(1, std::memory_order_relaxed);
    };
    switch (m) {
        case mode::blocking:
            while (pool.read(msg)) record();
            break;
        case mode::timed:
            for (;;) {
                if (pool.read_for(msg, 200us)) {
                    record();
                } else if (pool.is_closed()) {  // closed (and maybe empty): drain without waiting
                    while (pool.try_read(msg)) record();
                    if (pool.is_closed()) break;
                }
            }
            break;
        default:
            for (;;) {
                if (pool.try_read(msg)) {
                    record();
                } else if (pool.is_closed()) {
                    while (pool.try_read(msg)) record();
                    if (pool.is_closed()) break;
                } else {
                    std::this_thread::yield();
                }
            }
            break;
    }
}

/// P producers and C consumers move `messages` ids through `pool`; the pool is
/// closed once every producer has finished, and consumers drain it.
template <class M, class Pool>
workload_result run_workload(Pool& pool, std::size_t producers, std::size_t consumers, std::uint64_t messages,
                             mode m = mode::blocking) {
    std::vector<std::atomic<std::uint32_t>> seen(messages);
    std::atomic<std::uint64_t> foreign{0};
    std::atomic<std::size_t> producers_left{producers};
    run_threads(producers + consumers, [&](std::size_t i) {
        if (i < producers) {
            produce<Pool, M>(pool, mode_of_thread(m, i), i, producers, messages);
            if (producers_left.fetch_sub(1) == 1) pool.close();  // the last producer closes
        } else {
            consume<Pool, M>(pool, mode_of_thread(m, i), seen, foreign);
        }
    });
    workload_result r;
    r.messages = messages;
    for (auto& s : seen) {
        const auto n = s.load();
        if (n == 0) ++r.missing;
        if (n > 1) ++r.duplicated;
    }
    r.foreign = foreign.load();
    r.left_in_pool = pool.was_size();
    return r;
}

}  // namespace msgpool_test
