// msgpool/basic_shared_pool.hpp - a pool that several processes share: a
// basic_pool placed in a named POSIX shared-memory segment, or in memory the
// program maps itself, and a per-process handle to it.
//
//   using shared = msgpool::basic_shared_pool<job, claim::cas_scan, wait::futex, storage::inline_slots>;
//   auto p = shared::create("/jobs", 1024);        // producer side; shared::remove("/jobs") when done
//   auto c = shared::open("/jobs");                // consumer side, another process
//   c->read(j);                                    // every basic_pool verb, through ->
//
// What lives where.  Everything that defines the pool is in the shared memory,
// as offsets and indices only (detail/segment_header.hpp draws the layout):
// a 256-byte header (magic, layout version, byte order, what the pool is made
// of, an optional type tag, where its parts are, a checksum, an init-state
// word), the basic_pool object (claim counters, control words, wait words,
// close state) and its slots.  What is per process stays per process: thread
// cursors (thread-local), membarrier registration, the mapping's address.
//
// What it takes:
//  * T trivially copyable (checked): its bytes are all another process sees.
//    Or msgpool::raw_bytes, with the element size given at creation.
//  * A process-shared sync family (sync/process_shared.hpp): shared_fenced
//    (the default) or shared_membarrier.
//  * Policies that work across processes.  claim::cas_scan and
//    claim::fetch_add_ring do; wait::futex, wait::futex_counted and
//    wait::spin do; every storage with an in_place form does (inline,
//    aligned, line-grouped slots).
//    claim::index_queue (pointers into one process's heap) and wait::condvar
//    (a process-private mutex; glibc bug 21422 for shared ones) refuse a
//    process-shared family at compile time, saying why.
//  * Each policy's `name`, recorded in the header and compared at open.
//
// Creating and opening.  create() makes a new segment (exclusive, mode 0600,
// space reserved with posix_fallocate); open() maps an existing one, checks
// that it belongs to this user, waits up to `patience` for its creator to
// finish, and checks the header: a segment that is not a pool, is corrupt,
// is smaller than its header says, or holds a pool of another element size,
// alignment, type tag, capacity, policy mix, barrier or layout version is a
// shared_pool_error naming what differs, never undefined behaviour.
// open_or_create() does whichever applies, safely against a racing creator.
// create_in() / open_in() do the same in memory the caller provides (several
// pools in one segment, a memfd passed to a sandboxed child).
//
// Lifetime.  The pool lives as long as the segment: a handle's destruction
// (or detach()) only unmaps it in this process; remove() removes the name,
// and the memory goes once no process maps it.  The elements are never
// destroyed (they are trivially copyable).
//
// A fork() after attaching: the child shares the mapping (MAP_SHARED) and may
// use the pool through its copy of the handle like any other process; its
// thread cursors are copies (hints only) and its membarrier registration is
// kept by the kernel.  Only the forking thread exists in the child: a slot
// another thread of the parent held at the fork stays the parent's.
//
// Crash recovery.  A process may be killed at any instruction; the pool
// absorbs it.  Every attachment (a handle, or a fork() child using its
// parent's) holds an entry in a table in the pool's memory
// (detail/process_table.hpp, 63 entries), and its index is the owner id that
// claims record (claim::cas_scan: in the slot's state byte) and that
// waiters register under (wait/detail/event_count.hpp, [EC-P1]).  recover()
// finds the entries whose process is dead (its pid gone, reused, or a zombie)
// and releases what they held:
//  * a published message stays: published means the publish store happened,
//    whether the writer died before or after write() returned;
//  * a slot a dead writer had claimed becomes free, unpublished: its torn
//    contents are never delivered;
//  * a message a dead reader had claimed (and perhaps already moved out) is
//    published again, so it may be delivered twice: at-least-once for those
//    messages only;
//  * the dead process's waiter registrations are cleared, and every waiter is
//    woken to look again;
// so the capacity is whole again, and wait_until_empty() returns once the
// rest is drained.  recover() runs when called, and by itself when a thread
// of this process has waited `recover_after` (1 s by default; options) on
// the pool: no survivor waits on a dead process longer than that (plus one
// bounded sleep).  A stopped process (SIGSTOP, a debugger, a freezer) is not
// dead: what it holds stays held until it runs on, and only its slots are
// out of use meanwhile (a held slot blocks nobody under cas_scan; under
// claim::fetch_add_ring, whose slots are used in ring order, the ring waits
// for it).  On the ring a dead writer's position becomes a hole that the
// readers pass when they come to it (its slot is free from then on), and a
// dead reader's message is read by the next reader that finds nothing in
// ring order (claim/fetch_add_ring.hpp, "Owners").  All processes of a pool must share one pid namespace (checked at open).  An
// attachment beyond the 63rd works unrecorded: what it holds when it dies is
// not recovered (detail/attachments.hpp).
//
// Trust model: processes of the same user are trusted not to write the
// pool's memory except through msgpool.  The header is checked at open; the
// control words are not checked at run time.  Indices into the slots are
// never read from the shared memory: a claim derives them from its own
// counters modulo the capacity, which the header check fixed at open.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>

