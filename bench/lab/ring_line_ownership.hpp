// bench/lab/ring_line_ownership.hpp - a copy of claim::fetch_add_ring's
// protocol (the path of families that record no owners; no bulk forms) with
// one switch: how a claim gets its side's counter line, and the slot word's
// line, in exclusive state before the read-modify-write that needs it, or
// what a claim does after it lost its counter CAS to a peer of its side.  The
// product's ring has no such switch; this copy exists so that an ablation can
// add one mechanism at a time without a hook in the shipped header.  It
// follows policies/msgpool/claim/fetch_add_ring.hpp (its tags, [FR-..], and
// its ordering argument hold here unchanged), but for the lost claims:
// `none` and the line variants retry at once, as the ring did before its rule
// for a lost claim ("Two of one side"), and `lost_p1y` is that rule.  Keep
// the two in step when the ring changes.
//
// Why: a claim loads its counter [FR-H1], then CASes it [FR-H2].  When the
// counter's line was last written by another core, the load fetches it
// shared and the CAS asks for it again, for ownership: two coherence
// transfers where one would do.  The slot word's line likewise: the load
// [FR-W1]/[FR-R1] fetches it shared from the core that released it, the
// publish [FR-W2]/[FR-R2] later needs it exclusive.
//
// The variants (own::..., user compositions lab::ring <wait> <variant>):
//   none      the ring without its rule for a lost claim (a lost CAS retries
//             at once).
//   pfw       PREFETCHW (x86, 0F 0D /1) of the counter before the [FR-H1]
//             load, where the CPU has it (CPUID 0x80000001 ECX bit 8,
//             3DNowPrefetch / PRFCHW), asked once per process.
//   pfw_word  the same, and PREFETCHW of the slot word's line once the
//             position is known, before the word's load.
//   word      PREFETCHW of the slot word's line alone (the counter's load as
//             shipped).
//   word_read the control for `word`: PREFETCHT0 (a prefetch for reading) of
//             the slot word's line at the same place, so that what `word`
//             gains by asking for the line early is told apart from what it
//             gains by asking for it exclusive.
//   rmw       no prefetch: the [FR-H1] load is a relaxed fetch_or(0), a locked
//             read-modify-write that takes the line exclusive at once.
//   lost_pause  no prefetch; a claim whose counter CAS [FR-H2] lost to a peer
//             of its side waits before it tries the next position: 1, 2, 4,
//             ... 64 pauses for its 1st, 2nd, ... 7th and later loss in the
//             call (detail/backoff.hpp's pause steps), so that two threads of
//             one side running at once take the counter in turns of several
//             claims instead of moving its line at every claim.
//   lost_yield  no prefetch; a claim whose counter CAS lost to a peer of its
//             side yields its core before it tries again: with more threads
//             than cores, the core may go to a thread of the other side, whose
//             counter nobody else is using.
//   lost_pNy   the two together: the call's first N losses wait 1, 2, ...
//             2^(N-1) pauses, each later loss yields (N = 1, 3, 7; p7y is
//             detail/backoff.hpp's back_off as the ring's waits for a held
//             slot use it; p1y is what fetch_add_ring.hpp does).
// (The lost_ variants act on every lost CAS, not only a first attempt's:
// a lost CAS means a peer of the same side is running at that instant.)
// Each applies only to a call's first attempt: a try_ call (whose first
// iteration) and a near attempt of kind attempt::first, the same calls that
// the ring's crash-recovering path lets CAS first [FR-O3].  A spinning
// thread's retries never take a line away from the peer about to publish.
// A prefetch is no atomic operation and orders nothing: it only asks the
// cache for the line; every edge is still carried by [FR-W1]/[FR-R1] and the
// release stores.  The fetch_or(0) of `rmw` is relaxed and writes the value
// it read: for the protocol it is the load [FR-H1], a guess the CAS
// validates.
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#define RING_LINE_OWNERSHIP_X86 1
#else
#define RING_LINE_OWNERSHIP_X86 0
#endif

#include <msgpool/claim/detail/slip.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/concepts/attempt.hpp>
#include <msgpool/concepts/sync_family.hpp>
#include <msgpool/detail/backoff.hpp>
#include <msgpool/detail/cache_line.hpp>
#include <msgpool/wait/condvar.hpp>
#include <msgpool/wait/futex.hpp>

#include "user_compositions.hpp"

