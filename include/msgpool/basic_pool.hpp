// msgpool/basic_pool.hpp - the frame: a bounded multi-producer / multi-consumer
// pool assembled from a claim, a wait and a storage policy.
//
// Contract (docs/design.md has the long form):
//  * Exactly once: every message whose write returned success is returned by
//    exactly one read, unless the pool is destroyed first (then its element's
//    destructor runs once, like every slot's).
//  * Happens-before: everything a writer did before write() is visible to the
//    reader after read() returns that message.  The claim policy carries this
//    edge (its publish_write release pairs with its try_claim_read acquire).
//  * Bounded, exactly as asked: capacity() is what the constructor was given.
//  * write blocks while full; read blocks while empty and open, and returns
//    false once the pool is closed and empty.  No lost wake-ups.
//  * close() wakes every blocked reader; reads then drain what is left and
//    fail instead of blocking.  Writes stay allowed.  reopen() undoes close()
//    for reads that start after it; a read in progress at a close() fails
//    when it finds no message, even if reopen() followed at once.
//  * wait_until_empty() returns once every slot is free: every message written
//    (and every write in progress) has been completely read.
//  * Bulk forms (write_bulk, read_bulk) wait for the first slot like the
//    single forms, then take what they can without waiting: with one claim
//    for several slots where the claim policy offers it on the storage
//    (concepts/claim_policy.hpp, claim_protocol_bulk), else slot by slot.
//    Each slot is still claimed once and published once (alone or in its
//    bulk's publish), so exactly-once is the claim policy's argument, slot
//    by slot.  Slot handles (claim_write, claim_read,
//    <msgpool/slot_handle.hpp>) hold one claimed slot and always give it back.
//
// One primitive per verb over a msgpool::deadline (<msgpool/deadline.hpp>: no
// wait, forever, a time point of any clock, a duration): write, read,
// write_bulk, read_bulk, claim_write, claim_read, wait_until_empty (d, ...).
// The named forms (try_write, read_for, write_until ...) are one-liners over them.
//
// How the frame waits (detail/pool_core.hpp, the only loop in the library
// that blocks):
//      try to claim (attempt::first);      fast path: no registration, no fence
//      while channel.spin(round) names an attempt: try again, unregistered, with
//                                          that kind (concepts/attempt.hpp: near,
//                                          last_near after a pause, full after a yield)
//      loop: key = channel.prepare_wait(); [EC-E1] register, then the heavy barrier
//            try to claim again;           [EC-E2] re-check (the claim's loads and CAS)
//            stop condition (closed)?      [BP-E2'] seq_cst load, pairs with close()'s RMW
//            channel.commit_wait(key);     sleeps only if nobody notified since E1
//            try to claim again            (after a wake, before re-registering)
// and every operation that can make another thread's condition true notifies
// the matching channel after doing so ([EC-E3] in wait/detail/event_count.hpp).
//
// The frame names no concrete policy; <msgpool/pool.hpp> adds the default.  Slots
// of runtime-sized bytes (the C API's): basic_pool<raw_bytes, ...>, <msgpool/raw_bytes.hpp>.
#pragma once

#include <msgpool/detail/require_cpp20.hpp>

#include <chrono>
#include <concepts>
#include <cstddef>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <type_traits>
#include <utility>

#include <msgpool/deadline.hpp>
#include <msgpool/detail/element_copy.hpp>
#include <msgpool/detail/element_layout.hpp>
#include <msgpool/detail/pool_core.hpp>  // and the concepts
#include <msgpool/slot_handle.hpp>
#include <msgpool/sync/native.hpp>

namespace msgpool {

/// Element type tag for slots of untyped bytes whose size is given at run
/// time: basic_pool<raw_bytes, ...> is defined in <msgpool/raw_bytes.hpp>.
struct raw_bytes;

template <class T, claim_policy Claim, wait_policy Wait, storage_policy Storage, sync_family Sync = sync::native>
class basic_pool : public detail::pool_core<Claim, Wait, Storage, Sync> {
    static_assert(!std::is_same_v<T, raw_bytes>,
                  "msgpool: basic_pool<raw_bytes, ...> is defined in <msgpool/raw_bytes.hpp>; include it");
    static_assert(!std::is_reference_v<T> && !std::is_const_v<T> && !std::is_volatile_v<T> && !std::is_array_v<T>,
                  "msgpool: the element type must be a plain object type (no reference, const, volatile or array); "
                  "wrap arrays in std::array");
    static_assert(std::is_nothrow_move_constructible_v<T>,
                  "msgpool: the element type must be nothrow-move-constructible: a read or write moves elements "
                  "while it owns a slot, and an exception there would lose the message");
    static_assert(std::is_nothrow_move_assignable_v<T>,
                  "msgpool: the element type must be nothrow-move-assignable: a read or write moves elements "
                  "while it owns a slot, and an exception there would lose the message");
    static_assert(std::is_nothrow_destructible_v<T>, "msgpool: the element type's destructor must not throw");

