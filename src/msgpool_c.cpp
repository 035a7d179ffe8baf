// src/msgpool_c.cpp - the C API (include/msgpool.h) over the C++ default
// composition with a runtime element size: msgpool::pool<msgpool::raw_bytes>.
//
// Every function is a thin shell: check the arguments the original would have
// crashed on, then call the pool.  The pool's reads, writes, close, reopen and
// waits are noexcept; only construction can throw, and msgpool_try_alloc
// catches everything there, so no exception ever reaches a C caller.  Bad input
// aborts with "msgpool_<function>: <problem>" on stderr, as the original
// aborts; msgpool_try_alloc returns an error number instead.
//
// Happens-before: the pool carries every edge between threads (see
// basic_pool.hpp).  msgpool_alloc, msgpool_init and msgpool_dealloc touch the
// MsgPool and the pool without synchronisation: the caller runs them while no
// other thread uses the pool, and orders them with thread creation and join.
//
// Shared pools (msgpool_shm_*).  A MsgPool holds either a heap pool
// (msgpool_alloc) or a handle to a pool in shared memory
// (msgpool::basic_shared_pool over raw bytes, with futex waits, since
// wait::condvar cannot be shared).  The two are different C++ types, so
// MsgPool::impl is a tagged pointer: bit 0 clear, a msgpool_impl (the heap
// pool, exactly as before); bit 0 set, a msgpool_shm_impl.  Every verb tests
// the bit in the pointer it already loads for its NULL check and branches; for
// a heap pool that is one test and one never-taken, perfectly predicted
// branch in front of the unchanged call, with no extra memory access and no
// indirect call, against a pool operation of tens of nanoseconds (an atomic
// read-modify-write at least).  The shared branch is laid out out of line.
// Creating, opening and placing can throw msgpool::shared_pool_error; the
// msgpool_shm_* functions catch everything and return its code, with the
// message kept per thread for msgpool_shm_last_error.
//
// Blocking modes (the later API's locking).  A heap pool is one of three
// compositions, all cas_scan over inline slots: wait::condvar (the mutex
// mode, and every pool of the README's msgpool_alloc), wait::spin, and a
// yield wait (condvar's blocker behind a spin phase of yields only).  The
// pointer carries the kind in its two low bits: 0 the mutex pool (a
// msgpool_impl), 1 shared, 2 spin, 3 yield.  So a README program's pool
// keeps the one test and one never-taken branch described above (the test
// masks two bits instead of one); every other kind goes through one switch,
// out of line.
//
// Claims (msgpool_claim_read/_write, msgpool_get_ptr, msgpool_release).  A
// position is `index + nel * (generation % G)` with G = INT_MAX / nel, so it
// is a non-negative int.  Each slot has a claim word (claim_words): the
// claim's kind (read, write, none) and the slot's generation, which every
// release advances.  A claim sets the kind; a release checks the position
// against the word and ends the claim with one CAS from the word it read,
// so a second release of the same position (before or after the slot was
// claimed again, by the claim API or by msgpool_read/msgpool_write, which
// leave the word alone) finds the kind "none" or another generation and
// aborts.  The words are allocated at a pool's first claim: programs of the
// README's version never pay for them.
#include <msgpool/basic_shared_pool.hpp>
#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/pool.hpp>
#include <msgpool/raw_bytes.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/sync/process_shared.hpp>
#include <msgpool/wait/condvar.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/spin.hpp>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <limits>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

// The C functions are the library's only exported symbols; the C++ templates
// instantiated here stay hidden (the target compiles with hidden visibility).
// MSGPOOL_C_IMPLEMENTATION: the header declares the later API's functions
// too (under their library names), next to the README's msgpool_alloc.
#define MSGPOOL_C_IMPLEMENTATION 1
#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif
#include <msgpool.h>
#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

namespace {

/// The yield mode: no pause steps, then sched_yield between attempts for
/// 2^32 - 1 rounds before the condvar blocker would put the waiter to sleep.
struct yield_wait
    : msgpool::detail::sleeping_wait<msgpool::wait::condvar_blocker, 0, std::numeric_limits<unsigned>::max()> {};

/// The claim word of a slot: the kind of claim held (bits 0-1) and the
/// slot's generation (bits 2-31), advanced by every release.
using claim_word = std::uint32_t;
constexpr claim_word no_claim = 0, read_claim = 1, write_claim = 2, kind_mask = 3, generation_step = 4;

/// The claim words of a pool, allocated at its first claim.
class claim_words {
public:
    claim_words() = default;
    claim_words(const claim_words&) = delete;
    claim_words& operator=(const claim_words&) = delete;
    ~claim_words() { delete[] words_.load(std::memory_order_relaxed); }  // relaxed: no thread uses the pool any more

