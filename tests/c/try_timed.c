/* The additions: msgpool_try_read / msgpool_try_write (never block),
 * msgpool_read_for / msgpool_write_for / msgpool_wait_til_empty_for (block at
 * most the timeout), msgpool_was_size, msgpool_is_closed. */
#include "check.h"

typedef struct {
  MsgPool *q;
  unsigned delay_ms;
  int result; /* checked by main after join */
} reader_arg;

static void *read_one_later(void *p)
{
  reader_arg *a = (reader_arg *)p;
  int out;
  /* Paces only: write_for is likely waiting by then; it succeeds in either order. */
  sleep_ms(a->delay_ms);
  a->result = msgpool_read(a->q, &out, NULL);
  return NULL;
}

int main(void)
{
  MsgPool q;
  int v, old, out, sum = 0, i;
  uint64_t t0;

  start_watchdog(120);
  msgpool_alloc(&q, 3, sizeof(int), 1, 1);
  CHECK(msgpool_was_size(&q) == 0);

  /* try_write fills exactly nel slots, then refuses without touching swap. */
  for (i = 1; i <= 3; ++i) {
    v = i;
    CHECK(msgpool_try_write(&q, &v, NULL) == 1);
  }
  CHECK(msgpool_was_size(&q) == 3);
  v = 4;
  old = 99;
  CHECK(msgpool_try_write(&q, &v, &old) == 0);
  CHECK(old == 99);

  /* write_for times out on a full pool, after at least the timeout. */
  t0 = now_ns();
  CHECK(msgpool_write_for(&q, &v, &old, 20 * MS_NS) == 0);
  CHECK(now_ns() - t0 >= 20 * MS_NS);
  CHECK(old == 99);
  CHECK(msgpool_write_for(&q, &v, NULL, 0) == 0);

  /* wait_til_empty_for times out while messages are left. */
  t0 = now_ns();
  CHECK(msgpool_wait_til_empty_for(&q, 20 * MS_NS) == 0);
  CHECK(now_ns() - t0 >= 20 * MS_NS);

  /* try_read drains, then returns 0 at once on the empty (open) pool. */
  while (msgpool_try_read(&q, &out, NULL) == (int)sizeof(int)) sum += out;
  CHECK(sum == 6);
  CHECK(msgpool_was_size(&q) == 0);
  out = -5;
  CHECK(msgpool_try_read(&q, &out, NULL) == 0);
  CHECK(out == -5);
  CHECK(msgpool_wait_til_empty_for(&q, 0) == 1);

  /* read_for times out on an empty open pool, untouched p. */
  t0 = now_ns();
  CHECK(msgpool_read_for(&q, &out, NULL, 20 * MS_NS) == 0);
  CHECK(now_ns() - t0 >= 20 * MS_NS);
  CHECK(out == -5);

  /* Timed forms succeed when there is room / a message, with swaps. */
  v = 10;
  old = -1;
  CHECK(msgpool_write_for(&q, &v, &old, 1000 * MS_NS) == 1);
  CHECK(old == 1 || old == 2 || old == 3); /* a slot's previous bytes */
  v = 20;
  CHECK(msgpool_read_for(&q, &out, &v, 1000 * MS_NS) == (int)sizeof(int));
  CHECK(out == 10);
  /* A huge timeout is a long wait, not an overflow. */
  v = 11;
  CHECK(msgpool_write_for(&q, &v, NULL, ~0ull) == 1);
  CHECK(msgpool_read_for(&q, &out, NULL, ~0ull) == (int)sizeof(int) && out == 11);

  /* write_for waits for room made by a reader during the timeout. */
  for (i = 0; i < 3; ++i) CHECK(msgpool_try_write(&q, &i, NULL) == 1);
  {
    pthread_t t;
    reader_arg a;
    a.q = &q;
    a.delay_ms = 20;
    PCHECK(pthread_create(&t, NULL, read_one_later, &a));
    v = 12;
    CHECK(msgpool_write_for(&q, &v, NULL, 10000 * MS_NS) == 1);
    PCHECK(pthread_join(t, NULL));
    CHECK(a.result == (int)sizeof(int));
  }
  CHECK(msgpool_was_size(&q) == 3);

  /* Closed: try_read and read_for still drain, then fail at once. */
  msgpool_close(&q);
  CHECK(msgpool_is_closed(&q) == 1);
  sum = 0;
  while (msgpool_read_for(&q, &out, NULL, 10000 * MS_NS) != 0) ++sum;
  CHECK(sum == 3);
  t0 = now_ns();
  CHECK(msgpool_read_for(&q, &out, NULL, 10000 * MS_NS) == 0);
  CHECK(now_ns() - t0 < 5000 * MS_NS); /* returned because closed, not by timeout */
  CHECK(msgpool_try_write(&q, &v, NULL) == 1); /* writes stay allowed */
  CHECK(msgpool_try_read(&q, &out, NULL) == (int)sizeof(int) && out == 12);
  msgpool_reopen(&q);
  CHECK(msgpool_is_closed(&q) == 0);

  msgpool_dealloc(&q);
  return check_report("c_try_timed");
}
