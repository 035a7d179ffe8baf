// bench/lab/large_messages.hpp - the copy path of large messages, one change
// at a time, so that each change's effect is a ratio measured in one run.
// Build and run (the lab: no part of the product):
//
//     cmake --build --preset release --target msgpool-bench-large-messages
//     build/release/bench/msgpool-bench-large-messages
//         -s 'large::*,moodycamel::ConcurrentQueue' --shapes 1x1,4x4 --capacities 1024
//         --sizes 512,4096 --reps 7 --messages 300000
//     (one command line)
//
// Each variant is the ring (fetch_add_ring + futex + inline slots, ring_pool)
// or the scanning claim (cas_scan + futex + inline slots, futex_pool) with
// exactly one change, and `all` is the composition itself, compiled here
// beside its variants so that every ratio compares code built the same way:
//   line_start   the element starts on a cache line: inline slots whose
//                element alignment is raised to a line when it spans more
//                than one (the control word alone on the line before; the
//                slot of a 4096-byte message is 65 lines, as on aligned
//                slots, where the element starts 8 bytes into its first line
//                and so spans 65 lines, not 64).
//   prefetch     a reader that frees its slot prefetches the slot after it
//                (index + 1: the ring's next position, cas_scan's cursor),
//                every line of it, for reading: the slot it most likely
//                claims next, fetched while it goes round its loop.
//   prefetch4    the same, its first four lines only (the hardware
//                prefetcher may carry on from there).
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string_view>

#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/detail/cache_line.hpp>
#include <msgpool/detail/element_layout.hpp>
#include <msgpool/storage/detail/slot_array.hpp>
#include <msgpool/wait/futex.hpp>

namespace large_messages {

constexpr std::size_t line = msgpool::detail::cache_line_size;

/// Inline slots whose element starts on a line when it is wider than one.
struct line_start_slots {
    static constexpr std::string_view name = "line_start_slots";
    template <class Control, class Placement = msgpool::on_heap>
    class slots : public msgpool::detail::slot_array<Control, 1, 1, Placement> {
        using base_type = msgpool::detail::slot_array<Control, 1, 1, Placement>;
        static msgpool::detail::element_layout raised(msgpool::detail::element_layout e) noexcept {
            if (e.size > line) e.align = std::max(e.align, line);
            return e;
        }

    public:
        slots(std::size_t capacity, msgpool::detail::element_layout element) : base_type(capacity, raised(element)) {}
    };
};

/// Claim policy `Base` whose reader, on freeing slot i, prefetches slot i + 1
/// (at most `Lines` lines of it).
template <class Base, std::size_t Lines>
struct prefetch_next : Base {
    template <class Sync>
    class protocol : public Base::template protocol<Sync> {
        using base = typename Base::template protocol<Sync>;

    public:
        using typename base::token;
        using base::base;
        template <class Slots>
        bool publish_read(Slots& slots, token t) noexcept {
            const bool drained = base::publish_read(slots, t);
            std::size_t next = t.index + 1;
            if (next == slots.capacity()) next = 0;
            const char* e = static_cast<const char*>(slots.element(next));
            const std::size_t bytes = std::min(slots.stride() / Slots::slots_per_control, Lines * line);
            for (std::size_t at = 0; at < bytes; at += line) __builtin_prefetch(e + at, 0, 3);
            return drained;
        }
    };
};

namespace cl = msgpool::claim;
namespace st = msgpool::storage;
using msgpool::basic_pool;
using msgpool::wait::futex;

// clang-format off
template <class T> using ring_all        = basic_pool<T, cl::fetch_add_ring, futex, st::inline_slots>;
template <class T> using ring_line_start = basic_pool<T, cl::fetch_add_ring, futex, line_start_slots>;
template <class T> using ring_prefetch   = basic_pool<T, prefetch_next<cl::fetch_add_ring, 64>, futex, st::inline_slots>;
template <class T> using ring_prefetch4  = basic_pool<T, prefetch_next<cl::fetch_add_ring, 4>, futex, st::inline_slots>;
template <class T> using scan_all        = basic_pool<T, cl::cas_scan, futex, st::inline_slots>;
template <class T> using scan_line_start = basic_pool<T, cl::cas_scan, futex, line_start_slots>;
template <class T> using scan_prefetch   = basic_pool<T, prefetch_next<cl::cas_scan, 64>, futex, st::inline_slots>;
template <class T> using scan_prefetch4  = basic_pool<T, prefetch_next<cl::cas_scan, 4>, futex, st::inline_slots>;
// clang-format on

}  // namespace large_messages

MSGPOOL_BENCH_USER_COMPOSITIONS(
    msgpool_bench::named_alias<large_messages::ring_all, "large::ring all">,
    msgpool_bench::named_alias<large_messages::ring_line_start, "large::ring line_start">,
    msgpool_bench::named_alias<large_messages::ring_prefetch, "large::ring prefetch">,
    msgpool_bench::named_alias<large_messages::ring_prefetch4, "large::ring prefetch4">,
    msgpool_bench::named_alias<large_messages::scan_all, "large::scan all">,
    msgpool_bench::named_alias<large_messages::scan_line_start, "large::scan line_start">,
    msgpool_bench::named_alias<large_messages::scan_prefetch, "large::scan prefetch">,
    msgpool_bench::named_alias<large_messages::scan_prefetch4, "large::scan prefetch4">)