#include <msgpool/basic_pool.hpp>
#include <msgpool/detail/attachments.hpp>
#include <msgpool/detail/cache_line.hpp>
#include <msgpool/detail/process_identity.hpp>
#include <msgpool/detail/process_table.hpp>
#include <msgpool/detail/segment_header.hpp>
#include <msgpool/detail/shared_segment.hpp>
#include <msgpool/raw_bytes.hpp>
#include <msgpool/shared_pool_error.hpp>
#include <msgpool/sync/process_shared.hpp>

namespace msgpool {

namespace detail {
/// A storage policy's in_place form, as a storage policy of its own.
template <class Storage>
struct placed_storage {
    template <class Control>
    using slots = typename Storage::template slots<Control, in_place>;
};

template <class P>
concept named_policy = requires {
    { P::name } -> std::convertible_to<std::string_view>;
};
}  // namespace detail

/// Options of create, open and their variants.
struct shared_pool_options {
    /// A value of the program's choosing, recorded at creation and compared
    /// at open: the element size and alignment alone cannot tell two types
    /// apart.  0 by default.
    std::uint64_t type_tag = 0;
    /// Permission bits of a new segment (set with fchmod, whatever the umask).
    unsigned mode = 0600;
    /// Fault every page in when mapping (MAP_POPULATE).
    bool populate = false;
    /// How long open waits for a creator that is still initialising.
    std::chrono::milliseconds patience{1000};
    /// How long a thread of this process waits on the pool before it runs
    /// recover() itself (crash recovery, above).
    std::chrono::milliseconds recover_after{1000};
};

/// A slot that an attached process holds (basic_shared_pool::for_each_held_slot).
struct held_slot {
    std::size_t index;  ///< the slot
    unsigned owner;     ///< the holder's owner id (basic_shared_pool::owner_id)
    bool for_writing;   ///< claimed to write (else: claimed to read, the message still in it)
};

/// What one recover() released.
struct recovery_report {
    std::size_t processes = 0;          ///< dead attachments whose entries were freed
    std::size_t writes_dropped = 0;     ///< slots they had claimed to write, free again, never published
    std::size_t messages_returned = 0;  ///< messages they had claimed to read, published again
};

template <class T, claim_policy Claim, wait_policy Wait, storage_policy Storage, sync_family Sync = sync::shared_fenced>
class basic_shared_pool {
    static_assert(process_shared_v<Sync>,
                  "msgpool: a shared pool needs a process-shared sync family (msgpool/sync/process_shared.hpp): "
                  "sync::shared_fenced or sync::shared_membarrier");
    static_assert(storage_placeable<Storage>,
                  "msgpool: this storage policy cannot lay out its slots in shared memory: it has no "
                  "slots<Control, in_place> form (msgpool/concepts/storage_policy.hpp)");
    static_assert(std::is_same_v<T, raw_bytes> || std::is_trivially_copyable_v<T>,
                  "msgpool: a shared pool's element type must be trivially copyable: other processes see only its "
                  "bytes, at other addresses, and no constructor or destructor of it runs there");
    static_assert(detail::named_policy<Claim> && detail::named_policy<Wait> && detail::named_policy<Storage>,
                  "msgpool: every policy of a shared pool names itself (static constexpr std::string_view name), "
                  "so that processes can check they agree on it");

