// bench/lab/bulk_ablation.hpp - the bulk forms of ring_pool and line_pool with
// one mechanism changed at a time, so that each mechanism's effect is a ratio
// measured in one run, beside moodycamel's bulk calls
// (docs/lab/2026-12-07-bulk-at-small-capacities.md,
// docs/lab/2026-12-07-bulk-first-claim-and-pause-steps.md).  Build and run:
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
// and its ratio to moodycamel's bulk calls.  The variants reach the claim
// policy through its public members (concepts/claim_policy.hpp,
// claim_protocol_bulk; `eager` also recomputes the ring's positions from the
// capacity) and the frame through the members it gives a derived pool:
//   ring_all / line_all          the composition as it is, compiled here beside
//                                its variants
//   ring_slot_by_slot / line_... the bulk claim members hidden, so write_bulk /
//                                read_bulk claim slot by slot after their
//                                first slot (has_bulk_claims false)
//   ring_quarter / line_quarter  each bulk claim asks for at most a quarter of
//                                the capacity (at least one slot), so that at
//                                a small capacity a producer's batch and a
//                                consumer's batch can be in flight at once
//   ring_bulk_first / line_...   write_bulk / read_bulk try a bulk claim of
//                                the whole request first and wait for a first
//                                slot only when it finds none (the product
//                                claims the first slot alone, then runs)
//   ring_eager / spin_eager      each slot of a run is published as soon as
//                                its message is in it (write) or out of it
//                                (read), inside the run's loop, instead of
//                                all of them after it: the other side may
//                                take the first slots of a run while the
//                                rest are being filled (drained); spin_all
//                                is spin_pool as it is, compiled here
//   ring_p1 / ring_p2 / ring_p3  the claim names 1 / 2 / 3 pause steps for a
//                                blocking call (1, 3, 7 pauses before the
//                                yields) instead of the channel's 7 steps
//                                (127 pauses): a bulk call waits for one
//                                batch of the other side, far shorter than
//                                the longest pauses
#pragma once

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <utility>

#include <msgpool/basic_pool.hpp>
#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/storage/aligned_slots.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/storage/line_grouped_slots.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/spin.hpp>

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

/// fetch_add_ring whose bulk runs publish slot by slot inside for_each_index
/// (the frame's loop: fill or drain slot i, then i's word), so the bulk
/// publish only notifies.  The word of position q gets what the product's
/// publish_run stores, base(q) + step, with the same release ([FR-B3]: after
/// the slot's fill or drain), one position at a time; the lab recomputes the
/// ring's positions (P = bit_ceil(capacity), at least 2: the families that
/// record no owners, the only ones with bulk claims).  The token carries the
/// slots as the frame's for_each_index has no slots argument.
template <class Ring>
struct eager : Ring {
    template <class Sync>
    class protocol : public Ring::template protocol<Sync> {
        using base = typename Ring::template protocol<Sync>;
        using base_token = typename base::bulk_token;

    public:
        struct bulk_token {
            std::uint64_t first;
            std::size_t count;
            std::uint64_t step;
            void* slots;
            void (*publish)(void* slots, std::size_t index, std::uint64_t word) noexcept;
        };

        explicit protocol(std::size_t capacity) noexcept
            : base(capacity),
              capacity_(capacity),
              lap_(std::max<std::uint64_t>(2, std::bit_ceil(std::uint64_t{capacity}))) {}