    /// The words, or nullptr if they cannot be allocated.
    std::atomic<claim_word>* get(std::size_t nel) noexcept {
        // acquire: pairs with the release of the CAS below, so the words' zeros are seen
        std::atomic<claim_word>* w = words_.load(std::memory_order_acquire);
        if (w != nullptr) return w;
        auto* fresh = new (std::nothrow) std::atomic<claim_word>[nel]();
        if (fresh == nullptr) return nullptr;
        // acq_rel: releases the zeros to the acquire load above; acquires another thread's words on failure
        if (words_.compare_exchange_strong(w, fresh, std::memory_order_acq_rel, std::memory_order_acquire))
            return fresh;
        delete[] fresh;
        return w;
    }
    /// The words if a claim has allocated them, else nullptr.
    std::atomic<claim_word>* existing() const noexcept {
        return words_.load(std::memory_order_acquire);  // acquire: pairs with get()'s CAS, as above
    }

private:
    std::atomic<std::atomic<claim_word>*> words_{nullptr};
};

/// A heap pool of one blocking mode: the composition, with its claim words.
/// The C API's own front over the pool's claims (pool_core's protected
/// claim_for_*, publish_* and abandon_*), in terms of slot indices.
template <class Wait>
class heap_pool : public msgpool::basic_pool<msgpool::raw_bytes, msgpool::claim::cas_scan, Wait,
                                             msgpool::storage::inline_slots> {
    using base =
        msgpool::basic_pool<msgpool::raw_bytes, msgpool::claim::cas_scan, Wait, msgpool::storage::inline_slots>;
    using token = typename base::token;
    static_assert(sizeof(token) == sizeof(std::size_t), "cas_scan's token is its slot index alone");

public:
    heap_pool(std::size_t nel, std::size_t elsize) : base(nel, elsize) {}

    /// A claimed slot's index, or nothing once the pool is closed and empty.
    std::optional<std::size_t> claim_read() noexcept {
        const auto t = base::claim_for_read(msgpool::deadline::forever());
        return t ? std::optional<std::size_t>(t->index) : std::nullopt;
    }
    std::size_t claim_write() noexcept {
        std::optional<token> t;
        while (!(t = base::claim_for_write(msgpool::deadline::forever()))) {}  // forever: only a slot ends it
        return t->index;
    }
    void* element_at(std::size_t i) noexcept { return base::element(i); }

    /// Ends the claim of slot i of the kind given, with the new state's event.
    void end_claim(std::size_t i, claim_word kind, bool full) noexcept {
        const token t{i};
        if (kind == read_claim) {
            if (full)
                base::abandon_read(t);  // put back unread
            else
                base::publish_read(t);  // consumed
        } else {
            if (full)
                base::publish_write(t);  // published
            else
                base::abandon_write(t);  // given back unused
        }
    }

    claim_words words;
};

}  // namespace

/// The mutex mode's pool (and every pool of the README's msgpool_alloc):
/// what MsgPool::impl points to, untagged.
struct msgpool_impl : heap_pool<msgpool::wait::condvar> {
    using heap_pool::heap_pool;
};