namespace ring_line_ownership {

enum class own { none, pfw, pfw_word, word, word_read, rmw, lost_pause, lost_yield, lost_p1y, lost_p3y, lost_p7y };

/// Whether this CPU runs PREFETCHW, asked once per process.
inline bool cpu_has_prefetchw() noexcept {
#if RING_LINE_OWNERSHIP_X86
    static const bool has = [] {
        unsigned a = 0, b = 0, c = 0, d = 0;
        if (__get_cpuid(0x80000001u, &a, &b, &c, &d) == 0) return false;
        return (c & (1u << 8)) != 0;
    }();
    return has;
#else
    return false;
#endif
}

/// PREFETCHW of the line holding `p`: asks for it in exclusive state.  No
/// atomic operation, orders nothing.
inline void prefetch_for_write(const void* p) noexcept {
#if RING_LINE_OWNERSHIP_X86
    asm volatile("prefetchw %0" : : "m"(*static_cast<const char*>(p)));
#else
    (void)p;
#endif
}

/// PREFETCHT0 of the line holding `p` (shared, into every cache level).
inline void prefetch_for_read(const void* p) noexcept { __builtin_prefetch(p, 0, 3); }

template <own Own>
struct ring {
    static constexpr std::string_view name = "fetch_add_ring";
    static constexpr std::size_t max_slots_per_control = 1;
    static constexpr bool linearizable_try = true;

    template <class Sync>
    using control = typename Sync::template atomic<std::uint64_t>;

    template <class Sync>
    class protocol {
        static_assert(!msgpool::crash_recovering<Sync>, "the lab copy has the ring's path without owners only");

    public:
        struct token {
            std::size_t index;
            std::uint64_t next;
        };

        explicit protocol(std::size_t capacity) noexcept
            : capacity_(capacity),
              lap_(lap_for(capacity)),
              slip_(msgpool::detail::slip_for(capacity)),
              pfw_((Own == own::pfw || Own == own::pfw_word || Own == own::word || Own == own::word_read) &&
                   cpu_has_prefetchw()) {}

        template <class Slots>
        std::optional<token> try_claim_write(Slots& slots) noexcept {
            return claim_write<true>(slots);
        }
        template <class Slots>
        void publish_write(Slots& slots, token t) noexcept {
            word_of(slots, t.index).store(t.next, std::memory_order_release);  // [FR-W2] pairs with [FR-R1]
        }
        template <class Slots>
        std::optional<token> try_claim_read(Slots& slots) noexcept {
            return claim_read<true>(slots);
        }
        template <class Slots>
        std::optional<token> try_claim_write_near(Slots& slots, msgpool::attempt kind) noexcept {
            if (slip_ != 0 && msgpool::detail::slips(kind) && !ahead_ready(slots, head_, 0)) return std::nullopt;
            return claim_write<false>(slots, kind == msgpool::attempt::first);
        }
        template <class Slots>
        std::optional<token> try_claim_read_near(Slots& slots, msgpool::attempt kind) noexcept {
            if (slip_ != 0 && msgpool::detail::slips(kind) && !ahead_ready(slots, tail_, 1)) return std::nullopt;
            return claim_read<false>(slots, kind == msgpool::attempt::first);
        }
        template <class Slots>
        bool publish_read(Slots& slots, token t) noexcept {
            word_of(slots, t.index).store(t.next, std::memory_order_release);  // [FR-R2] pairs with [FR-W1]
            return true;
        }

        template <class Slots>
        std::size_t was_size(const Slots& slots) const noexcept {
            std::size_t n = 0;
            // relaxed: a statistic (as the ring's).
            const std::uint64_t t = tail_.load(std::memory_order_relaxed);
            for (std::size_t i = 0; i < capacity_; ++i) {
                const std::uint64_t seq = word_of(slots, i).load(std::memory_order_relaxed);  // a statistic
                n += (seq & 1) != 0 && distance(seq - 1 + i, t) >= 0;
            }
            return n;
        }

        template <class Slots>
        bool is_drained(const Slots& slots) const noexcept {
            const std::uint64_t t = tail_.load(std::memory_order_acquire);  // [FR-D1]
            if (head_.load(std::memory_order_acquire) != t) return false;   // [FR-D1]
            for (std::size_t i = 0; i < capacity_; ++i)
                if ((word_of(slots, i).load(std::memory_order_acquire) & 1) != 0) return false;  // [FR-D1]
            return true;
        }

