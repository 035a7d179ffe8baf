// bench/lab/fast_path_ablation.hpp - the blocking fast path with one
// mechanism taken away at a time, so that each mechanism's gain is a ratio
// measured in one run (docs/policies.md, "The fast path, mechanism by
// mechanism").  Build and run:
//
//     cmake --build --preset release --target msgpool-bench-ablation
//     build/release/bench/msgpool-bench-ablation -s 'cas_scan+futex+*,ablation::*' -r 7
//
// It reaches the policies only through their public interfaces: the claim
// protocol's members (concepts/claim_policy.hpp), the attempt kinds the frame
// passes to near attempts (concepts/attempt.hpp), the wait policy's spin
// phase (detail::sleeping_wait) and the sync family.  The two variants that
// change the inside of cas_scan's scan (impatient, snapshot_first) run on the
// lab's own copy of it (scan_variants.hpp).
//
// Each variant below is cas_scan + futex on inline or line-grouped storage
// (the futex_pool and line_pool compositions) with exactly one change, and
// `all` is the composition itself, compiled here beside its variants so that
// every ratio compares code built the same way:
//   fenced         the asymmetric barrier pair replaced by a seq_cst fence on
//                  both sides: every notify pays a fence (a locked instruction
//                  on x86), as a symmetric Dekker pair does.
//   rmw_publish    publishes (writer's, reader's, abandon) as seq_cst
//                  exchanges instead of plain release stores: a second locked
//                  instruction per operation.
//   full_retries   no near attempts: every retry of a spinning waiter scans
//                  the whole pool instead of the slots near its cursor (on
//                  inline slots cas_scan already retries with full passes, so
//                  there this variant is the composition itself).
//   impatient      near attempts that take from any line, also one the other
//                  side is still filling or draining (line-grouped storage
//                  only: inline slots have no patient attempts).
//   sleep_at_once  no spin phase: a thread that finds nothing registers and
//                  sleeps at once.
//   no_yield       the spin phase without its yield rounds (pauses only).
//   cursor_stays   (inline slots only) a pass starts at the slot the thread
//                  took last instead of the next one, as on line-grouped
//                  storage, where it stays on the group it took from.
//   snapshot_first (inline slots only) the first slot of a pass is
//                  snapshotted before its CAS, like every other slot,
//                  instead of claimed with the CAS at once.
//   no_slip        (inline slots only) a waiting thread's attempts in the
//                  pause rounds claim at once, without waiting for the other
//                  side to be a slip ahead.
// The default composition (cas_scan + condvar + inline slots, pool) as
// `pool all`, and with one of these changes as `pool cursor_stays`,
// `pool snapshot_first` and `pool no_slip`.
// The per-slot state byte (a claim that fails only if its own slot changed)
// has no switch here: it is what cas_scan is made of.
//
// The ring (fetch_add_ring + futex + inline slots, ring_pool) with one change:
//   ring full_retries  no near attempts: every retry of a spinning waiter is
//                      a full attempt, whose look at a slot that is not ready
//                      loads the other side's counter.
//   ring no_slip       near attempts claim at once, without waiting for the
//                      other side to be a slip ahead.
//   ring few_yields    2 yield rounds before a sleep instead of 32.
// and line few_yields: line_pool with 2 yield rounds instead of 32.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>

#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/concepts/attempt.hpp>
#include <msgpool/wait/detail/sleeping_wait.hpp>
#include <msgpool/wait/futex.hpp>

#include "scan_variants.hpp"

namespace fast_path_ablation {

using msgpool::attempt;

/// A near attempt that never slips: attempt::near asked as attempt::last_near,
/// which holds nothing back (the slip is the only difference between the two
/// on one-slot groups and on the ring).
constexpr attempt without_slip(attempt kind) noexcept { return kind == attempt::near ? attempt::last_near : kind; }

/// sync::native with both barriers a seq_cst fence (the fallback, forced).
struct fenced_sync : msgpool::sync::native {
    static void light_barrier() noexcept { std::atomic_thread_fence(std::memory_order_seq_cst); }
    static void heavy_barrier() noexcept { std::atomic_thread_fence(std::memory_order_seq_cst); }
};

/// cas_scan whose publishes are locked exchanges.
struct rmw_publish_scan : msgpool::claim::cas_scan {
    template <class Sync>
    class protocol : public msgpool::claim::cas_scan::protocol<Sync> {
        using base = typename msgpool::claim::cas_scan::protocol<Sync>;

