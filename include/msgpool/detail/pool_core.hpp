// msgpool/detail/pool_core.hpp - the engine under basic_pool: the slots, the
// claim protocol, the three wait channels, the closed flag and the one
// blocking loop, over untyped element memory.
//
// basic_pool<T, ...> (msgpool/basic_pool.hpp) and basic_pool<raw_bytes, ...>
// (msgpool/raw_bytes.hpp, the C API's) are fronts over this core: a front
// says how an element moves in and out of a slot (a `fill` or `drain` called
// on the slot's memory while the caller owns it), the core says when a slot
// is the caller's.  Its public members are the part every front offers as it
// is (observers, close, reopen, wait_until_empty); the rest is for the fronts.
// basic_pool.hpp's preamble states the contract and walks through the loop;
// the tags ([EC-E1]..[EC-E3], [BP-E2']) are the ones used there and in
// wait/detail/event_count.hpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include <msgpool/concepts/claim_policy.hpp>
#include <msgpool/concepts/storage_policy.hpp>
#include <msgpool/concepts/sync_family.hpp>
#include <msgpool/concepts/wait_policy.hpp>
#include <msgpool/deadline.hpp>
#include <msgpool/detail/element_layout.hpp>

namespace msgpool {
template <class T, claim_policy Claim, wait_policy Wait, storage_policy Storage, sync_family Sync>
class basic_shared_pool;
}  // namespace msgpool

namespace msgpool::detail {

template <class Claim, class Wait, class Storage, class Sync>
class pool_core {
    // Crash recovery (recover_owner, forget_owner) is for the shared pool's
    // handle, which knows which owners are dead.
    template <class T, claim_policy C, wait_policy W, storage_policy S, sync_family Y>
    friend class msgpool::basic_shared_pool;

protected:
    using control_type = typename Claim::template control<Sync>;
    using slots_type = typename Storage::template slots<control_type>;
    using protocol_type = typename Claim::template protocol<Sync>;
    using channel_type = typename Wait::template channel<Sync>;
    using token = typename protocol_type::token;

    static_assert(storage_slots<slots_type, control_type>,
                  "msgpool: the storage policy cannot lay out this claim policy's control word");
    static_assert(slots_type::slots_per_control <= Claim::max_slots_per_control,
                  "msgpool: this storage policy puts several slots under one control word, and this claim policy "
                  "drives one control word per slot (see Claim::max_slots_per_control; claim::cas_scan can)");
    static_assert(claim_protocol<protocol_type, slots_type>,
                  "msgpool: the claim policy's protocol does not work with this storage policy's slots");
    static_assert(wait_channel<channel_type, Sync>, "msgpool: the wait policy's channel does not fit this sync family");

    /// Throws std::invalid_argument for capacity 0 (the storage throws
    /// std::length_error for one it cannot allocate).
    pool_core(std::size_t capacity, element_layout layout)
        : slots_(capacity != 0 ? capacity : throw std::invalid_argument("msgpool: capacity must be at least 1, got 0"),
                 layout),
          claim_(capacity) {}
    /// The same, with the slots laid out in `slot_memory` (storage_placeable:
    /// the storage's in_place form; see the shared-memory pool).
    pool_core(std::size_t capacity, element_layout layout, void* slot_memory)
        : slots_(capacity != 0 ? capacity : throw std::invalid_argument("msgpool: capacity must be at least 1, got 0"),
                 layout, slot_memory),
          claim_(capacity) {}
    pool_core(const pool_core&) = delete;
    pool_core& operator=(const pool_core&) = delete;

public:
    using claim_type = Claim;
    using wait_type = Wait;
    using storage_type = Storage;
    using sync_type = Sync;

    /// The number of slots, exactly as given to the constructor.
    std::size_t capacity() const noexcept { return slots_.capacity(); }

    /// Messages in the pool.  Exact when no operation is in progress; otherwise
    /// it may already be stale when it returns (hence `was_`).
    std::size_t was_size() const noexcept { return claim_.was_size(slots_); }
    bool was_empty() const noexcept { return was_size() == 0; }