    using core = detail::pool_core<Claim, Wait, Storage, Sync>;
    using typename core::protocol_type;
    using typename core::slots_type;
    using typename core::token;

    static constexpr bool copyable = std::copy_constructible<T>;
    // Bulk writes move from a contiguous range of T (std::span<T>, a vector)
    // and copy from one of const T (std::span<const T>, a const vector).
    template <class Values>
    static constexpr bool moved_from = std::is_convertible_v<Values&&, std::span<T>>;
    template <class Values>
    static constexpr bool bulk_source =
        moved_from<Values> || (copyable && std::is_convertible_v<Values&&, std::span<const T>>);

public:
    using value_type = T;

    /// Read handles need a claim whose held slot blocks nobody
    /// (claim_policy_read_handles): claim::cas_scan and index_queue, not
    /// fetch_add_ring, whose ring it would stall.
    static constexpr bool has_read_handles = claim_policy_read_handles<Claim>;
    /// Write handles need that too, and a claim that can give back an
    /// unpublished write slot (claim_policy_write_handles): the same policies.
    static constexpr bool has_write_handles = claim_policy_write_handles<Claim>;
    /// A read handle can put its message back unread (read_handle::put_back)
    /// when the claim can (claim_policy_put_back): claim::cas_scan and index_queue.
    static constexpr bool has_put_back = claim_policy_put_back<Claim>;

    /// Bulk forms take the slots after their first with one claim for several
    /// (concepts/claim_policy.hpp, claim_protocol_bulk): claim::cas_scan on
    /// storage with several slots per control word (one CAS per group),
    /// claim::fetch_add_ring under a family that does not recover crashes
    /// (one CAS per run of positions).  Elsewhere they claim slot by slot.
    static constexpr bool has_bulk_claims = core::has_bulk_claims;

    /// Move-only RAII handles to one claimed slot (<msgpool/slot_handle.hpp>).
    using write_handle = basic_write_handle<basic_pool>;
    using read_handle = basic_read_handle<basic_pool>;

    // ----------------------------------------------------------------- construction

    /// A pool of exactly `capacity` slots, each holding a default-constructed T.
    /// Throws std::invalid_argument for capacity 0 and std::length_error for a
    /// capacity whose slots cannot be allocated.
    explicit basic_pool(std::size_t capacity)
        requires std::default_initializable<T>
        : basic_pool(capacity, detail::element_layout::of<T>()) {
        construct_elements([](void* p, std::size_t) { ::new (p) T(); });
    }

    /// A pool whose slot i starts as set by `init`, called once per slot, in
    /// index order, either as `init(T& slot, i)` on a default-constructed T or
    /// as `T init(i)` (then T need not be default-constructible).  If `init`
    /// throws, the elements built so far are destroyed and the exception
    /// propagates.
    template <class Init>
        requires((std::default_initializable<T> && std::invocable<Init&, T&, std::size_t>) ||
                 std::is_invocable_r_v<T, Init&, std::size_t>)
    basic_pool(std::size_t capacity, Init init) : basic_pool(capacity, detail::element_layout::of<T>()) {
        if constexpr (std::default_initializable<T> && std::invocable<Init&, T&, std::size_t>) {
            construct_elements([](void* p, std::size_t) { ::new (p) T(); });
            for (std::size_t i = 0; i < capacity; ++i) init(*element_at(i), i);
        } else
            construct_elements([&](void* p, std::size_t i) { ::new (p) T(init(i)); });
    }

    /// A pool whose slots lie in `slot_memory` instead of the heap: for pools
    /// placed in memory several processes map (msgpool/basic_shared_pool.hpp,
    /// which sizes and aligns that memory); Storage is then a storage's
    /// in_place form.  Each slot holds a default-constructed T.
    basic_pool(in_place, void* slot_memory, std::size_t capacity)
        requires std::default_initializable<T> && std::constructible_from<slots_type, std::size_t,
                                                                         detail::element_layout, void*>
        : core(capacity, detail::element_layout::of<T>(), slot_memory) {
        construct_elements([](void* p, std::size_t) { ::new (p) T(); });
    }