        // The state byte of slot i, as cas_scan lays it out (claim/detail/state_lanes.hpp).
        template <class Slots>
        static auto& state_of(Slots& slots, std::size_t i) noexcept {
            return slots.control(i).lane[i % Slots::slots_per_control];
        }

    public:
        using typename base::token;
        using base::base;
        template <class Slots>
        void publish_write(Slots& slots, token t) noexcept {
            state_of(slots, t.index).exchange(full, std::memory_order_seq_cst);
        }
        template <class Slots>
        bool publish_read(Slots& slots, token t) noexcept {
            state_of(slots, t.index).exchange(empty, std::memory_order_seq_cst);
            return true;
        }
        template <class Slots>
        bool abandon_write(Slots& slots, token t) noexcept {
            state_of(slots, t.index).exchange(empty, std::memory_order_seq_cst);
            return true;
        }
    };
};

/// cas_scan without near attempts: the frame then retries with full passes
/// (claim_protocol_near is not satisfied when the members are inaccessible).
struct full_retry_scan : msgpool::claim::cas_scan {
    template <class Sync>
    class protocol : public msgpool::claim::cas_scan::protocol<Sync> {
        using base = typename msgpool::claim::cas_scan::protocol<Sync>;
        using base::try_claim_read_near;
        using base::try_claim_write_near;

    public:
        using base::base;
    };
};

/// cas_scan whose near attempts are not patient: they take a slot in any
/// line, also one the other side is still working in (the lab's copy).
using impatient_scan = msgpool_lab::scan_variant<false, true>;

/// cas_scan whose passes on one-slot groups start at the slot it took last
/// (as they do on groups of several slots) instead of the next one.
struct cursor_stays_scan : msgpool::claim::cas_scan {
    template <class Sync>
    class protocol : public msgpool::claim::cas_scan::protocol<Sync> {
        using base = typename msgpool::claim::cas_scan::protocol<Sync>;
        using write_cursor = msgpool::detail::write_cursor;
        using read_cursor = msgpool::detail::read_cursor;

        // One-slot groups only: the group of slot i is i.
        template <class Tag, class Token>
        static Token stay(Token t) noexcept {
            if (t) msgpool::detail::thread_cursor<Tag>() = t->index;
            return t;
        }

    public:
        using typename base::token;
        using base::base;
        template <class Slots>
        std::optional<token> try_claim_write(Slots& slots) noexcept {
            return stay<write_cursor>(base::try_claim_write(slots));
        }
        template <class Slots>
        std::optional<token> try_claim_write_near(Slots& slots, attempt kind) noexcept {
            return stay<write_cursor>(base::try_claim_write_near(slots, kind));
        }
        template <class Slots>
        std::optional<token> try_claim_read(Slots& slots) noexcept {
            return stay<read_cursor>(base::try_claim_read(slots));
        }
        template <class Slots>
        std::optional<token> try_claim_read_near(Slots& slots, attempt kind) noexcept {
            return stay<read_cursor>(base::try_claim_read_near(slots, kind));
        }
    };
};

/// cas_scan that snapshots every slot before its CAS, the first of a pass on
/// one-slot groups included (on groups of several slots it always does; the
/// lab's copy).
using snapshot_first_scan = msgpool_lab::scan_variant<true, false>;

/// cas_scan whose near attempts on one-slot groups never slip: every round
/// is a full pass at once.
struct no_slip_scan : msgpool::claim::cas_scan {
    template <class Sync>
    class protocol : public msgpool::claim::cas_scan::protocol<Sync> {
        using base = typename msgpool::claim::cas_scan::protocol<Sync>;

