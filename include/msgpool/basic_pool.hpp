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
//    fail instead of blocking.  Writes stay allowed.  reopen() undoes close().
//  * wait_until_empty() returns once every slot is free: every message written
//    (and every write in progress) has been completely read.
//  * Bulk forms (write_bulk, read_bulk) wait for the first slot like the
//    single forms, then take what they can without waiting; slot handles
//    (claim_write, claim_read, <msgpool/slot_handle.hpp>) hold one claimed
//    slot and always give it back.  Each message is still one claim and one
//    publish, so exactly-once is the single operations' argument.
//
// How the frame waits (the only loop in the library that blocks):
//      try to claim (the claim's round-0 attempt); fast path: no registration, no fence
//      while channel.spin(round) != none: try again, unregistered (the claim's
//                                          round attempt after a pause, a full one after a yield)
//      loop: key = channel.prepare_wait(); [E1] register, then the heavy barrier
//            try to claim again;           [E2] re-check (the claim's loads and CAS)
//            stop condition (closed)?      [E2'] seq_cst load, pairs with close()'s store
//            channel.commit_wait(key);     sleeps only if nobody notified since E1
//            try to claim again            (after a wake, before re-registering)
// and every operation that can make another thread's condition true notifies
// the matching channel after doing so ([E3] in wait/detail/event_count.hpp).
//
// The frame names no concrete policy; <msgpool/pool.hpp> adds the default.
#pragma once

#include <msgpool/detail/require_cpp20.hpp>

#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include <msgpool/concepts/claim_policy.hpp>
#include <msgpool/concepts/storage_policy.hpp>
#include <msgpool/concepts/sync_family.hpp>
#include <msgpool/concepts/wait_policy.hpp>
#include <msgpool/detail/deadline.hpp>
#include <msgpool/detail/element_layout.hpp>
#include <msgpool/slot_handle.hpp>
#include <msgpool/sync/native.hpp>

namespace msgpool {

/// Element type tag: slots hold untyped bytes whose size is given at run time
/// (`basic_pool<raw_bytes, ...>(capacity, element_size)`).  The C API is built
/// on this; C++ users normally name their own element type.
struct raw_bytes {};

namespace detail {
template <class T>
concept pool_element = std::same_as<T, raw_bytes> ||
    (std::is_object_v<T> && !std::is_const_v<T> && !std::is_volatile_v<T> && !std::is_array_v<T> &&
     std::is_nothrow_move_constructible_v<T> && std::is_nothrow_move_assignable_v<T> &&
     std::is_nothrow_destructible_v<T>);
}  // namespace detail

template <class T, claim_policy Claim, wait_policy Wait, storage_policy Storage, sync_family Sync = sync::native>
class basic_pool {
    static_assert(!std::is_reference_v<T> && !std::is_const_v<T> && !std::is_volatile_v<T> && !std::is_array_v<T>,
                  "msgpool: the element type must be a plain object type (no reference, const, volatile or array); "
                  "wrap arrays in std::array");
    static_assert(std::same_as<T, raw_bytes> || std::is_nothrow_move_constructible_v<T>,
                  "msgpool: the element type must be nothrow-move-constructible: a read or write moves elements "
                  "while it owns a slot, and an exception there would lose the message");
    static_assert(std::same_as<T, raw_bytes> || std::is_nothrow_move_assignable_v<T>,
                  "msgpool: the element type must be nothrow-move-assignable: a read or write moves elements "
                  "while it owns a slot, and an exception there would lose the message");
    static_assert(std::same_as<T, raw_bytes> || std::is_nothrow_destructible_v<T>,
                  "msgpool: the element type's destructor must not throw");

    static constexpr bool is_raw = std::same_as<T, raw_bytes>;

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

    // Bulk writes: the copy forms take any range that converts to a span of
    // const T but not to a span of T (that one is the move form, so a
    // non-const vector is not ambiguous between the two).
    template <class Values>
    static constexpr bool copied_from =
        std::is_convertible_v<Values&&, std::span<const T>> && !std::is_convertible_v<Values&&, std::span<T>>;

public:
    using value_type = T;
    using claim_type = Claim;
    using wait_type = Wait;
    using storage_type = Storage;
    using sync_type = Sync;

    /// True when the claim policy can give back an unpublished write slot
    /// (concepts/claim_policy.hpp, claim_protocol_abandon_write), which write
    /// handles need: claim::cas_scan and claim::index_queue, not
    /// claim::fetch_add_ring.
    static constexpr bool has_write_handles = claim_protocol_abandon_write<protocol_type, slots_type>;

    /// Move-only RAII handles to one claimed slot (<msgpool/slot_handle.hpp>).
    using write_handle = basic_write_handle<basic_pool>;
    using read_handle = basic_read_handle<basic_pool>;

