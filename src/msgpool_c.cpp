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
#include <msgpool/pool.hpp>
#include <msgpool/raw_bytes.hpp>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <limits>
#include <new>
#include <stdexcept>

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

/// The pool behind q, or an abort naming `function` if there is none.
msgpool::pool<msgpool::raw_bytes>& pool_of(const MsgPool* q, const char* function) noexcept {
    if (q == nullptr) fail(function, "the pool pointer is NULL");
    if (q->impl == nullptr)
        fail(function, "the pool is not allocated (call msgpool_alloc first) or was already deallocated");
    return q->impl->pool;
}

void require(const void* p, const char* function, const char* what) noexcept {
    if (p == nullptr) fail(function, "%s is NULL", what);
}

/// The original returns the bytes read as an int.
int bytes_read(const msgpool::pool<msgpool::raw_bytes>& pool) noexcept {
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
    delete q->impl;
    *q = MsgPool{};
}

void msgpool_init(MsgPool* q, void (*func)(char* el, std::size_t idx, void* args), void* args) noexcept {
    auto& pool = pool_of(q, "msgpool_init");
    if (func == nullptr) fail("msgpool_init", "func is NULL");
    pool.for_each_element([&](void* el, std::size_t i) { func(static_cast<char*>(el), i, args); });
}

int msgpool_read(MsgPool* q, void* __restrict p, const void* __restrict swap) noexcept {
    auto& pool = pool_of(q, "msgpool_read");
    require(p, "msgpool_read", "the destination p");
    return pool.read(p, swap) ? bytes_read(pool) : 0;
}

void msgpool_write(MsgPool* q, const void* __restrict p, void* __restrict swap) noexcept {
    auto& pool = pool_of(q, "msgpool_write");
    require(p, "msgpool_write", "the message p");
    pool.write(p, swap);
}

void msgpool_wait_til_empty(MsgPool* q) noexcept { pool_of(q, "msgpool_wait_til_empty").wait_until_empty(); }

void msgpool_close(MsgPool* q) noexcept { pool_of(q, "msgpool_close").close(); }

void msgpool_reopen(MsgPool* q) noexcept { pool_of(q, "msgpool_reopen").reopen(); }

int msgpool_try_read(MsgPool* q, void* __restrict p, const void* __restrict swap) noexcept {
    auto& pool = pool_of(q, "msgpool_try_read");
    require(p, "msgpool_try_read", "the destination p");
    return pool.try_read(p, swap) ? bytes_read(pool) : 0;
}

int msgpool_try_write(MsgPool* q, const void* __restrict p, void* __restrict swap) noexcept {
    auto& pool = pool_of(q, "msgpool_try_write");
    require(p, "msgpool_try_write", "the message p");
    return pool.try_write(p, swap) ? 1 : 0;
}

int msgpool_read_for(MsgPool* q, void* __restrict p, const void* __restrict swap,
                     unsigned long long timeout_ns) noexcept {
    auto& pool = pool_of(q, "msgpool_read_for");
    require(p, "msgpool_read_for", "the destination p");
    return pool.read_for(p, swap, timeout(timeout_ns)) ? bytes_read(pool) : 0;
}

int msgpool_write_for(MsgPool* q, const void* __restrict p, void* __restrict swap,
                      unsigned long long timeout_ns) noexcept {
    auto& pool = pool_of(q, "msgpool_write_for");
    require(p, "msgpool_write_for", "the message p");
    return pool.write_for(p, swap, timeout(timeout_ns)) ? 1 : 0;
}

int msgpool_wait_til_empty_for(MsgPool* q, unsigned long long timeout_ns) noexcept {
    return pool_of(q, "msgpool_wait_til_empty_for").wait_until_empty_for(timeout(timeout_ns)) ? 1 : 0;
}

int msgpool_is_closed(const MsgPool* q) noexcept { return pool_of(q, "msgpool_is_closed").is_closed() ? 1 : 0; }

std::size_t msgpool_was_size(const MsgPool* q) noexcept { return pool_of(q, "msgpool_was_size").was_size(); }

}  // extern "C"
