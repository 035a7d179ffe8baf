// bench/lab/hand_off_ablation.hpp - how a blocking call spins, holds back,
// yields and sleeps around a catch-up with the other side, one change at a
// time, so that each is a ratio measured in one run.  Build and run:
//
//     cmake --build --preset release --target msgpool-bench-hand-off
//     build/release/bench/msgpool-bench-hand-off -s 'hand_off::*,moodycamel::ConcurrentQueue'
//         --shapes 4x4 --capacities 16,64 -r 7     (one command line)
//     build/release/bench/msgpool-bench-hand-off --latency -s 'hand_off::*' --one-way-samples 10000
//
// It reaches the policies only through their public interfaces: a wait
// policy is a channel whose spin() names the kind of the next attempt
// (concepts/attempt.hpp, concepts/wait_policy.hpp), built here from the
// product's event count and blockers with another schedule; the claim
// policies are the product's, except `spread`, which runs on the lab's copy
// of cas_scan (scan_variants.hpp).
//
// Each base composition is present as `<base> all` (the product's
// composition, compiled here beside its variants):
//   pool   cas_scan + condvar + inline_slots (the default)
//   futex  cas_scan + futex + inline_slots (futex_pool)
//   fcal   cas_scan + futex_counted + aligned_slots
//   ring   fetch_add_ring + futex + inline_slots (ring_pool)
//   line   cas_scan + futex + line_grouped_slots (line_pool)
//   spin   fetch_add_ring + spin + aligned_slots (spin_pool), with the lab's
//          copy of wait::spin (spin_variant) whose pause steps are a number
// and with one change:
//   hold1    the pause steps keep their length, but only the attempt after
//            the first may hold back (attempt::near); the attempts after the
//            others hold nothing back (attempt::last_near): a slip or a
//            patient attempt gives up after 1 pause instead of after 63
//   hold3    the same after the first three pause steps (1 + 2 + 4 pauses)
//   no_hold  no attempt holds back: every attempt after a pause step is
//            attempt::last_near (on inline slots this is no_slip)
//   p4       4 pause steps (15 pauses) before the yields
//   p9       9 pause steps (511 pauses) before the yields
//   p3, p5   3 pause steps (7 pauses), 5 (31 pauses)
//   p7       7 pause steps (127 pauses), the channels' own number
//            (detail::spin_limit), as a type of its own; the hold-back
//            variants keep 7 pause steps too
//
// The lab's channels take the round alone (no spin(round, max_pause_steps),
// concepts/wait_policy.hpp), so a claim's pause-step limit does not reach
// them: their pN is what the call makes.  In the product cas_scan on
// one-slot storage names 4 pause steps where its slip is short (up to 67
// slots; claim/cas_scan.hpp), so there `pool all`, `futex all` and `fcal all`
// make 4 and their `p7` is the schedule without the limit; at larger
// capacities they make 7 like `p7`; `ring`, `spin` and `line` name none and
// make 7.  The spread
// variant's claim (the lab's copy of cas_scan) names none either.
//   y8       8 yield rounds before a sleep instead of 32
//   y0       no yield rounds: the pause steps, then a sleep
//   ylong    the 32 yield rounds end at the first yield that kept the thread
//            off its core longer than 50 us (the core went to a thread that
//            is no peer, or a peer ran that long): then it sleeps
//   ylong hold1  both changes
//   spread   (inline slots) a pass visits the slots `step` apart, step the
//            least whole number >= the slots that share a cache line that is
//            prime to the capacity: a thread's next slot and the slot a
//            thread behind it works on are on other lines
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

#include <msgpool/basic_pool.hpp>
#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/concepts/attempt.hpp>
#include <msgpool/detail/backoff.hpp>
#include <msgpool/storage/aligned_slots.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/storage/line_grouped_slots.hpp>
#include <msgpool/wait/condvar.hpp>
#include <msgpool/wait/detail/event_count.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/futex_counted.hpp>
#include <msgpool/wait/spin.hpp>

#include "scan_variants.hpp"