    // ----------------------------------------------------------------- construction

    /// A pool of exactly `capacity` slots, each holding a default-constructed T.
    /// Throws std::invalid_argument for capacity 0 and std::length_error for a
    /// capacity whose slots cannot be allocated.
    explicit basic_pool(std::size_t capacity)
        requires(!is_raw && std::default_initializable<T>)
        : basic_pool(capacity, detail::element_layout::of<T>()) {
        construct_elements([](void* p, std::size_t) { ::new (p) T(); });
    }

    /// A pool whose slot i starts as set by `init`, called once per slot, in
    /// index order, either as `init(T& slot, i)` on a default-constructed T or
    /// as `T init(i)` (then T need not be default-constructible).  If `init`
    /// throws, the elements built so far are destroyed and the exception
    /// propagates.
    template <class Init>
        requires(!is_raw && ((std::default_initializable<T> && std::invocable<Init&, T&, std::size_t>) ||
                             std::is_invocable_r_v<T, Init&, std::size_t>))
    basic_pool(std::size_t capacity, Init init) : basic_pool(capacity, detail::element_layout::of<T>()) {
        if constexpr (std::default_initializable<T> && std::invocable<Init&, T&, std::size_t>) {
            construct_elements([](void* p, std::size_t) { ::new (p) T(); });
            for (std::size_t i = 0; i < slots_.capacity(); ++i) init(*element_at(i), i);
        } else
            construct_elements([&](void* p, std::size_t i) { ::new (p) T(init(i)); });
    }

    /// raw_bytes: `capacity` slots of `element_size` bytes each, zero-filled.
    basic_pool(std::size_t capacity, std::size_t element_size)
        requires is_raw
        : basic_pool(capacity, detail::element_layout::bytes(element_size)) {
        element_size_ = element_size;
        construct_elements([this](void* p, std::size_t) { std::memset(p, 0, element_size_); });
    }

    /// raw_bytes: as above, then `init(void* element, i)` once per slot.
    template <class Init>
        requires(is_raw && std::invocable<Init&, void*, std::size_t>)
    basic_pool(std::size_t capacity, std::size_t element_size, Init init) : basic_pool(capacity, element_size) {
        for (std::size_t i = 0; i < capacity; ++i) init(slots_.element(i), i);
    }

    /// Destroys every slot's element exactly once, messages still in the pool
    /// included.  No thread may be using the pool any more.
    ~basic_pool() {
        if constexpr (!is_raw && !std::is_trivially_destructible_v<T>)
            for (std::size_t i = 0; i < constructed_; ++i) std::destroy_at(element_at(i));
    }

    basic_pool(const basic_pool&) = delete;
    basic_pool& operator=(const basic_pool&) = delete;

    // ----------------------------------------------------------------- observers

    /// The number of slots, exactly as given to the constructor.
    std::size_t capacity() const noexcept { return slots_.capacity(); }

    /// Messages in the pool.  Exact when no operation is in progress; otherwise
    /// it may already be stale when it returns (hence `was_`).
    std::size_t was_size() const noexcept { return claim_.was_size(slots_); }
    bool was_empty() const noexcept { return was_size() == 0; }

    /// raw_bytes only: the element size in bytes.
    std::size_t element_size() const noexcept
        requires is_raw
    {
        return element_size_;
    }

    /// Bytes the slot array allocated (the claim policy's own counters and
    /// queues not included); for footprint comparisons.
    std::size_t slot_bytes() const noexcept
        requires storage_footprint<slots_type>
    {
        return slots_.footprint_bytes();
    }

    // ----------------------------------------------------------------- write (typed)

    /// Blocks while the pool is full, then stores a copy of `value`.
    void write(const T& value)
        requires(!is_raw && std::copy_constructible<T>)
    {
        if constexpr (std::is_nothrow_copy_assignable_v<T>)
            write_with(detail::forever{}, [&](void* slot) noexcept { *as_element(slot) = value; });
        else
            write(T(value));  // a copy that may throw is made before a slot is claimed
    }

    /// Blocks while the pool is full, then moves `value` in.
    void write(T&& value)
        requires(!is_raw)
    {
        write_with(detail::forever{}, move_in(value));
    }

    /// Swap write: blocks while full; `displaced` receives what the slot held
    /// (a recycled buffer, for instance) and the slot takes `value`.
    void write(T&& value, T& displaced)
        requires(!is_raw)
    {
        write_with(detail::forever{}, swap_in(value, displaced));
    }

