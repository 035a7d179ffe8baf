/* msgpool.h - the C API: a drop-in replacement for msg-pool's header (2014).
 *
 * A bounded multi-producer / multi-consumer message *pool*: messages of a fixed
 * size, given at run time, are delivered exactly once and in no particular
 * order.  The functions, their signatures and their semantics are those of the
 * original msg-pool; docs/c-api.md says how to switch and what was added.  The
 * implementation is msgpool::pool<msgpool::raw_bytes> (claim::cas_scan +
 * wait::condvar + storage::inline_slots), the C++ library's default
 * composition, compiled into libmsgpool_c (link with -lmsgpool_c -lpthread, or
 * the CMake target msgpool::c).
 *
 * Valid C99 and C++ (C++11 or later); the functions have C linkage and never
 * throw.
 *
 * Contract, as in the original:
 *  - every message whose msgpool_write() returned is returned by exactly one
 *    msgpool_read(); everything a writer did before msgpool_write() is visible
 *    to the reader after msgpool_read() returns its message;
 *  - msgpool_write() blocks while the pool is full; msgpool_read() blocks
 *    while it is empty and open, and returns 0 once it is closed and empty;
 *  - nproducers and nconsumers are hints: any number of threads may write and
 *    read.
 *
 * Bad input (a NULL pool or buffer, nel or elsize 0, nel * elsize overflowing,
 * a pool that cannot be allocated, a pool used before msgpool_alloc or after
 * msgpool_dealloc) prints "msgpool_<function>: <problem>" to stderr and calls
 * abort(), as the original aborts.  msgpool_try_alloc() reports the
 * allocation errors as an error number instead.
 */
#ifndef MSGPOOL_H
#define MSGPOOL_H

/* The original header included these, and programs written against it call
 * pthread_create(), memcpy(), malloc() or printf() relying on that. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>
#include <errno.h> /* added: the error numbers msgpool_try_alloc() returns */

#if defined(__cplusplus)
#  define MSGPOOL_RESTRICT __restrict
#  define MSGPOOL_NOEXCEPT noexcept
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 199901L
#  define MSGPOOL_RESTRICT restrict
#  define MSGPOOL_NOEXCEPT
#elif defined(__GNUC__)
#  define MSGPOOL_RESTRICT __restrict
#  define MSGPOOL_NOEXCEPT
#else
#  define MSGPOOL_RESTRICT
#  define MSGPOOL_NOEXCEPT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** The pool handle.  It lives wherever the caller puts it (stack, static,
 * heap); msgpool_alloc() fills it in and msgpool_dealloc() releases what it
 * allocated.  A program may read nel, elsize, nproducers and nconsumers and
 * must not write any field.  A zero-filled MsgPool (static storage, or
 * `MsgPool q = {0};`) counts as not allocated. */
typedef struct MsgPool
{
  size_t nel;        /**< read-only: the number of slots (messages the pool holds when full) */
  size_t elsize;     /**< read-only: the size of one message, in bytes */
  size_t nproducers; /**< read-only: the hint given to msgpool_alloc() */
  size_t nconsumers; /**< read-only: the hint given to msgpool_alloc() */
  struct msgpool_impl *impl; /**< private: the C++ pool, NULL when not allocated */
} MsgPool;

/* ------------------------------------------------------------- the original API */

/** Allocates a pool of `nel` slots of `elsize` bytes each, every slot
 * zero-filled.  nproducers and nconsumers are hints, recorded in the struct.
 * Aborts, with a message naming the problem, if q is NULL, nel or elsize is 0,
 * nel * elsize overflows size_t, or the memory cannot be allocated.  Must not
 * be called on a pool that is allocated (deallocate it first). */
void msgpool_alloc(MsgPool *q, size_t nel, size_t elsize,
                   size_t nproducers, size_t nconsumers) MSGPOOL_NOEXCEPT;

/** Releases what msgpool_alloc() allocated and marks the pool not allocated
 * (all fields zero).  No thread may be using the pool.  Safe on a pool that
 * was already deallocated or is zero-filled; does nothing when q is NULL. */
void msgpool_dealloc(MsgPool *q) MSGPOOL_NOEXCEPT;

/** Calls func(el, idx, args) once for every slot, idx = 0 .. nel-1, where el
 * points to the slot's elsize bytes (whatever they hold: the initial zeros, a
 * message, or a value left by a swap).  Use it to set the slots' initial values
 * (e.g. pointers to buffers to recycle through swap) and, after the last read,
 * to release them.  Precondition: no other thread uses the pool during the
 * call.  Elements are aligned for their size (up to alignof(max_align_t)); the
 * original promised no alignment at all. */
