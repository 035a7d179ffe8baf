/* The README generation's MsgPool (no MSGPOOL_LATER_API) is the original's,
 * and the library never writes past it.
 *
 * At compile time: MsgPool has the size and field offsets of a struct of the
 * original's five fields alone (nel, elsize, nproducers, nconsumers, impl),
 * and it ends at impl; a positional initialiser of those five compiles
 * warning-free (this test is built with -Wextra -Werror, so a sixth field
 * would fail it through -Wmissing-field-initializers).
 *
 * At run time: every function a README program can call that takes a
 * MsgPool runs on one placed at the start of a larger buffer whose bytes past
 * sizeof(MsgPool) are canaries, checked after each call; then again on a
 * MsgPool malloc'ed at its exact size, where AddressSanitizer reports a write
 * past it as it happens. */
#include "check.h"
#include "layout.h"

/* ---------------------------------------------------------------- the layout, at compile time */

/* The original's struct, field for field. */
struct readme_msgpool
{
  size_t nel;
  size_t elsize;
  size_t nproducers;
  size_t nconsumers;
  struct msgpool_impl *impl;
};

LAYOUT_CHECK(size_is_the_originals, sizeof(MsgPool) == sizeof(struct readme_msgpool));
LAYOUT_CHECK(nel, offsetof(MsgPool, nel) == offsetof(struct readme_msgpool, nel));
LAYOUT_CHECK(elsize, offsetof(MsgPool, elsize) == offsetof(struct readme_msgpool, elsize));
LAYOUT_CHECK(nproducers, offsetof(MsgPool, nproducers) == offsetof(struct readme_msgpool, nproducers));
LAYOUT_CHECK(nconsumers, offsetof(MsgPool, nconsumers) == offsetof(struct readme_msgpool, nconsumers));
LAYOUT_CHECK(impl, offsetof(MsgPool, impl) == offsetof(struct readme_msgpool, impl));
LAYOUT_CHECK(ends_at_impl, sizeof(MsgPool) == offsetof(MsgPool, impl) + sizeof(struct msgpool_impl *));

/* Initialisers written for the original's five fields (as in bad_input.c). */
static const MsgPool positional = {0, 0, 0, 0, NULL};

static int not_allocated(const MsgPool *q)
{
  return q->nel == 0 && q->elsize == 0 && q->nproducers == 0 && q->nconsumers == 0 && q->impl == NULL;
}

static void set_index(char *el, size_t idx, void *args)
{
  int v = (int)idx;
  (void)args;
  memcpy(el, &v, sizeof v);
}

/* ---------------------------------------------------------------- every call that takes a MsgPool */

static void exercise_heap_pool(MsgPool *q)
{
  int v = 7, r = 0, rc = -1;
  size_t n = 0;

  AFTER(msgpool_alloc(q, 4, sizeof(int), 2, 3));
  CHECK(q->nel == 4 && q->elsize == sizeof(int) && q->nproducers == 2 && q->nconsumers == 3 && q->impl != NULL);
  AFTER(msgpool_init(q, set_index, NULL));
  AFTER(msgpool_write(q, &v, NULL));
  AFTER(r = msgpool_read(q, &v, NULL));
  CHECK(r == (int)sizeof(int) && v == 7);
  AFTER(rc = msgpool_try_write(q, &v, NULL));
  CHECK(rc == 1);
  AFTER(rc = msgpool_try_read(q, &v, NULL));
  CHECK(rc == (int)sizeof(int));
  AFTER(rc = msgpool_write_for(q, &v, NULL, 1000 * MS_NS));
  CHECK(rc == 1);
  AFTER(n = msgpool_was_size(q));
  CHECK(n == 1);
  AFTER(rc = msgpool_read_for(q, &v, NULL, 1000 * MS_NS));
  CHECK(rc == (int)sizeof(int));
  AFTER(msgpool_wait_til_empty(q));
  AFTER(rc = msgpool_wait_til_empty_for(q, 1000 * MS_NS));
  CHECK(rc == 1);
  AFTER(msgpool_close(q));
  AFTER(rc = msgpool_is_closed(q));
  CHECK(rc == 1);
  AFTER(rc = msgpool_read(q, &v, NULL));
  CHECK(rc == 0);
  AFTER(msgpool_reopen(q));
  AFTER(rc = msgpool_shm_is_shared(q));
  CHECK(rc == 0);
  AFTER(rc = msgpool_shm_detach(q)); /* not a shared pool: refused, nothing touched */
  CHECK(rc == MSGPOOL_SHM_EINVAL && q->impl != NULL);
  AFTER(msgpool_dealloc(q));
  CHECK(not_allocated(q));
  AFTER(msgpool_dealloc(q)); /* safe twice */
  CHECK(not_allocated(q));

  AFTER(rc = msgpool_try_alloc(q, 2, 1, 0, 0));
  CHECK(rc == 0 && q->nel == 2);
  AFTER(msgpool_dealloc(q));
  AFTER(rc = msgpool_try_alloc(q, 0, 1, 0, 0)); /* fails, and clears *q */
  CHECK(rc == EINVAL && not_allocated(q));
  AFTER(rc = msgpool_try_alloc(q, (size_t)-1, 2, 0, 0));
  CHECK(rc == EOVERFLOW && not_allocated(q));
}