    /// Non-blocking: false when the pool is full, and then `value` is untouched.
    bool try_write(const T& value)
        requires(!is_raw && std::copy_constructible<T>)
    {
        if constexpr (std::is_nothrow_copy_assignable_v<T>)
            return write_with(detail::no_wait{}, [&](void* slot) noexcept { *as_element(slot) = value; });
        else
            return try_write(T(value));
    }
    bool try_write(T&& value)
        requires(!is_raw)
    {
        return write_with(detail::no_wait{}, move_in(value));
    }
    bool try_write(T&& value, T& displaced)
        requires(!is_raw)
    {
        return write_with(detail::no_wait{}, swap_in(value, displaced));
    }

    /// Timed: blocks at most until `deadline` (any clock) or for `timeout`;
    /// false on timeout, and then the argument is untouched.
    template <class Clock, class Duration>
    bool write_until(T&& value, const std::chrono::time_point<Clock, Duration>& deadline)
        requires(!is_raw)
    {
        return write_with(detail::until<Clock, Duration>{deadline}, move_in(value));
    }
    template <class Clock, class Duration>
    bool write_until(const T& value, const std::chrono::time_point<Clock, Duration>& deadline)
        requires(!is_raw && std::copy_constructible<T>)
    {
        return write_until(T(value), deadline);
    }
    template <class Rep, class Period>
    bool write_for(T&& value, const std::chrono::duration<Rep, Period>& timeout)
        requires(!is_raw)
    {
        return write_with(detail::from_now(timeout), move_in(value));
    }
    template <class Rep, class Period>
    bool write_for(const T& value, const std::chrono::duration<Rep, Period>& timeout)
        requires(!is_raw && std::copy_constructible<T>)
    {
        return write_for(T(value), timeout);
    }

    // ----------------------------------------------------------------- read (typed)

    /// Blocks while the pool is empty and open; moves a message into `out`.
    /// Returns false, leaving `out` untouched, once the pool is closed and empty.
    bool read(T& out)
        requires(!is_raw)
    {
        return read_with(detail::forever{}, move_out(out));
    }

    /// Swap read: as read(out), and the slot keeps `replacement` (for example
    /// an empty buffer to be filled by the next writer).  `replacement` is
    /// untouched when no message is returned.
    bool read(T& out, T&& replacement)
        requires(!is_raw)
    {
        return read_with(detail::forever{}, swap_out(out, replacement));
    }

    /// Non-blocking: false when the pool is empty.
    bool try_read(T& out)
        requires(!is_raw)
    {
        return read_with(detail::no_wait{}, move_out(out));
    }
    bool try_read(T& out, T&& replacement)
        requires(!is_raw)
    {
        return read_with(detail::no_wait{}, swap_out(out, replacement));
    }

    /// Timed: false on timeout, or once the pool is closed and empty.
    template <class Clock, class Duration>
    bool read_until(T& out, const std::chrono::time_point<Clock, Duration>& deadline)
        requires(!is_raw)
    {
        return read_with(detail::until<Clock, Duration>{deadline}, move_out(out));
    }
    template <class Rep, class Period>
    bool read_for(T& out, const std::chrono::duration<Rep, Period>& timeout)
        requires(!is_raw)
    {
        return read_with(detail::from_now(timeout), move_out(out));
    }
    template <class Clock, class Duration>
    bool read_until(T& out, T&& replacement, const std::chrono::time_point<Clock, Duration>& deadline)
        requires(!is_raw)
    {
        return read_with(detail::until<Clock, Duration>{deadline}, swap_out(out, replacement));
    }
    template <class Rep, class Period>
    bool read_for(T& out, T&& replacement, const std::chrono::duration<Rep, Period>& timeout)
        requires(!is_raw)
    {
        return read_with(detail::from_now(timeout), swap_out(out, replacement));
    }

    // ----------------------------------------------------------------- raw_bytes forms
    // `src`/`dst` point to element_size() bytes.  `displaced` (write) receives
    // the bytes the slot held; `replacement` (read) is stored into the slot
    // after the message is copied out.  Either may be null.  `displaced` may
    // even equal `src`: the bytes are then swapped.

    void write(const void* src, void* displaced = nullptr)
        requires is_raw
    {
        write_with(detail::forever{}, copy_in(src, displaced));
    }
    bool try_write(const void* src, void* displaced = nullptr)
        requires is_raw
    {
        return write_with(detail::no_wait{}, copy_in(src, displaced));
    }
    template <class Clock, class Duration>
    bool write_until(const void* src, void* displaced, const std::chrono::time_point<Clock, Duration>& deadline)
        requires is_raw
    {
        return write_with(detail::until<Clock, Duration>{deadline}, copy_in(src, displaced));
    }
    template <class Rep, class Period>
    bool write_for(const void* src, void* displaced, const std::chrono::duration<Rep, Period>& timeout)
        requires is_raw
    {
        return write_with(detail::from_now(timeout), copy_in(src, displaced));
    }

