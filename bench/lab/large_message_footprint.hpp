// bench/lab/large_message_footprint.hpp - where a large message's slot lies:
// claims of cas_scan that reuse recently freed slots, so that the slots in
// use stay few and warm, against cas_scan and the ring, which move on
// through every slot of the pool.  Build and run (the lab: no part of the
// product):
//
//     cmake --build --preset release --target msgpool-bench-large-footprint
//     build/release/bench/msgpool-bench-large-footprint
//         -s 'fp::*,moodycamel::ConcurrentQueue' --shapes 1x1,4x4 --capacities 1024
//         --sizes 512,4096 --reps 7 --messages 300000
//     (one command line)
//
// Every variant is cas_scan + futex + inline slots (futex_pool) with exactly
// one change in where a pass starts, beside the catalog compositions built
// here the same way:
//   scan all     cas_scan as it is: each thread's pass starts at its own
//                cursor, one slot past its last claim, so a writer's claims
//                walk through every slot of the pool in turn.
//   ring all     fetch_add_ring + futex + inline slots (ring_pool): the
//                positions walk through every slot in turn.
//   scan low     every pass starts at slot 0: a writer takes the lowest free
//                slot, a reader the lowest full one.  The slots in use are
//                then the lowest (the most messages ever held at once, plus
//                the slots being copied), and a freed slot is the first one
//                written again; the price is a pass over every held slot
//                before a free one when the pool is far from empty.
//   scan hint    a writer's pass starts at the slot a reader freed last, a
//                reader's at the slot a writer published last (two shared
//                hints, each on a line of its own; every publish stores one):
//                a writer writes again the slot just freed while the pool is
//                near empty, and the slots in use stay the few around it.
//                Shared hints are what thread_cursor.hpp avoids, for the
//                contention they cause; this variant shows what they buy.
//   scan count   a diagnostic, not a candidate: cas_scan as it is, plus two
//                counters of published writes and reads (relaxed
//                fetch_adds, a line each); every 256th read adds the
//                messages held at that moment (writes - reads) to a sum, and
//                the pool prints the mean on stderr when it is destroyed
//                ("fp occupancy: ..."; with --in-process every run's line
//                shows), so a run says whether the pool sits
//                near empty or near full.  Its counters cost a shared RMW per
//                message: its throughput is not a candidate's.
// Slipping (claim/detail/slip.hpp) is cas_scan's and unchanged: a near
// attempt looks `slip` places past where the pass starts.
//
// Every change decides only where a pass starts; the claim is still
// cas_scan's CAS from the needed state, so its ordering ([CS-W1]/[CS-R1]
// against [CS-W2]/[CS-R2], policies/msgpool/claim/cas_scan.hpp) and its
// exactly-once argument hold unchanged.  The hints and cursors are only
// where to look.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>

#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/detail/thread_cursor.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/concepts/attempt.hpp>
#include <msgpool/detail/cache_line.hpp>
#include <msgpool/wait/futex.hpp>

#include "user_compositions.hpp"

namespace large_message_footprint {

namespace cl = msgpool::claim;
namespace st = msgpool::storage;
namespace md = msgpool::detail;

/// cas_scan whose every pass starts at slot 0.
struct scan_low : cl::cas_scan {
    template <class Sync>
    class protocol : public cl::cas_scan::protocol<Sync> {
        using base = cl::cas_scan::protocol<Sync>;

    public:
        using base::base;
        using typename base::token;

        template <class Slots>
        auto try_claim_write(Slots& slots) noexcept {
            md::thread_cursor<md::write_cursor>() = 0;
            return base::try_claim_write(slots);
        }
        template <class Slots>
        auto try_claim_write_near(Slots& slots, msgpool::attempt kind) noexcept {
            md::thread_cursor<md::write_cursor>() = 0;
            return base::try_claim_write_near(slots, kind);
        }
        template <class Slots>
        auto try_claim_read(Slots& slots) noexcept {
            md::thread_cursor<md::read_cursor>() = 0;
            return base::try_claim_read(slots);
        }
        template <class Slots>
        auto try_claim_read_near(Slots& slots, msgpool::attempt kind) noexcept {
            md::thread_cursor<md::read_cursor>() = 0;
            return base::try_claim_read_near(slots, kind);
        }
    };
};

/// cas_scan whose writers start at the slot freed last, readers at the slot
/// published last.
struct scan_hint : cl::cas_scan {
    template <class Sync>
    class protocol : public cl::cas_scan::protocol<Sync> {
        using base = cl::cas_scan::protocol<Sync>;

    public:
        using base::base;
        using typename base::token;