    /// Destroys every slot's element exactly once, messages still in the pool
    /// included.  No thread may be using the pool any more.
    ~basic_pool() {
        if constexpr (!std::is_trivially_destructible_v<T>)
            for (std::size_t i = 0; i < constructed_; ++i) std::destroy_at(element_at(i));
    }

    // ----------------------------------------------------------------- the primitives, one per verb

    /// Claims a free slot, waiting as `d` allows, and moves `value` in (the
    /// copy form copies; the swap form gives the slot's old value to
    /// `displaced`; both may name one object, which then swaps with the slot).
    /// False when `d` passed first; the arguments are then untouched.  A copy
    /// that may throw is made before a slot is claimed.
    bool write(const deadline& d, T&& value) noexcept {
        return core::write_with(
            d, [&](void* slot) noexcept { detail::assign_element(*as_element(slot), std::move(value)); });
    }
    bool write(const deadline& d, const T& value)
        requires copyable
    {
        if constexpr (std::is_nothrow_copy_assignable_v<T>)
            return core::write_with(d, [&](void* slot) noexcept { detail::assign_element(*as_element(slot), value); });
        else
            return write(d, T(value));
    }
    bool write(const deadline& d, T&& value, T& displaced) noexcept {
        return core::write_with(d, [&](void* slot) noexcept { exchange(*as_element(slot), value, displaced); });
    }

    /// Claims a full slot, waiting as `d` allows, and moves its message into
    /// `out` (the swap form leaves `replacement` in the slot; both may name one
    /// object, which then swaps with the slot).  False when `d`
    /// passed first, or once the pool is closed and empty; `out` and
    /// `replacement` are then untouched.
    bool read(const deadline& d, T& out) noexcept {
        return core::read_with(
            d, [&](void* slot) noexcept { detail::assign_element(out, std::move(*as_element(slot))); });
    }
    bool read(const deadline& d, T& out, T&& replacement) noexcept {
        return core::read_with(d, [&](void* slot) noexcept { exchange(*as_element(slot), replacement, out); });
    }

    /// Bulk: waits as `d` allows for the first free slot only, then claims more
    /// while it finds them without waiting; returns k: values[0..k) were taken
    /// (moved, or copied from const T), the rest untouched.  A copy that may throw
    /// is made before its slot is claimed: a throw on the first element propagates
    /// with nothing written, on a later one ends the call.  Empty: 0 at once.
    template <class Values>
        requires bulk_source<Values>
    std::size_t write_bulk(const deadline& d, Values&& values) {
        if constexpr (moved_from<Values>)
            return write_bulk_with(d, std::span<T>(values));
        else
            return write_bulk_with(d, std::span<const T>(values));
    }

    /// Bulk: waits as `d` allows for the first message (giving up once the
    /// pool is closed and empty), then moves what is there, up to out.size(),
    /// into out[0..k) and returns k.  After the first message, one claim for
    /// several where the claim policy offers it; one notify per message.
    std::size_t read_bulk(const deadline& d, std::span<T> out) noexcept {
        if (out.empty()) return 0;
        const auto first = core::claim_for_read(d);
        if (!first) return 0;
        detail::assign_element(out[0], std::move(*element_at(first->index)));
        core::publish_read(*first);
        std::size_t k = 1;
        if constexpr (core::has_bulk_claims) {
            while (k < out.size()) {
                const auto b = core::try_claim_read_bulk(out.size() - k);
                if (!b) break;
                core::for_each_index(*b, [&](std::size_t i) noexcept {
                    detail::assign_element(out[k++], std::move(*element_at(i)));
                });
                core::publish_read_bulk(*b);
            }
        } else {
            for (; k < out.size(); ++k) {
                const auto t = core::try_claim_read();
                if (!t) break;
                detail::assign_element(out[k], std::move(*element_at(t->index)));
                core::publish_read(*t);
            }
        }
        return k;
    }

    /// Slot handles (<msgpool/slot_handle.hpp>): a claimed slot, waiting as `d`
    /// allows; false when `d` passed (or, reading, once closed and empty).  A
    /// held slot stays claimed, as inside a single write or read: wait_until_empty()
    /// waits for it.  Neither kind exists under claim::fetch_add_ring (above).
    write_handle claim_write(const deadline& d) noexcept
        requires claim_policy_write_handles<Claim>
    {
        if (const auto t = core::claim_for_write(d)) return write_handle(*this, *t);
        return write_handle();
    }
    read_handle claim_read(const deadline& d) noexcept
        requires claim_policy_read_handles<Claim>
    {
        if (const auto t = core::claim_for_read(d)) return read_handle(*this, *t);
        return read_handle();
    }