    static constexpr bool raw = std::is_same_v<T, raw_bytes>;

public:
    using pool_type = basic_pool<T, Claim, Wait, detail::placed_storage<Storage>, Sync>;
    using options = shared_pool_options;

    // ----------------------------------------------------------------- sizes

    /// Bytes a pool of `capacity` slots needs (create_in), and the alignment
    /// its memory needs.
    static std::size_t bytes_needed(std::size_t capacity)
        requires(!raw)
    {
        return layout_for(capacity, detail::element_layout::of<T>()).total;
    }
    static std::size_t bytes_needed(std::size_t capacity, std::size_t element_size)
        requires raw
    {
        return layout_for(capacity, detail::element_layout::bytes(element_size)).total;
    }
    static std::size_t memory_alignment(std::size_t capacity)
        requires(!raw)
    {
        return layout_for(capacity, detail::element_layout::of<T>()).align;
    }
    static std::size_t memory_alignment(std::size_t capacity, std::size_t element_size)
        requires raw
    {
        return layout_for(capacity, detail::element_layout::bytes(element_size)).align;
    }

    // ----------------------------------------------------------------- named segments

    /// Creates the segment `name` ('/' and 1 to 200 of [A-Za-z0-9._-]) with a
    /// pool of `capacity` slots.  Throws shared_pool_error (already_exists,
    /// no_space, invalid_argument ...); nothing is left behind on failure.
    static basic_shared_pool create(std::string_view name, std::size_t capacity, const options& o = {})
        requires(!raw)
    {
        return create_named(name, capacity, detail::element_layout::of<T>(), o);
    }
    static basic_shared_pool create(std::string_view name, std::size_t capacity, std::size_t element_size,
                                    const options& o = {})
        requires raw
    {
        return create_named(name, capacity, detail::element_layout::bytes(element_size), o);
    }

    /// Opens the segment `name` holding a pool of this type, whatever its
    /// capacity (and, for raw_bytes, element size).
    static basic_shared_pool open(std::string_view name, const options& o = {}) {
        return open_named(detail::segment_path(name), 0, 0, o);
    }

    /// Opens `name` if it exists (checking that its capacity is `capacity`),
    /// or creates it.
    static basic_shared_pool open_or_create(std::string_view name, std::size_t capacity, const options& o = {})
        requires(!raw)
    {
        return open_or_create_named(name, capacity, detail::element_layout::of<T>(), o);
    }
    static basic_shared_pool open_or_create(std::string_view name, std::size_t capacity, std::size_t element_size,
                                            const options& o = {})
        requires raw
    {
        return open_or_create_named(name, capacity, detail::element_layout::bytes(element_size), o);
    }

    /// Removes the name `name`; processes attached keep their pool.  False if
    /// no such segment exists.
    static bool remove(std::string_view name) { return detail::remove_segment(detail::segment_path(name)); }

    // ----------------------------------------------------------------- caller-provided memory

    /// Places a new pool in `memory` (`bytes` long, aligned to
    /// memory_alignment(capacity)); the caller keeps the memory mapped while
    /// the handle is used, and shares it with the other processes itself.
    static basic_shared_pool create_in(void* memory, std::size_t bytes, std::size_t capacity, const options& o = {})
        requires(!raw)
    {
        return create_placed(memory, bytes, capacity, detail::element_layout::of<T>(), o);
    }
    static basic_shared_pool create_in(void* memory, std::size_t bytes, std::size_t capacity,
                                       std::size_t element_size, const options& o = {})
        requires raw
    {
        return create_placed(memory, bytes, capacity, detail::element_layout::bytes(element_size), o);
    }