namespace {

using spin_impl = heap_pool<msgpool::wait::spin>;
using yield_impl = heap_pool<yield_wait>;

using shared_handle = msgpool::basic_shared_pool<msgpool::raw_bytes, msgpool::claim::cas_scan, msgpool::wait::futex,
                                                 msgpool::storage::inline_slots, msgpool::sync::shared_fenced>;

/// What MsgPool::impl points to, tagged, for a shared pool.
struct msgpool_shm_impl {
    shared_handle handle;
};

// The kind of pool in the two low bits of MsgPool::impl (above); new's
// alignment keeps them clear in a real pointer.
constexpr std::uintptr_t kind_bits = 3, mutex_tag = 0, shared_tag = 1, spin_tag = 2, yield_tag = 3;
static_assert(alignof(msgpool_impl) > kind_bits && alignof(msgpool_shm_impl) > kind_bits &&
              alignof(spin_impl) > kind_bits && alignof(yield_impl) > kind_bits);
static_assert(alignof(msgpool_shm_impl) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__);  // attach's ::operator new
static_assert(std::is_nothrow_move_constructible_v<shared_handle>);

// The C codes are the C++ ones.
using msgpool::shared_pool_errc;
static_assert(MSGPOOL_SHM_EINVAL == static_cast<int>(shared_pool_errc::invalid_argument));
static_assert(MSGPOOL_SHM_EEXIST == static_cast<int>(shared_pool_errc::already_exists));
static_assert(MSGPOOL_SHM_ENOENT == static_cast<int>(shared_pool_errc::not_found));
static_assert(MSGPOOL_SHM_EPERM == static_cast<int>(shared_pool_errc::permission));
static_assert(MSGPOOL_SHM_ENOSPC == static_cast<int>(shared_pool_errc::no_space));
static_assert(MSGPOOL_SHM_ETOOSMALL == static_cast<int>(shared_pool_errc::too_small));
static_assert(MSGPOOL_SHM_ECORRUPT == static_cast<int>(shared_pool_errc::corrupt));
static_assert(MSGPOOL_SHM_EMISMATCH == static_cast<int>(shared_pool_errc::mismatch));
static_assert(MSGPOOL_SHM_ENOTREADY == static_cast<int>(shared_pool_errc::not_ready));
static_assert(MSGPOOL_SHM_EUNSUPPORTED == static_cast<int>(shared_pool_errc::unsupported));
static_assert(MSGPOOL_SHM_ESYSTEM == static_cast<int>(shared_pool_errc::system));

std::uintptr_t kind_of(const MsgPool* q) noexcept { return reinterpret_cast<std::uintptr_t>(q->impl) & kind_bits; }

bool is_shared(const MsgPool* q) noexcept { return kind_of(q) == shared_tag; }

template <class Impl>
Impl* untagged(const MsgPool* q) noexcept {
    return reinterpret_cast<Impl*>(reinterpret_cast<std::uintptr_t>(q->impl) & ~kind_bits);
}

msgpool_shm_impl* shared_of(const MsgPool* q) noexcept { return untagged<msgpool_shm_impl>(q); }

template <class Impl>
msgpool_impl* tagged(Impl* p, std::uintptr_t tag) noexcept {
    return reinterpret_cast<msgpool_impl*>(reinterpret_cast<std::uintptr_t>(p) | tag);
}

/// Releases whatever q holds (a heap pool, or this process's mapping of a
/// shared one) and zero-fills it.
void release(MsgPool* q) noexcept {
    switch (kind_of(q)) {
        case shared_tag: delete shared_of(q); break;  // unmaps; the pool stays in its segment
        case spin_tag: delete untagged<spin_impl>(q); break;
        case yield_tag: delete untagged<yield_impl>(q); break;
        default: delete q->impl; break;
    }
    *q = MsgPool{};
}

[[noreturn]] void fail(const char* function, const char* format, ...) noexcept
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

[[noreturn]] void fail(const char* function, const char* format, ...) noexcept {
    char problem[320];
    va_list args;
    va_start(args, format);
    std::vsnprintf(problem, sizeof problem, format, args);
    va_end(args);
    std::fprintf(stderr, "%s: %s (aborting)\n", function, problem);  // one call: one line, not interleaved
    std::fflush(stderr);
    std::abort();
}

[[noreturn]] void fail_unallocated(const char* function) noexcept {
    fail(function, "the pool is not allocated (call msgpool_alloc first) or was already deallocated");
}

/// Calls f with the pool behind q (a heap pool of some mode, or a shared
/// one) and returns its result, or aborts naming `function` if q holds no
/// pool.  f is generic: it is compiled once for each kind of pool.  The
/// mutex pool is tested first, inline; the others share one switch.
template <class F>
[[gnu::always_inline]] inline decltype(auto) with_pool(const MsgPool* q, const char* function, F&& f) noexcept {
    if (q == nullptr) fail(function, "the pool pointer is NULL");
    msgpool_impl* const impl = q->impl;
    if ((reinterpret_cast<std::uintptr_t>(impl) & kind_bits) == mutex_tag) [[likely]] {
        if (impl == nullptr) fail_unallocated(function);
        return f(static_cast<heap_pool<msgpool::wait::condvar>&>(*impl));
    }
    switch (kind_of(q)) {
        case spin_tag: return f(static_cast<heap_pool<msgpool::wait::spin>&>(*untagged<spin_impl>(q)));
        case yield_tag: return f(static_cast<heap_pool<yield_wait>&>(*untagged<yield_impl>(q)));
        default: return f(*shared_of(q)->handle);
    }
}

/// As with_pool, for the claim functions, which heap pools alone offer.
template <class F>
decltype(auto) with_heap_pool(const MsgPool* q, const char* function, F&& f) noexcept {
    if (q == nullptr) fail(function, "the pool pointer is NULL");
    switch (kind_of(q)) {
        case mutex_tag:
            if (q->impl == nullptr) fail_unallocated(function);
            return f(static_cast<heap_pool<msgpool::wait::condvar>&>(*q->impl));
        case spin_tag: return f(static_cast<heap_pool<msgpool::wait::spin>&>(*untagged<spin_impl>(q)));
        case yield_tag: return f(static_cast<heap_pool<yield_wait>&>(*untagged<yield_impl>(q)));
        default:
            fail(function, "claims are not available on a shared pool (msgpool_shm_*): use msgpool_read and "
                           "msgpool_write");
    }
}

void require(const void* p, const char* function, const char* what) noexcept {
    if (p == nullptr) fail(function, "%s is NULL", what);
}

/// The original returns the bytes read as an int.
template <class Pool>
int bytes_read(const Pool& pool) noexcept {
    return pool.element_size() > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<int>(pool.element_size());
}

std::chrono::nanoseconds timeout(unsigned long long ns) noexcept {
    using rep = std::chrono::nanoseconds::rep;
    constexpr auto max = static_cast<unsigned long long>(std::numeric_limits<rep>::max());
    return std::chrono::nanoseconds(static_cast<rep>(ns > max ? max : ns));  // saturates: ~292 years
}

struct alloc_error {
    int code = 0;          // 0, or an errno value
    char message[256]{};   // what msgpool_alloc prints before it aborts
};

void set(alloc_error& e, int code, const char* format, ...) noexcept
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

void set(alloc_error& e, int code, const char* format, ...) noexcept {
    e.code = code;
    va_list args;
    va_start(args, format);
    std::vsnprintf(e.message, sizeof e.message, format, args);
    va_end(args);
}

/// The heap pool of a blocking mode, tagged for MsgPool::impl.
msgpool_impl* new_pool(std::size_t nel, std::size_t elsize, int mode) {
    switch (mode) {
        case MSGP_LOCK_SPIN: return tagged(new spin_impl(nel, elsize), spin_tag);
        case MSGP_LOCK_YIELD: return tagged(new yield_impl(nel, elsize), yield_tag);
        default: return new msgpool_impl(nel, elsize);
    }
}

/// The one allocation path: msgpool_alloc aborts with `message`,
/// msgpool_try_alloc returns `code`.  `later`: the later API's form, whose
/// positions are int.
alloc_error allocate(MsgPool* q, std::size_t nel, std::size_t elsize, std::size_t nproducers,
                     std::size_t nconsumers, int mode = MSGP_LOCK_MUTEX, bool later = false) noexcept {
    alloc_error e;
    if (q == nullptr) {
        set(e, EINVAL, "the pool pointer is NULL");
        return e;
    }
    *q = MsgPool{};
    if (mode != MSGP_LOCK_SPIN && mode != MSGP_LOCK_YIELD && mode != MSGP_LOCK_MUTEX) {
        set(e, EINVAL, "locking must be MSGP_LOCK_SPIN (0), MSGP_LOCK_YIELD (1) or MSGP_LOCK_MUTEX (2), got %d",
            mode);
    } else if (later && nel > static_cast<std::size_t>(INT_MAX)) {
        set(e, EOVERFLOW, "nel (the number of elements) must be at most INT_MAX (%d), since claim positions are "
                          "int, got %zu", INT_MAX, nel);
    } else if (nel == 0) {
        set(e, EINVAL, "nel (the number of elements) must be at least 1, got 0");
    } else if (elsize == 0) {
        set(e, EINVAL, "elsize (the element size) must be at least 1 byte, got 0");
    } else if (nel > std::numeric_limits<std::size_t>::max() / elsize) {
        set(e, EOVERFLOW, "nel * elsize overflows size_t (nel %zu, elsize %zu)", nel, elsize);
    } else {
        try {
            q->impl = new_pool(nel, elsize, mode);
            q->nel = nel;
            q->elsize = elsize;
            q->nproducers = nproducers;
            q->nconsumers = nconsumers;
            q->locking = static_cast<char>(mode);
        } catch (const std::bad_alloc&) {
            set(e, ENOMEM, "out of memory allocating %zu elements of %zu bytes", nel, elsize);
        } catch (const std::length_error& x) {  // the frame's allocation failed or would overflow
            set(e, ENOMEM, "cannot allocate %zu elements of %zu bytes: %s", nel, elsize, x.what());
        } catch (const std::invalid_argument& x) {  // not reached: the checks above come first
            set(e, EINVAL, "%s", x.what());
        } catch (const std::exception& x) {  // e.g. a std::system_error from a mutex or condition variable
            set(e, EAGAIN, "cannot create the pool: %s", x.what());
        } catch (...) {
            set(e, EAGAIN, "cannot create the pool: unknown error");
        }
    }
    return e;
}

// ----------------------------------------------------------------- claims and positions

/// Generations a position can tell apart: positions index + nel * g, g < G,
/// stay at most INT_MAX.
std::size_t generations(std::size_t nel) noexcept { return static_cast<std::size_t>(INT_MAX) / nel; }

/// The claim words of q's pool, allocated at the first claim; aborts naming
/// `function` if nel is too large for int positions or the words cannot be had.
template <class Pool>
std::atomic<claim_word>* words_for_claim(const MsgPool* q, Pool& pool, const char* function) noexcept {
    if (q->nel > static_cast<std::size_t>(INT_MAX))
        fail(function, "the pool has %zu slots, more than INT_MAX (%d): claim positions are int", q->nel, INT_MAX);
    std::atomic<claim_word>* w = pool.words.get(q->nel);
    if (w == nullptr) fail(function, "out of memory allocating the claim words of %zu slots", q->nel);
    return w;
}

/// Records a claim of `kind` on slot i, which this thread now holds, and
/// returns its position.
int claimed(const MsgPool* q, std::atomic<claim_word>* words, std::size_t i, claim_word kind) noexcept {
    // relaxed: this thread holds the slot; the previous release's word store reached it through the slot's
    // release (publish) and this thread's acquire claim of the slot, and no correct release touches the word
    // until this claim's own release.
    const claim_word generation = words[i].load(std::memory_order_relaxed) & ~kind_mask;
    words[i].store(generation | kind, std::memory_order_relaxed);  // relaxed: carried to a releasing thread by
                                                                    // the program's own hand-off of the position
    return static_cast<int>(i + q->nel * ((generation / generation_step) % generations(q->nel)));
}

/// The slot and claim word of position pos, checked: aborts naming
/// `function` if pos is out of range or not a current claim.
struct position {
    std::size_t index;
    claim_word word;  // the word as the check read it: kind and generation
};

position check_position(const MsgPool* q, std::atomic<claim_word>* words, std::size_t pos,
                        const char* function) noexcept {
    const std::size_t g = generations(q->nel);
    if (q->nel > static_cast<std::size_t>(INT_MAX) || pos >= q->nel * g)
        fail(function, "position %zu is out of range: not a position a claim of this pool returned", pos);
    const std::size_t i = pos % q->nel;
    // relaxed: pairs with claimed()'s store through the program's own hand-off of the position (or is the
    // claiming thread's own); a stale position reads some later word, whichever, and every later word
    // differs from the claim's.  The release's CAS re-reads it anyway.
    const claim_word w = words == nullptr ? no_claim : words[i].load(std::memory_order_relaxed);
    if ((w & kind_mask) == no_claim || (w / generation_step) % g != pos / q->nel)
        fail(function, "stale position %zu: it was already released, or its slot was claimed again since", pos);
    return {i, w};
}

// ----------------------------------------------------------------- shared pools

/// The message of the calling thread's last msgpool_shm_* call.
thread_local char last_error[512];

int succeeded() noexcept {
    last_error[0] = '\0';
    return 0;
}

int failed(const char* function, int code, const char* format, ...) noexcept
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

int failed(const char* function, int code, const char* format, ...) noexcept {
    const int n = std::snprintf(last_error, sizeof last_error, "%s: ", function);
    const std::size_t used = n > 0 && static_cast<std::size_t>(n) < sizeof last_error ? static_cast<std::size_t>(n) : 0;
    va_list args;
    va_start(args, format);
    std::vsnprintf(last_error + used, sizeof last_error - used, format, args);
    va_end(args);
    return code;
}

/// A C++ message without its "msgpool: " (the C message names the function instead).
const char* unprefixed(const char* what) noexcept {
    return std::strncmp(what, "msgpool: ", 9) == 0 ? what + 9 : what;
}

/// Runs body (which returns a code) and turns every exception into a code and
/// a message: a shared_pool_error keeps its own, anything else is _ESYSTEM.
template <class Body>
int guarded(const char* function, Body&& body) noexcept {
    try {
        return body();
    } catch (const msgpool::shared_pool_error& x) {
        return failed(function, static_cast<int>(x.code()), "%s", unprefixed(x.what()));
    } catch (const std::length_error& x) {  // the storage's plan: slots that cannot exist in this address space
        return failed(function, MSGPOOL_SHM_EINVAL, "%s", unprefixed(x.what()));
    } catch (const std::invalid_argument& x) {
        return failed(function, MSGPOOL_SHM_EINVAL, "%s", unprefixed(x.what()));
    } catch (const std::bad_alloc&) {
        return failed(function, MSGPOOL_SHM_ESYSTEM, "out of memory");
    } catch (const std::exception& x) {
        return failed(function, MSGPOOL_SHM_ESYSTEM, "%s", x.what());
    } catch (...) {
        return failed(function, MSGPOOL_SHM_ESYSTEM, "unknown error");
    }
}

enum class how { create, open, open_or_create };

/// The one path of msgpool_shm_create, _open and _open_or_create.
int attach(MsgPool* q, const char* function, const char* name, std::size_t nel, std::size_t elsize,
           const msgpool_shm_options* o, how h) noexcept {
    if (q == nullptr) return failed(function, MSGPOOL_SHM_EINVAL, "the pool pointer is NULL");
    *q = MsgPool{};
    if (name == nullptr) return failed(function, MSGPOOL_SHM_EINVAL, "the name is NULL");
    if (h != how::open) {
        if (nel == 0) return failed(function, MSGPOOL_SHM_EINVAL, "nel (the number of elements) must be at least 1, got 0");
        if (elsize == 0)
            return failed(function, MSGPOOL_SHM_EINVAL, "elsize (the element size) must be at least 1 byte, got 0");
    }
    if (elsize != 0 && nel > std::numeric_limits<std::size_t>::max() / elsize)
        return failed(function, MSGPOOL_SHM_EINVAL, "nel * elsize overflows size_t (nel %zu, elsize %zu)", nel, elsize);
    msgpool::shared_pool_options options;
    if (o != nullptr) {
        options.type_tag = o->type_tag;
        options.mode = o->mode;
        options.populate = o->populate != 0;
        options.patience = std::chrono::milliseconds(o->patience_ms);
    }
    return guarded(function, [&] {
        // The handle's memory first: once a segment is created, nothing may fail
        // (a failed create must leave no segment behind).
        std::unique_ptr<void, void (*)(void*)> memory(::operator new(sizeof(msgpool_shm_impl)),
                                                      [](void* m) { ::operator delete(m); });
        auto handle = h == how::create  ? shared_handle::create(name, nel, elsize, options)
                      : h == how::open ? shared_handle::open(name, options)
                                       : shared_handle::open_or_create(name, nel, elsize, options);
        if (nel != 0 && handle->capacity() != nel)
            return failed(function, MSGPOOL_SHM_EMISMATCH,
                          "capacity differs: the segment '%s' has %zu slots, this program asks for %zu", name,
                          handle->capacity(), nel);
        if (elsize != 0 && handle->element_size() != elsize)
            return failed(function, MSGPOOL_SHM_EMISMATCH,
                          "element size differs: the segment '%s' has %zu bytes, this program asks for %zu bytes",
                          name, handle->element_size(), elsize);
        auto* impl = ::new (memory.release()) msgpool_shm_impl{std::move(handle)};  // noexcept; delete frees it
        q->nel = impl->handle->capacity();
        q->elsize = impl->handle->element_size();
        q->locking = MSGP_LOCK_MUTEX;  // it sleeps when it waits (on futexes)
        q->impl = tagged(impl, shared_tag);
        return succeeded();
    });
}

}  // namespace