    // ----------------------------------------------------------------- the named forms

    void write(const T& value) requires copyable { write(deadline::forever(), value); }
    void write(T&& value) { write(deadline::forever(), std::move(value)); }
    void write(T&& value, T& displaced) { write(deadline::forever(), std::move(value), displaced); }
    bool try_write(const T& value) requires copyable { return write(deadline::no_wait(), value); }
    bool try_write(T&& value) { return write(deadline::no_wait(), std::move(value)); }
    bool try_write(T&& value, T& displaced) { return write(deadline::no_wait(), std::move(value), displaced); }
    template <class C, class D>
    bool write_until(T&& value, const std::chrono::time_point<C, D>& t) { return write(deadline(t), std::move(value)); }
    template <class C, class D>
    bool write_until(const T& value, const std::chrono::time_point<C, D>& t) requires copyable {
        return write(deadline(t), value);
    }
    template <class R, class P>
    bool write_for(T&& value, const std::chrono::duration<R, P>& d) { return write(deadline(d), std::move(value)); }
    template <class R, class P>
    bool write_for(const T& value, const std::chrono::duration<R, P>& d) requires copyable {
        return write(deadline(d), value);
    }

    bool read(T& out) { return read(deadline::forever(), out); }
    bool read(T& out, T&& replacement) { return read(deadline::forever(), out, std::move(replacement)); }
    bool try_read(T& out) { return read(deadline::no_wait(), out); }
    bool try_read(T& out, T&& replacement) { return read(deadline::no_wait(), out, std::move(replacement)); }
    template <class C, class D>
    bool read_until(T& out, const std::chrono::time_point<C, D>& t) { return read(deadline(t), out); }
    template <class C, class D>
    bool read_until(T& out, T&& replacement, const std::chrono::time_point<C, D>& t) {
        return read(deadline(t), out, std::move(replacement));
    }
    template <class R, class P>
    bool read_for(T& out, const std::chrono::duration<R, P>& d) { return read(deadline(d), out); }
    template <class R, class P>
    bool read_for(T& out, T&& replacement, const std::chrono::duration<R, P>& d) {
        return read(deadline(d), out, std::move(replacement));
    }

    template <class V>
        requires bulk_source<V>
    std::size_t write_bulk(V&& values) { return write_bulk(deadline::forever(), std::forward<V>(values)); }
    template <class V>
        requires bulk_source<V>
    std::size_t try_write_bulk(V&& values) { return write_bulk(deadline::no_wait(), std::forward<V>(values)); }
    template <class V, class C, class D>
        requires bulk_source<V>
    std::size_t write_bulk_until(V&& values, const std::chrono::time_point<C, D>& t) {
        return write_bulk(deadline(t), std::forward<V>(values));
    }
    template <class V, class R, class P>
        requires bulk_source<V>
    std::size_t write_bulk_for(V&& values, const std::chrono::duration<R, P>& d) {
        return write_bulk(deadline(d), std::forward<V>(values));
    }

    std::size_t read_bulk(std::span<T> out) noexcept { return read_bulk(deadline::forever(), out); }
    std::size_t try_read_bulk(std::span<T> out) noexcept { return read_bulk(deadline::no_wait(), out); }
    template <class C, class D>
    std::size_t read_bulk_until(std::span<T> out, const std::chrono::time_point<C, D>& t) {
        return read_bulk(deadline(t), out);
    }
    template <class R, class P>
    std::size_t read_bulk_for(std::span<T> out, const std::chrono::duration<R, P>& d) {
        return read_bulk(deadline(d), out);
    }

    write_handle claim_write() noexcept
        requires claim_policy_write_handles<Claim> { return claim_write(deadline::forever()); }
    write_handle try_claim_write() noexcept
        requires claim_policy_write_handles<Claim> { return claim_write(deadline::no_wait()); }
    template <class C, class D>
    write_handle claim_write_until(const std::chrono::time_point<C, D>& t) noexcept
        requires claim_policy_write_handles<Claim> {
        return claim_write(deadline(t));
    }
    template <class R, class P>
    write_handle claim_write_for(const std::chrono::duration<R, P>& d) noexcept
        requires claim_policy_write_handles<Claim> {
        return claim_write(deadline(d));
    }
    read_handle claim_read() noexcept
        requires claim_policy_read_handles<Claim> { return claim_read(deadline::forever()); }
    read_handle try_claim_read() noexcept
        requires claim_policy_read_handles<Claim> { return claim_read(deadline::no_wait()); }
    template <class C, class D>
    read_handle claim_read_until(const std::chrono::time_point<C, D>& t) noexcept
        requires claim_policy_read_handles<Claim> { return claim_read(deadline(t)); }
    template <class R, class P>
    read_handle claim_read_for(const std::chrono::duration<R, P>& d) noexcept
        requires claim_policy_read_handles<Claim> { return claim_read(deadline(d)); }

