// bench/lab/large_capacity_ablation.hpp - the ring (fetch_add_ring + futex +
// inline slots, ring_pool) and cas_scan at large capacities, with one
// mechanism changed at a time, so that each candidate cause of the ring's
// loss at a million slots is a ratio measured in one run.  Build and run:
//
//     cmake --build --preset release --target msgpool-bench-large-capacity
//     build/release/bench/msgpool-bench-large-capacity -s 'ring_pool,moodycamel::ConcurrentQueue,lab::*'
//         --shapes 4x4 --capacities 1048576 --reps 21 --messages 4000000
//
// The variants (user compositions of this header, named lab::...):
//   ring            the ring as ring_pool, compiled here beside its variants.
//   ring huge       the same ring on inline slots whose memory is mapped with
//                   madvise(MADV_HUGEPAGE): 2 MiB pages where the kernel has
//                   them, so a walk over the array takes one TLB entry per
//                   2 MiB instead of one per 4 KiB.
//   ring prefetch   the same ring whose claims prefetch the slot `distance`
//                   positions past the one they took (for writing on the
//                   write side, for reading on the read side), so that the
//                   line a later claim of the lap needs is on its way.
//   ring both       huge pages and the prefetch.
//   scan huge       cas_scan + futex on the huge-page inline slots, against
//                   futex_pool (cas_scan + futex + inline slots).
// It reaches the policies only through their public interfaces: the claim
// protocol's members (concepts/claim_policy.hpp) and the storage concept
// (concepts/storage_policy.hpp), whose in_place slot arrays lay slots out in
// memory the caller provides.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <new>
#include <optional>
#include <string_view>

#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/concepts/attempt.hpp>
#include <msgpool/storage/detail/slot_array.hpp>
#include <msgpool/wait/futex.hpp>

#include "user_compositions.hpp"

namespace large_capacity_ablation {

/// Anonymous memory aligned to 2 MiB, advised as a huge-page region.
class huge_mapping {
public:
    static constexpr std::size_t huge_page = std::size_t{2} << 20;

    explicit huge_mapping(std::size_t bytes) : bytes_((bytes + huge_page - 1) / huge_page * huge_page + huge_page) {
        void* p = ::mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::bad_alloc();
        raw_ = p;
        const auto at = (reinterpret_cast<std::uintptr_t>(p) + huge_page - 1) / huge_page * huge_page;
        aligned_ = reinterpret_cast<void*>(at);
        ::madvise(aligned_, bytes_ - huge_page, MADV_HUGEPAGE);  // advice: no huge pages is no error
    }
    ~huge_mapping() { ::munmap(raw_, bytes_); }
    huge_mapping(const huge_mapping&) = delete;
    huge_mapping& operator=(const huge_mapping&) = delete;
    void* memory() const noexcept { return aligned_; }

private:
    std::size_t bytes_;
    void* raw_ = nullptr;
    void* aligned_ = nullptr;
};

/// inline_slots' layout in a huge-page mapping.
struct huge_inline_slots {
    static constexpr std::string_view name = "huge_inline_slots";

    template <class Control, class Placement = msgpool::on_heap>
    class slots {
        using array = msgpool::detail::slot_array<Control, 1, 1, msgpool::in_place>;

    public:
        static constexpr std::size_t slots_per_control = 1;
        slots(std::size_t capacity, msgpool::detail::element_layout element)
            : map_(array::plan(capacity, element).bytes), slots_(capacity, element, map_.memory()) {}
        std::size_t capacity() const noexcept { return slots_.capacity(); }
        Control& control(std::size_t i) noexcept { return slots_.control(i); }
        const Control& control(std::size_t i) const noexcept { return slots_.control(i); }
        void* element(std::size_t i) noexcept { return slots_.element(i); }
        std::size_t footprint_bytes() const noexcept { return slots_.footprint_bytes(); }

    private:
        huge_mapping map_;  // before slots_: constructed first, destroyed last
        array slots_;
    };
};

/// fetch_add_ring whose claims prefetch the slot `Distance` positions on.
template <std::size_t Distance>
struct prefetching_ring : msgpool::claim::fetch_add_ring {
    template <class Sync>
    class protocol : public msgpool::claim::fetch_add_ring::protocol<Sync> {
        using base = typename msgpool::claim::fetch_add_ring::protocol<Sync>;

        template <int ForWriting, class Slots, class Token>
        static Token ahead(Slots& slots, Token t) noexcept {
            if (t) {
                std::size_t j = t->index + Distance;
                if (j >= slots.capacity()) j -= slots.capacity();
                if (j < slots.capacity()) __builtin_prefetch(&slots.control(j), ForWriting, 3);
            }
            return t;
        }

    public:
        using typename base::token;
        using base::base;
        template <class Slots>
        std::optional<token> try_claim_write(Slots& slots) noexcept {
            return ahead<1>(slots, base::try_claim_write(slots));
        }
        template <class Slots>
        std::optional<token> try_claim_write_near(Slots& slots, msgpool::attempt kind) noexcept {
            return ahead<1>(slots, base::try_claim_write_near(slots, kind));
        }
        template <class Slots>
        std::optional<token> try_claim_read(Slots& slots) noexcept {
            return ahead<0>(slots, base::try_claim_read(slots));
        }
        template <class Slots>
        std::optional<token> try_claim_read_near(Slots& slots, msgpool::attempt kind) noexcept {
            return ahead<0>(slots, base::try_claim_read_near(slots, kind));
        }
    };
};

namespace cl = msgpool::claim;
namespace st = msgpool::storage;
using msgpool::basic_pool;
using msgpool::wait::futex;
using prefetch_ring = prefetching_ring<64>;  // 16 lines ahead on 16-byte slots

// clang-format off
template <class T> using ring          = basic_pool<T, cl::fetch_add_ring, futex, st::inline_slots>;
template <class T> using ring_huge     = basic_pool<T, cl::fetch_add_ring, futex, huge_inline_slots>;
template <class T> using ring_prefetch = basic_pool<T, prefetch_ring, futex, st::inline_slots>;
template <class T> using ring_both     = basic_pool<T, prefetch_ring, futex, huge_inline_slots>;
template <class T> using scan_huge     = basic_pool<T, cl::cas_scan, futex, huge_inline_slots>;
// clang-format on

}  // namespace large_capacity_ablation

MSGPOOL_BENCH_USER_COMPOSITIONS(
    msgpool_bench::named_alias<large_capacity_ablation::ring, "lab::ring">,
    msgpool_bench::named_alias<large_capacity_ablation::ring_huge, "lab::ring huge">,
    msgpool_bench::named_alias<large_capacity_ablation::ring_prefetch, "lab::ring prefetch">,
    msgpool_bench::named_alias<large_capacity_ablation::ring_both, "lab::ring both">,
    msgpool_bench::named_alias<large_capacity_ablation::scan_huge, "lab::scan huge">)