    /// Attaches to a pool that create_in placed in `memory` (possibly in
    /// another process, at another address).
    static basic_shared_pool open_in(void* memory, std::size_t bytes, const options& o = {}) {
        attach_barrier();
        if (memory == nullptr || bytes < sizeof(detail::segment_header))
            throw shared_pool_error(shared_pool_errc::too_small,
                                    "the memory is " + std::to_string(bytes) + " bytes, fewer than a pool header");
        if (reinterpret_cast<std::uintptr_t>(memory) % alignof(detail::segment_header) != 0)
            throw shared_pool_error(shared_pool_errc::invalid_argument, "the memory is not aligned to 64 bytes");
        auto* h = static_cast<detail::segment_header*>(memory);
        await_ready(*h, o.patience, "the pool memory");
        return basic_shared_pool(checked_pool(*h, bytes, 0, 0, o), detail::segment_mapping(), std::string(), o);
    }

    // ----------------------------------------------------------------- the handle

    basic_shared_pool(basic_shared_pool&& o) noexcept
        : mapping_(std::move(o.mapping_)), name_(std::move(o.name_)), pool_(std::exchange(o.pool_, nullptr)),
          attachment_(std::move(o.attachment_)) {}
    basic_shared_pool& operator=(basic_shared_pool&& o) noexcept {
        if (this != &o) {
            detach();
            mapping_ = std::move(o.mapping_);
            name_ = std::move(o.name_);
            pool_ = std::exchange(o.pool_, nullptr);
            attachment_ = std::move(o.attachment_);
        }
        return *this;
    }
    ~basic_shared_pool() { detach(); }  // unmaps (named segments); the pool stays

    /// The pool, with every verb of basic_pool.
    pool_type& operator*() const noexcept { return *pool_; }
    pool_type* operator->() const noexcept { return pool_; }
    pool_type& pool() const noexcept { return *pool_; }

    /// Unmaps the pool from this process (named segments); the handle is
    /// then empty.  The pool itself stays until its segment is removed.
    void detach() noexcept {
        if (attachment_) {
            detail::attachments::remove(*attachment_);
            // relaxed: this process's own value (0 in a fork child that never used the pool)
            if (const unsigned id = attachment_->owner.load(std::memory_order_relaxed); id != 0)
                attachment_->table->detach(id, attachment_->self);
            attachment_.reset();
        }
        pool_ = nullptr;
        mapping_.reset();
    }

    /// Releases what every dead process attached to this pool held (see
    /// "Crash recovery" above) and says what that was.  Safe to call at any
    /// time, from any number of processes: a live process is never touched.
    recovery_report recover() const noexcept { return pool_ != nullptr ? recover_pool(pool_) : recovery_report{}; }

    /// visit(const held_slot&, const T* element) (const void* for raw_bytes)
    /// for each slot an attached process holds now: who holds what, for an
    /// operator or a checker.  A snapshot; exact for holders that make no
    /// step meanwhile (stopped or dead ones).  Claim policies that record
    /// owners only (claim::cas_scan).
    template <class Visit>
    void for_each_held_slot(Visit&& visit) const
        requires requires(const pool_type& p) { p.visit_held([](std::size_t, unsigned, bool, const void*) {}); }
    {
        if (pool_ == nullptr) return;
        pool_->visit_held([&](std::size_t i, unsigned owner, bool for_writing, const void* element) {
            if constexpr (raw)
                visit(held_slot{i, owner, for_writing}, element);
            else
                visit(held_slot{i, owner, for_writing}, static_cast<const T*>(element));
        });
    }

    /// Processes attached now (live, or dead and not yet recovered).
    std::size_t attached_processes() const noexcept { return pool_ != nullptr ? table_of(pool_)->attached() : 0; }

    /// This handle's owner id in the pool's table (1..63), what the pool's
    /// claims record; 0 when the table was full (an unrecorded attachment,
    /// see "Crash recovery") or in a fork child that has not used the pool yet.
    unsigned owner_id() const noexcept {
        return attachment_ ? attachment_->owner.load(std::memory_order_relaxed) : 0;  // relaxed: our own value
    }
    bool attached() const noexcept { return pool_ != nullptr; }
    /// The segment's name; empty for a pool in caller-provided memory.
    const std::string& name() const noexcept { return name_; }

private:
    struct layout {
        std::size_t table_offset, pool_offset, slots_offset, slots_bytes, total, align;
    };
    // Where the table and the pool are: fixed, whatever the capacity.
    static constexpr std::size_t table_offset = sizeof(detail::segment_header);
    static constexpr std::size_t pool_offset =
        (table_offset + sizeof(detail::process_table) + alignof(pool_type) - 1) / alignof(pool_type) * alignof(pool_type);
    static_assert(table_offset % alignof(detail::process_table) == 0);
    using slots_type = typename Storage::template slots<typename Claim::template control<Sync>, in_place>;

