// bench/lab/bulk_ablation.hpp - the bulk forms of ring_pool and line_pool with
// one mechanism changed at a time, so that each mechanism's effect is a ratio
// measured in one run, beside moodycamel's bulk calls
// (docs/lab/2026-12-07-bulk-at-small-capacities.md).  Build and run:
//
//     cmake --build --preset release --target msgpool-bench-bulk-ablation
//     build/release/bench/msgpool-bench-bulk-ablation --bulk --reps 7
//     build/release/bench/msgpool-bench-bulk-ablation --shapes 1x1,4x4 --capacities 16,64 --reps 7
//         -s 'ring_pool,ring_pool bulk32,*bulk32 ring_*,moodycamel::ConcurrentQueue bulk32'
//     (one command line)
//
// Each variant is a bulk system named "<composition> bulk16 <variant>" and
// "... bulk32 <variant>" (bench/user_compositions.hpp, MSGPOOL_BENCH_USER_BULK),
// so the --bulk table gives its gain over the composition's single operations
// and its ratio to moodycamel's bulk calls.  It reaches the claim policy only
// through its public members (concepts/claim_policy.hpp, claim_protocol_bulk):
//   ring_all / line_all          the composition as it is, compiled here beside
//                                its variants
//   ring_slot_by_slot / line_... the bulk claim members hidden, so write_bulk /
//                                read_bulk claim slot by slot after their
//                                first slot (has_bulk_claims false)
//   ring_quarter / line_quarter  each bulk claim asks for at most a quarter of
//                                the capacity (at least one slot), so that at
//                                a small capacity a producer's batch and a
//                                consumer's batch can be in flight at once
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>

#include <msgpool/basic_pool.hpp>
#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/storage/line_grouped_slots.hpp>
#include <msgpool/wait/futex.hpp>

namespace bulk_ablation {

/// A claim policy whose protocol has no bulk claim (the members hidden, as
/// fast_path_ablation.hpp hides near attempts).
template <class Claim>
struct slot_by_slot : Claim {
    template <class Sync>
    class protocol : public Claim::template protocol<Sync> {
        using base = typename Claim::template protocol<Sync>;
        using base::publish_read_bulk;
        using base::publish_write_bulk;
        using base::try_claim_read_bulk;
        using base::try_claim_write_bulk;

    public:
        using base::base;
    };
};

/// A claim policy whose bulk claims ask for at most capacity / 4 slots.
template <class Claim>
struct quarter : Claim {
    template <class Sync>
    class protocol : public Claim::template protocol<Sync> {
        using base = typename Claim::template protocol<Sync>;

    public:
        explicit protocol(std::size_t capacity) noexcept
            : base(capacity), most_(std::max<std::size_t>(1, capacity / 4)) {}
        template <class Slots>
        auto try_claim_write_bulk(Slots& slots, std::size_t n) noexcept {
            return base::try_claim_write_bulk(slots, std::min(n, most_));
        }
        template <class Slots>
        auto try_claim_read_bulk(Slots& slots, std::size_t n) noexcept {
            return base::try_claim_read_bulk(slots, std::min(n, most_));
        }

    private:
        std::size_t most_;
    };
};

namespace cl = msgpool::claim;
namespace st = msgpool::storage;
using msgpool::basic_pool;
using msgpool::wait::futex;

// clang-format off
template <class T> using ring_all          = basic_pool<T, cl::fetch_add_ring, futex, st::inline_slots>;
template <class T> using ring_slot_by_slot = basic_pool<T, slot_by_slot<cl::fetch_add_ring>, futex, st::inline_slots>;
template <class T> using ring_quarter      = basic_pool<T, quarter<cl::fetch_add_ring>, futex, st::inline_slots>;
template <class T> using line_all          = basic_pool<T, cl::cas_scan, futex, st::line_grouped_slots>;
template <class T> using line_slot_by_slot = basic_pool<T, slot_by_slot<cl::cas_scan>, futex, st::line_grouped_slots>;
template <class T> using line_quarter      = basic_pool<T, quarter<cl::cas_scan>, futex, st::line_grouped_slots>;
// clang-format on

static_assert(ring_all<int>::has_bulk_claims && !ring_slot_by_slot<int>::has_bulk_claims &&
              ring_quarter<int>::has_bulk_claims);
static_assert(line_all<int>::has_bulk_claims && !line_slot_by_slot<int>::has_bulk_claims &&
              line_quarter<int>::has_bulk_claims);

}  // namespace bulk_ablation

MSGPOOL_BENCH_USER_COMPOSITIONS()

MSGPOOL_BENCH_USER_BULK(
    msgpool_bench::bulk_variant<bulk_ablation::ring_all, "fetch_add_ring+futex+inline_slots", "ring_all">,
    msgpool_bench::bulk_variant<bulk_ablation::ring_slot_by_slot, "fetch_add_ring+futex+inline_slots",
                                "ring_slot_by_slot">,
    msgpool_bench::bulk_variant<bulk_ablation::ring_quarter, "fetch_add_ring+futex+inline_slots", "ring_quarter">,
    msgpool_bench::bulk_variant<bulk_ablation::line_all, "cas_scan+futex+line_grouped_slots", "line_all">,
    msgpool_bench::bulk_variant<bulk_ablation::line_slot_by_slot, "cas_scan+futex+line_grouped_slots",
                                "line_slot_by_slot">,
    msgpool_bench::bulk_variant<bulk_ablation::line_quarter, "cas_scan+futex+line_grouped_slots", "line_quarter">)