    // ----------------------------------------------------------------- idle access

    /// Calls `f(element, i)` for every slot i in index order, in place, whatever
    /// the slot holds (a message or a free slot's value).  Precondition: no
    /// other thread uses the pool during the call (the caller's join or other
    /// synchronisation orders it with every earlier read and write).
    template <class F>
    void for_each_element(F&& f) {
        for (std::size_t i = 0; i < this->capacity(); ++i) f(*element_at(i), i);
    }

private:
    basic_pool(std::size_t capacity, detail::element_layout layout) : core(capacity, layout) {}

    // Runs in the body of a constructor that delegated to the one above, so
    // the object already counts as constructed: if `construct` (or a later
    // `init`) throws, the destructor runs and destroys exactly the
    // `constructed_` elements built.
    template <class Construct>
    void construct_elements(Construct construct) {
        for (; constructed_ < this->capacity(); ++constructed_) construct(core::element(constructed_), constructed_);
    }

    static T* as_element(void* p) noexcept { return std::launder(static_cast<T*>(p)); }
    T* element_at(std::size_t i) noexcept { return as_element(core::element(i)); }

    /// The swap forms' move: `out` takes what the slot held, the slot takes
    /// `in`.  One object as both swaps with the slot (the two moves would lose
    /// the message and keep the slot's old value), as raw_bytes' forms do.
    static void exchange(T& slot, T& in, T& out) noexcept {
        if (std::addressof(in) == std::addressof(out)) return std::swap(slot, in);
        out = std::move(slot);
        slot = std::move(in);
    }

    /// The first slot as write() claims it, then every slot that is free
    /// without waiting, up to values.size(): moved from a span of T, copied
    /// from a span of const T.  A copy that may throw is made into `staged`
    /// before its slot is claimed, so that form claims slot by slot.
    template <class U>
    std::size_t write_bulk_with(const deadline& d, std::span<U> values) {
        constexpr bool staged_copy = std::is_const_v<U> && !std::is_nothrow_copy_assignable_v<T>;
        std::optional<T> staged;
        auto fill = [&](T& slot, std::size_t k) noexcept {
            if constexpr (staged_copy)
                detail::assign_element(slot, std::move(*staged));
            else if constexpr (std::is_const_v<U>)
                detail::assign_element(slot, values[k]);
            else
                detail::assign_element(slot, std::move(values[k]));
        };
        if (values.empty()) return 0;
        if constexpr (core::has_bulk_claims && !staged_copy) {
            // One claim for several slots after the first; fill assigns
            // without throwing, so nothing can end the call in a bulk.
            const auto first = core::claim_for_write(d);
            if (!first) return 0;
            fill(*element_at(first->index), 0);
            core::publish_write(*first);
            std::size_t k = 1;
            while (k < values.size()) {
                const auto b = core::try_claim_write_bulk(values.size() - k);
                if (!b) break;
                core::for_each_index(*b, [&](std::size_t i) noexcept { fill(*element_at(i), k++); });
                core::publish_write_bulk(*b);  // one notify per message, after the bulk's publish
            }
            return k;
        } else {
            if constexpr (staged_copy) staged.emplace(values[0]);  // may throw: nothing is claimed yet
            std::size_t k = 0;
            for (auto t = core::claim_for_write(d); t; t = core::try_claim_write()) {
                fill(*element_at(t->index), k);
                core::publish_write(*t);  // one notify per message: one reader per message may be waiting
                if (++k == values.size()) break;
                if constexpr (staged_copy) {
                    try {
                        staged.emplace(values[k]);
                    } catch (...) {
                        break;  // k messages written; the next call copies values[k] first and throws there
                    }
                }
            }
            return k;
        }
    }

    // ---- slot handles
    using token_type = token;
    friend write_handle;
    friend read_handle;
    template <class Pool, class Handle>
    friend class detail::held_slot;  // the handles' shared part: reaches handle_element and token_type
    T* handle_element(token t) noexcept { return element_at(t.index); }

    std::size_t constructed_ = 0;  // elements constructed so far (all of them once construction finished)
};

}  // namespace msgpool
