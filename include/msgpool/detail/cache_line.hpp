// msgpool/detail/cache_line.hpp - the cache-line size, one constant per architecture.
//
// Used to keep hot words a line apart (no false sharing) and by the aligned
// storage policy.  std::hardware_destructive_interference_size would be the
// standard answer, but GCC warns that its value may change between compiler
// versions (an ABI hazard for a header-only library), so we name it ourselves.
#pragma once

#include <cstddef>

namespace msgpool::detail {

#if defined(__aarch64__) && defined(__APPLE__)
inline constexpr std::size_t cache_line_size = 128;  // Apple M-series: 128-byte lines
#elif defined(__powerpc64__) || defined(__s390x__)
inline constexpr std::size_t cache_line_size = 128;  // POWER, IBM Z: 128-byte (256 on Z, 128 is the common unit)
#else
inline constexpr std::size_t cache_line_size = 64;   // x86-64, x86, most ARM cores
#endif

static_assert((cache_line_size & (cache_line_size - 1)) == 0, "cache_line_size must be a power of two");

/// Round `n` up to a multiple of `align` (a power of two); false on overflow.
constexpr bool round_up(std::size_t n, std::size_t align, std::size_t& out) noexcept {
    const std::size_t mask = align - 1;
    if (n > static_cast<std::size_t>(-1) - mask) return false;
    out = (n + mask) & ~mask;
    return true;
}

}  // namespace msgpool::detail