    private:
        enum class seen { none, ours, behind_peer, moved };
        enum class found { ready, taken, not_ready };

        static std::uint64_t lap_for(std::size_t capacity) noexcept {
            if (capacity <= 2) return 2;
            if (capacity > (std::uint64_t{1} << 63)) return std::uint64_t{1} << 63;
            return std::bit_ceil(std::uint64_t{capacity});
        }

        std::uint64_t index(std::uint64_t p) const noexcept { return p & (lap_ - 1); }
        std::uint64_t base(std::uint64_t p) const noexcept { return p & ~(lap_ - 1); }
        std::uint64_t next(std::uint64_t p) const noexcept { return index(p) + 1 == capacity_ ? base(p) + lap_ : p + 1; }
        static std::int64_t distance(std::uint64_t a, std::uint64_t b) noexcept { return static_cast<std::int64_t>(a - b); }

        template <class Slots>
        static auto& word_of(Slots& slots, std::uint64_t i) noexcept {
            static_assert(Slots::slots_per_control == 1, "fetch_add_ring needs one control word per slot");
            return slots.control(static_cast<std::size_t>(i));
        }

        found classify_write(std::uint64_t seq, std::uint64_t p) const noexcept {
            const std::int64_t d = distance(seq, base(p));
            return d == 0 ? found::ready : d < 0 ? found::not_ready : found::taken;
        }
        found classify_read(std::uint64_t seq, std::uint64_t p) const noexcept {
            const std::int64_t d = distance(seq, base(p) + 1);
            return d == 0 ? found::ready : d < 0 ? found::not_ready : found::taken;
        }

        template <class Slots, class Counter>
        bool ahead_ready(const Slots& slots, const Counter& counter, std::uint64_t state) const noexcept {
            const std::uint64_t p = counter.load(std::memory_order_relaxed);  // [FR-L2]
            std::uint64_t i = index(p) + slip_, b = base(p);
            if (i >= capacity_) {
                i -= capacity_;
                b += lap_;
            }
            return word_of(slots, i).load(std::memory_order_relaxed) == b + state;  // [FR-L2]
        }

        // The first [FR-H1] load of a call's first attempt, with the variant's
        // way of getting the counter's line exclusive; later loads are plain.
        template <class Counter>
        std::uint64_t first_load(Counter& counter, bool first) noexcept {
            if constexpr (Own == own::rmw) {
                if (first) return counter.fetch_or(0, std::memory_order_relaxed);  // [FR-H1] as a load: a guess
            } else if constexpr (Own == own::pfw || Own == own::pfw_word) {
                if (first && pfw_) prefetch_for_write(&counter);  // orders nothing
            }
            return counter.load(std::memory_order_relaxed);  // [FR-H1]
        }

        template <class Word>
        void word_line(Word& word, bool first) noexcept {
            if constexpr (Own == own::pfw_word || Own == own::word)
                if (first && pfw_) prefetch_for_write(&word);  // orders nothing
            if constexpr (Own == own::word_read)
                if (first && pfw_) prefetch_for_read(&word);  // orders nothing
        }

        // What the lost_ variants do after a counter CAS lost to a peer of
        // the same side (the others: nothing).
        static void after_lost_cas(unsigned& losses) noexcept {
            if constexpr (Own == own::lost_pause) {
                msgpool::detail::backoff<Sync>(losses < msgpool::detail::spin_limit ? losses
                                                                                    : msgpool::detail::spin_limit - 1);
                ++losses;
            } else if constexpr (Own == own::lost_yield) {
                Sync::yield();
                ++losses;
            } else if constexpr (Own == own::lost_p1y || Own == own::lost_p3y || Own == own::lost_p7y) {
                constexpr unsigned pause_steps = Own == own::lost_p1y ? 1 : Own == own::lost_p3y ? 3 : 7;
                if (losses < pause_steps)
                    msgpool::detail::backoff<Sync>(losses);  // 2^losses pauses
                else
                    Sync::yield();
                ++losses;
            }
        }