    /// Bytes the slot array allocated (the claim policy's own counters and
    /// queues not included); for footprint comparisons.
    std::size_t slot_bytes() const noexcept
        requires storage_footprint<slots_type>
    {
        return slots_.footprint_bytes();
    }

    /// Wakes every blocked reader; from now on reads that find the pool empty
    /// return false instead of blocking.  Writes are still accepted.  A close
    /// is an event: every read in progress (blocking or timed) when it runs
    /// returns false if it finds no message, even if reopen() follows at once.
    void close() noexcept {
        // The Dekker pair with a waiting reader ([EC-E1], heavy barrier, [BP-E2'] load) is closed
        // by notify_all's light barrier against the reader's heavy barrier, as for any
        // publish (wait/detail/event_count.hpp); a release RMW would do, and its release is what
        // [BP-E2'] pairs with.  seq_cst is stronger than needed, kept so that close(), reopen()
        // and is_closed() take part in the one total order S of seq_cst operations: every
        // observer agrees where a close or a reopen falls among them.
        std::size_t s = close_state_.load(std::memory_order_relaxed);  // relaxed: only a guess for the CAS
        while ((s & 1) == 0 &&  // open: the next state, odd, is this close
               !close_state_.compare_exchange_weak(s, s + 1, std::memory_order_seq_cst,  // see above; [BP-E2'] pairs
                                                   std::memory_order_relaxed)) {          // relaxed: the loop goes again
        }
        readers_.notify_all();  // [EC-E3]
    }

    /// Reads block again while the pool is empty.  A read that started before
    /// the last close() still returns false when it finds no message.
    void reopen() noexcept {
        std::size_t s = close_state_.load(std::memory_order_relaxed);  // relaxed: only a guess for the CAS
        while ((s & 1) != 0 &&  // closed: the next state, even, is this reopen
               !close_state_.compare_exchange_weak(s, s + 1, std::memory_order_seq_cst,  // one order with close()
                                                   std::memory_order_relaxed)) {          // relaxed: the loop goes again
        }
    }

    bool is_closed() const noexcept {
        // seq_cst: a plain load on x86; ordered with close()/reopen()
        return (close_state_.load(std::memory_order_seq_cst) & 1) != 0;
    }

    /// Blocks until every slot is free, or `d` passes (false): every message
    /// written before (and every write in progress during) the call has been
    /// completely read.  Named forms: wait_until_empty(), _for, _until.
    bool wait_until_empty(const deadline& d) noexcept {
        return wait_for(drained_, is_drained(), is_drained(), [] { return false; }, d, no_pause_limit);
    }
    void wait_until_empty() noexcept { wait_until_empty(deadline::forever()); }
    template <class Rep, class Period>
    bool wait_until_empty_for(const std::chrono::duration<Rep, Period>& timeout) noexcept {
        return wait_until_empty(deadline(timeout));
    }
    template <class Clock, class Duration>
    bool wait_until_empty_until(const std::chrono::time_point<Clock, Duration>& when) noexcept {
        return wait_until_empty(deadline(when));
    }

protected:
    void* element(std::size_t i) noexcept { return slots_.element(i); }

    /// Claim a free slot (waiting as `d` allows), fill it, publish it.
    template <class Fill>
    bool write_with(const deadline& d, Fill&& fill) noexcept {
        static_assert(std::is_nothrow_invocable_v<Fill&, void*>, "element moves must not throw");
        const auto t = claim_for_write(d);
        if (!t) return false;
        fill(slots_.element(t->index));
        publish_write(*t);
        return true;
    }

    /// Claim a full slot (waiting as `d` allows, giving up when closed and
    /// empty), empty it, release it.
    template <class Drain>
    bool read_with(const deadline& d, Drain&& drain) noexcept {
        static_assert(std::is_nothrow_invocable_v<Drain&, void*>, "element moves must not throw");
        const auto t = claim_for_read(d);
        if (!t) return false;
        drain(slots_.element(t->index));
        publish_read(*t);
        return true;
    }