    static layout layout_for(std::size_t capacity, detail::element_layout e) {
        const auto plan = slots_type::plan(capacity, e);
        layout l{};
        l.table_offset = table_offset;
        l.pool_offset = pool_offset;
        l.slots_offset = round(l.pool_offset + sizeof(pool_type), plan.align);
        l.slots_bytes = plan.bytes;
        if (plan.bytes > static_cast<std::size_t>(PTRDIFF_MAX) - l.slots_offset)
            throw shared_pool_error(shared_pool_errc::invalid_argument,
                                    "capacity " + std::to_string(capacity) + " is too large");
        l.total = l.slots_offset + plan.bytes;
        l.align = std::max({alignof(detail::segment_header), alignof(detail::process_table), alignof(pool_type),
                            plan.align});
        return l;
    }
    static std::size_t round(std::size_t n, std::size_t a) {
        std::size_t out = 0;
        if (!detail::round_up(n, a, out)) throw shared_pool_error(shared_pool_errc::invalid_argument, "size overflow");
        return out;
    }

    static detail::pool_description description(std::size_t capacity, std::size_t element_size,
                                                std::size_t element_align, const options& o) {
        detail::pool_description d;
        d.capacity = capacity;
        d.element_size = element_size;
        d.element_align = element_align;
        d.type_tag = o.type_tag;
        d.pool_bytes = sizeof(pool_type);
        d.pool_align = alignof(pool_type);
        d.claim = Claim::name;
        d.wait = Wait::name;
        d.storage = Storage::name;
        d.barrier = Sync::barrier::name;
        return d;
    }

    static void attach_barrier() {
        if (!Sync::barrier::attach())
            throw shared_pool_error(shared_pool_errc::unsupported,
                                    "this process cannot use the '" + std::string(Sync::barrier::name) +
                                        "' barrier (membarrier(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED) was "
                                        "refused); use sync::shared_fenced");
    }

    /// Builds header and pool in `base` (at least layout_for().total bytes).
    static pool_type* initialise(void* base, std::size_t capacity, detail::element_layout e, const options& o) {
        const layout l = layout_for(capacity, e);
        auto* h = ::new (base) detail::segment_header;  // state starts fresh (0)
        ::new (static_cast<std::byte*>(base) + l.table_offset) detail::process_table{};  // every entry free
        const auto self = detail::process_identity::self();
        h->creator_pid = self.pid;
        h->creator_start = self.start;
        h->state.store(detail::segment_header::initialising, std::memory_order_release);  // [SH-I1]: after the identity
        std::byte* b = static_cast<std::byte*>(base);
        pool_type* p = nullptr;
        if constexpr (raw)
            p = ::new (b + l.pool_offset) pool_type(in_place{}, b + l.slots_offset, capacity, e.size);
        else
            p = ::new (b + l.pool_offset) pool_type(in_place{}, b + l.slots_offset, capacity);
        detail::fill_header(*h, description(capacity, e.size, e.align, o), l.table_offset, l.pool_offset,
                            l.slots_offset, l.slots_bytes, self);
        h->state.store(detail::segment_header::ready, std::memory_order_release);  // [SH-I1] publishes header and pool
        return p;
    }