namespace hand_off {

using msgpool::attempt;

/// spin_then_sleep (wait/detail/spin_then_sleep.hpp) with a hold limit: the
/// attempt after pause step r (from 0) is attempt::near while r < Hold and
/// r + 1 < Pauses, else attempt::last_near.  Hold == Pauses is the product.
/// With LongYieldMicros != 0, a yield that kept the thread off its core
/// longer than that ends the spin phase: no attempt is named, and the frame
/// registers, re-checks with a full attempt and sleeps.
template <class Sync, class Channel, unsigned Pauses, unsigned Yields, unsigned Hold, unsigned LongYieldMicros>
class schedule : public Channel {
public:
    std::optional<attempt> spin(unsigned round) noexcept {
        if (round < Pauses) {
            for (unsigned i = 0, n = 1u << round; i < n; ++i) Sync::pause();
            return round < Hold && round + 1 < Pauses ? attempt::near : attempt::last_near;
        }
        if (round < Pauses + Yields) {
            if constexpr (LongYieldMicros != 0) {
                const auto t0 = Sync::clock::now();
                Sync::yield();
                if (Sync::clock::now() - t0 > std::chrono::microseconds(LongYieldMicros)) return std::nullopt;
            } else {
                Sync::yield();
            }
            return attempt::full;
        }
        return std::nullopt;
    }
};

template <template <class> class Blocker, unsigned Pauses = msgpool::detail::spin_limit, unsigned Yields = 32,
          unsigned Hold = Pauses, unsigned LongYieldMicros = 0>
struct wait_variant {
    template <class Sync>
    using channel =
        schedule<Sync, msgpool::detail::event_count<Sync, Blocker<Sync>>, Pauses, Yields, Hold, LongYieldMicros>;
};

/// wait::spin (wait/spin.hpp) with Pauses pause steps before its yields.
template <unsigned Pauses>
struct spin_variant {
    template <class Sync>
    class channel {
    public:
        struct key {};
        std::optional<attempt> spin(unsigned round) noexcept {
            if (round < Pauses) {
                for (unsigned i = 0, n = 1u << round; i < n; ++i) Sync::pause();
                return round + 1 < Pauses ? attempt::near : attempt::last_near;
            }
            Sync::yield();
            return attempt::full;
        }
        key prepare_wait() noexcept { return {}; }
        void cancel_wait() noexcept {}
        void commit_wait(key) noexcept { Sync::yield(); }
        bool commit_wait_until(key, typename Sync::clock::time_point deadline) noexcept {
            Sync::yield();
            return Sync::clock::now() < deadline;
        }
        void notify_one() noexcept {}
        void notify_all() noexcept {}
    };
};

namespace cl = msgpool::claim;
namespace st = msgpool::storage;
namespace wt = msgpool::wait;
using msgpool::basic_pool;
constexpr unsigned P = msgpool::detail::spin_limit;

template <template <class> class B> using w_all = wait_variant<B>;
template <template <class> class B> using w_hold1 = wait_variant<B, P, 32, 1>;
template <template <class> class B> using w_hold3 = wait_variant<B, P, 32, 3>;
template <template <class> class B> using w_no_hold = wait_variant<B, P, 32, 0>;
template <template <class> class B> using w_p4 = wait_variant<B, 4, 32>;
template <template <class> class B> using w_p9 = wait_variant<B, 9, 32>;
template <template <class> class B> using w_p3 = wait_variant<B, 3, 32>;
template <template <class> class B> using w_p7 = wait_variant<B, 7, 32>;
template <template <class> class B> using w_p5 = wait_variant<B, 5, 32>;
template <template <class> class B> using w_y8 = wait_variant<B, P, 8>;
template <template <class> class B> using w_y0 = wait_variant<B, P, 0>;
template <template <class> class B> using w_ylong = wait_variant<B, P, 32, P, 50>;
template <template <class> class B> using w_ylong_hold1 = wait_variant<B, P, 32, 1, 50>;

using spread_scan = msgpool_lab::scan_variant<true, true, true>;

// clang-format off
template <class T> using pool_all     = basic_pool<T, cl::cas_scan, wt::condvar, st::inline_slots>;
template <class T> using pool_hold1   = basic_pool<T, cl::cas_scan, w_hold1<wt::condvar_blocker>, st::inline_slots>;
template <class T> using pool_hold3   = basic_pool<T, cl::cas_scan, w_hold3<wt::condvar_blocker>, st::inline_slots>;
template <class T> using pool_no_hold = basic_pool<T, cl::cas_scan, w_no_hold<wt::condvar_blocker>, st::inline_slots>;
template <class T> using pool_p4      = basic_pool<T, cl::cas_scan, w_p4<wt::condvar_blocker>, st::inline_slots>;
template <class T> using pool_p7      = basic_pool<T, cl::cas_scan, w_p7<wt::condvar_blocker>, st::inline_slots>;
template <class T> using fcal_p7      = basic_pool<T, cl::cas_scan, w_p7<wt::futex_counted_blocker>, st::aligned_slots>;
template <class T> using ring_p7      = basic_pool<T, cl::fetch_add_ring, w_p7<wt::futex_blocker>, st::inline_slots>;
template <class T> using line_p7      = basic_pool<T, cl::cas_scan, w_p7<wt::futex_blocker>, st::line_grouped_slots>;
template <class T> using spin_p7      = basic_pool<T, cl::fetch_add_ring, spin_variant<7>, st::aligned_slots>;
template <class T> using pool_p3      = basic_pool<T, cl::cas_scan, w_p3<wt::condvar_blocker>, st::inline_slots>;
template <class T> using pool_p5      = basic_pool<T, cl::cas_scan, w_p5<wt::condvar_blocker>, st::inline_slots>;
template <class T> using pool_p9      = basic_pool<T, cl::cas_scan, w_p9<wt::condvar_blocker>, st::inline_slots>;
template <class T> using pool_y8      = basic_pool<T, cl::cas_scan, w_y8<wt::condvar_blocker>, st::inline_slots>;
template <class T> using pool_y0      = basic_pool<T, cl::cas_scan, w_y0<wt::condvar_blocker>, st::inline_slots>;
template <class T> using pool_ylong   = basic_pool<T, cl::cas_scan, w_ylong<wt::condvar_blocker>, st::inline_slots>;
template <class T> using pool_ylong_hold1 = basic_pool<T, cl::cas_scan, w_ylong_hold1<wt::condvar_blocker>, st::inline_slots>;
template <class T> using pool_spread  = basic_pool<T, spread_scan, wt::condvar, st::inline_slots>;
template <class T> using pool_spread_hold1 = basic_pool<T, spread_scan, w_hold1<wt::condvar_blocker>, st::inline_slots>;
template <class T> using futex_all    = basic_pool<T, cl::cas_scan, wt::futex, st::inline_slots>;
template <class T> using futex_hold1  = basic_pool<T, cl::cas_scan, w_hold1<wt::futex_blocker>, st::inline_slots>;
template <class T> using futex_spread = basic_pool<T, spread_scan, wt::futex, st::inline_slots>;
template <class T> using futex_p7     = basic_pool<T, cl::cas_scan, w_p7<wt::futex_blocker>, st::inline_slots>;
template <class T> using futex_p4     = basic_pool<T, cl::cas_scan, w_p4<wt::futex_blocker>, st::inline_slots>;
template <class T> using fcal_all     = basic_pool<T, cl::cas_scan, wt::futex_counted, st::aligned_slots>;
template <class T> using fcal_hold1   = basic_pool<T, cl::cas_scan, w_hold1<wt::futex_counted_blocker>, st::aligned_slots>;
template <class T> using fcal_p4      = basic_pool<T, cl::cas_scan, w_p4<wt::futex_counted_blocker>, st::aligned_slots>;
template <class T> using fcal_y0      = basic_pool<T, cl::cas_scan, w_y0<wt::futex_counted_blocker>, st::aligned_slots>;
template <class T> using fcal_ylong   = basic_pool<T, cl::cas_scan, w_ylong<wt::futex_counted_blocker>, st::aligned_slots>;
template <class T> using fcal_y8      = basic_pool<T, cl::cas_scan, w_y8<wt::futex_counted_blocker>, st::aligned_slots>;
template <class T> using ring_all     = basic_pool<T, cl::fetch_add_ring, wt::futex, st::inline_slots>;
template <class T> using ring_hold1   = basic_pool<T, cl::fetch_add_ring, w_hold1<wt::futex_blocker>, st::inline_slots>;
template <class T> using ring_hold3   = basic_pool<T, cl::fetch_add_ring, w_hold3<wt::futex_blocker>, st::inline_slots>;
template <class T> using ring_ylong   = basic_pool<T, cl::fetch_add_ring, w_ylong<wt::futex_blocker>, st::inline_slots>;
template <class T> using ring_p4      = basic_pool<T, cl::fetch_add_ring, w_p4<wt::futex_blocker>, st::inline_slots>;
template <class T> using ring_p3      = basic_pool<T, cl::fetch_add_ring, w_p3<wt::futex_blocker>, st::inline_slots>;
template <class T> using spin_all     = basic_pool<T, cl::fetch_add_ring, wt::spin, st::aligned_slots>;
template <class T> using spin_p4      = basic_pool<T, cl::fetch_add_ring, spin_variant<4>, st::aligned_slots>;
template <class T> using fcal_p3      = basic_pool<T, cl::cas_scan, w_p3<wt::futex_counted_blocker>, st::aligned_slots>;
template <class T> using fcal_p5      = basic_pool<T, cl::cas_scan, w_p5<wt::futex_counted_blocker>, st::aligned_slots>;
template <class T> using line_p4      = basic_pool<T, cl::cas_scan, w_p4<wt::futex_blocker>, st::line_grouped_slots>;
template <class T> using line_all     = basic_pool<T, cl::cas_scan, wt::futex, st::line_grouped_slots>;
template <class T> using line_hold1   = basic_pool<T, cl::cas_scan, w_hold1<wt::futex_blocker>, st::line_grouped_slots>;
template <class T> using line_hold3   = basic_pool<T, cl::cas_scan, w_hold3<wt::futex_blocker>, st::line_grouped_slots>;
// clang-format on

}  // namespace hand_off