    // Waiting for a slot: the one blocking loop with each side's attempt and
    // stop condition.  Writers never stop (writes are allowed after close).
    std::optional<token> claim_for_write(const deadline& d) noexcept {
        return wait_for(
            writers_, [this] { return try_claim_write(); },
            [this](attempt kind) {
                if constexpr (claim_protocol_near<protocol_type, slots_type>)
                    return claim_.try_claim_write_near(slots_, kind);
                else
                    return try_claim_write();
            },
            [] { return false; }, d, max_pause_steps());
    }
    std::optional<token> claim_for_read(const deadline& d) noexcept {
        // A read stops at the first close() after it started, even if reopen()
        // followed: `since` is the close state at the start, and any change
        // from it is a close (close_state_ below).  try_ forms never stop.
        std::size_t since = 0;
        if (!d.is_no_wait())
            // relaxed: coherence alone orders it before the [BP-E2'] loads of the
            // same word below, and a close() that happens before this call is
            // seen (it reads that close or later).
            since = close_state_.load(std::memory_order_relaxed);
        return wait_for(
            readers_, [this] { return try_claim_read(); },
            [this](attempt kind) {
                if constexpr (claim_protocol_near<protocol_type, slots_type>)
                    return past_holes(claim_.try_claim_read_near(slots_, kind),
                                      [&] { return claim_.try_claim_read_near(slots_, kind); });
                else
                    return try_claim_read();
            },
            [this, since] {
                const std::size_t now = close_state_.load(std::memory_order_seq_cst);  // [BP-E2'] pairs with close()
                return now != since || (now & 1) != 0;  // closed since the start, or closed now
            },
            d, max_pause_steps());
    }
    /// The claim's limit on the pause steps of a blocking call
    /// (claim_protocol_paced), or none.
    unsigned max_pause_steps() const noexcept {
        if constexpr (claim_protocol_paced<protocol_type, slots_type>)
            return claim_.max_pause_steps(slots_);
        else
            return no_pause_limit;
    }

    /// One spin step of `channel`, with the claim's pause-step limit where
    /// the channel takes one (wait_channel_paced).
    [[gnu::always_inline]] static std::optional<msgpool::attempt> spin_step(channel_type& channel, unsigned round,
                                                                            unsigned max_pause_steps) noexcept {
        if constexpr (wait_channel_paced<channel_type>)
            return channel.spin(round, max_pause_steps);
        else
            return channel.spin(round);
    }

    std::optional<token> try_claim_write() noexcept { return claim_.try_claim_write(slots_); }
    std::optional<token> try_claim_read() noexcept {
        return past_holes(claim_.try_claim_read(slots_), [this] { return claim_.try_claim_read(slots_); });
    }

    // The four ways a claim ends, each the claim policy's event of the same
    // name followed by its notifications (also reached by the slot handles).
    void publish_write(token t) noexcept {
        claim_.publish_write(slots_, t);
        readers_.notify_one();  // [EC-E3] for one reader: one more message
    }
    void publish_read(token t) noexcept {
        const bool drained = claim_.publish_read(slots_, t);
        writers_.notify_one();               // [EC-E3] for one writer: one more free slot
        if (drained) drained_.notify_all();  // [EC-E3] for wait_until_empty
    }
    void abandon_write(token t) noexcept {
        if constexpr (claim_protocol_abandon_write<protocol_type, slots_type>) {
            const bool drained = claim_.abandon_write(slots_, t);
            writers_.notify_one();               // [EC-E3] for one writer: the slot is free again
            if (drained) drained_.notify_all();  // [EC-E3] for wait_until_empty
        }
    }

    // Bulk claims (concepts/claim_policy.hpp, claim_protocol_bulk): one claim
    // for several slots, where the claim protocol offers it on this storage;
    // each publish is followed by one notify per slot, as that many single
    // publishes would be ([EC-E3] after every slot's change).
    static constexpr bool has_bulk_claims = claim_protocol_bulk<protocol_type, slots_type>;
    auto try_claim_write_bulk(std::size_t n) noexcept
        requires has_bulk_claims
    {
        return claim_.try_claim_write_bulk(slots_, n);
    }
    auto try_claim_read_bulk(std::size_t n) noexcept
        requires has_bulk_claims
    {
        return claim_.try_claim_read_bulk(slots_, n);
    }
    template <class Bulk, class F>
    void for_each_index(const Bulk& b, F&& f) const noexcept {
        claim_.for_each_index(b, std::forward<F>(f));
    }
    template <class Bulk>
    void publish_write_bulk(const Bulk& b) noexcept {
        claim_.publish_write_bulk(slots_, b);
        for (std::size_t j = 0; j < b.count; ++j) readers_.notify_one();  // [EC-E3] one reader per message
    }
    template <class Bulk>
    void publish_read_bulk(const Bulk& b) noexcept {
        const bool drained = claim_.publish_read_bulk(slots_, b);
        for (std::size_t j = 0; j < b.count; ++j) writers_.notify_one();  // [EC-E3] one writer per free slot
        if (drained) drained_.notify_all();                                // [EC-E3] for wait_until_empty
    }

