// tests/support/lifetime_counter.hpp - an element type that counts its lives.
//
// Every constructor increments `constructed`, the destructor increments
// `destroyed`; a test compares the two after the pool is gone.  A moved-from
// object stays alive (and is destroyed later), exactly as the contract says.
// `value` travels with moves so exactly-once checks still work.
#pragma once

#include <atomic>
#include <cstdint>
#include <utility>

namespace msgpool_test {

struct lifetime_counter {
    static inline std::atomic<long> constructed{0};
    static inline std::atomic<long> destroyed{0};
    static void reset() { constructed = 0; destroyed = 0; }
    static long alive() { return constructed.load() - destroyed.load(); }

    std::uint64_t value = 0;
    std::uint64_t canary = 0xC0FFEE;  // catches use of a destroyed or never-constructed object

    lifetime_counter() noexcept { ++constructed; }
    explicit lifetime_counter(std::uint64_t v) noexcept : value(v) { ++constructed; }
    lifetime_counter(const lifetime_counter& o) noexcept : value(o.value), canary(o.canary) { ++constructed; }
    lifetime_counter(lifetime_counter&& o) noexcept : value(std::exchange(o.value, 0)), canary(o.canary) {
        ++constructed;
    }
    lifetime_counter& operator=(const lifetime_counter& o) noexcept {
        value = o.value;
        canary = o.canary;
        return *this;
    }
    lifetime_counter& operator=(lifetime_counter&& o) noexcept {
        value = std::exchange(o.value, 0);
        canary = o.canary;
        return *this;
    }
    ~lifetime_counter() {
        canary = 0xDEAD;
        ++destroyed;
    }
};

}  // namespace msgpool_test
