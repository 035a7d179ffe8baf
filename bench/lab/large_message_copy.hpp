// bench/lab/large_message_copy.hpp - the instructions that copy a large
// message into and out of its slot, one change at a time.  GCC copies a
// trivially copyable message of known size with an inline `rep movsq` (at -O2,
// generic tuning); this lab swaps that copy, in the pool's write and read
// only, for an out-of-line loop of vector loads and stores (AVX2, AVX-512 or
// SSE2), so that its effect is a ratio measured in one run.  Build and run
// (the lab: no part of the product):
//
//     cmake --build --preset release --target msgpool-bench-large-copy
//     build/release/bench/msgpool-bench-large-copy
//         -s 'copy::*,moodycamel::ConcurrentQueue' --shapes 1x1,4x4 --capacities 1024
//         --sizes 512,4096 --reps 7 --messages 300000
//     (one command line)
//
// The variants, each cas_scan + futex + inline slots (futex_pool) or
// fetch_add_ring + futex + inline slots (ring_pool) with one change:
//   scan all, ring all   the compositions as they are, compiled here.
//   scan movs            write and read copy through an out-of-line function
//                        that assigns the message (still `rep movsq`): the
//                        control for the call and for this header's write and
//                        read in place of basic_pool's.
//   scan avx2, ring avx2 both copies by the AVX2 loop (out of line).
//   scan avx2 in         only the writer's copy into the slot by the loop.
//   scan avx2 out        only the reader's copy out of the slot by the loop.
//   scan avx512          both copies by a loop of 64-byte AVX-512 loads and
//                        stores (where the CPU has AVX-512F).
//   scan sse2            both copies by a loop of 16-byte SSE2 loads and
//                        stores, which every x86-64 has (no CPU check).
// The loops are used for messages whose size is a multiple of 128 bytes (512
// and 4096 among the built-in sizes) and only where the CPU has the
// instructions (checked once); every other message is assigned as
// basic_pool does.
//
// The pool type is basic_pool itself with write(T&&) and read(T&), the two
// calls the benchmark's adapter makes (msgpool_adapter.hpp), redefined over
// the same protected write_with/read_with basic_pool's own write and read
// use: the claim, publish and wait are the composition's, unchanged, so the
// ordering argument of the claim policy holds as it is.
#pragma once

#include <cstddef>
#include <cstring>
#include <type_traits>

#include <immintrin.h>

#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/deadline.hpp>
#include <msgpool/wait/futex.hpp>

#include "user_compositions.hpp"

