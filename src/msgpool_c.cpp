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
#include <msgpool/basic_shared_pool.hpp>
#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/pool.hpp>
#include <msgpool/raw_bytes.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/sync/process_shared.hpp>
#include <msgpool/wait/futex.hpp>

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
#include <stdexcept>
#include <type_traits>
#include <utility>

// The C functions are the library's only exported symbols; the C++ templates
// instantiated here stay hidden (the target compiles with hidden visibility).
#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif
#include <msgpool.h>
#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

struct msgpool_impl {
    msgpool::pool<msgpool::raw_bytes> pool;
    msgpool_impl(std::size_t nel, std::size_t elsize) : pool(nel, elsize) {}
};

namespace {

using shared_handle = msgpool::basic_shared_pool<msgpool::raw_bytes, msgpool::claim::cas_scan, msgpool::wait::futex,
                                                 msgpool::storage::inline_slots, msgpool::sync::shared_fenced>;

/// What MsgPool::impl points to, tagged, for a shared pool.
struct msgpool_shm_impl {
    shared_handle handle;
};

constexpr std::uintptr_t shared_tag = 1;  // new's alignment keeps bit 0 of a real pointer clear
static_assert(alignof(msgpool_impl) > shared_tag && alignof(msgpool_shm_impl) > shared_tag);
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

bool is_shared(const MsgPool* q) noexcept { return (reinterpret_cast<std::uintptr_t>(q->impl) & shared_tag) != 0; }

msgpool_shm_impl* shared_of(const MsgPool* q) noexcept {
    return reinterpret_cast<msgpool_shm_impl*>(reinterpret_cast<std::uintptr_t>(q->impl) & ~shared_tag);
}

msgpool_impl* tagged(msgpool_shm_impl* s) noexcept {
    return reinterpret_cast<msgpool_impl*>(reinterpret_cast<std::uintptr_t>(s) | shared_tag);
}

/// Releases whatever q holds (a heap pool, or this process's mapping of a
/// shared one) and zero-fills it.
void release(MsgPool* q) noexcept {
    if (is_shared(q))
        delete shared_of(q);  // unmaps; the pool stays in its segment
    else
        delete q->impl;
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

/// Calls f with the pool behind q (a heap pool or a shared one) and returns
/// its result, or aborts naming `function` if q holds no pool.  f is generic:
/// it is compiled once for each kind of pool.
template <class F>
[[gnu::always_inline]] inline decltype(auto) with_pool(const MsgPool* q, const char* function, F&& f) noexcept {
    if (q == nullptr) fail(function, "the pool pointer is NULL");
    msgpool_impl* const impl = q->impl;
    if ((reinterpret_cast<std::uintptr_t>(impl) & shared_tag) == 0) [[likely]] {
        if (impl == nullptr) fail_unallocated(function);
        return f(impl->pool);
    }
    return f(*shared_of(q)->handle);
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

/// The one allocation path: msgpool_alloc aborts with `message`,
/// msgpool_try_alloc returns `code`.
alloc_error allocate(MsgPool* q, std::size_t nel, std::size_t elsize, std::size_t nproducers,
                     std::size_t nconsumers) noexcept {
    alloc_error e;
    if (q == nullptr) {
        set(e, EINVAL, "the pool pointer is NULL");
        return e;
    }
    *q = MsgPool{};
    if (nel == 0) {
        set(e, EINVAL, "nel (the number of elements) must be at least 1, got 0");
    } else if (elsize == 0) {
        set(e, EINVAL, "elsize (the element size) must be at least 1 byte, got 0");
    } else if (nel > std::numeric_limits<std::size_t>::max() / elsize) {
        set(e, EOVERFLOW, "nel * elsize overflows size_t (nel %zu, elsize %zu)", nel, elsize);
    } else {
        try {
            q->impl = new msgpool_impl(nel, elsize);
            q->nel = nel;
            q->elsize = elsize;
            q->nproducers = nproducers;
            q->nconsumers = nconsumers;
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
        q->impl = tagged(impl);
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