    public:
        using typename base::token;
        using base::base;
        // One-slot groups only.
        template <class Slots>
        std::optional<token> try_claim_write_near(Slots& slots, attempt kind) noexcept {
            return base::try_claim_write_near(slots, without_slip(kind));
        }
        template <class Slots>
        std::optional<token> try_claim_read_near(Slots& slots, attempt kind) noexcept {
            return base::try_claim_read_near(slots, without_slip(kind));
        }
    };
};

/// fetch_add_ring without near attempts (hidden as in full_retry_scan).
struct full_retry_ring : msgpool::claim::fetch_add_ring {
    template <class Sync>
    class protocol : public msgpool::claim::fetch_add_ring::protocol<Sync> {
        using base = typename msgpool::claim::fetch_add_ring::protocol<Sync>;
        using base::try_claim_read_near;
        using base::try_claim_write_near;

    public:
        using base::base;
    };
};

/// fetch_add_ring whose near attempts never slip.
struct no_slip_ring : msgpool::claim::fetch_add_ring {
    template <class Sync>
    class protocol : public msgpool::claim::fetch_add_ring::protocol<Sync> {
        using base = typename msgpool::claim::fetch_add_ring::protocol<Sync>;

    public:
        using typename base::token;
        using base::base;
        template <class Slots>
        std::optional<token> try_claim_write_near(Slots& slots, attempt kind) noexcept {
            return base::try_claim_write_near(slots, without_slip(kind));
        }
        template <class Slots>
        std::optional<token> try_claim_read_near(Slots& slots, attempt kind) noexcept {
            return base::try_claim_read_near(slots, without_slip(kind));
        }
    };
};

/// wait::futex with another spin phase: the same blocker, other numbers.
template <unsigned PauseRounds, unsigned YieldRounds>
struct futex_phases : msgpool::detail::sleeping_wait<msgpool::wait::futex_blocker, PauseRounds, YieldRounds> {};
using sleep_at_once = futex_phases<0, 0>;
using no_yield = futex_phases<msgpool::wait::futex::pause_rounds, 0>;
using few_yields = futex_phases<msgpool::wait::futex::pause_rounds, 2>;

namespace cl = msgpool::claim;
namespace st = msgpool::storage;
using msgpool::basic_pool;
using msgpool::wait::futex;

// clang-format off
template <class T> using inline_all           = basic_pool<T, cl::cas_scan, futex, st::inline_slots>;
template <class T> using line_all             = basic_pool<T, cl::cas_scan, futex, st::line_grouped_slots>;
template <class T> using inline_fenced        = basic_pool<T, cl::cas_scan, futex, st::inline_slots, fenced_sync>;
template <class T> using inline_rmw_publish   = basic_pool<T, rmw_publish_scan, futex, st::inline_slots>;
template <class T> using inline_full_retries  = basic_pool<T, full_retry_scan, futex, st::inline_slots>;
template <class T> using inline_sleep_at_once = basic_pool<T, cl::cas_scan, sleep_at_once, st::inline_slots>;
template <class T> using inline_no_yield      = basic_pool<T, cl::cas_scan, no_yield, st::inline_slots>;
template <class T> using line_fenced          = basic_pool<T, cl::cas_scan, futex, st::line_grouped_slots, fenced_sync>;
template <class T> using line_rmw_publish     = basic_pool<T, rmw_publish_scan, futex, st::line_grouped_slots>;
template <class T> using line_full_retries    = basic_pool<T, full_retry_scan, futex, st::line_grouped_slots>;
template <class T> using line_impatient       = basic_pool<T, impatient_scan, futex, st::line_grouped_slots>;
template <class T> using line_sleep_at_once   = basic_pool<T, cl::cas_scan, sleep_at_once, st::line_grouped_slots>;
template <class T> using line_no_yield        = basic_pool<T, cl::cas_scan, no_yield, st::line_grouped_slots>;
template <class T> using inline_cursor_stays  = basic_pool<T, cursor_stays_scan, futex, st::inline_slots>;
template <class T> using inline_snapshot_first = basic_pool<T, snapshot_first_scan, futex, st::inline_slots>;
template <class T> using pool_snapshot_first  = basic_pool<T, snapshot_first_scan, msgpool::wait::condvar, st::inline_slots>;
template <class T> using inline_no_slip       = basic_pool<T, no_slip_scan, futex, st::inline_slots>;
template <class T> using pool_no_slip         = basic_pool<T, no_slip_scan, msgpool::wait::condvar, st::inline_slots>;
template <class T> using pool_all             = basic_pool<T, cl::cas_scan, msgpool::wait::condvar, st::inline_slots>;
template <class T> using pool_cursor_stays    = basic_pool<T, cursor_stays_scan, msgpool::wait::condvar, st::inline_slots>;
template <class T> using ring_all             = basic_pool<T, cl::fetch_add_ring, futex, st::inline_slots>;
template <class T> using ring_full_retries    = basic_pool<T, full_retry_ring, futex, st::inline_slots>;
template <class T> using ring_no_slip         = basic_pool<T, no_slip_ring, futex, st::inline_slots>;
template <class T> using ring_few_yields      = basic_pool<T, cl::fetch_add_ring, few_yields, st::inline_slots>;
template <class T> using line_few_yields      = basic_pool<T, cl::cas_scan, few_yields, st::line_grouped_slots>;
// clang-format on

}  // namespace fast_path_ablation

