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
 *
 * Two generations.  By default this header is the original's README API
 * (msgpool_alloc with producer and consumer counts, msgpool_init).  Compiled
 * with MSGPOOL_LATER_API defined (-DMSGPOOL_LATER_API), it is the original's
 * last API instead: msgpool_alloc(q, nel, elsize, locking) with a blocking
 * mode, msgpool_iterate, and zero-copy claims (msgpool_claim_read,
 * msgpool_claim_write, msgpool_get_ptr, msgpool_release); see "The later API"
 * below.  Both generations use one library and one MsgPool layout, so code
 * of either may share a pool.
 *
 * Added: pools shared between processes (Linux).  msgpool_shm_create() and
 * msgpool_shm_open() fill a MsgPool with a pool that lives in a named POSIX
 * shared-memory segment, and every function above works on it unchanged, from
 * any number of processes of the same user.  Those functions return an error
 * code (MSGPOOL_SHM_*) instead of aborting; see the last section.
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
#include <stdint.h> /* added: uint64_t in msgpool_shm_options */
#if defined(MSGPOOL_LATER_API)
/* The last version's header also included these (its own test program uses
 * bool without including <stdbool.h>). */
#  include <stdbool.h>
#  include <sched.h>
#  include <signal.h>
#  include <assert.h>
#endif

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
 * allocated.  A program may read nel, elsize, nproducers, nconsumers and
 * locking and must not write any field.  A zero-filled MsgPool (static
 * storage, or `MsgPool q = {0};`) counts as not allocated. */
typedef struct MsgPool
{
  size_t nel;        /**< read-only: the number of slots (messages the pool holds when full) */
  size_t elsize;     /**< read-only: the size of one message, in bytes */
  size_t nproducers; /**< read-only: the hint given to the README's msgpool_alloc() (0 otherwise) */
  size_t nconsumers; /**< read-only: the hint given to the README's msgpool_alloc() (0 otherwise) */
  struct msgpool_impl *impl; /**< private: the C++ pool, NULL when not allocated */
  char locking;      /**< read-only: how waiting threads wait, a MSGP_LOCK_* value of the later API:
                          0 spin, 1 yield, 2 mutex (the README's msgpool_alloc, and shared pools, give 2);
                          after impl, so that initialisers written for the earlier fields still fit */
} MsgPool;

/* ------------------------------------------------------------- the original API */

#if !defined(MSGPOOL_LATER_API)
/** Allocates a pool of `nel` slots of `elsize` bytes each, every slot
 * zero-filled.  nproducers and nconsumers are hints, recorded in the struct;
 * locking reads MSGP_LOCK_MUTEX (2): waiting threads sleep on a mutex and
 * condition variable.  Aborts, with a message naming the problem, if q is
 * NULL, nel or elsize is 0, nel * elsize overflows size_t, or the memory
 * cannot be allocated.  Must not be called on a pool that is allocated
 * (deallocate it first).  With MSGPOOL_LATER_API msgpool_alloc is the later
 * API's four-argument form instead (below). */
void msgpool_alloc(MsgPool *q, size_t nel, size_t elsize,
                   size_t nproducers, size_t nconsumers) MSGPOOL_NOEXCEPT;
#endif

/** Releases what msgpool_alloc() allocated and marks the pool not allocated
 * (all fields zero).  No thread may be using the pool.  Safe on a pool that
 * was already deallocated or is zero-filled; does nothing when q is NULL.
 * On a shared pool (msgpool_shm_create/open) it detaches this process, as
 * msgpool_shm_detach() does: the pool and its segment stay. */
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

/* ------------------------------------------------------------- the later API */

/* With MSGPOOL_LATER_API: the original's last version.  The library always
 * provides these functions; the header declares them only for that
 * generation, so that a program of the README's version sees its header
 * unchanged.  (MSGPOOL_C_IMPLEMENTATION is the library's own.) */
#if defined(MSGPOOL_LATER_API) || defined(MSGPOOL_C_IMPLEMENTATION)

/* Slot states, the new_state of msgpool_release(). */
#define MPOOL_EMPTY   0
#define MPOOL_CLAIMED 1 /* a claimed slot's state; never a valid new_state */
#define MPOOL_FULL    2

/* Blocking modes: how a thread waits while the pool is full (writers) or
 * empty and open (readers).  Each mode is one composition of the C++
 * library (docs/c-api.md), all three claiming slots as the default does
 * (claim::cas_scan, storage::inline_slots):
 *   MSGP_LOCK_SPIN   wait::spin: pause with exponential backoff, then
 *                    sched_yield between checks; never sleeps.
 *   MSGP_LOCK_YIELD  sched_yield between checks from the first (no pause
 *                    steps); never sleeps in practice (after 2^32 - 1 yields
 *                    in a row a waiter would sleep on a condition variable).
 *   MSGP_LOCK_MUTEX  wait::condvar, the default composition (as the README's
 *                    msgpool_alloc): a short spin, then a mutex and condition
 *                    variable; a waiting thread sleeps. */