        template <class Slots>
        std::optional<bulk_token> try_claim_write_bulk(Slots& slots, std::size_t n) noexcept {
            return wrap(slots, base::try_claim_write_bulk(slots, n));
        }
        template <class Slots>
        std::optional<bulk_token> try_claim_read_bulk(Slots& slots, std::size_t n) noexcept {
            return wrap(slots, base::try_claim_read_bulk(slots, n));
        }
        template <class Slots>
        void publish_write_bulk(Slots&, const bulk_token&) noexcept {}  // published in for_each_index
        template <class Slots>
        bool publish_read_bulk(Slots&, const bulk_token&) noexcept {
            return true;  // "may be drained", as the product's
        }
        template <class F>
        void for_each_index(const bulk_token& b, F&& f) const noexcept {
            std::uint64_t q = b.first;
            for (std::size_t j = 0; j < b.count; ++j, q = next(q)) {
                const auto i = static_cast<std::size_t>(q & (lap_ - 1));
                f(i);
                b.publish(b.slots, i, (q & ~(lap_ - 1)) + b.step);  // [FR-B3] release, after f's move
            }
        }

    private:
        template <class Slots>
        static void publish_one(void* slots, std::size_t i, std::uint64_t word) noexcept {
            // release: pairs with the next claimer's acquire load of the word, as [FR-B3]
            static_cast<Slots*>(slots)->control(i).store(word, std::memory_order_release);
        }
        template <class Slots>
        static std::optional<bulk_token> wrap(Slots& slots, const std::optional<base_token>& b) noexcept {
            if (!b) return std::nullopt;
            return bulk_token{b->first, b->count, b->step, &slots, &publish_one<Slots>};
        }
        std::uint64_t next(std::uint64_t p) const noexcept {
            return (p & (lap_ - 1)) + 1 == capacity_ ? (p & ~(lap_ - 1)) + lap_ : p + 1;
        }

        std::uint64_t capacity_, lap_;
    };
};

/// A claim policy that names N pause steps for a blocking call on it
/// (concepts/claim_policy.hpp, claim_protocol_paced).
template <class Claim, unsigned N>
struct paced : Claim {
    template <class Sync>
    class protocol : public Claim::template protocol<Sync> {
        using base = typename Claim::template protocol<Sync>;

    public:
        using base::base;
        template <class Slots>
        unsigned max_pause_steps(const Slots&) const noexcept {
            return N;
        }
    };
};

/// A pool whose write_bulk / read_bulk (the span forms the bench calls) take
/// runs at once and wait for a single first slot only when no run is ready:
/// on a pool that is neither full nor empty a batch costs one claim instead
/// of a single claim and a run.  The waiting call is the product's: the
/// first slot as write() / read() claims it, then runs.
template <class Pool>
class bulk_first : public Pool {
    using T = typename Pool::value_type;
    T* at(std::size_t i) noexcept { return std::launder(static_cast<T*>(this->element(i))); }
    static void move(T& to, T& from) noexcept { msgpool::detail::assign_element(to, std::move(from)); }

    std::size_t write_runs(std::span<T> values, std::size_t k) noexcept {
        while (k < values.size()) {
            const auto b = this->try_claim_write_bulk(values.size() - k);
            if (!b) break;
            this->for_each_index(*b, [&](std::size_t i) noexcept { move(*at(i), values[k++]); });
            this->publish_write_bulk(*b);
        }
        return k;
    }
    std::size_t read_runs(std::span<T> out, std::size_t k) noexcept {
        while (k < out.size()) {
            const auto b = this->try_claim_read_bulk(out.size() - k);
            if (!b) break;
            this->for_each_index(*b, [&](std::size_t i) noexcept { move(out[k++], *at(i)); });
            this->publish_read_bulk(*b);
        }
        return k;
    }

public:
    using Pool::Pool;

    std::size_t write_bulk(std::span<T> values) noexcept {
        if (values.empty()) return 0;
        if (const std::size_t k = write_runs(values, 0); k != 0) return k;
        const auto first = this->claim_for_write(msgpool::deadline::forever());
        move(*at(first->index), values[0]);
        this->publish_write(*first);
        return write_runs(values, 1);
    }
    std::size_t read_bulk(std::span<T> out) noexcept {
        if (out.empty()) return 0;
        if (const std::size_t k = read_runs(out, 0); k != 0) return k;
        const auto first = this->claim_for_read(msgpool::deadline::forever());
        if (!first) return 0;  // closed and empty
        move(out[0], *at(first->index));
        this->publish_read(*first);
        return read_runs(out, 1);
    }
};