MSGPOOL_BENCH_USER_COMPOSITIONS(
    msgpool_bench::named_alias<fast_path_ablation::inline_all, "ablation::inline all">,
    msgpool_bench::named_alias<fast_path_ablation::line_all, "ablation::line all">,
    msgpool_bench::named_alias<fast_path_ablation::inline_fenced, "ablation::inline fenced">,
    msgpool_bench::named_alias<fast_path_ablation::inline_rmw_publish, "ablation::inline rmw_publish">,
    msgpool_bench::named_alias<fast_path_ablation::inline_full_retries, "ablation::inline full_retries">,
    msgpool_bench::named_alias<fast_path_ablation::inline_sleep_at_once, "ablation::inline sleep_at_once">,
    msgpool_bench::named_alias<fast_path_ablation::inline_no_yield, "ablation::inline no_yield">,
    msgpool_bench::named_alias<fast_path_ablation::line_fenced, "ablation::line fenced">,
    msgpool_bench::named_alias<fast_path_ablation::line_rmw_publish, "ablation::line rmw_publish">,
    msgpool_bench::named_alias<fast_path_ablation::line_full_retries, "ablation::line full_retries">,
    msgpool_bench::named_alias<fast_path_ablation::line_impatient, "ablation::line impatient">,
    msgpool_bench::named_alias<fast_path_ablation::line_sleep_at_once, "ablation::line sleep_at_once">,
    msgpool_bench::named_alias<fast_path_ablation::line_no_yield, "ablation::line no_yield">,
    msgpool_bench::named_alias<fast_path_ablation::inline_cursor_stays, "ablation::inline cursor_stays">,
    msgpool_bench::named_alias<fast_path_ablation::inline_snapshot_first, "ablation::inline snapshot_first">,
    msgpool_bench::named_alias<fast_path_ablation::inline_no_slip, "ablation::inline no_slip">,
    msgpool_bench::named_alias<fast_path_ablation::pool_all, "ablation::pool all">,
    msgpool_bench::named_alias<fast_path_ablation::pool_no_slip, "ablation::pool no_slip">,
    msgpool_bench::named_alias<fast_path_ablation::pool_snapshot_first, "ablation::pool snapshot_first">,
    msgpool_bench::named_alias<fast_path_ablation::pool_cursor_stays, "ablation::pool cursor_stays">,
    msgpool_bench::named_alias<fast_path_ablation::ring_all, "ablation::ring all">,
    msgpool_bench::named_alias<fast_path_ablation::ring_full_retries, "ablation::ring full_retries">,
    msgpool_bench::named_alias<fast_path_ablation::ring_no_slip, "ablation::ring no_slip">,
    msgpool_bench::named_alias<fast_path_ablation::ring_few_yields, "ablation::ring few_yields">,
    msgpool_bench::named_alias<fast_path_ablation::line_few_yields, "ablation::line few_yields">)