        template <class Slots>
        auto try_claim_write(Slots& slots) noexcept {
            md::thread_cursor<md::write_cursor>() = freed_.load(std::memory_order_relaxed);  // hint: pairs with nothing
            return base::try_claim_write(slots);
        }
        template <class Slots>
        auto try_claim_write_near(Slots& slots, msgpool::attempt kind) noexcept {
            md::thread_cursor<md::write_cursor>() = freed_.load(std::memory_order_relaxed);  // hint: pairs with nothing
            return base::try_claim_write_near(slots, kind);
        }
        template <class Slots>
        auto try_claim_read(Slots& slots) noexcept {
            md::thread_cursor<md::read_cursor>() =
                published_.load(std::memory_order_relaxed);  // hint: pairs with nothing
            return base::try_claim_read(slots);
        }
        template <class Slots>
        auto try_claim_read_near(Slots& slots, msgpool::attempt kind) noexcept {
            md::thread_cursor<md::read_cursor>() =
                published_.load(std::memory_order_relaxed);  // hint: pairs with nothing
            return base::try_claim_read_near(slots, kind);
        }
        template <class Slots>
        void publish_write(Slots& slots, token t) noexcept {
            base::publish_write(slots, t);
            published_.store(t.index, std::memory_order_relaxed);  // hint: pairs with nothing
        }
        template <class Slots>
        bool publish_read(Slots& slots, token t) noexcept {
            const bool drained = base::publish_read(slots, t);
            freed_.store(t.index, std::memory_order_relaxed);  // hint: pairs with nothing
            return drained;
        }

    private:
        // relaxed, all four: pair with nothing.  A hint only says where a
        // pass starts; the pass's CAS ([CS-W1]/[CS-R1]) re-reads the slot's
        // state and carries every edge, and a stale hint costs a longer pass.
        alignas(md::cache_line_size) std::atomic<std::size_t> freed_{0};
        alignas(md::cache_line_size) std::atomic<std::size_t> published_{0};
    };
};

/// cas_scan that samples how many messages it holds (a diagnostic).
struct scan_count : cl::cas_scan {
    template <class Sync>
    class protocol : public cl::cas_scan::protocol<Sync> {
        using base = cl::cas_scan::protocol<Sync>;

    public:
        using typename base::token;
        explicit protocol(std::size_t capacity) noexcept : base(capacity), capacity_(capacity) {}
        protocol(const protocol&) = delete;
        protocol& operator=(const protocol&) = delete;
        ~protocol() {
            // relaxed: read after every thread of the run joined (the join orders them).
            const std::uint64_t n = samples_.load(std::memory_order_relaxed);  // pairs with nothing: after the join
            if (n != 0)
                std::fprintf(
                    stderr, "fp occupancy: mean %.1f messages held of capacity %zu (%llu samples)\n",
                    static_cast<double>(held_.load(std::memory_order_relaxed)) / static_cast<double>(n),  // as n
                    capacity_, static_cast<unsigned long long>(n));
        }

        template <class Slots>
        void publish_write(Slots& slots, token t) noexcept {
            base::publish_write(slots, t);
            writes_.fetch_add(1, std::memory_order_relaxed);  // a statistic: pairs with nothing
        }
        template <class Slots>
        bool publish_read(Slots& slots, token t) noexcept {
            const bool drained = base::publish_read(slots, t);
            const std::uint64_t r =
                reads_.fetch_add(1, std::memory_order_relaxed) + 1;  // a statistic: pairs with nothing
            if (r % 256 == 0) {
                const std::uint64_t w = writes_.load(std::memory_order_relaxed);  // a statistic: pairs with nothing
                held_.fetch_add(w > r ? w - r : 0, std::memory_order_relaxed);    // a statistic: pairs with nothing
                samples_.fetch_add(1, std::memory_order_relaxed);                 // a statistic: pairs with nothing
            }
            return drained;
        }

    private:
        alignas(md::cache_line_size) std::atomic<std::uint64_t> writes_{0};
        alignas(md::cache_line_size) std::atomic<std::uint64_t> reads_{0};
        std::atomic<std::uint64_t> held_{0}, samples_{0};  // on reads_'s line: only readers write them
        const std::size_t capacity_;
    };
};

using msgpool::basic_pool;
using msgpool::wait::futex;

// clang-format off
template <class T> using scan_all  = basic_pool<T, cl::cas_scan, futex, st::inline_slots>;
template <class T> using ring_all  = basic_pool<T, cl::fetch_add_ring, futex, st::inline_slots>;
template <class T> using scan_low_ = basic_pool<T, scan_low, futex, st::inline_slots>;
template <class T> using scan_hint_ = basic_pool<T, scan_hint, futex, st::inline_slots>;
template <class T> using scan_count_ = basic_pool<T, scan_count, futex, st::inline_slots>;
// clang-format on

}  // namespace large_message_footprint

MSGPOOL_BENCH_USER_COMPOSITIONS(msgpool_bench::named_alias<large_message_footprint::scan_all, "fp::scan all">,
                                msgpool_bench::named_alias<large_message_footprint::ring_all, "fp::ring all">,
                                msgpool_bench::named_alias<large_message_footprint::scan_low_, "fp::scan low">,
                                msgpool_bench::named_alias<large_message_footprint::scan_hint_, "fp::scan hint">,
                                msgpool_bench::named_alias<large_message_footprint::scan_count_, "fp::scan count">)