MSGPOOL_BENCH_USER_COMPOSITIONS(
    msgpool_bench::named_alias<hand_off::pool_all, "hand_off::pool all">,
    msgpool_bench::named_alias<hand_off::pool_hold1, "hand_off::pool hold1">,
    msgpool_bench::named_alias<hand_off::pool_hold3, "hand_off::pool hold3">,
    msgpool_bench::named_alias<hand_off::pool_no_hold, "hand_off::pool no_hold">,
    msgpool_bench::named_alias<hand_off::pool_p4, "hand_off::pool p4">,
    msgpool_bench::named_alias<hand_off::pool_p9, "hand_off::pool p9">,
    msgpool_bench::named_alias<hand_off::pool_p3, "hand_off::pool p3">,
    msgpool_bench::named_alias<hand_off::pool_p7, "hand_off::pool p7">,
    msgpool_bench::named_alias<hand_off::fcal_p7, "hand_off::fcal p7">,
    msgpool_bench::named_alias<hand_off::ring_p7, "hand_off::ring p7">,
    msgpool_bench::named_alias<hand_off::line_p7, "hand_off::line p7">,
    msgpool_bench::named_alias<hand_off::spin_p7, "hand_off::spin p7">,
    msgpool_bench::named_alias<hand_off::pool_p5, "hand_off::pool p5">,
    msgpool_bench::named_alias<hand_off::pool_y8, "hand_off::pool y8">,
    msgpool_bench::named_alias<hand_off::pool_y0, "hand_off::pool y0">,
    msgpool_bench::named_alias<hand_off::pool_ylong, "hand_off::pool ylong">,
    msgpool_bench::named_alias<hand_off::pool_ylong_hold1, "hand_off::pool ylong hold1">,
    msgpool_bench::named_alias<hand_off::pool_spread, "hand_off::pool spread">,
    msgpool_bench::named_alias<hand_off::pool_spread_hold1, "hand_off::pool spread hold1">,
    msgpool_bench::named_alias<hand_off::futex_all, "hand_off::futex all">,
    msgpool_bench::named_alias<hand_off::futex_hold1, "hand_off::futex hold1">,
    msgpool_bench::named_alias<hand_off::futex_spread, "hand_off::futex spread">,
    msgpool_bench::named_alias<hand_off::futex_p7, "hand_off::futex p7">,
    msgpool_bench::named_alias<hand_off::futex_p4, "hand_off::futex p4">,
    msgpool_bench::named_alias<hand_off::fcal_all, "hand_off::fcal all">,
    msgpool_bench::named_alias<hand_off::fcal_hold1, "hand_off::fcal hold1">,
    msgpool_bench::named_alias<hand_off::fcal_p4, "hand_off::fcal p4">,
    msgpool_bench::named_alias<hand_off::fcal_y8, "hand_off::fcal y8">,
    msgpool_bench::named_alias<hand_off::fcal_y0, "hand_off::fcal y0">,
    msgpool_bench::named_alias<hand_off::fcal_ylong, "hand_off::fcal ylong">,
    msgpool_bench::named_alias<hand_off::ring_all, "hand_off::ring all">,
    msgpool_bench::named_alias<hand_off::ring_hold1, "hand_off::ring hold1">,
    msgpool_bench::named_alias<hand_off::ring_hold3, "hand_off::ring hold3">,
    msgpool_bench::named_alias<hand_off::ring_p4, "hand_off::ring p4">,
    msgpool_bench::named_alias<hand_off::ring_ylong, "hand_off::ring ylong">,
    msgpool_bench::named_alias<hand_off::ring_p3, "hand_off::ring p3">,
    msgpool_bench::named_alias<hand_off::spin_all, "hand_off::spin all">,
    msgpool_bench::named_alias<hand_off::spin_p4, "hand_off::spin p4">,
    msgpool_bench::named_alias<hand_off::fcal_p3, "hand_off::fcal p3">,
    msgpool_bench::named_alias<hand_off::fcal_p5, "hand_off::fcal p5">,
    msgpool_bench::named_alias<hand_off::line_p4, "hand_off::line p4">,
    msgpool_bench::named_alias<hand_off::line_all, "hand_off::line all">,
    msgpool_bench::named_alias<hand_off::line_hold1, "hand_off::line hold1">,
    msgpool_bench::named_alias<hand_off::line_hold3, "hand_off::line hold3">)
