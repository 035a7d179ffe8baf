// detail::assign_element (<msgpool/detail/element_copy.hpp>): which elements it
// copies as bytes, and that the byte copy, by either path, writes exactly the
// element's bytes whatever the alignment of source and destination.
#define BOOST_TEST_MODULE unit_element_copy
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <msgpool/detail/element_copy.hpp>

#include "support/watchdog.hpp"

namespace {

template <std::size_t N>
struct bytes_of {
    unsigned char b[N];
};

// Trivially copyable, but its assignment from an rvalue picks a template
// that is not a special member: the bytes must not be copied for it.
struct counted_assign {
    unsigned char b[1024];
    int assigned = 0;
    counted_assign() = default;
    counted_assign(const counted_assign&) = default;
    counted_assign& operator=(const counted_assign&) = default;
    template <class U>
    counted_assign& operator=(U&&) noexcept {
        ++assigned;
        return *this;
    }
};

struct not_trivial {
    std::array<char, 1024> b{};
    std::string s;
};

// A pattern that differs between neighbouring bytes and between the two
// buffers, so that a byte copied from the wrong offset or not at all shows.
unsigned char pattern(std::size_t i, unsigned seed) {
    return static_cast<unsigned char>((i * 131u + seed * 71u + (i >> 8)) & 0xffu);
}

constexpr std::size_t guard = 64;  // bytes checked on either side of the destination

// Copies `size` bytes between buffers offset by `src_off` and `dst_off` from
// a 64-byte boundary, by the AVX2 loop when `avx2`, else by memcpy (the
// header's two paths), and returns the first mismatch as text ("" if none).
std::string copy_and_check(std::size_t size, std::size_t src_off, std::size_t dst_off, bool avx2) {
    std::vector<unsigned char> src_buf(size + 2 * guard + 64), dst_buf(size + 2 * guard + 64);
    auto align_up = [](unsigned char* p) {
        const auto a = reinterpret_cast<std::uintptr_t>(p);
        return p + ((64 - a % 64) % 64);
    };
    unsigned char* src = align_up(src_buf.data()) + guard + src_off;
    unsigned char* dst_base = align_up(dst_buf.data());
    unsigned char* dst = dst_base + guard + dst_off;
    for (std::size_t i = 0; i < src_buf.size(); ++i) src_buf[i] = pattern(i, 1);
    for (std::size_t i = 0; i < dst_buf.size(); ++i) dst_buf[i] = pattern(i, 2);
    const std::vector<unsigned char> dst_before = dst_buf;
#if MSGPOOL_DETAIL_ELEMENT_COPY_AVX2
    msgpool::detail::copy_element_bytes(dst, src, size, avx2);
#else
    (void)avx2;
    std::memcpy(dst, src, size);
#endif
    for (std::size_t i = 0; i < dst_buf.size(); ++i) {
        unsigned char* p = dst_buf.data() + i;
        const bool inside = p >= dst && p < dst + size;
        const unsigned char want = inside ? src[p - dst] : dst_before[i];
        if (dst_buf[i] != want)
            return "size " + std::to_string(size) + ", source offset " + std::to_string(src_off) +
                   ", destination offset " + std::to_string(dst_off) + (avx2 ? ", avx2" : ", memcpy") + ": byte " +
                   std::to_string(static_cast<long long>(p - dst)) + " relative to the destination differs";
    }
    // The source is read only.
    for (std::size_t i = 0; i < src_buf.size(); ++i)
        if (src_buf[i] != pattern(i, 1)) return "the source changed at byte " + std::to_string(i);
    return "";
}

void check_all_sizes_and_offsets(bool avx2) {
    const std::size_t sizes[] = {512, 520, 544, 1000, 4096, 4100};
    const std::size_t offsets[] = {0, 1, 3, 8, 17, 31, 32, 33};
    std::size_t cases = 0;
    for (std::size_t size : sizes)
        for (std::size_t s : offsets)
            for (std::size_t d : offsets) {
                const std::string bad = copy_and_check(size, s, d, avx2);
                BOOST_TEST(bad.empty(), bad);
                ++cases;
            }
    BOOST_TEST(cases == 6u * 8u * 8u);
}

}  // namespace