        template <bool Look, class Slots>
        std::optional<token> claim_write(Slots& slots, bool first = true) noexcept {
            std::uint64_t p = first_load(head_, first);  // [FR-H1]
            unsigned losses = 0;  // lost counter CASes of this call (the lost_ variants)
            for (unsigned step = 0;; first = false) {
                auto& word = word_of(slots, index(p));
                word_line(word, first);
                const std::uint64_t seq = word.load(std::memory_order_acquire);  // [FR-W1] pairs with [FR-R2]
                switch (classify_write(seq, p)) {
                    case found::ready:
                        // [FR-H2] relaxed: only who owns p; [FR-W1] carried the edge.
                        if (head_.compare_exchange_weak(p, next(p), std::memory_order_relaxed,
                                                        std::memory_order_relaxed))
                            return token{static_cast<std::size_t>(index(p)), base(p) + 1};
                        after_lost_cas(losses);
                        continue;
                    case found::taken: break;
                    case found::not_ready:
                        if constexpr (!Look)
                            return std::nullopt;
                        else
                            switch (look_for_free(slots, p)) {
                                case seen::none: return std::nullopt;
                                case seen::ours: continue;
                                case seen::behind_peer: msgpool::detail::back_off<Sync>(step); break;
                                case seen::moved: break;
                            }
                        break;
                }
                p = head_.load(std::memory_order_relaxed);  // [FR-H1]
            }
        }

        template <bool Look, class Slots>
        std::optional<token> claim_read(Slots& slots, bool first = true) noexcept {
            std::uint64_t p = first_load(tail_, first);  // [FR-H1]
            unsigned losses = 0;  // lost counter CASes of this call (the lost_ variants)
            for (unsigned step = 0;; first = false) {
                auto& word = word_of(slots, index(p));
                word_line(word, first);
                const std::uint64_t seq = word.load(std::memory_order_acquire);  // [FR-R1] pairs with [FR-W2]
                switch (classify_read(seq, p)) {
                    case found::ready:
                        // [FR-H2] relaxed: only who owns p; [FR-R1] carried the edge.
                        if (tail_.compare_exchange_weak(p, next(p), std::memory_order_relaxed,
                                                        std::memory_order_relaxed))
                            return token{static_cast<std::size_t>(index(p)), base(p) + lap_};
                        after_lost_cas(losses);
                        continue;
                    case found::taken: break;
                    case found::not_ready:
                        if constexpr (!Look)
                            return std::nullopt;
                        else
                            switch (look_for_published(slots, p)) {
                                case seen::none: return std::nullopt;
                                case seen::ours: continue;
                                case seen::behind_peer: msgpool::detail::back_off<Sync>(step); break;
                                case seen::moved: break;
                            }
                        break;
                }
                p = tail_.load(std::memory_order_relaxed);  // [FR-H1]
            }
        }

        template <class Slots>
        seen look_for_free(Slots& slots, std::uint64_t p) const noexcept {
            const std::uint64_t t = tail_.load(std::memory_order_relaxed);  // [FR-L1]
            for (std::uint64_t q = p; distance(t, q - lap_) > 0; q = next(q))
                if (word_of(slots, index(q)).load(std::memory_order_relaxed) == base(q))  // [FR-L1]
                    return q == p ? seen::ours : seen::behind_peer;
            return head_.load(std::memory_order_relaxed) == p ? seen::none : seen::moved;  // [FR-L1]
        }

        template <class Slots>
        seen look_for_published(Slots& slots, std::uint64_t p) const noexcept {
            const std::uint64_t h = head_.load(std::memory_order_relaxed);  // [FR-L1]
            for (std::uint64_t q = p; distance(h, q) > 0; q = next(q))
                if (word_of(slots, index(q)).load(std::memory_order_relaxed) == base(q) + 1)  // [FR-L1]
                    return q == p ? seen::ours : seen::behind_peer;
            return tail_.load(std::memory_order_relaxed) == p ? seen::none : seen::moved;  // [FR-L1]
        }

