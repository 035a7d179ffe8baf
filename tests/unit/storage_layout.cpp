// The layout claims of the storage policies, checked on real allocations:
// every control word and element correctly aligned and disjoint from all
// others, for element layouts of 1, 8, 24, 64 and 65 bytes at alignments 1..64
// and control words from empty to a whole line; aligned_slots puts every slot
// on lines of its own; inline_slots packs densely (16 bytes for a 32-bit
// control word and an 8-byte element) and an empty control type takes no bytes.
#define BOOST_TEST_MODULE unit_storage_layout
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include <msgpool/basic_pool.hpp>
#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/concepts/storage_policy.hpp>
#include <msgpool/detail/cache_line.hpp>
#include <msgpool/storage/aligned_slots.hpp>
#include <msgpool/storage/detail/slot_array.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/wait/condvar.hpp>

#include "support/watchdog.hpp"

namespace msgpool_test {

using msgpool::detail::cache_line_size;
using msgpool::detail::element_layout;
using msgpool::storage::aligned_slots;
using msgpool::storage::inline_slots;

struct empty_control {};
struct alignas(16) wide_control {
    std::uint64_t a = 0, b = 0;
};
struct alignas(cache_line_size) line_control {  // as wide as aligned_slots allows
    std::uint64_t a = 0;
};
static_assert(sizeof(line_control) == cache_line_size);

using control_types =
    std::tuple<empty_control, std::atomic<std::uint32_t>, std::atomic<std::uint64_t>, wide_control, line_control>;

static_assert(msgpool::storage_policy<inline_slots>);
static_assert(msgpool::storage_policy<aligned_slots>);

inline constexpr std::size_t element_sizes[] = {1, 8, 24, 64, 65};
inline constexpr std::size_t element_aligns[] = {1, 2, 4, 8, 16, 32, 64};

inline std::uintptr_t addr(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

struct range {
    std::uintptr_t begin, end;  // [begin, end)
    bool overlaps(const range& o) const { return begin < o.end && o.begin < end; }
};

/// Every claim that holds for any storage, for one control type and one
/// element layout; returns the first violation, or an empty string.
template <class Storage, class Control>
std::string check_common(std::size_t capacity, element_layout layout) {
    using slots_type = typename Storage::template slots<Control>;
    static_assert(msgpool::storage_slots<slots_type, Control>);
    constexpr bool has_control = !std::is_empty_v<Control>;
    const std::string where = "element {" + std::to_string(layout.size) + ", align " + std::to_string(layout.align) +
                              "}, control of " + std::to_string(has_control ? sizeof(Control) : 0) + " bytes: ";

    slots_type s(capacity, layout);
    if (s.capacity() != capacity) return where + "capacity differs";
    const std::size_t stride = s.stride();
    if (s.footprint_bytes() != capacity * stride) return where + "footprint is not capacity * stride";

    // Slot 0 starts with its control word, or with its element when there is none.
    const std::uintptr_t base = has_control ? addr(&s.control(0)) : addr(s.element(0));
    const range all{base, base + s.footprint_bytes()};

    std::vector<range> controls, elements;
    for (std::size_t i = 0; i < capacity; ++i) {
        const range e{addr(s.element(i)), addr(s.element(i)) + layout.size};
        if (e.begin % layout.align != 0) return where + "element " + std::to_string(i) + " misaligned";
        if (e.begin < all.begin || e.end > all.end) return where + "element " + std::to_string(i) + " out of bounds";
        if (i > 0 && e.begin - elements.back().begin != stride) return where + "elements not one stride apart";
        elements.push_back(e);
        if constexpr (has_control) {
            const range c{addr(&s.control(i)), addr(&s.control(i)) + sizeof(Control)};
            if (c.begin % alignof(Control) != 0) return where + "control " + std::to_string(i) + " misaligned";
            if (c.begin != base + i * stride) return where + "control " + std::to_string(i) + " not at its slot's start";
            if (c.end > all.end) return where + "control " + std::to_string(i) + " out of bounds";
            controls.push_back(c);
        } else if (&s.control(i) != &s.control(0)) {
            return where + "an empty control type should be one shared instance";
        }
    }
    for (std::size_t i = 0; i < capacity; ++i) {
        for (std::size_t j = 0; j < capacity; ++j) {
            if (i != j && elements[i].overlaps(elements[j]))
                return where + "elements " + std::to_string(i) + " and " + std::to_string(j) + " overlap";
            if (has_control && elements[i].overlaps(controls[j]))
                return where + "element " + std::to_string(i) + " overlaps control " + std::to_string(j);
            if (has_control && i != j && controls[i].overlaps(controls[j]))
                return where + "controls " + std::to_string(i) + " and " + std::to_string(j) + " overlap";
        }
    }

    // Write every element's every byte (ASan checks the bounds), then read
    // each back: a write that strayed into a neighbour would show.
    for (std::size_t i = 0; i < capacity; ++i)
        std::memset(s.element(i), static_cast<int>(0x40 + i), layout.size);
    for (std::size_t i = 0; i < capacity; ++i) {
        const auto* p = static_cast<const unsigned char*>(s.element(i));
        for (std::size_t b = 0; b < layout.size; ++b)
            if (p[b] != static_cast<unsigned char>(0x40 + i)) return where + "element " + std::to_string(i) + " clobbered";
    }
    if constexpr (has_control && std::is_same_v<Control, std::atomic<std::uint32_t>>)
        for (std::size_t i = 0; i < capacity; ++i)
            if (s.control(i).load() != 0) return where + "control " + std::to_string(i) + " not value-initialised";
    return {};
}

/// aligned_slots only: whole lines per slot, slot 0 on a line, no line shared.
template <class Control>
std::string check_aligned(std::size_t capacity, element_layout layout) {
    typename aligned_slots::template slots<Control> s(capacity, layout);
    constexpr bool has_control = !std::is_empty_v<Control>;
    const std::uintptr_t base = has_control ? addr(&s.control(0)) : addr(s.element(0));
    if (s.stride() % cache_line_size != 0) return "stride " + std::to_string(s.stride()) + " is not whole lines";
    if (base % cache_line_size != 0) return "slot 0 does not start on a line";
    // The lines slot i touches (control and element) are touched by no other slot.
    auto lines_of = [&](std::size_t i) {
        const std::uintptr_t lo = has_control ? addr(&s.control(i)) : addr(s.element(i));
        const std::uintptr_t hi = addr(s.element(i)) + layout.size;
        return range{lo / cache_line_size, (hi - 1) / cache_line_size + 1};
    };
    for (std::size_t i = 0; i + 1 < capacity; ++i)
        if (lines_of(i).overlaps(lines_of(i + 1)))
            return "slots " + std::to_string(i) + " and " + std::to_string(i + 1) + " share a cache line";
    return {};
}

BOOST_AUTO_TEST_CASE_TEMPLATE(every_word_aligned_and_disjoint, Control, control_types) {
    for (std::size_t size : element_sizes)
        for (std::size_t align : element_aligns)
            for (std::size_t capacity : {std::size_t{1}, std::size_t{2}, std::size_t{7}}) {
                const element_layout layout{size, align};
                const std::string in = check_common<inline_slots, Control>(capacity, layout);
                BOOST_TEST(in.empty(), "inline_slots, capacity " << capacity << ": " << in);
                const std::string al = check_common<aligned_slots, Control>(capacity, layout);
                BOOST_TEST(al.empty(), "aligned_slots, capacity " << capacity << ": " << al);
                const std::string lines = check_aligned<Control>(capacity, layout);
                BOOST_TEST(lines.empty(), "aligned_slots, capacity " << capacity << ", element {" << size << ", align "
                                                                      << align << "}: " << lines);
            }
}

// inline_slots is dense: the stride is the control word, padding to the
// element's alignment, the element, and padding to the slot's alignment;
// nothing more.
BOOST_AUTO_TEST_CASE_TEMPLATE(inline_slots_are_dense, Control, control_types) {
    constexpr std::size_t control_bytes = std::is_empty_v<Control> ? 0 : sizeof(Control);
    constexpr std::size_t control_align = std::is_empty_v<Control> ? 1 : alignof(Control);
    auto up = [](std::size_t n, std::size_t a) { return (n + a - 1) / a * a; };
    for (std::size_t size : element_sizes)
        for (std::size_t align : element_aligns) {
            inline_slots::slots<Control> s(3, element_layout{size, align});
            const std::size_t expected = up(up(control_bytes, align) + size, std::max(control_align, align));
            BOOST_TEST(s.stride() == expected, "element {" << size << ", align " << align << "}");
        }
}

BOOST_AUTO_TEST_CASE(inline_slots_uint32_control_8_byte_element_is_16_bytes) {
    inline_slots::slots<std::atomic<std::uint32_t>> s(10, element_layout::of<std::uint64_t>());
    BOOST_TEST(s.stride() == 16u);
    BOOST_TEST(s.footprint_bytes() == 160u);
    BOOST_TEST(addr(s.element(0)) - addr(&s.control(0)) == 8u);  // control, 4 bytes of padding, element

    // Through the pool: cas_scan's control word is a 32-bit atomic.
    msgpool::basic_pool<std::uint64_t, msgpool::claim::cas_scan, msgpool::wait::condvar, inline_slots> dense(100);
    BOOST_TEST(dense.slot_bytes() == 1600u);
    msgpool::basic_pool<std::uint64_t, msgpool::claim::cas_scan, msgpool::wait::condvar, aligned_slots> spread(100);
    BOOST_TEST(spread.slot_bytes() == 100u * cache_line_size);
}

BOOST_AUTO_TEST_CASE(empty_control_takes_no_bytes) {
    inline_slots::slots<empty_control> packed(4, element_layout::of<std::uint64_t>());
    BOOST_TEST(packed.stride() == sizeof(std::uint64_t));
    BOOST_TEST(packed.footprint_bytes() == 4 * sizeof(std::uint64_t));
    inline_slots::slots<empty_control> bytes(5, element_layout{1, 1});
    BOOST_TEST(bytes.stride() == 1u);
    BOOST_TEST(addr(bytes.element(1)) - addr(bytes.element(0)) == 1u);

    aligned_slots::slots<empty_control> lines(4, element_layout::of<std::uint64_t>());
    BOOST_TEST(lines.stride() == cache_line_size);
    BOOST_TEST(addr(lines.element(0)) % cache_line_size == 0u);  // the element starts the line: no control before it
}

BOOST_AUTO_TEST_CASE(aligned_slots_round_up_to_whole_lines) {
    // A slot of a 4-byte control and a 64-byte element needs 72 bytes: two lines.
    aligned_slots::slots<std::atomic<std::uint32_t>> two(3, element_layout{64, 8});
    BOOST_TEST(two.stride() == 2 * cache_line_size);
    // Over-aligned elements keep their alignment, which is itself whole lines.
    aligned_slots::slots<std::atomic<std::uint32_t>> big(3, element_layout{8, 2 * cache_line_size});
    BOOST_TEST(big.stride() % (2 * cache_line_size) == 0u);
    BOOST_TEST(addr(big.element(1)) % (2 * cache_line_size) == 0u);
    // Bad sizes are still a clear error, as for every storage.
    BOOST_CHECK_THROW(aligned_slots::slots<std::atomic<std::uint32_t>>(static_cast<std::size_t>(-1) / 8,
                                                                       element_layout{8, 8}),
                      std::length_error);
}

/// footprint_bytes() is optional: a storage without it composes (the storage
/// concept asks only for what the frame and the claims use), and the pool
/// then offers no slot_bytes().
struct slots_without_footprint {
    template <class Control>
    class slots {
    public:
        static constexpr std::size_t slots_per_control = 1;
        slots(std::size_t capacity, element_layout layout) : array_(capacity, layout) {}
        std::size_t capacity() const noexcept { return array_.capacity(); }
        Control& control(std::size_t i) noexcept { return array_.control(i); }
        const Control& control(std::size_t i) const noexcept { return array_.control(i); }
        void* element(std::size_t i) noexcept { return array_.element(i); }

    private:
        msgpool::detail::slot_array<Control, 1> array_;
    };
};

template <class Pool>
concept offers_slot_bytes = requires(const Pool& p) { p.slot_bytes(); };

BOOST_AUTO_TEST_CASE(footprint_is_optional) {
    using pool_t = msgpool::basic_pool<int, msgpool::claim::cas_scan, msgpool::wait::condvar, slots_without_footprint>;
    static_assert(msgpool::storage_policy<slots_without_footprint>);
    static_assert(!offers_slot_bytes<pool_t>);
    static_assert(
        offers_slot_bytes<msgpool::basic_pool<int, msgpool::claim::cas_scan, msgpool::wait::condvar, inline_slots>>);
    pool_t pool(3);
    BOOST_TEST(pool.try_write(7));
    int got = 0;
    BOOST_TEST(pool.try_read(got));
    BOOST_TEST(got == 7);
}

}  // namespace msgpool_test