    /// Waits up to `patience` for the header to be ready; throws not_ready
    /// (with whether the creator is still alive) or corrupt.
    static void await_ready(const detail::segment_header& h, std::chrono::milliseconds patience,
                            const std::string& what) {
        const auto give_up = std::chrono::steady_clock::now() + patience;
        for (;;) {
            // [SH-I1] acquire: pairs with the creator's release stores.
            const std::uint32_t s = h.state.load(std::memory_order_acquire);
            if (s == detail::segment_header::ready) return;
            if (s != detail::segment_header::fresh && s != detail::segment_header::initialising)
                throw shared_pool_error(shared_pool_errc::corrupt,
                                        what + ": corrupted header (init state " + std::to_string(s) + ")");
            if (std::chrono::steady_clock::now() >= give_up) {
                if (s == detail::segment_header::fresh)
                    throw shared_pool_error(shared_pool_errc::not_ready,
                                            what + " was never initialised (its creator died before starting, or "
                                                   "has not started yet); remove it if no process is creating it");
                const detail::process_identity creator{h.creator_pid, h.creator_start};
                if (creator.is_alive())
                    throw shared_pool_error(shared_pool_errc::not_ready,
                                            what + " is still being initialised by process " +
                                                std::to_string(creator.pid) + " after " +
                                                std::to_string(patience.count()) + " ms");
                throw shared_pool_error(shared_pool_errc::not_ready,
                                        what + " was half-created by process " + std::to_string(creator.pid) +
                                            ", which died while initialising it; remove it");
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }

    /// The pool of a ready header, once everything about it is checked.
    static pool_type* checked_pool(const detail::segment_header& h, std::size_t available, std::size_t capacity,
                                   std::size_t element_size, const options& o) {
        std::size_t element_align = 0;
        if constexpr (!raw) {
            element_size = sizeof(T);
            element_align = alignof(T);
        } else if (element_size != 0) {
            element_align = detail::element_layout::bytes(element_size).align;
        }
        detail::check_header(h, available, description(capacity, element_size, element_align, o));
        // The slots as this program lays them out must be where the header says.
        const detail::element_layout e = raw ? detail::element_layout::bytes(h.element_size)
                                             : detail::element_layout::of<T>();
        const layout l = layout_for(h.capacity, e);
        if (l.table_offset != h.table_offset || l.pool_offset != h.pool_offset || l.slots_offset != h.slots_offset ||
            l.slots_bytes != h.slots_bytes)
            throw shared_pool_error(shared_pool_errc::mismatch,
                                    "slot layout differs: the segment has slots at " + std::to_string(h.slots_offset) +
                                        " (" + std::to_string(h.slots_bytes) + " bytes), this program lays them out at " +
                                        std::to_string(l.slots_offset) + " (" + std::to_string(l.slots_bytes) +
                                        " bytes)");
        if (reinterpret_cast<std::uintptr_t>(&h) % l.align != 0)
            throw shared_pool_error(shared_pool_errc::invalid_argument,
                                    "the pool memory is not aligned to " + std::to_string(l.align) + " bytes");
        return std::launder(reinterpret_cast<pool_type*>(reinterpret_cast<std::byte*>(const_cast<detail::segment_header*>(&h)) +
                                                         h.pool_offset));
    }

    static basic_shared_pool create_named(std::string_view name, std::size_t capacity, detail::element_layout e,
                                          const options& o) {
        const std::string path = detail::segment_path(name);
        attach_barrier();
        const layout l = layout_for(capacity, e);
        detail::segment_mapping m = detail::create_segment(path, l.total, {o.mode, o.populate});
        try {
            pool_type* p = initialise(m.data(), capacity, e, o);
            return basic_shared_pool(p, std::move(m), path, o);
        } catch (...) {
            m.reset();
            detail::remove_segment(path);
            throw;
        }
    }

    static basic_shared_pool open_named(const std::string& path, std::size_t capacity, std::size_t element_size,
                                        const options& o) {
        attach_barrier();
        std::size_t total = 0;
        {
            detail::segment_mapping head =
                detail::open_segment(path, sizeof(detail::segment_header), o.patience, false);
            const auto& h = *static_cast<const detail::segment_header*>(head.data());
            await_ready(h, o.patience, "segment '" + path + "'");
            checked_pool(h, detail::segment_size(path), capacity, element_size, o);
            total = h.total_bytes;
        }
        detail::segment_mapping m = detail::open_segment(path, total, std::chrono::milliseconds(0), o.populate);
        const auto& h = *static_cast<const detail::segment_header*>(m.data());
        await_ready(h, o.patience, "segment '" + path + "'");  // a segment removed and made again meanwhile
        pool_type* p = checked_pool(h, m.size(), capacity, element_size, o);
        return basic_shared_pool(p, std::move(m), path, o);
    }

    static basic_shared_pool open_or_create_named(std::string_view name, std::size_t capacity,
                                                  detail::element_layout e, const options& o) {
        const std::string path = detail::segment_path(name);
        for (int tries = 0;; ++tries) {
            try {
                return create_named(name, capacity, e, o);
            } catch (const shared_pool_error& x) {
                if (x.code() != shared_pool_errc::already_exists) throw;
            }
            try {
                return open_named(path, capacity, raw ? e.size : 0, o);
            } catch (const shared_pool_error& x) {
                // Removed between our create and open: create again, a few times.
                if (x.code() != shared_pool_errc::not_found || tries == 8) throw;
            }
        }
    }

    static basic_shared_pool create_placed(void* memory, std::size_t bytes, std::size_t capacity,
                                           detail::element_layout e, const options& o) {
        attach_barrier();
        const layout l = layout_for(capacity, e);
        if (memory == nullptr || reinterpret_cast<std::uintptr_t>(memory) % l.align != 0)
            throw shared_pool_error(shared_pool_errc::invalid_argument,
                                    "the pool memory must be aligned to " + std::to_string(l.align) + " bytes");
        if (bytes < l.total)
            throw shared_pool_error(shared_pool_errc::too_small, "the pool needs " + std::to_string(l.total) +
                                                                     " bytes, the memory has " + std::to_string(bytes));
        return basic_shared_pool(initialise(memory, capacity, e, o), detail::segment_mapping(), std::string(), o);
    }

    // Takes an entry of the pool's table for this handle and registers it
    // with this process's attachments (crash recovery).
    basic_shared_pool(pool_type* p, detail::segment_mapping m, std::string name, const options& o)
        : mapping_(std::move(m)), name_(std::move(name)), pool_(p) {
        auto a = std::make_unique<detail::attachment>();
        const auto* h = header_of(p);
        a->lo = reinterpret_cast<const std::byte*>(h);
        a->hi = a->lo + h->total_bytes;
        a->table = table_of(p);
        a->self = detail::process_identity::self();
        a->recover_after = o.recover_after;
        a->recover = &recover_for_waiter;
        a->context = p;
        // No free entry: free the entries of dead processes and try again;
        // still none (63 live attachments): an unrecorded attachment, owner 0
        // (detail/attachments.hpp).
        auto id = a->table->attach(a->self);
        if (!id && recover_pool(p).processes != 0) id = a->table->attach(a->self);
        a->owner.store(id.value_or(0u), std::memory_order_relaxed);  // relaxed: published by add()'s mutex
        if (!detail::attachments::add(*a)) {
            // relaxed: our own value
            if (const unsigned id = a->owner.load(std::memory_order_relaxed); id != 0) a->table->detach(id, a->self);
            pool_ = nullptr;
            mapping_.reset();
            throw shared_pool_error(shared_pool_errc::invalid_argument,
                                    "this memory holds a pool that another handle of this process has attached "
                                    "at the same address; use that handle (or detach it first)");
        }
        attachment_ = std::move(a);
    }

    static const detail::segment_header* header_of(const pool_type* p) noexcept {
        return reinterpret_cast<const detail::segment_header*>(reinterpret_cast<const std::byte*>(p) - pool_offset);
    }
    static detail::process_table* table_of(const pool_type* p) noexcept {
        return reinterpret_cast<detail::process_table*>(
            const_cast<std::byte*>(reinterpret_cast<const std::byte*>(p) - pool_offset + table_offset));
    }

    static recovery_report recover_pool(pool_type* p) noexcept {
        recovery_report r;
        r.processes = table_of(p)->recover(detail::process_identity::self(), [&](unsigned id) {
            if constexpr (requires { p->recover_owner(id); }) {
                const claim_recovery c = p->recover_owner(id);
                r.writes_dropped += c.writes_dropped;
                r.messages_returned += c.messages_returned;
            } else {
                p->forget_owner(id);
            }
        });
        return r;
    }
    static void recover_for_waiter(void* p) noexcept { recover_pool(static_cast<pool_type*>(p)); }

    detail::segment_mapping mapping_;
    std::string name_;
    pool_type* pool_ = nullptr;
    std::unique_ptr<detail::attachment> attachment_;
};

}  // namespace msgpool
