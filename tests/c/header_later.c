/* Compile-only check: <msgpool.h> with MSGPOOL_LATER_API on its own is valid
 * C99 (-std=c99 -pedantic -Werror, no feature-test macros), declares the
 * later API, and brings what the last version's header included: <stdlib.h>,
 * <stdio.h>, <stdbool.h>, <string.h>, <pthread.h>, <sched.h>, <unistd.h>,
 * <signal.h>, <assert.h> and <errno.h>.  Nothing else is included here. */
#include <msgpool.h>

static void clear(void *el, size_t idx, void *args)
{
  (void)idx; (void)args;
  memset(el, 0, 1);                         /* <string.h> */
}

int msgpool_header_later_check(void);
int msgpool_header_later_check(void)
{
  MsgPool q;
  bool ok = true;                           /* <stdbool.h> */
  int pos;
  void (*alloc)(MsgPool *, size_t, size_t, char) = msgpool_alloc; /* a real function */
  sig_atomic_t flag = 0;                    /* <signal.h> */
  alloc(&q, 4, 8, MSGP_LOCK_MUTEX);
  msgpool_alloc_spinlock(&q, 4, 8);
  msgpool_dealloc(&q);
  msgpool_alloc_yield(&q, 4, 8);
  msgpool_dealloc(&q);
  msgpool_alloc_mutex(&q, 4, 8);
  msgpool_iterate(&q, clear, NULL);
  pos = msgpool_claim_write(&q);
  assert(pos >= 0);                         /* <assert.h> */
  memset(msgpool_get_ptr(&q, (size_t)pos), 1, 8);
  msgpool_release(&q, (size_t)pos, MPOOL_FULL);
  pos = msgpool_claim_read(&q);
  msgpool_release(&q, (size_t)pos, MPOOL_EMPTY);
  if (sched_yield() != 0) ok = false;       /* <sched.h> */
  if (errno == EINVAL) flag = 1;            /* <errno.h> */
  printf("%d %ld %d\n", (int)q.locking, (long)getpid(), (int)flag); /* <stdio.h>, <unistd.h> */
  free(malloc(1));                          /* <stdlib.h> */
  msgpool_dealloc(&q);
  return ok && pthread_self() != 0 ? 0 : 1; /* <pthread.h> */
}