    bool read(void* dst, const void* replacement = nullptr)
        requires is_raw
    {
        return read_with(detail::forever{}, copy_out(dst, replacement));
    }
    bool try_read(void* dst, const void* replacement = nullptr)
        requires is_raw
    {
        return read_with(detail::no_wait{}, copy_out(dst, replacement));
    }
    template <class Clock, class Duration>
    bool read_until(void* dst, const void* replacement, const std::chrono::time_point<Clock, Duration>& deadline)
        requires is_raw
    {
        return read_with(detail::until<Clock, Duration>{deadline}, copy_out(dst, replacement));
    }
    template <class Rep, class Period>
    bool read_for(void* dst, const void* replacement, const std::chrono::duration<Rep, Period>& timeout)
        requires is_raw
    {
        return read_with(detail::from_now(timeout), copy_out(dst, replacement));
    }

    // ----------------------------------------------------------------- bulk (typed)
    // Many messages per call.  A bulk write waits (as the single form would,
    // blocking, try_ or timed) for the first free slot only, then claims
    // further slots while it finds them without waiting, and returns k, the
    // number of messages written: values[0..k) were taken, the rest are
    // untouched.  A bulk read waits likewise for the first message (and gives
    // up once the pool is closed and empty), then takes what is there, up to
    // out.size(), into out[0..k).  An empty span returns 0 at once, without
    // waiting.  Every message is its own claim and publish, with the single
    // forms' notifications, so exactly-once holds as for them; the gain is one
    // call and one wait for many messages.  No raw_bytes forms (the C API
    // moves one message per call).

    /// Blocks until a slot is free, then moves in values[0..k) for as many
    /// slots as are free without waiting (k >= 1 unless `values` is empty).
    /// Moves from the caller's elements: pass a span of const T (or a const
    /// range) to copy instead.
    std::size_t write_bulk(std::span<T> values)
        requires(!is_raw)
    {
        return write_bulk_with(detail::forever{}, values.size(), moved_from(values));
    }
    /// Copy form: any contiguous range of const T (std::span<const T>, a const
    /// std::vector<T>&, ...).  If copying may throw, each copy is made before
    /// its slot is claimed, as write(const T&) does: a throw on the first
    /// element propagates with nothing written; a throw on a later one ends
    /// the call, which returns the count written so far, and the caller's next
    /// call (starting at that element) copies it again first.
    template <class Values>
        requires(!is_raw && std::copy_constructible<T> && copied_from<Values>)
    std::size_t write_bulk(Values&& values) {
        const std::span<const T> v(values);
        return write_bulk_with(detail::forever{}, v.size(), copied_from_span(v));
    }

    /// Non-blocking: 0 when the pool is full.
    std::size_t try_write_bulk(std::span<T> values)
        requires(!is_raw)
    {
        return write_bulk_with(detail::no_wait{}, values.size(), moved_from(values));
    }
    template <class Values>
        requires(!is_raw && std::copy_constructible<T> && copied_from<Values>)
    std::size_t try_write_bulk(Values&& values) {
        const std::span<const T> v(values);
        return write_bulk_with(detail::no_wait{}, v.size(), copied_from_span(v));
    }

    /// Timed: 0 when no slot became free in time.
    template <class Clock, class Duration>
    std::size_t write_bulk_until(std::span<T> values, const std::chrono::time_point<Clock, Duration>& deadline)
        requires(!is_raw)
    {
        return write_bulk_with(detail::until<Clock, Duration>{deadline}, values.size(), moved_from(values));
    }
    template <class Values, class Clock, class Duration>
        requires(!is_raw && std::copy_constructible<T> && copied_from<Values>)
    std::size_t write_bulk_until(Values&& values, const std::chrono::time_point<Clock, Duration>& deadline) {
        const std::span<const T> v(values);
        return write_bulk_with(detail::until<Clock, Duration>{deadline}, v.size(), copied_from_span(v));
    }
    template <class Rep, class Period>
    std::size_t write_bulk_for(std::span<T> values, const std::chrono::duration<Rep, Period>& timeout)
        requires(!is_raw)
    {
        return write_bulk_with(detail::from_now(timeout), values.size(), moved_from(values));
    }
    template <class Values, class Rep, class Period>
        requires(!is_raw && std::copy_constructible<T> && copied_from<Values>)
    std::size_t write_bulk_for(Values&& values, const std::chrono::duration<Rep, Period>& timeout) {
        const std::span<const T> v(values);
        return write_bulk_with(detail::from_now(timeout), v.size(), copied_from_span(v));
    }