void msgpool_init(MsgPool *q,
                  void (*func)(char *el, size_t idx, void *args),
                  void *args) MSGPOOL_NOEXCEPT;

/** Blocks while the pool is empty and open, then copies one message (elsize
 * bytes) to p.  If swap is not NULL, the slot then takes the elsize bytes at
 * swap (a recycled buffer for the next writer, say).  Returns the bytes read
 * (elsize; INT_MAX if elsize is larger), or 0 once the pool is closed and
 * empty, and then neither p nor the pool is touched. */
int msgpool_read(MsgPool *q, void *MSGPOOL_RESTRICT p,
                 const void *MSGPOOL_RESTRICT swap) MSGPOOL_NOEXCEPT;

/** Blocks while the pool is full, then stores the elsize bytes at p as a new
 * message.  If swap is not NULL, it first receives the elsize bytes the slot
 * held (the buffer a reader left there by its swap, say).  Writes are accepted
 * whether the pool is open or closed. */
void msgpool_write(MsgPool *q, const void *MSGPOOL_RESTRICT p,
                   void *MSGPOOL_RESTRICT swap) MSGPOOL_NOEXCEPT;

/** Blocks until every message written (and every write in progress) has been
 * completely read. */
void msgpool_wait_til_empty(MsgPool *q) MSGPOOL_NOEXCEPT;

/** Wakes every blocked reader; from now on msgpool_read() returns 0 when the
 * pool is empty instead of blocking.  Writes are still accepted. */
void msgpool_close(MsgPool *q) MSGPOOL_NOEXCEPT;

/** Undoes msgpool_close(): reads block again while the pool is empty. */
void msgpool_reopen(MsgPool *q) MSGPOOL_NOEXCEPT;

/* ------------------------------------------------------------- additions */

/** As msgpool_alloc(), but reports failure instead of aborting: returns 0 on
 * success, EINVAL (q is NULL, nel or elsize is 0), EOVERFLOW (nel * elsize
 * overflows size_t) or ENOMEM (the pool could not be allocated; EAGAIN for any
 * other lack of resources).  On failure *q is zero-filled (not allocated), so
 * msgpool_dealloc(q) is safe. */
int msgpool_try_alloc(MsgPool *q, size_t nel, size_t elsize,
                      size_t nproducers, size_t nconsumers) MSGPOOL_NOEXCEPT;

/** Non-blocking msgpool_read(): returns 0 at once, touching nothing, when the
 * pool is empty (open or closed). */
int msgpool_try_read(MsgPool *q, void *MSGPOOL_RESTRICT p,
                     const void *MSGPOOL_RESTRICT swap) MSGPOOL_NOEXCEPT;

/** Non-blocking msgpool_write(): returns 1 if the message was written, 0 (and
 * touches nothing) if the pool is full. */
int msgpool_try_write(MsgPool *q, const void *MSGPOOL_RESTRICT p,
                      void *MSGPOOL_RESTRICT swap) MSGPOOL_NOEXCEPT;

/** Timed msgpool_read(): blocks at most timeout_ns nanoseconds (counted on a
 * monotonic clock); returns 0 on timeout or once the pool is closed and
 * empty. */
int msgpool_read_for(MsgPool *q, void *MSGPOOL_RESTRICT p,
                     const void *MSGPOOL_RESTRICT swap,
                     unsigned long long timeout_ns) MSGPOOL_NOEXCEPT;

/** Timed msgpool_write(): blocks at most timeout_ns nanoseconds; returns 1 if
 * written, 0 (touching nothing) on timeout. */
int msgpool_write_for(MsgPool *q, const void *MSGPOOL_RESTRICT p,
                      void *MSGPOOL_RESTRICT swap,
                      unsigned long long timeout_ns) MSGPOOL_NOEXCEPT;

/** Timed msgpool_wait_til_empty(): returns 1 once empty, 0 on timeout. */
int msgpool_wait_til_empty_for(MsgPool *q,
                               unsigned long long timeout_ns) MSGPOOL_NOEXCEPT;

/** 1 if msgpool_close() was called and msgpool_reopen() not since, else 0. */
int msgpool_is_closed(const MsgPool *q) MSGPOOL_NOEXCEPT;

/** The number of messages in the pool; exact when no read or write is in
 * progress, otherwise possibly stale by the time it returns. */
size_t msgpool_was_size(const MsgPool *q) MSGPOOL_NOEXCEPT;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MSGPOOL_H */