namespace cl = msgpool::claim;
namespace st = msgpool::storage;
using msgpool::basic_pool;
using msgpool::wait::futex;

// clang-format off
template <class T> using ring_all          = basic_pool<T, cl::fetch_add_ring, futex, st::inline_slots>;
template <class T> using ring_slot_by_slot = basic_pool<T, slot_by_slot<cl::fetch_add_ring>, futex, st::inline_slots>;
template <class T> using ring_quarter      = basic_pool<T, quarter<cl::fetch_add_ring>, futex, st::inline_slots>;
template <class T> using ring_bulk_first   = bulk_first<ring_all<T>>;
template <class T> using ring_eager        = basic_pool<T, eager<cl::fetch_add_ring>, futex, st::inline_slots>;
template <class T> using spin_eager        = basic_pool<T, eager<cl::fetch_add_ring>, msgpool::wait::spin, st::aligned_slots>;
template <class T> using spin_all          = basic_pool<T, cl::fetch_add_ring, msgpool::wait::spin, st::aligned_slots>;
template <class T> using ring_p1           = basic_pool<T, paced<cl::fetch_add_ring, 1>, futex, st::inline_slots>;
template <class T> using ring_p2           = basic_pool<T, paced<cl::fetch_add_ring, 2>, futex, st::inline_slots>;
template <class T> using ring_p3           = basic_pool<T, paced<cl::fetch_add_ring, 3>, futex, st::inline_slots>;
template <class T> using line_all          = basic_pool<T, cl::cas_scan, futex, st::line_grouped_slots>;
template <class T> using line_slot_by_slot = basic_pool<T, slot_by_slot<cl::cas_scan>, futex, st::line_grouped_slots>;
template <class T> using line_quarter      = basic_pool<T, quarter<cl::cas_scan>, futex, st::line_grouped_slots>;
template <class T> using line_bulk_first   = bulk_first<line_all<T>>;
// clang-format on

static_assert(ring_eager<int>::has_bulk_claims && spin_eager<int>::has_bulk_claims);
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
    msgpool_bench::bulk_variant<bulk_ablation::ring_bulk_first, "fetch_add_ring+futex+inline_slots", "ring_bulk_first">,
    msgpool_bench::bulk_variant<bulk_ablation::ring_eager, "fetch_add_ring+futex+inline_slots", "ring_eager">,
    msgpool_bench::bulk_variant<bulk_ablation::spin_all, "fetch_add_ring+spin+aligned_slots", "spin_all">,
    msgpool_bench::bulk_variant<bulk_ablation::spin_eager, "fetch_add_ring+spin+aligned_slots", "spin_eager">,
    msgpool_bench::bulk_variant<bulk_ablation::ring_p1, "fetch_add_ring+futex+inline_slots", "ring_p1">,
    msgpool_bench::bulk_variant<bulk_ablation::ring_p2, "fetch_add_ring+futex+inline_slots", "ring_p2">,
    msgpool_bench::bulk_variant<bulk_ablation::ring_p3, "fetch_add_ring+futex+inline_slots", "ring_p3">,
    msgpool_bench::bulk_variant<bulk_ablation::line_all, "cas_scan+futex+line_grouped_slots", "line_all">,
    msgpool_bench::bulk_variant<bulk_ablation::line_slot_by_slot, "cas_scan+futex+line_grouped_slots",
                                "line_slot_by_slot">,
    msgpool_bench::bulk_variant<bulk_ablation::line_quarter, "cas_scan+futex+line_grouped_slots", "line_quarter">,
    msgpool_bench::bulk_variant<bulk_ablation::line_bulk_first, "cas_scan+futex+line_grouped_slots", "line_bulk_first">)