    /// Blocks while the pool is empty and open, then moves up to out.size()
    /// messages that are there into out[0..k) and returns k.  Returns 0 once
    /// the pool is closed and empty (or at once for an empty span).
    std::size_t read_bulk(std::span<T> out) noexcept
        requires(!is_raw)
    {
        return read_bulk_with(detail::forever{}, out);
    }
    /// Non-blocking: 0 when the pool is empty.
    std::size_t try_read_bulk(std::span<T> out) noexcept
        requires(!is_raw)
    {
        return read_bulk_with(detail::no_wait{}, out);
    }
    /// Timed: 0 on timeout, or once the pool is closed and empty.
    template <class Clock, class Duration>
    std::size_t read_bulk_until(std::span<T> out, const std::chrono::time_point<Clock, Duration>& deadline)
        requires(!is_raw)
    {
        return read_bulk_with(detail::until<Clock, Duration>{deadline}, out);
    }
    template <class Rep, class Period>
    std::size_t read_bulk_for(std::span<T> out, const std::chrono::duration<Rep, Period>& timeout)
        requires(!is_raw)
    {
        return read_bulk_with(detail::from_now(timeout), out);
    }

    // ----------------------------------------------------------------- slot handles (typed)
    // Zero-copy access to a claimed slot's element (<msgpool/slot_handle.hpp>).
    // A write handle is committed (publishes the message) or, when destroyed
    // or reset without commit, returns its slot empty: no message appears and
    // the slot is never lost.  A read handle frees its slot when released or
    // destroyed.  While a handle is held its slot stays claimed, exactly as
    // between the claim and the publish of a single write or read, with the
    // same consequences: wait_until_empty() waits for it, and under
    // claim::fetch_add_ring a held read slot stalls that slot's next writer,
    // so there a thread holding a read handle must not write (any write form,
    // try_ too: its write may come round to the held slot and wait for
    // itself).  Write handles need has_write_handles (not
    // claim::fetch_add_ring, whose claimed ring positions cannot be given
    // back).

    /// Blocks while the pool is full; returns a handle to an empty slot.
    write_handle claim_write() noexcept
        requires(!is_raw && claim_protocol_abandon_write<protocol_type, slots_type>)
    {
        return claim_write_with(detail::forever{});
    }
    /// Non-blocking: a handle that tests false when the pool is full.
    write_handle try_claim_write() noexcept
        requires(!is_raw && claim_protocol_abandon_write<protocol_type, slots_type>)
    {
        return claim_write_with(detail::no_wait{});
    }
    /// Timed: a handle that tests false on timeout.
    template <class Clock, class Duration>
    write_handle claim_write_until(const std::chrono::time_point<Clock, Duration>& deadline)
        requires(!is_raw && claim_protocol_abandon_write<protocol_type, slots_type>)
    {
        return claim_write_with(detail::until<Clock, Duration>{deadline});
    }
    template <class Rep, class Period>
    write_handle claim_write_for(const std::chrono::duration<Rep, Period>& timeout)
        requires(!is_raw && claim_protocol_abandon_write<protocol_type, slots_type>)
    {
        return claim_write_with(detail::from_now(timeout));
    }

    /// Blocks while the pool is empty and open; returns a handle to a full
    /// slot, or one that tests false once the pool is closed and empty.
    read_handle claim_read() noexcept
        requires(!is_raw)
    {
        return claim_read_with(detail::forever{});
    }
    /// Non-blocking: a handle that tests false when the pool is empty.
    read_handle try_claim_read() noexcept
        requires(!is_raw)
    {
        return claim_read_with(detail::no_wait{});
    }
    /// Timed: a handle that tests false on timeout, or once closed and empty.
    template <class Clock, class Duration>
    read_handle claim_read_until(const std::chrono::time_point<Clock, Duration>& deadline)
        requires(!is_raw)
    {
        return claim_read_with(detail::until<Clock, Duration>{deadline});
    }
    template <class Rep, class Period>
    read_handle claim_read_for(const std::chrono::duration<Rep, Period>& timeout)
        requires(!is_raw)
    {
        return claim_read_with(detail::from_now(timeout));
    }

    // ----------------------------------------------------------------- close, reopen, drain

    /// Wakes every blocked reader; from now on reads that find the pool empty
    /// return false instead of blocking.  Writes are still accepted.
    void close() noexcept {
        // The Dekker pair with a waiting reader ([E1], heavy barrier, [E2'] load) is closed
        // by notify_all's light barrier against the reader's heavy barrier, as for any
        // publish (wait/detail/event_count.hpp); a release store would do, and its release is what
        // [E2'] pairs with.  seq_cst is stronger than needed, kept so that close(), reopen()
        // and is_closed() take part in the one total order S of seq_cst operations: every
        // observer agrees where a close or a reopen falls among them.
        closed_.store(true, std::memory_order_seq_cst);  // seq_cst: see above; [E2'] pairs with it
        readers_.notify_all();                           // [E3]
    }