static void exercise_shared_pool(MsgPool *q, const char *name)
{
  int v = 11, rc = -1;
  msgpool_shm_unlink(name); /* a leftover of a killed run, if any */

  AFTER(rc = msgpool_shm_create(q, name, 4, sizeof(int), NULL));
  CHECK(rc == 0 && q->nel == 4 && q->elsize == sizeof(int) && q->nproducers == 0 && q->nconsumers == 0);
  AFTER(msgpool_write(q, &v, NULL));
  AFTER(rc = msgpool_shm_is_shared(q));
  CHECK(rc == 1);
  AFTER(rc = msgpool_shm_detach(q));
  CHECK(rc == 0 && not_allocated(q));
  AFTER(rc = msgpool_shm_detach(q)); /* not attached: refused */
  CHECK(rc == MSGPOOL_SHM_EINVAL && not_allocated(q));

  AFTER(rc = msgpool_shm_open(q, name, 0, 0, NULL));
  CHECK(rc == 0 && q->nel == 4);
  v = 0;
  AFTER(rc = msgpool_read(q, &v, NULL));
  CHECK(rc == (int)sizeof(int) && v == 11);
  AFTER(msgpool_dealloc(q)); /* detaches */
  CHECK(not_allocated(q));

  AFTER(rc = msgpool_shm_open_or_create(q, name, 4, sizeof(int), NULL));
  CHECK(rc == 0 && q->nel == 4);
  AFTER(msgpool_dealloc(q));

  AFTER(rc = msgpool_shm_create(q, name, 4, sizeof(int), NULL)); /* exists: fails, clears *q */
  CHECK(rc == MSGPOOL_SHM_EEXIST && not_allocated(q));
  AFTER(rc = msgpool_shm_open_or_create(q, name, 8, sizeof(int), NULL)); /* another capacity */
  CHECK(rc == MSGPOOL_SHM_EMISMATCH && not_allocated(q));
  CHECK(msgpool_shm_unlink(name) == 0);
  AFTER(rc = msgpool_shm_open(q, name, 0, 0, NULL)); /* gone */
  CHECK(rc == MSGPOOL_SHM_ENOENT && not_allocated(q));
  AFTER(rc = msgpool_shm_create(q, NULL, 4, sizeof(int), NULL));
  CHECK(rc == MSGPOOL_SHM_EINVAL && not_allocated(q));
}

static void exercise(MsgPool *q, const char *name)
{
  exercise_heap_pool(q);
  exercise_shared_pool(q, name);
}

int main(void)
{
  guarded g;
  MsgPool *exact;
  char name[96];

  start_watchdog(60);
  snprintf(name, sizeof name, "/msgpool-c-test-%ld-readme-layout", (long)getpid());

  CHECK(not_allocated(&positional) && msgpool_shm_is_shared(&positional) == 0);

  /* In a larger buffer, canaries after sizeof(MsgPool). */
  guard(&g);
  exercise(&g.q, name);
  canaries = NULL;

  /* At its exact size on the heap: AddressSanitizer checks every access. */
  exact = (MsgPool *)malloc(sizeof(MsgPool));
  if (exact == NULL) return 2;
  memset(exact, 0, sizeof *exact);
  exercise(exact, name);
  free(exact);

  return check_report("c_readme_layout");
}
