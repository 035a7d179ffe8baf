/* msgpool_wait_til_empty blocks until every message written has been
 * completely read: at once on an empty pool, otherwise only after the last
 * reader released its slot, with many producers and consumers too. */
#include "check.h"

typedef struct {
  MsgPool *q;
  unsigned delay_ms, gap_ms;
  size_t to_read, read;
} slow_reader_arg;

static void *slow_reader(void *p)
{
  slow_reader_arg *a = (slow_reader_arg *)p;
  size_t i;
  int v;
  /* The workload's pace, not an order: the reader starts 100 ms late, which
     the caller's wait must outlast whenever it starts waiting. */
  sleep_ms(a->delay_ms);
  for (i = 0; i < a->to_read; ++i) {
    if (msgpool_read(a->q, &v, NULL) == (int)sizeof v) ++a->read;
    sleep_ms(a->gap_ms);
  }
  return NULL;
}

static void waits_for_the_last_read(void)
{
  MsgPool q;
  int v;
  uint64_t t0, waited;
  pthread_t t;
  slow_reader_arg a;

  msgpool_alloc(&q, 4, sizeof(int), 1, 1);
  t0 = now_ns();
  msgpool_wait_til_empty(&q); /* empty: returns at once */
  CHECK(now_ns() - t0 < 5000 * MS_NS);

  for (v = 0; v < 3; ++v) msgpool_write(&q, &v, NULL);
  a.q = &q;
  a.delay_ms = 100;
  a.gap_ms = 10;
  a.to_read = 3;
  a.read = 0;
  t0 = now_ns();
  PCHECK(pthread_create(&t, NULL, slow_reader, &a));
  msgpool_wait_til_empty(&q);
  waited = now_ns() - t0;
  /* The reader started reading 100 ms after t0: we cannot be back earlier. */
  CHECK(waited >= 100 * MS_NS);
  CHECK(msgpool_was_size(&q) == 0);
  CHECK(msgpool_try_read(&q, &v, NULL) == 0); /* nothing was left for us */
  PCHECK(pthread_join(t, NULL));
  CHECK(a.read == 3);
  msgpool_dealloc(&q);
}

typedef struct {
  MsgPool *q;
  size_t count;
} producer_arg;

typedef struct {
  MsgPool *q;
  size_t count;
  uint64_t sum;
} consumer_arg;

static void *produce(void *p)
{
  producer_arg *a = (producer_arg *)p;
  uint64_t i;
  for (i = 1; i <= a->count; ++i) msgpool_write(a->q, &i, NULL);
  return NULL;
}

static void *consume(void *p)
{
  consumer_arg *a = (consumer_arg *)p;
  uint64_t v;
  while (msgpool_read(a->q, &v, NULL)) {
    ++a->count;
    a->sum += v;
  }
  return NULL;
}

/* Producers finish; then wait_til_empty returns only when consumers have read
 * everything; the consumers keep running (blocked) until close. */
static void many_threads(void)
{
  enum { P = 4, C = 4 };
  MsgPool q;
  pthread_t t[P + C];
  producer_arg pa[P];
  consumer_arg ca[C];
  size_t i, per = 5000 * stress_scale(), count = 0;
  uint64_t sum = 0;

  msgpool_alloc(&q, 8, sizeof(uint64_t), P, C);
  for (i = 0; i < C; ++i) {
    ca[i].q = &q;
    ca[i].count = 0;
    ca[i].sum = 0;
    PCHECK(pthread_create(&t[i], NULL, consume, &ca[i]));
  }
  for (i = 0; i < P; ++i) {
    pa[i].q = &q;
    pa[i].count = per;
    PCHECK(pthread_create(&t[C + i], NULL, produce, &pa[i]));
  }
  for (i = 0; i < P; ++i) PCHECK(pthread_join(t[C + i], NULL));
  msgpool_wait_til_empty(&q);
  CHECK(msgpool_was_size(&q) == 0);
  CHECK(msgpool_wait_til_empty_for(&q, 0) == 1);
  msgpool_close(&q);
  for (i = 0; i < C; ++i) {
    PCHECK(pthread_join(t[i], NULL));
    count += ca[i].count;
    sum += ca[i].sum;
  }
  CHECK(count == P * per);
  CHECK(sum == P * (per * (per + 1) / 2));
  msgpool_dealloc(&q);
}

int main(void)
{
  start_watchdog(120);
  waits_for_the_last_read();
  many_threads();
  return check_report("c_wait_til_empty");
}