#define MSGP_LOCK_SPIN  0
#define MSGP_LOCK_YIELD 1
#define MSGP_LOCK_MUTEX 2

/** The later API's msgpool_alloc (declared under that name with
 * MSGPOOL_LATER_API): as the README's, with the blocking mode `locking`
 * (MSGP_LOCK_SPIN, _YIELD or _MUTEX) instead of the producer and consumer
 * hints, which read 0.  Also aborts, naming the problem, if locking is none
 * of the three or nel is more than INT_MAX (claim positions are int). */
void msgpool_alloc_locking(MsgPool *q, size_t nel, size_t elsize, char locking) MSGPOOL_NOEXCEPT;

/** Calls func(el, idx, args) once for every slot, exactly as msgpool_init()
 * does, with el as void *: sets the slots' initial values, or releases them
 * after the last read.  No other thread may use the pool during the call. */
void msgpool_iterate(MsgPool *q, void (*func)(void *el, size_t idx, void *args),
                     void *args) MSGPOOL_NOEXCEPT;

/** Blocks while the pool is empty and open, then claims a full slot for this
 * thread and returns its position (>= 0), for msgpool_get_ptr() and
 * msgpool_release(); returns -1 once the pool is closed and empty.  The
 * message stays in the slot, claimed, until msgpool_release(): a held slot
 * blocks no other thread, and msgpool_wait_til_empty() waits for it. */
int msgpool_claim_read(MsgPool *q) MSGPOOL_NOEXCEPT;

/** Blocks while the pool is full, then claims an empty slot for this thread
 * and returns its position (>= 0).  The slot holds whatever it held (the
 * initial zeros, msgpool_iterate's value, a value left by a reader). */
int msgpool_claim_write(MsgPool *q) MSGPOOL_NOEXCEPT;

/** The element (elsize bytes, aligned for its size up to
 * alignof(max_align_t)) of a position returned by a claim and not yet
 * released.  Positions are opaque numbers, not offsets. */
void *msgpool_get_ptr(const MsgPool *q, size_t pos) MSGPOOL_NOEXCEPT;

/** Ends the claim of position pos.  After msgpool_claim_write: MPOOL_FULL
 * publishes the element as a message (one blocked reader wakes), MPOOL_EMPTY
 * gives the slot back unused (no message appears).  After msgpool_claim_read:
 * MPOOL_EMPTY consumes the message (one blocked writer wakes), MPOOL_FULL puts
 * it back unread, with whatever was done to it in place (one blocked reader
 * wakes; msgpool_wait_til_empty() keeps waiting for it).  Any thread may
 * release a position that it got from the claiming thread through its own
 * synchronisation.  Aborts with a message naming the problem if new_state is
 * neither MPOOL_EMPTY nor MPOOL_FULL, if pos is not a position of this pool,
 * or if pos is stale (already released, or its slot claimed again since);
 * msgpool_get_ptr() aborts on the same positions.  A stale position that
 * happens to match the slot's current claim (the slot claimed again
 * INT_MAX / nel times since) is not caught. */
void msgpool_release(MsgPool *q, size_t pos, char new_state) MSGPOOL_NOEXCEPT;

#endif /* MSGPOOL_LATER_API || MSGPOOL_C_IMPLEMENTATION */

#if defined(MSGPOOL_LATER_API)
/* msgpool_alloc is the four-argument form: a real function (its address
 * may be taken), bound to the library's msgpool_alloc_locking. */
#  if defined(__GNUC__)
#    define MSGPOOL_STR_(x) #x
#    define MSGPOOL_STR(x) MSGPOOL_STR_(x)
void msgpool_alloc(MsgPool *q, size_t nel, size_t elsize, char locking)
    MSGPOOL_NOEXCEPT __asm__(MSGPOOL_STR(__USER_LABEL_PREFIX__) "msgpool_alloc_locking");
#    undef MSGPOOL_STR
#    undef MSGPOOL_STR_
#  else
#    define msgpool_alloc msgpool_alloc_locking
#  endif
/* The original's allocation macros. */
#  define msgpool_alloc_spinlock(q, nel, elsize) msgpool_alloc((q), (nel), (elsize), MSGP_LOCK_SPIN)
#  define msgpool_alloc_yield(q, nel, elsize)    msgpool_alloc((q), (nel), (elsize), MSGP_LOCK_YIELD)
#  define msgpool_alloc_mutex(q, nel, elsize)    msgpool_alloc((q), (nel), (elsize), MSGP_LOCK_MUTEX)
#endif

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

