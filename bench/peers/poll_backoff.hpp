// bench/peers/poll_backoff.hpp - how the benchmark waits on a peer that
// cannot block (boost::lockfree::queue, moodycamel::ConcurrentQueue).
//
// Neither library offers a wait: their documentation leaves waiting to the
// caller and their own examples and benchmarks retry in a loop.  We retry the
// way a careful user would on a machine that may have more threads than cores:
// a few rounds of exponentially growing pause bursts (cheap, and the value
// usually arrives within them), then std::this_thread::yield() on every
// further retry so that a preempted partner can run.  It never sleeps, so a
// waiting thread burns CPU; the CPU column of the report shows that cost.
#pragma once

#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace msgpool_bench {

class poll_backoff {
public:
    void wait() noexcept {
        if (round_ < spin_rounds) {
            for (unsigned i = 0; i < (1u << round_); ++i) pause();
            ++round_;
        } else {
            std::this_thread::yield();
        }
    }
    void reset() noexcept { round_ = 0; }

private:
    static constexpr unsigned spin_rounds = 7;  // 1 + 2 + ... + 64 pauses, then yield

    static void pause() noexcept {
#if defined(__x86_64__) || defined(__i386__)
        _mm_pause();
#elif defined(__aarch64__)
        asm volatile("yield" ::: "memory");
#endif
    }

    unsigned round_ = 0;
};

}  // namespace msgpool_bench
