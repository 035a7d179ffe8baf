// msgpool/detail/element_copy.hpp - how the frame assigns a message into a
// slot and out of it: by the element's assignment, except for a large
// trivially copyable element on x86-64, whose bytes are copied by a loop of
// vector loads and stores.
//
// Contract: assign_element(to, from) has the effect of `to = from` (from a
// `const T&` or a `T&`) or `to = std::move(from)` (from a `T&&`), and is
// noexcept when that assignment is.  `to` and `from` are live objects of
// type T; no lifetime begins or ends, so the frame's count of constructed
// elements is unaffected.  When they are two distinct objects and
//   * T is trivially copyable, that assignment is trivial (it calls no
//     user-provided operator=, template or not), and sizeof(T) >= 512, and
//   * the target is x86-64 and the compiler GCC or Clang,
// the call copies sizeof(T) bytes: by copy_bytes_avx2 (an out-of-line
// loop of 32-byte unaligned AVX2 loads and stores) where the CPU and the OS
// support AVX2, by std::memcpy elsewhere.  Every other element, and every
// element on another target or compiler, is assigned.  One object as both
// arguments is assigned too (a self-assignment, which leaves it unchanged).
//
// Why: GCC, at -O2 with generic tuning, copies a fixed-size object of 512
// bytes or more with one inline `rep movs` (below that, with inline vector
// moves, which this header leaves alone).  A loop of vector loads and stores
// is what glibc's own memcpy runs below its `rep movsb` threshold; out of
// line it costs one call per message.  The CPU is asked once, through a
// function-local static whose initialiser calls __builtin_cpu_init() first,
// so a pool used from another translation unit's static initialiser gets a
// valid answer (a namespace-scope flag could be read before its own
// initialiser ran).  __builtin_cpu_supports("avx2") is true only when the OS
// also saves the YMM registers (the compiler runtime checks OSXSAVE and XCR0).
//
// Why it is valid C++: for a trivially copyable T, copying the underlying
// bytes of one object into another object of type T gives the second the
// value of the first ([basic.types]/3 in C++20), and a trivial assignment does
// exactly that; the object keeps its lifetime, so the slot's pointer, already
// laundered by the frame, stays valid.  The vector loads and stores are the
// compilers' unaligned load and store intrinsics, which access memory through
// may_alias types: to the compiler a byte copy like memcpy, not an access
// through an unrelated type.  Two live objects of T never partly overlap (a T
// does not fit inside another at a nonzero offset), and one object passed as
// both is assigned, so the copy never runs on overlapping bytes.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <type_traits>
#include <utility>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define MSGPOOL_DETAIL_ELEMENT_COPY_AVX2 1
#else
#define MSGPOOL_DETAIL_ELEMENT_COPY_AVX2 0
#endif

namespace msgpool::detail {

/// The size from which a trivially copyable element is copied as bytes (where
/// GCC's generic inline copy turns into `rep movs`).
inline constexpr std::size_t element_copy_min_bytes = 512;

/// True when assigning a `From` (const T&, T& or T&&) to a T is done by copying
/// bytes on this target (the header comment's conditions on T).
template <class T, class From>
inline constexpr bool element_copied_as_bytes =
    MSGPOOL_DETAIL_ELEMENT_COPY_AVX2 && std::is_trivially_copyable_v<T> && sizeof(T) >= element_copy_min_bytes &&
    std::is_trivially_assignable_v<T&, From>;

#if MSGPOOL_DETAIL_ELEMENT_COPY_AVX2

/// Copies `bytes` (at least 32) from `from` to `to`, which do not overlap, by
/// 32-byte unaligned loads and stores: four per iteration, then single
/// vectors, then the last 32 bytes once more, overlapping what was already
/// copied, so the tail is exact without a narrower move.  Call only where
/// cpu_has_avx2() is true.
__attribute__((noinline, target("avx2"))) inline void copy_bytes_avx2(void* to, const void* from,
                                                                      std::size_t bytes) noexcept {
    auto* d = static_cast<char*>(to);
    const auto* s = static_cast<const char*>(from);
    std::size_t i = 0;
    for (; i + 128 <= bytes; i += 128) {
        const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i_u*>(s + i));
        const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i_u*>(s + i + 32));
        const __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i_u*>(s + i + 64));
        const __m256i e = _mm256_loadu_si256(reinterpret_cast<const __m256i_u*>(s + i + 96));
        _mm256_storeu_si256(reinterpret_cast<__m256i_u*>(d + i), a);
        _mm256_storeu_si256(reinterpret_cast<__m256i_u*>(d + i + 32), b);
        _mm256_storeu_si256(reinterpret_cast<__m256i_u*>(d + i + 64), c);
        _mm256_storeu_si256(reinterpret_cast<__m256i_u*>(d + i + 96), e);
    }
    for (; i + 32 <= bytes; i += 32)
        _mm256_storeu_si256(reinterpret_cast<__m256i_u*>(d + i),
                            _mm256_loadu_si256(reinterpret_cast<const __m256i_u*>(s + i)));
    if (i < bytes)
        _mm256_storeu_si256(reinterpret_cast<__m256i_u*>(d + bytes - 32),
                            _mm256_loadu_si256(reinterpret_cast<const __m256i_u*>(s + bytes - 32)));
}

/// Whether this CPU and OS run AVX2, asked once per process.
inline bool cpu_has_avx2() noexcept {
    static const bool has = [] {
        __builtin_cpu_init();  // the runtime's CPU model may not be set up yet before main()
        return __builtin_cpu_supports("avx2") != 0;
    }();
    return has;
}

/// The byte copy of a large element: the AVX2 loop when `avx2` (which only
/// cpu_has_avx2() may make true), else std::memcpy.  `bytes` >= 32.
inline void copy_element_bytes(void* to, const void* from, std::size_t bytes, bool avx2) noexcept {
    if (avx2)
        copy_bytes_avx2(to, from, bytes);
    else
        std::memcpy(to, from, bytes);
}

#endif

/// `to = std::forward<From>(from)`, with the effect and the conditions of the
/// header comment.
template <class T, class From>
    requires std::is_same_v<std::remove_cvref_t<From>, T>
inline void assign_element(T& to, From&& from) noexcept(std::is_nothrow_assignable_v<T&, From&&>) {
#if MSGPOOL_DETAIL_ELEMENT_COPY_AVX2
    if constexpr (element_copied_as_bytes<T, From&&>) {
        if (std::addressof(to) != std::addressof(from))
            return copy_element_bytes(std::addressof(to), std::addressof(from), sizeof(T), cpu_has_avx2());
    }
#endif
    to = std::forward<From>(from);
}

}  // namespace msgpool::detail