/* ------------------------------------------------------------- pools shared between processes */

/* A shared pool lives in a named POSIX shared-memory segment (shm_open, in
 * /dev/shm on Linux).  One process creates it; unrelated processes of the same
 * user open it by name.  The MsgPool that msgpool_shm_create() or
 * msgpool_shm_open() fills is this process's handle: msgpool_read,
 * msgpool_write, their try_ and timed forms, msgpool_close, msgpool_reopen,
 * msgpool_wait_til_empty(_for), msgpool_is_closed, msgpool_was_size and
 * msgpool_init work on it as on a pool from msgpool_alloc, with the same
 * contract, across processes: a message written in one process is read
 * exactly once, in whichever process reads it.  A close or reopen in one
 * process is seen by all.  Messages are the elsize bytes themselves, so they
 * must not hold pointers into one process's memory.
 *
 * Lifetime: msgpool_shm_detach() (or msgpool_dealloc()) unmaps the pool from
 * this process only; msgpool_shm_unlink() removes the name, and the memory is
 * freed once no process has it mapped.  A segment is not removed when its
 * processes exit: unlink it when done.
 *
 * The pool is msgpool::basic_shared_pool<msgpool::raw_bytes, claim::cas_scan,
 * wait::futex, storage::inline_slots, sync::shared_fenced>: a C++ program can
 * open a segment that a C program created, and the other way round.  Waiting
 * sleeps on process-shared futexes; a sleeper re-checks at least every 100 ms,
 * so a process that dies mid-operation never leaves another asleep for ever.
 *
 * Names: '/' followed by 1 to 200 characters from [A-Za-z0-9._-] ("." and
 * ".." excepted).  New segments get mode 0600 (set after creation, so the
 * umask cannot change it), their memory is reserved at creation (a full
 * /dev/shm is MSGPOOL_SHM_ENOSPC then, not a SIGBUS later), and a process
 * opens only segments that belong to its own effective user: processes of one
 * user are trusted not to write the pool's memory except through msgpool.
 *
 * fork(): a child inherits the mapping and may use the parent's MsgPool as
 * its own handle; msgpool_dealloc() in the child unmaps the child's mapping
 * only.  A slot another thread of the parent held at the fork stays the
 * parent's.
 *
 * Errors: the msgpool_shm_* functions never abort; they return 0 or one of
 * these codes, and msgpool_shm_last_error() gives the message, which names
 * what differs or failed.  (The other functions keep their aborts on misuse,
 * e.g. a NULL p, on shared pools too.)  The values equal those of the C++
 * enum msgpool::shared_pool_errc. */
#define MSGPOOL_SHM_EINVAL       1  /**< bad argument: q, name, nel, elsize, options (mode), memory */
#define MSGPOOL_SHM_EEXIST       2  /**< create: a segment of that name exists */
#define MSGPOOL_SHM_ENOENT       3  /**< open, unlink: no segment of that name */
#define MSGPOOL_SHM_EPERM        4  /**< the segment belongs to another user, or access was refused */
#define MSGPOOL_SHM_ENOSPC       5  /**< the segment's memory could not be reserved (a full /dev/shm) */
#define MSGPOOL_SHM_ETOOSMALL    6  /**< the segment is smaller than its header says, or than a header */
#define MSGPOOL_SHM_ECORRUPT     7  /**< not a msgpool segment, or its header is corrupted */
#define MSGPOOL_SHM_EMISMATCH    8  /**< the pool there differs from the one asked for: elsize, nel, type tag, layout */
#define MSGPOOL_SHM_ENOTREADY    9  /**< still being created, or its creator died while creating it */
#define MSGPOOL_SHM_EUNSUPPORTED 10 /**< this process cannot take part in a shared pool */
#define MSGPOOL_SHM_ESYSTEM      11 /**< another system call failed, or out of memory */

/** Options of msgpool_shm_create(), msgpool_shm_open() and
 * msgpool_shm_open_or_create().  Passing NULL means the defaults.  Set one up
 * with msgpool_shm_options_init() and then change the fields you need, so that
 * fields added by a later version get their defaults too. */
typedef struct msgpool_shm_options
{
  /** A value of the program's choosing (default 0), recorded at creation and
   * compared at open (MSGPOOL_SHM_EMISMATCH if it differs): the element size
   * alone cannot tell two message formats apart. */
  uint64_t type_tag;
  /** Permission bits of a new segment (default 0600); only 0..0777. */
  unsigned mode;
  /** Non-zero: fault every page in when mapping (MAP_POPULATE), so that the
   * first messages do not pay for page faults.  Default 0. */
  int populate;
  /** How long open waits for a creator that is still initialising the
   * segment, in milliseconds (default 1000). */
  unsigned patience_ms;
} msgpool_shm_options;