    /// A message claimed for reading goes back unread.  Only readers gain:
    /// writers and wait_until_empty see no change (the slot stayed occupied,
    /// so wait_until_empty never counted the message as read).
    void abandon_read(token t) noexcept
        requires claim_protocol_abandon_read<protocol_type, slots_type>
    {
        if (claim_.abandon_read(slots_, t)) readers_.notify_one();  // [EC-E3] for one reader: the message is back
    }

    /// Releases what owner `owner` held (crash recovery: an attached process
    /// proven dead; basic_shared_pool::recover): its claims, freed or
    /// published again by the claim policy, and its waiter registrations;
    /// then wakes every waiter.  Every one: a freed slot concerns writers, a
    /// returned message readers, a dead writer's hole in a ring the readers
    /// who must pass it, a drained pool wait_until_empty; and recovery is
    /// rare enough that sorting them out is not worth a missed wake-up.
    claim_recovery recover_owner(unsigned owner) noexcept
        requires claim_protocol_recovering<protocol_type, slots_type>
    {
        const claim_recovery r = claim_.recover_owner(slots_, owner);
        forget_process(readers_, owner);
        forget_process(writers_, owner);
        forget_process(drained_, owner);
        writers_.notify_all();  // [EC-E3]
        readers_.notify_all();  // [EC-E3]
        drained_.notify_all();  // [EC-E3]
        return r;
    }
    /// visit(index, owner, for_writing, element) for each slot a recorded
    /// owner holds (a snapshot; see the claim policy's visit_held).
    template <class Visit>
    void visit_held(Visit&& visit) const noexcept
        requires claim_protocol_recovering<protocol_type, slots_type>
    {
        claim_.visit_held(slots_, [&](std::size_t i, unsigned owner, bool for_writing) {
            visit(i, owner, for_writing, static_cast<const void*>(const_cast<slots_type&>(slots_).element(i)));
        });
    }

    /// The same for a claim policy that records no owners: only the waiter
    /// registrations.
    void forget_owner(unsigned owner) noexcept {
        forget_process(readers_, owner);
        forget_process(writers_, owner);
        forget_process(drained_, owner);
    }

private:
    // A read claim that came back with a hole token (claim_protocol_passes_holes)
    // is released as an empty read, with its notifications, and claimed again.
    template <class Again>
    std::optional<token> past_holes(std::optional<token> t, Again again) noexcept {
        if constexpr (claim_protocol_passes_holes<protocol_type, slots_type>)
            while (t && claim_.is_hole(*t)) {
                publish_read(*t);
                t = again();
            }
        return t;
    }

    static void forget_process(channel_type& c, unsigned owner) noexcept {
        if constexpr (requires { c.forget_process(owner); }) c.forget_process(owner);
    }

    auto is_drained() noexcept {
        return [this](auto...) { return claim_.is_drained(slots_); };
    }