    /// Reads block again while the pool is empty.
    void reopen() noexcept {
        closed_.store(false, std::memory_order_seq_cst);  // seq_cst: one order with close() for all observers
    }

    bool is_closed() const noexcept {
        return closed_.load(std::memory_order_seq_cst);  // seq_cst: a plain load on x86; ordered with close()/reopen()
    }

    /// Blocks until every slot is free: every message written before (and
    /// every write in progress during) the call has been completely read.
    void wait_until_empty() noexcept {
        wait_for(drained_, is_drained(), is_drained(), [] { return false; }, detail::forever{});
    }

    /// Timed wait_until_empty: false if the pool was not drained in time.
    template <class Rep, class Period>
    bool wait_until_empty_for(const std::chrono::duration<Rep, Period>& timeout) noexcept {
        return wait_for(drained_, is_drained(), is_drained(), [] { return false; }, detail::from_now(timeout));
    }

    // ----------------------------------------------------------------- idle access

    /// Calls `f(element, i)` for every slot i in index order, in place, whatever
    /// the slot holds (a message or a free slot's value); `element` is a `T&`,
    /// or a `void*` to element_size() bytes for raw_bytes.  Precondition: no
    /// other thread uses the pool during the call (the caller's join or other
    /// synchronisation orders it with every earlier read and write).  The C
    /// API's msgpool_init, which sets slots up or releases what they hold.
    template <class F>
    void for_each_element(F&& f) {
        for (std::size_t i = 0; i < capacity(); ++i) {
            if constexpr (is_raw)
                f(slots_.element(i), i);
            else
                f(*element_at(i), i);
        }
    }

private:
    basic_pool(std::size_t capacity, detail::element_layout layout)
        : slots_(checked_capacity(capacity), layout), claim_(capacity) {}

    static std::size_t checked_capacity(std::size_t capacity) {
        if (capacity == 0) throw std::invalid_argument("msgpool: capacity must be at least 1, got 0");
        return capacity;
    }

    // Runs in the body of a constructor that delegated to the private one, so
    // the object already counts as constructed: if `construct` throws, the
    // destructor runs and destroys exactly the `constructed_` elements built.
    template <class Construct>
    void construct_elements(Construct construct) {
        for (; constructed_ < capacity(); ++constructed_) construct(slots_.element(constructed_), constructed_);
    }

    static T* as_element(void* p) noexcept
        requires(!is_raw)
    {
        return std::launder(static_cast<T*>(p));
    }
    T* element_at(std::size_t i) noexcept
        requires(!is_raw)
    {
        return as_element(slots_.element(i));
    }

    // Element moves, done while the caller owns the slot; all noexcept.
    static auto move_in(T& value) noexcept
        requires(!is_raw)
    {
        return [&value](void* slot) noexcept { *as_element(slot) = std::move(value); };
    }
    static auto swap_in(T& value, T& displaced) noexcept
        requires(!is_raw)
    {
        return [&value, &displaced](void* slot) noexcept {
            T& s = *as_element(slot);
            displaced = std::move(s);
            s = std::move(value);
        };
    }
    static auto move_out(T& out) noexcept
        requires(!is_raw)
    {
        return [&out](void* slot) noexcept { out = std::move(*as_element(slot)); };
    }
    static auto swap_out(T& out, T& replacement) noexcept
        requires(!is_raw)
    {
        return [&out, &replacement](void* slot) noexcept {
            T& s = *as_element(slot);
            out = std::move(s);
            s = std::move(replacement);
        };
    }
    auto copy_in(const void* src, void* displaced) const noexcept {
        return [src, displaced, n = element_size_](void* slot) noexcept {
            if (displaced == nullptr) {
                std::memcpy(slot, src, n);
            } else if (displaced == src) {  // swap in place, byte by byte: nothing is lost
                auto* a = static_cast<unsigned char*>(slot);
                auto* b = static_cast<unsigned char*>(displaced);
                for (std::size_t i = 0; i < n; ++i) std::swap(a[i], b[i]);
            } else {
                std::memcpy(displaced, slot, n);
                std::memcpy(slot, src, n);
            }
        };
    }
    auto copy_out(void* dst, const void* replacement) const noexcept {
        return [dst, replacement, n = element_size_](void* slot) noexcept {
            if (replacement == dst) {  // out and replacement alias: swap, as for copy_in
                auto* a = static_cast<unsigned char*>(slot);
                auto* b = static_cast<unsigned char*>(dst);
                for (std::size_t i = 0; i < n; ++i) std::swap(a[i], b[i]);
                return;
            }
            std::memcpy(dst, slot, n);
            if (replacement != nullptr) std::memcpy(slot, replacement, n);
        };
    }

