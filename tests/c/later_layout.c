/* The later generation's MsgPool (MSGPOOL_LATER_API): the README's fields,
 * then locking; and locking after every call that fills or clears a MsgPool
 * (the library's *_later twins, under the usual names): the mode after an
 * allocation, MSGP_LOCK_MUTEX after the five-argument msgpool_try_alloc and
 * for a shared pool, 0 once the pool is released or a call failed.  As in
 * readme_layout.c, canaries after sizeof(MsgPool) show that no call writes
 * past the struct.  The names are real functions: their addresses are
 * taken. */
#include "check.h"
#include "layout.h"

LAYOUT_CHECK(locking_after_impl, offsetof(MsgPool, locking) >= offsetof(MsgPool, impl) + sizeof(struct msgpool_impl *));

int main(void)
{
  void (*alloc)(MsgPool *, size_t, size_t, char) = msgpool_alloc;
  void (*dealloc)(MsgPool *) = msgpool_dealloc;
  int (*try_alloc)(MsgPool *, size_t, size_t, size_t, size_t) = msgpool_try_alloc;
  int (*shm_create)(MsgPool *, const char *, size_t, size_t, const msgpool_shm_options *) = msgpool_shm_create;
  int (*shm_open)(MsgPool *, const char *, size_t, size_t, const msgpool_shm_options *) = msgpool_shm_open;
  int (*shm_open_or_create)(MsgPool *, const char *, size_t, size_t, const msgpool_shm_options *) =
      msgpool_shm_open_or_create;
  int (*shm_detach)(MsgPool *) = msgpool_shm_detach;
  guarded g;
  MsgPool *q = &g.q;
  char name[96];
  int rc;

  start_watchdog(60);
  snprintf(name, sizeof name, "/msgpool-c-test-%ld-later-layout", (long)getpid());
  msgpool_shm_unlink(name); /* a leftover of a killed run, if any */
  guard(&g);

  /* Heap pools: the mode, then 0 once released. */
  AFTER(alloc(q, 4, 8, MSGP_LOCK_YIELD));
  CHECK(q->locking == MSGP_LOCK_YIELD && q->nel == 4);
  AFTER(dealloc(q));
  CHECK(q->locking == 0 && q->impl == NULL && q->nel == 0);
  AFTER(msgpool_alloc_spinlock(q, 4, 8));
  CHECK(q->locking == MSGP_LOCK_SPIN);
  AFTER(dealloc(q));
  CHECK(q->locking == 0);
  AFTER(rc = try_alloc(q, 4, 8, 1, 1));
  CHECK(rc == 0 && q->locking == MSGP_LOCK_MUTEX);
  AFTER(dealloc(q));
  CHECK(q->locking == 0);
  AFTER(dealloc(q)); /* safe twice */
  CHECK(q->locking == 0 && q->impl == NULL);
  q->locking = MSGP_LOCK_YIELD; /* a stale value, to see the failure clear it */
  AFTER(rc = try_alloc(q, 0, 8, 1, 1));
  CHECK(rc == EINVAL && q->locking == 0 && q->impl == NULL);

  /* Shared pools: MSGP_LOCK_MUTEX (they sleep on futexes), then 0. */
  AFTER(rc = shm_create(q, name, 4, 8, NULL));
  CHECK(rc == 0 && q->locking == MSGP_LOCK_MUTEX);
  AFTER(rc = shm_detach(q));
  CHECK(rc == 0 && q->locking == 0 && q->impl == NULL);
  AFTER(rc = shm_detach(q)); /* refused: touches nothing */
  CHECK(rc == MSGPOOL_SHM_EINVAL && q->locking == 0);
  AFTER(rc = shm_open(q, name, 0, 0, NULL));
  CHECK(rc == 0 && q->locking == MSGP_LOCK_MUTEX && q->nel == 4);
  AFTER(dealloc(q)); /* detaches */
  CHECK(q->locking == 0 && q->impl == NULL);
  AFTER(rc = shm_open_or_create(q, name, 4, 8, NULL));
  CHECK(rc == 0 && q->locking == MSGP_LOCK_MUTEX);
  AFTER(rc = shm_detach(q));
  CHECK(rc == 0 && q->locking == 0);
  q->locking = MSGP_LOCK_YIELD;
  AFTER(rc = shm_create(q, name, 4, 8, NULL)); /* exists: fails, clears *q */
  CHECK(rc == MSGPOOL_SHM_EEXIST && q->locking == 0 && q->impl == NULL);
  CHECK(msgpool_shm_unlink(name) == 0);
  q->locking = MSGP_LOCK_YIELD;
  AFTER(rc = shm_open(q, name, 0, 0, NULL)); /* gone */
  CHECK(rc == MSGPOOL_SHM_ENOENT && q->locking == 0 && q->impl == NULL);
  return check_report("c_later_layout");
}