BOOST_AUTO_TEST_CASE(which_elements_are_copied_as_bytes) {
    using msgpool::detail::element_copied_as_bytes;
    constexpr bool on = MSGPOOL_DETAIL_ELEMENT_COPY_AVX2 != 0;
    static_assert(element_copied_as_bytes<bytes_of<512>, bytes_of<512>&&> == on);
    static_assert(element_copied_as_bytes<bytes_of<512>, const bytes_of<512>&> == on);
    static_assert(element_copied_as_bytes<bytes_of<4100>, bytes_of<4100>&> == on);
    static_assert(element_copied_as_bytes<std::array<std::uint64_t, 512>, std::array<std::uint64_t, 512>&&> == on);
    // Below the threshold the compiler's own inline copy stays.
    static_assert(!element_copied_as_bytes<bytes_of<511>, bytes_of<511>&&>);
    static_assert(!element_copied_as_bytes<bytes_of<256>, const bytes_of<256>&>);
    // Not trivially copyable, or an assignment that is not trivial.
    static_assert(!element_copied_as_bytes<not_trivial, not_trivial&&>);
    static_assert(std::is_trivially_copyable_v<counted_assign>);
    static_assert(!element_copied_as_bytes<counted_assign, counted_assign&&>);
    static_assert(element_copied_as_bytes<counted_assign, const counted_assign&> == on);
    BOOST_TEST(on == MSGPOOL_DETAIL_ELEMENT_COPY_AVX2);
}

BOOST_AUTO_TEST_CASE(memcpy_path_every_size_and_alignment) { check_all_sizes_and_offsets(false); }

BOOST_AUTO_TEST_CASE(avx2_path_every_size_and_alignment) {
#if MSGPOOL_DETAIL_ELEMENT_COPY_AVX2
    if (!msgpool::detail::cpu_has_avx2()) {
        BOOST_TEST_MESSAGE("this CPU has no AVX2: the loop is not run (the memcpy path is tested above)");
        return;
    }
    check_all_sizes_and_offsets(true);
#else
    BOOST_TEST_MESSAGE("not x86-64 GCC/Clang: the element copy is an assignment");
#endif
}

BOOST_AUTO_TEST_CASE(assign_element_has_the_assignments_effect) {
    // Copied as bytes (on x86-64), from an lvalue, a const lvalue and an rvalue.
    auto a = std::make_unique<bytes_of<4100>>(), b = std::make_unique<bytes_of<4100>>();
    for (std::size_t i = 0; i < 4100; ++i) {
        a->b[i] = pattern(i, 3);
        b->b[i] = pattern(i, 4);
    }
    msgpool::detail::assign_element(*b, std::as_const(*a));
    BOOST_TEST(std::memcmp(a->b, b->b, 4100) == 0);
    for (std::size_t i = 0; i < 4100; ++i) a->b[i] = pattern(i, 5);
    msgpool::detail::assign_element(*b, std::move(*a));
    BOOST_TEST(std::memcmp(a->b, b->b, 4100) == 0);
    for (std::size_t i = 0; i < 4100; ++i) a->b[i] = pattern(i, 6);
    msgpool::detail::assign_element(*b, *a);
    BOOST_TEST(std::memcmp(a->b, b->b, 4100) == 0);
    // One object as both: unchanged.
    msgpool::detail::assign_element(*b, std::move(*b));
    BOOST_TEST(std::memcmp(a->b, b->b, 4100) == 0);

    // The user's operator= runs where it is what the assignment calls.
    counted_assign x{}, y{};
    msgpool::detail::assign_element(y, std::move(x));
    BOOST_TEST(y.assigned == 1);
    x.b[7] = 42;
    x.assigned = 5;
    msgpool::detail::assign_element(y, std::as_const(x));  // the defaulted copy: every byte
    BOOST_TEST(y.assigned == 5);
    BOOST_TEST(y.b[7] == 42);

    // Not trivially copyable: the element's own move.
    not_trivial p, q;
    p.s = std::string(100, 'x');
    p.b[1000] = 'y';
    msgpool::detail::assign_element(q, std::move(p));
    BOOST_TEST(q.s == std::string(100, 'x'));
    BOOST_TEST(q.b[1000] == 'y');
}