    // Waiting for a slot: the one blocking loop with each side's attempt and
    // stop condition.  Writers never stop (writes are allowed after close).
    template <class Deadline>
    std::optional<token> claim_for_write(const Deadline& deadline) noexcept {
        return wait_for(
            writers_, [this] { return claim_.try_claim_write(slots_); },
            [this](unsigned round) {
                if constexpr (claim_protocol_near<protocol_type, slots_type>)
                    return claim_.try_claim_write_near(slots_, round);
                else
                    return claim_.try_claim_write(slots_);
            },
            [] { return false; }, deadline);
    }
    template <class Deadline>
    std::optional<token> claim_for_read(const Deadline& deadline) noexcept {
        return wait_for(
            readers_, [this] { return claim_.try_claim_read(slots_); },
            [this](unsigned round) {
                if constexpr (claim_protocol_near<protocol_type, slots_type>)
                    return claim_.try_claim_read_near(slots_, round);
                else
                    return claim_.try_claim_read(slots_);
            },
            [this] { return closed_.load(std::memory_order_seq_cst); },  // [E2'] seq_cst: pairs with close()
            deadline);
    }
    auto is_drained() noexcept {
        return [this](auto...) { return claim_.is_drained(slots_); };
    }

    // The three ways a claim ends, each with its notifications (also called
    // by the slot handles).
    void finish_write(token t) noexcept {
        claim_.publish_write(slots_, t);
        readers_.notify_one();  // [E3] for one reader: one more message
    }
    void finish_read(token t) noexcept {
        const bool drained = claim_.publish_read(slots_, t);
        writers_.notify_one();               // [E3] for one writer: one more free slot
        if (drained) drained_.notify_all();  // [E3] for wait_until_empty
    }
    void abandon_write(token t) noexcept {
        if constexpr (has_write_handles) {
            const bool drained = claim_.abandon_write(slots_, t);
            writers_.notify_one();               // [E3] for one writer: the slot is free again
            if (drained) drained_.notify_all();  // [E3] for wait_until_empty
        }
    }

    /// Claim a free slot (waiting as `deadline` allows), fill it, publish it.
    template <class Deadline, class Fill>
    bool write_with(const Deadline& deadline, Fill&& fill) noexcept {
        static_assert(std::is_nothrow_invocable_v<Fill&, void*>, "element moves must not throw");
        const auto t = claim_for_write(deadline);
        if (!t) return false;
        fill(slots_.element(t->index));
        finish_write(*t);
        return true;
    }

    /// Claim a full slot (waiting as `deadline` allows, giving up when closed
    /// and empty), empty it, release it.
    template <class Deadline, class Drain>
    bool read_with(const Deadline& deadline, Drain&& drain) noexcept {
        static_assert(std::is_nothrow_invocable_v<Drain&, void*>, "element moves must not throw");
        const auto t = claim_for_read(deadline);
        if (!t) return false;
        drain(slots_.element(t->index));
        finish_read(*t);
        return true;
    }

    // ---- bulk

    // A bulk source: stage(i) prepares element i before its slot is claimed
    // (only a throwing copy needs to); fill(slot, i) moves it in, noexcept.
    static auto moved_from(std::span<T> values) noexcept
        requires(!is_raw)
    {
        struct source {
            std::span<T> v;
            static constexpr void stage(std::size_t) noexcept {}
            void fill(void* slot, std::size_t i) noexcept { *as_element(slot) = std::move(v[i]); }
        };
        return source{values};
    }
    static auto copied_from_span(std::span<const T> values) noexcept
        requires(!is_raw)
    {
        if constexpr (std::is_nothrow_copy_assignable_v<T>) {
            struct source {
                std::span<const T> v;
                static constexpr void stage(std::size_t) noexcept {}
                void fill(void* slot, std::size_t i) noexcept { *as_element(slot) = v[i]; }
            };
            return source{values};
        } else {
            struct source {  // copy first, into `staged`, holding no slot; then move in
                std::span<const T> v;
                std::optional<T> staged{};
                void stage(std::size_t i) { staged.emplace(v[i]); }
                void fill(void* slot, std::size_t) noexcept { *as_element(slot) = std::move(*staged); }
            };
            return source{values};
        }
    }