extern "C" {

void msgpool_alloc(MsgPool* q, std::size_t nel, std::size_t elsize, std::size_t nproducers,
                   std::size_t nconsumers) noexcept {
    const alloc_error e = allocate(q, nel, elsize, nproducers, nconsumers);
    if (e.code != 0) fail("msgpool_alloc", "%s", e.message);
}

int msgpool_try_alloc(MsgPool* q, std::size_t nel, std::size_t elsize, std::size_t nproducers,
                      std::size_t nconsumers) noexcept {
    return allocate(q, nel, elsize, nproducers, nconsumers).code;
}

void msgpool_alloc_locking(MsgPool* q, std::size_t nel, std::size_t elsize, char locking) noexcept {
    const alloc_error e = allocate(q, nel, elsize, 0, 0, locking, true);
    if (e.code != 0) fail("msgpool_alloc", "%s", e.message);
}

void msgpool_dealloc(MsgPool* q) noexcept {
    if (q == nullptr) return;
    release(q);
}

void msgpool_init(MsgPool* q, void (*func)(char* el, std::size_t idx, void* args), void* args) noexcept {
    with_pool(q, "msgpool_init", [&](auto& pool) {
        if (func == nullptr) fail("msgpool_init", "func is NULL");
        pool.for_each_element([&](void* el, std::size_t i) { func(static_cast<char*>(el), i, args); });
    });
}

void msgpool_iterate(MsgPool* q, void (*func)(void* el, std::size_t idx, void* args), void* args) noexcept {
    with_pool(q, "msgpool_iterate", [&](auto& pool) {
        if (func == nullptr) fail("msgpool_iterate", "func is NULL");
        pool.for_each_element([&](void* el, std::size_t i) { func(el, i, args); });
    });
}

int msgpool_claim_read(MsgPool* q) noexcept {
    return with_heap_pool(q, "msgpool_claim_read", [&](auto& pool) {
        std::atomic<claim_word>* words = words_for_claim(q, pool, "msgpool_claim_read");
        const std::optional<std::size_t> i = pool.claim_read();
        return i ? claimed(q, words, *i, read_claim) : -1;
    });
}

int msgpool_claim_write(MsgPool* q) noexcept {
    return with_heap_pool(q, "msgpool_claim_write", [&](auto& pool) {
        std::atomic<claim_word>* words = words_for_claim(q, pool, "msgpool_claim_write");
        return claimed(q, words, pool.claim_write(), write_claim);
    });
}

void* msgpool_get_ptr(const MsgPool* q, std::size_t pos) noexcept {
    return with_heap_pool(q, "msgpool_get_ptr", [&](auto& pool) {
        return pool.element_at(check_position(q, pool.words.existing(), pos, "msgpool_get_ptr").index);
    });
}

void msgpool_release(MsgPool* q, std::size_t pos, char new_state) noexcept {
    constexpr const char* function = "msgpool_release";
    with_heap_pool(q, function, [&](auto& pool) {
        if (new_state != MPOOL_EMPTY && new_state != MPOOL_FULL)
            fail(function, "new_state must be MPOOL_EMPTY (0) or MPOOL_FULL (2), got %d", new_state);
        std::atomic<claim_word>* words = pool.words.existing();
        position p = check_position(q, words, pos, function);
        // The release's own CAS: exactly one release of a claim gets past it.  relaxed: the slot's release
        // below (publish or abandon) carries the new word to the slot's next claimer, whose acquire claim
        // comes before its load in claimed().
        const claim_word next = (p.word & ~kind_mask) + generation_step;
        if (!words[p.index].compare_exchange_strong(p.word, next, std::memory_order_relaxed,
                                                    std::memory_order_relaxed))  // relaxed: we abort
            fail(function, "stale position %zu: released by another thread at the same time", pos);
        pool.end_claim(p.index, p.word & kind_mask, new_state == MPOOL_FULL);
    });
}

int msgpool_read(MsgPool* q, void* __restrict p, const void* __restrict swap) noexcept {
    return with_pool(q, "msgpool_read", [&](auto& pool) {
        require(p, "msgpool_read", "the destination p");
        return pool.read(p, swap) ? bytes_read(pool) : 0;
    });
}

void msgpool_write(MsgPool* q, const void* __restrict p, void* __restrict swap) noexcept {
    with_pool(q, "msgpool_write", [&](auto& pool) {
        require(p, "msgpool_write", "the message p");
        pool.write(p, swap);
    });
}

void msgpool_wait_til_empty(MsgPool* q) noexcept {
    with_pool(q, "msgpool_wait_til_empty", [](auto& pool) { pool.wait_until_empty(); });
}

void msgpool_close(MsgPool* q) noexcept {
    with_pool(q, "msgpool_close", [](auto& pool) { pool.close(); });
}

void msgpool_reopen(MsgPool* q) noexcept {
    with_pool(q, "msgpool_reopen", [](auto& pool) { pool.reopen(); });
}

int msgpool_try_read(MsgPool* q, void* __restrict p, const void* __restrict swap) noexcept {
    return with_pool(q, "msgpool_try_read", [&](auto& pool) {
        require(p, "msgpool_try_read", "the destination p");
        return pool.try_read(p, swap) ? bytes_read(pool) : 0;
    });
}

int msgpool_try_write(MsgPool* q, const void* __restrict p, void* __restrict swap) noexcept {
    return with_pool(q, "msgpool_try_write", [&](auto& pool) {
        require(p, "msgpool_try_write", "the message p");
        return pool.try_write(p, swap) ? 1 : 0;
    });
}

int msgpool_read_for(MsgPool* q, void* __restrict p, const void* __restrict swap,
                     unsigned long long timeout_ns) noexcept {
    return with_pool(q, "msgpool_read_for", [&](auto& pool) {
        require(p, "msgpool_read_for", "the destination p");
        return pool.read_for(p, swap, timeout(timeout_ns)) ? bytes_read(pool) : 0;
    });
}

int msgpool_write_for(MsgPool* q, const void* __restrict p, void* __restrict swap,
                      unsigned long long timeout_ns) noexcept {
    return with_pool(q, "msgpool_write_for", [&](auto& pool) {
        require(p, "msgpool_write_for", "the message p");
        return pool.write_for(p, swap, timeout(timeout_ns)) ? 1 : 0;
    });
}

int msgpool_wait_til_empty_for(MsgPool* q, unsigned long long timeout_ns) noexcept {
    return with_pool(q, "msgpool_wait_til_empty_for",
                     [&](auto& pool) { return pool.wait_until_empty_for(timeout(timeout_ns)) ? 1 : 0; });
}

int msgpool_is_closed(const MsgPool* q) noexcept {
    return with_pool(q, "msgpool_is_closed", [](auto& pool) { return pool.is_closed() ? 1 : 0; });
}

std::size_t msgpool_was_size(const MsgPool* q) noexcept {
    return with_pool(q, "msgpool_was_size", [](auto& pool) { return pool.was_size(); });
}

// ----------------------------------------------------------------- shared pools

void msgpool_shm_options_init(msgpool_shm_options* o) noexcept {
    if (o == nullptr) return;
    const msgpool::shared_pool_options defaults;
    o->type_tag = defaults.type_tag;
    o->mode = defaults.mode;
    o->populate = defaults.populate ? 1 : 0;
    o->patience_ms = static_cast<unsigned>(defaults.patience.count());
}

int msgpool_shm_create(MsgPool* q, const char* name, std::size_t nel, std::size_t elsize,
                       const msgpool_shm_options* o) noexcept {
    return attach(q, "msgpool_shm_create", name, nel, elsize, o, how::create);
}

int msgpool_shm_open(MsgPool* q, const char* name, std::size_t nel, std::size_t elsize,
                     const msgpool_shm_options* o) noexcept {
    return attach(q, "msgpool_shm_open", name, nel, elsize, o, how::open);
}

int msgpool_shm_open_or_create(MsgPool* q, const char* name, std::size_t nel, std::size_t elsize,
                               const msgpool_shm_options* o) noexcept {
    return attach(q, "msgpool_shm_open_or_create", name, nel, elsize, o, how::open_or_create);
}

int msgpool_shm_detach(MsgPool* q) noexcept {
    constexpr const char* function = "msgpool_shm_detach";
    if (q == nullptr) return failed(function, MSGPOOL_SHM_EINVAL, "the pool pointer is NULL");
    if (q->impl == nullptr)
        return failed(function, MSGPOOL_SHM_EINVAL, "the pool is not attached (not allocated, or already detached)");
    if (!is_shared(q))
        return failed(function, MSGPOOL_SHM_EINVAL,
                      "the pool is not a shared pool (it was made by msgpool_alloc: release it with msgpool_dealloc)");
    release(q);
    return succeeded();
}

int msgpool_shm_unlink(const char* name) noexcept {
    constexpr const char* function = "msgpool_shm_unlink";
    if (name == nullptr) return failed(function, MSGPOOL_SHM_EINVAL, "the name is NULL");
    return guarded(function, [&] {
        if (!shared_handle::remove(name))
            return failed(function, MSGPOOL_SHM_ENOENT, "no segment named '%s'", name);
        return succeeded();
    });
}

int msgpool_shm_is_shared(const MsgPool* q) noexcept { return q != nullptr && is_shared(q) ? 1 : 0; }

const char* msgpool_shm_strerror(int code) noexcept {
    switch (code) {
        case 0: return "success";
        case MSGPOOL_SHM_EINVAL: return "invalid argument";
        case MSGPOOL_SHM_EEXIST: return "a segment of that name already exists";
        case MSGPOOL_SHM_ENOENT: return "no segment of that name";
        case MSGPOOL_SHM_EPERM: return "permission denied (the segment belongs to another user, or access was refused)";
        case MSGPOOL_SHM_ENOSPC: return "no space for the segment (shared memory is full)";
        case MSGPOOL_SHM_ETOOSMALL: return "the segment is smaller than its pool needs";
        case MSGPOOL_SHM_ECORRUPT: return "not a msgpool segment, or its header is corrupted";
        case MSGPOOL_SHM_EMISMATCH: return "the pool in the segment differs from the one asked for";
        case MSGPOOL_SHM_ENOTREADY: return "the segment is still being created, or its creator died creating it";
        case MSGPOOL_SHM_EUNSUPPORTED: return "this process cannot take part in a shared pool";
        case MSGPOOL_SHM_ESYSTEM: return "a system call failed, or out of memory";
        default: return "unknown msgpool_shm error code";
    }
}

const char* msgpool_shm_last_error(void) noexcept { return last_error; }

}  // extern "C"