    /// The one blocking loop: `attempt_near(attempt::first)`; spin and
    /// re-attempt while the channel names an attempt (unregistered: notifiers
    /// pay nothing; at most `max_pause_steps` pause steps where the channel
    /// takes the limit), `attempt_near(kind)` for the near kinds, which may look
    /// only near this thread's last claim and, but for attempt::last_near,
    /// hold back (concepts/attempt.hpp), `attempt()` for attempt::full; then
    /// register, re-attempt fully, check `stop`, sleep; until an attempt
    /// succeeds, `stop` holds or the deadline passes.  A timed wait always
    /// makes one more attempt after its deadline, so a waiter woken by a
    /// notify for it never leaves that notify unused.
    ///
    /// Always inlined into its caller: the claim and the notify around it are
    /// a few dozen instructions, and a call and the spills around it would be
    /// a fair part of an operation (GCC leaves a loop this size out of line
    /// unless told).
    template <class Attempt, class AttemptNear, class Stop>
    [[gnu::always_inline]] static auto wait_for(channel_type& channel, Attempt attempt, AttemptNear attempt_near,
                                                Stop stop, const deadline& d, unsigned max_pause_steps) noexcept {
        using result = decltype(attempt());
        if (d.is_no_wait()) return attempt();
        if (auto r = attempt_near(msgpool::attempt::first)) return r;
        // Crash recovery (concepts/sync_family.hpp, crash_recovering): when
        // this wait began to count, for the family's long_wait report after
        // every sleep and every long_wait_rounds spin rounds (a channel that
        // only spins never sleeps).  The clock is read once, at the first
        // registration (or the first report of a channel that never
        // registers): the spin phase before it is microseconds.
        [[maybe_unused]] typename Sync::clock::time_point since{};
        [[maybe_unused]] const auto start_long_wait = [&] {  // default capture: a family without crash recovery uses none
            if constexpr (crash_recovering<Sync>)
                if (since == typename Sync::clock::time_point{}) since = Sync::clock::now();
        };
        [[maybe_unused]] const auto report_long_wait = [&] {
            if constexpr (crash_recovering<Sync>) {
                start_long_wait();
                Sync::long_wait(&channel, since);
            }
        };
        for (unsigned round = 0;; ++round) {
            if (const std::optional<msgpool::attempt> next = spin_step(channel, round, max_pause_steps)) {  // unregistered
                if (auto r = *next == msgpool::attempt::full ? attempt() : attempt_near(*next)) return r;
                if (stop() || d.expired()) return attempt();  // closed or timed out: one last attempt (below)
                if constexpr (crash_recovering<Sync>)
                    if (round % long_wait_rounds == long_wait_rounds - 1) report_long_wait();
                continue;
            }
            start_long_wait();
            const auto key = channel.prepare_wait();  // [EC-E1], then the heavy barrier
            if (auto r = attempt()) {                 // [EC-E2]
                channel.cancel_wait();
                return r;
            }
            if (stop()) {
                // One more attempt after `stop` held: the attempt above ran
                // before stop()'s load, so messages written just before
                // close() (and close() itself) may have landed in between;
                // they happen before close()'s RMW, which stop() read (or a
                // later reopen()'s RMW, in its release sequence), so this
                // attempt sees them.  Without it a reader could return
                // false while the closed pool still holds a message.
                channel.cancel_wait();
                return attempt();
            }
            if (d.is_forever()) {
                channel.commit_wait(key);
            } else {
                if (d.expired()) {
                    channel.cancel_wait();
                    return result{};
                }
                // Timed out, not notified: the last attempt, without
                // registering again (which would cost a heavy barrier).
                if (!channel.commit_wait_until(key, d.template on<typename Sync::clock>())) return attempt();
            }
            // Woken (or spurious): one attempt before registering again,
            // which would cost a heavy barrier.
            if (auto r = attempt()) return r;
            report_long_wait();
        }
    }

    // Spin rounds between two long-wait reports of a channel that never
    // sleeps (wait::spin): each report reads the clock, and the rounds past
    // the first few are yields, each of which may hand the core away for a
    // time slice on a loaded machine, so the report cannot wait for many.
    static constexpr unsigned long_wait_rounds = 64;

    slots_type slots_;
    protocol_type claim_;
    channel_type readers_;  // readers waiting for a message or for close()
    channel_type writers_;  // writers waiting for a free slot
    channel_type drained_;  // wait_until_empty() callers
    // The close state: how many times the pool was closed or reopened, so odd
    // while closed.  A change is always a close or a reopen, and a reopen only
    // follows a close: a reader that finds it changed since its start knows a
    // close happened during its call (claim_for_read).
    typename Sync::template atomic<std::size_t> close_state_{0};
};

}  // namespace msgpool::detail