    /// The first slot as write_with claims it, then every slot that is free
    /// without waiting, up to n.
    template <class Deadline, class Source>
    std::size_t write_bulk_with(const Deadline& deadline, std::size_t n, Source source) {
        if (n == 0) return 0;
        source.stage(0);  // may throw (a copy): nothing is claimed yet
        auto t = claim_for_write(deadline);
        std::size_t k = 0;
        while (t) {
            source.fill(slots_.element(t->index), k);
            finish_write(*t);  // one notify per message: one reader per message may be waiting
            if (++k == n) break;
            if constexpr (noexcept(source.stage(k))) {
                source.stage(k);
            } else {
                try {
                    source.stage(k);
                } catch (...) {
                    break;  // k messages written; the next call copies values[k] first and throws there
                }
            }
            t = claim_.try_claim_write(slots_);
        }
        return k;
    }

    /// The first message as read_with claims it, then every message that is
    /// there without waiting, up to out.size().
    template <class Deadline>
    std::size_t read_bulk_with(const Deadline& deadline, std::span<T> out) noexcept {
        if (out.empty()) return 0;
        auto t = claim_for_read(deadline);
        std::size_t k = 0;
        while (t) {
            out[k] = std::move(*element_at(t->index));
            finish_read(*t);
            if (++k == out.size()) break;
            t = claim_.try_claim_read(slots_);
        }
        return k;
    }

    // ---- slot handles

    using token_type = token;
    friend write_handle;
    friend read_handle;
    template <class Pool, class Handle>
    friend class detail::held_slot;  // the handles' shared part: reaches handle_element and token_type

    template <class Deadline>
    write_handle claim_write_with(const Deadline& deadline) noexcept {
        if (const auto t = claim_for_write(deadline)) return write_handle(*this, *t);
        return write_handle();
    }
    template <class Deadline>
    read_handle claim_read_with(const Deadline& deadline) noexcept {
        if (const auto t = claim_for_read(deadline)) return read_handle(*this, *t);
        return read_handle();
    }

    T* handle_element(token t) noexcept
        requires(!is_raw)
    {
        return element_at(t.index);
    }

    /// The one blocking loop: `attempt_near(0)`; spin and re-attempt while the
    /// channel says so (unregistered: notifiers pay nothing; after a pause
    /// `attempt_near(round + 1)`, which may look only near this thread's last
    /// success, after a yield `attempt`, a full one); then register,
    /// re-attempt fully, check `stop`, sleep; until an attempt succeeds,
    /// `stop` holds or the deadline passes.  A timed wait always makes one
    /// more attempt after its deadline, so a waiter woken by a notify for it
    /// never leaves that notify unused.
    template <class Attempt, class AttemptNear, class Stop, class Deadline>
    static auto wait_for(channel_type& channel, Attempt attempt, AttemptNear attempt_near, Stop stop,
                         const Deadline& deadline) noexcept {
        using result = decltype(attempt());
        if constexpr (std::is_same_v<Deadline, detail::no_wait>) {
            return attempt();
        } else {
            if (auto r = attempt_near(0u)) return r;
            for (unsigned round = 0;; ++round) {
                if (const spin_step step = channel.spin(round); step != spin_step::none) {  // unregistered
                    if (auto r = step == spin_step::paused ? attempt_near(round + 1) : attempt()) return r;
                    if (stop()) return attempt();  // see below
                    if constexpr (!std::is_same_v<Deadline, detail::forever>)
                        if (deadline.expired()) return attempt();
                    continue;
                }
                const auto key = channel.prepare_wait();  // [E1], then the heavy barrier
                if (auto r = attempt()) {                 // [E2]
                    channel.cancel_wait();
                    return r;
                }
                if (stop()) {
                    // One more attempt after `stop` held: the attempt above ran
                    // before stop()'s load, so messages written just before
                    // close() (and close() itself) may have landed in between;
                    // they happen before close()'s store, which stop() read, so
                    // this attempt sees them.  Without it a reader could return
                    // false while the closed pool still holds a message
                    // (found by tests/dsched, scenario close_wakes_readers).
                    channel.cancel_wait();
                    return attempt();
                }
                if constexpr (std::is_same_v<Deadline, detail::forever>) {
                    channel.commit_wait(key, round);
                } else {
                    if (deadline.expired()) {
                        channel.cancel_wait();
                        return result{};
                    }
                    channel.commit_wait_until(key, round, deadline.template on<typename Sync::clock>());
                }
                // Woken (or timed out, or spurious): one attempt before
                // registering again, which would cost a heavy barrier.
                if (auto r = attempt()) return r;
            }
        }
    }

    slots_type slots_;
    protocol_type claim_;
    channel_type readers_;  // readers waiting for a message or for close()
    channel_type writers_;  // writers waiting for a free slot
    channel_type drained_;  // wait_until_empty() callers
    typename Sync::template atomic<bool> closed_{false};
    std::size_t element_size_ = is_raw ? 0 : sizeof(std::conditional_t<is_raw, char, T>);
    std::size_t constructed_ = 0;  // elements constructed so far (all of them once construction finished)
};

}  // namespace msgpool