/** Sets *o to the defaults: type_tag 0, mode 0600, populate 0,
 * patience_ms 1000.  Does nothing when o is NULL. */
void msgpool_shm_options_init(msgpool_shm_options *o) MSGPOOL_NOEXCEPT;

/** Creates the segment `name` (exclusive: MSGPOOL_SHM_EEXIST if it exists)
 * holding a pool of `nel` slots of `elsize` bytes, every slot zero-filled, and
 * fills *q with this process's handle to it: q->nel and q->elsize as given,
 * q->nproducers and q->nconsumers 0.  o may be NULL (the defaults).  Returns
 * 0, or MSGPOOL_SHM_EINVAL (q or name NULL, a bad name, nel or elsize 0, too
 * large, a bad mode), _EEXIST, _EPERM, _ENOSPC, _EUNSUPPORTED or _ESYSTEM.
 * On failure *q is zero-filled (not allocated) and no segment is left behind.
 * As with msgpool_alloc(), *q must not hold an allocated pool. */
int msgpool_shm_create(MsgPool *q, const char *name, size_t nel, size_t elsize,
                       const msgpool_shm_options *o) MSGPOOL_NOEXCEPT;

/** Opens the existing segment `name` and fills *q with this process's handle
 * to its pool; q->nel and q->elsize are the pool's (read from the segment),
 * q->nproducers and q->nconsumers 0.  nel and elsize are what the program
 * expects: 0 accepts the pool's, any other value must equal it
 * (MSGPOOL_SHM_EMISMATCH otherwise).  Check q->elsize, or pass elsize, before
 * reading into a buffer: msgpool_read copies q->elsize bytes.  The options'
 * type_tag must equal the creator's; mode is not used.  Waits up to
 * patience_ms for a creator that is still initialising it.  Returns 0, or
 * MSGPOOL_SHM_EINVAL, _ENOENT, _EPERM, _ETOOSMALL, _ECORRUPT, _EMISMATCH,
 * _ENOTREADY, _EUNSUPPORTED or _ESYSTEM.  On failure *q is zero-filled. */
int msgpool_shm_open(MsgPool *q, const char *name, size_t nel, size_t elsize,
                     const msgpool_shm_options *o) MSGPOOL_NOEXCEPT;

/** Opens `name` if it exists, checking that its pool has `nel` slots of
 * `elsize` bytes (MSGPOOL_SHM_EMISMATCH otherwise), or creates it as
 * msgpool_shm_create() does; safe against another process doing the same at
 * the same time.  Returns 0 or an error of either function; on failure *q is
 * zero-filled. */
int msgpool_shm_open_or_create(MsgPool *q, const char *name, size_t nel, size_t elsize,
                               const msgpool_shm_options *o) MSGPOOL_NOEXCEPT;

/** Detaches this process from the shared pool q: unmaps it and marks *q not
 * allocated (all fields zero).  The pool and its segment stay, for the other
 * processes and for later opens.  No thread of this process may be using q.
 * Returns 0, or MSGPOOL_SHM_EINVAL (and touches nothing) if q is NULL, not
 * allocated, or a pool of msgpool_alloc (release that with msgpool_dealloc). */
int msgpool_shm_detach(MsgPool *q) MSGPOOL_NOEXCEPT;

/** Removes the segment name `name`.  Processes that have the pool open keep
 * using it; the memory is freed when the last one detaches (or exits), and a
 * new msgpool_shm_create() of the same name makes a new pool.  Returns 0, or
 * MSGPOOL_SHM_EINVAL (NULL or a bad name), _ENOENT (no such segment), _EPERM
 * or _ESYSTEM. */
int msgpool_shm_unlink(const char *name) MSGPOOL_NOEXCEPT;

/** 1 if q holds a shared pool (msgpool_shm_create/open/open_or_create), 0 if
 * it holds a pool of msgpool_alloc, is not allocated, or is NULL. */
int msgpool_shm_is_shared(const MsgPool *q) MSGPOOL_NOEXCEPT;

/** A short description of a MSGPOOL_SHM_* code ("success" for 0); a static
 * string, never NULL. */
const char *msgpool_shm_strerror(int code) MSGPOOL_NOEXCEPT;

/** The message of the last msgpool_shm_create, _open, _open_or_create,
 * _detach or _unlink call of the calling thread: "" if it succeeded,
 * otherwise "msgpool_shm_<function>: <what differs or failed>".  Valid until
 * the thread's next such call; never NULL. */
const char *msgpool_shm_last_error(void) MSGPOOL_NOEXCEPT;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MSGPOOL_H */