        const std::size_t capacity_;
        const std::uint64_t lap_;
        const std::size_t slip_;
        const bool pfw_;  // the variant prefetches and the CPU has PREFETCHW (word_read: the same test, for a like branch)
        alignas(msgpool::detail::cache_line_size) typename Sync::template atomic<std::uint64_t> head_{0};
        alignas(msgpool::detail::cache_line_size) typename Sync::template atomic<std::uint64_t> tail_{0};
    };
};

namespace st = msgpool::storage;
using msgpool::basic_pool;
using msgpool::wait::condvar;
using msgpool::wait::futex;

// clang-format off
template <class T> using futex_none      = basic_pool<T, ring<own::none>,     futex,   st::inline_slots>;
template <class T> using futex_pfw       = basic_pool<T, ring<own::pfw>,      futex,   st::inline_slots>;
template <class T> using futex_pfw_word  = basic_pool<T, ring<own::pfw_word>, futex,   st::inline_slots>;
template <class T> using futex_word      = basic_pool<T, ring<own::word>,     futex,   st::inline_slots>;
template <class T> using futex_word_read = basic_pool<T, ring<own::word_read>, futex, st::inline_slots>;
template <class T> using futex_rmw       = basic_pool<T, ring<own::rmw>,      futex,   st::inline_slots>;
template <class T> using futex_lost_pause = basic_pool<T, ring<own::lost_pause>, futex, st::inline_slots>;
template <class T> using futex_lost_yield = basic_pool<T, ring<own::lost_yield>, futex, st::inline_slots>;
template <class T> using futex_lost_p1y = basic_pool<T, ring<own::lost_p1y>, futex, st::inline_slots>;
template <class T> using futex_lost_p3y = basic_pool<T, ring<own::lost_p3y>, futex, st::inline_slots>;
template <class T> using futex_lost_p7y = basic_pool<T, ring<own::lost_p7y>, futex, st::inline_slots>;
template <class T> using condvar_lost_yield = basic_pool<T, ring<own::lost_yield>, condvar, st::inline_slots>;
template <class T> using condvar_lost_p1y = basic_pool<T, ring<own::lost_p1y>, condvar, st::inline_slots>;
template <class T> using condvar_none    = basic_pool<T, ring<own::none>,     condvar, st::inline_slots>;
template <class T> using condvar_pfw     = basic_pool<T, ring<own::pfw>,      condvar, st::inline_slots>;
template <class T> using condvar_pfw_word = basic_pool<T, ring<own::pfw_word>, condvar, st::inline_slots>;
template <class T> using condvar_word    = basic_pool<T, ring<own::word>,     condvar, st::inline_slots>;
template <class T> using condvar_word_read = basic_pool<T, ring<own::word_read>, condvar, st::inline_slots>;
template <class T> using condvar_rmw     = basic_pool<T, ring<own::rmw>,      condvar, st::inline_slots>;
// clang-format on

}  // namespace ring_line_ownership

MSGPOOL_BENCH_USER_COMPOSITIONS(
    msgpool_bench::named_alias<ring_line_ownership::futex_none, "lab::ring futex none">,
    msgpool_bench::named_alias<ring_line_ownership::futex_pfw, "lab::ring futex pfw">,
    msgpool_bench::named_alias<ring_line_ownership::futex_pfw_word, "lab::ring futex pfw_word">,
    msgpool_bench::named_alias<ring_line_ownership::futex_word, "lab::ring futex word">,
    msgpool_bench::named_alias<ring_line_ownership::futex_word_read, "lab::ring futex word_read">,
    msgpool_bench::named_alias<ring_line_ownership::futex_rmw, "lab::ring futex rmw">,
    msgpool_bench::named_alias<ring_line_ownership::futex_lost_pause, "lab::ring futex lost_pause">,
    msgpool_bench::named_alias<ring_line_ownership::futex_lost_yield, "lab::ring futex lost_yield">,
    msgpool_bench::named_alias<ring_line_ownership::futex_lost_p1y, "lab::ring futex lost_p1y">,
    msgpool_bench::named_alias<ring_line_ownership::futex_lost_p3y, "lab::ring futex lost_p3y">,
    msgpool_bench::named_alias<ring_line_ownership::futex_lost_p7y, "lab::ring futex lost_p7y">,
    msgpool_bench::named_alias<ring_line_ownership::condvar_lost_yield, "lab::ring condvar lost_yield">,
    msgpool_bench::named_alias<ring_line_ownership::condvar_lost_p1y, "lab::ring condvar lost_p1y">,
    msgpool_bench::named_alias<ring_line_ownership::condvar_none, "lab::ring condvar none">,
    msgpool_bench::named_alias<ring_line_ownership::condvar_pfw, "lab::ring condvar pfw">,
    msgpool_bench::named_alias<ring_line_ownership::condvar_pfw_word, "lab::ring condvar pfw_word">,
    msgpool_bench::named_alias<ring_line_ownership::condvar_word, "lab::ring condvar word">,
    msgpool_bench::named_alias<ring_line_ownership::condvar_word_read, "lab::ring condvar word_read">,
    msgpool_bench::named_alias<ring_line_ownership::condvar_rmw, "lab::ring condvar rmw">)