namespace large_message_copy {

/// `bytes` (a multiple of 128) from `from` to `to`, 32 bytes a load, unaligned.
__attribute__((noinline, target("avx2"))) inline void avx2_copy(void* to, const void* from,
                                                                std::size_t bytes) noexcept {
    auto* d = static_cast<__m256i*>(to);
    const auto* s = static_cast<const __m256i*>(from);
    for (std::size_t i = 0, n = bytes / 32; i < n; i += 4) {
        const __m256i a = _mm256_loadu_si256(s + i);
        const __m256i b = _mm256_loadu_si256(s + i + 1);
        const __m256i c = _mm256_loadu_si256(s + i + 2);
        const __m256i e = _mm256_loadu_si256(s + i + 3);
        _mm256_storeu_si256(d + i, a);
        _mm256_storeu_si256(d + i + 1, b);
        _mm256_storeu_si256(d + i + 2, c);
        _mm256_storeu_si256(d + i + 3, e);
    }
}

/// The same with 64-byte AVX-512 loads and stores.
__attribute__((noinline, target("avx512f"))) inline void avx512_copy(void* to, const void* from,
                                                                     std::size_t bytes) noexcept {
    auto* d = static_cast<char*>(to);
    const auto* s = static_cast<const char*>(from);
    for (std::size_t i = 0; i < bytes; i += 128) {
        const __m512i a = _mm512_loadu_si512(s + i);
        const __m512i b = _mm512_loadu_si512(s + i + 64);
        _mm512_storeu_si512(d + i, a);
        _mm512_storeu_si512(d + i + 64, b);
    }
}

/// The same with 16-byte SSE2 loads and stores (every x86-64 has them).
__attribute__((noinline)) inline void sse2_copy(void* to, const void* from, std::size_t bytes) noexcept {
    auto* d = static_cast<__m128i*>(to);
    const auto* s = static_cast<const __m128i*>(from);
    for (std::size_t i = 0, n = bytes / 16; i < n; i += 8) {
        const __m128i a = _mm_loadu_si128(s + i), b = _mm_loadu_si128(s + i + 1);
        const __m128i c = _mm_loadu_si128(s + i + 2), e = _mm_loadu_si128(s + i + 3);
        const __m128i f = _mm_loadu_si128(s + i + 4), g = _mm_loadu_si128(s + i + 5);
        const __m128i h = _mm_loadu_si128(s + i + 6), k = _mm_loadu_si128(s + i + 7);
        _mm_storeu_si128(d + i, a), _mm_storeu_si128(d + i + 1, b);
        _mm_storeu_si128(d + i + 2, c), _mm_storeu_si128(d + i + 3, e);
        _mm_storeu_si128(d + i + 4, f), _mm_storeu_si128(d + i + 5, g);
        _mm_storeu_si128(d + i + 6, h), _mm_storeu_si128(d + i + 7, k);
    }
}

inline const bool have_avx2 = __builtin_cpu_supports("avx2");
inline const bool have_avx512 = __builtin_cpu_supports("avx512f");

/// The message assigned out of line (the control: the same `rep movsq`).
template <class T>
__attribute__((noinline)) void assign_out_of_line(T* to, const T* from) noexcept {
    *to = *from;
}

enum class copy { inline_assign, out_of_line_assign, avx2, avx512, sse2 };

template <class T, copy How>
inline void copy_message(T* to, const T* from) noexcept {
    constexpr bool loop = std::is_trivially_copyable_v<T> && sizeof(T) % 128 == 0;
    if constexpr (How == copy::avx2 && loop) {
        if (have_avx2) return avx2_copy(to, from, sizeof(T));
        *to = *from;
    } else if constexpr (How == copy::avx512 && loop) {
        if (have_avx512) return avx512_copy(to, from, sizeof(T));
        *to = *from;
    } else if constexpr (How == copy::sse2 && loop) {
        sse2_copy(to, from, sizeof(T));
    } else if constexpr (How == copy::out_of_line_assign) {
        assign_out_of_line(to, from);
    } else {
        *to = *from;
    }
}

/// basic_pool whose write(T&&) copies in by `In` and read(T&) copies out by `Out`.
template <class T, class Claim, copy In, copy Out>
class copy_pool : public msgpool::basic_pool<T, Claim, msgpool::wait::futex, msgpool::storage::inline_slots> {
    using base = msgpool::basic_pool<T, Claim, msgpool::wait::futex, msgpool::storage::inline_slots>;

public:
    using base::base;
    void write(T&& value) {
        this->write_with(msgpool::deadline::forever(),
                         [&](void* slot) noexcept { copy_message<T, In>(static_cast<T*>(slot), &value); });
    }
    bool read(T& out) {
        return this->read_with(msgpool::deadline::forever(),
                               [&](void* slot) noexcept { copy_message<T, Out>(&out, static_cast<const T*>(slot)); });
    }
};

namespace cl = msgpool::claim;
using enum copy;
using msgpool::storage::inline_slots;
using msgpool::wait::futex;

// clang-format off
template <class T> using scan_all      = msgpool::basic_pool<T, cl::cas_scan, futex, inline_slots>;
template <class T> using ring_all      = msgpool::basic_pool<T, cl::fetch_add_ring, futex, inline_slots>;
template <class T> using scan_movs     = copy_pool<T, cl::cas_scan, out_of_line_assign, out_of_line_assign>;
template <class T> using scan_avx2     = copy_pool<T, cl::cas_scan, avx2, avx2>;
template <class T> using scan_avx2_in  = copy_pool<T, cl::cas_scan, avx2, inline_assign>;
template <class T> using scan_avx2_out = copy_pool<T, cl::cas_scan, inline_assign, avx2>;
template <class T> using ring_avx2     = copy_pool<T, cl::fetch_add_ring, avx2, avx2>;
template <class T> using scan_avx512   = copy_pool<T, cl::cas_scan, avx512, avx512>;
template <class T> using scan_sse2     = copy_pool<T, cl::cas_scan, sse2, sse2>;
// clang-format on

}  // namespace large_message_copy

MSGPOOL_BENCH_USER_COMPOSITIONS(msgpool_bench::named_alias<large_message_copy::scan_all, "copy::scan all">,
                                msgpool_bench::named_alias<large_message_copy::ring_all, "copy::ring all">,
                                msgpool_bench::named_alias<large_message_copy::scan_movs, "copy::scan movs">,
                                msgpool_bench::named_alias<large_message_copy::scan_avx2, "copy::scan avx2">,
                                msgpool_bench::named_alias<large_message_copy::scan_avx2_in, "copy::scan avx2 in">,
                                msgpool_bench::named_alias<large_message_copy::scan_avx2_out, "copy::scan avx2 out">,
                                msgpool_bench::named_alias<large_message_copy::ring_avx2, "copy::ring avx2">,
                                msgpool_bench::named_alias<large_message_copy::scan_avx512, "copy::scan avx512">,
                                msgpool_bench::named_alias<large_message_copy::scan_sse2, "copy::scan sse2">)
