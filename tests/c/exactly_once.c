/* Exactly once through the C API: many producers and consumers, more or fewer
 * than the nproducers / nconsumers hints, every message checked by id (each id
 * read exactly once), by count and by sum, and for tearing (a message's two
 * words must agree). */
#include "check.h"

typedef struct {
  uint64_t id;
  uint64_t check; /* id * K: a torn or mixed-up message shows */
} message;

#define K 0x9e3779b97f4a7c15ull

typedef struct {
  MsgPool *q;
  size_t first, step, count; /* producer: ids first, first+step, ... (count of them) */
  pthread_mutex_t *lock;
  size_t *producers_left;
} producer_arg;

typedef struct {
  MsgPool *q;
  size_t total;
  unsigned char *seen; /* this consumer's reads per id, saturating at 255 */
  size_t count;
  uint64_t sum;
  size_t torn;
  size_t bad_size; /* reads that returned neither elsize nor 0 */
} consumer_arg;

static void *produce(void *p)
{
  producer_arg *a = (producer_arg *)p;
  size_t i;
  for (i = 0; i < a->count; ++i) {
    message m;
    m.id = a->first + i * a->step;
    m.check = m.id * K;
    msgpool_write(a->q, &m, NULL);
  }
  /* The last producer to finish closes the pool: readers drain, then stop. */
  PCHECK(pthread_mutex_lock(a->lock));
  if (--*a->producers_left == 0) msgpool_close(a->q);
  PCHECK(pthread_mutex_unlock(a->lock));
  return NULL;
}

static void *consume(void *p)
{
  consumer_arg *a = (consumer_arg *)p;
  message m;
  int n;
  while ((n = msgpool_read(a->q, &m, NULL)) != 0) {
    if (n != (int)sizeof m) ++a->bad_size;
    if (m.check != m.id * K || m.id >= a->total) {
      ++a->torn;
      continue;
    }
    if (a->seen[m.id] < 255) ++a->seen[m.id];
    ++a->count;
    a->sum += m.id;
  }
  return NULL;
}

/* nel slots; hints nproducers_hint / nconsumers_hint; the threads actually run. */
static void run(size_t nel, size_t nproducers_hint, size_t nconsumers_hint,
                size_t producers, size_t consumers, size_t per_producer)
{
  MsgPool q;
  pthread_t threads[64];
  producer_arg pa[32];
  consumer_arg ca[32];
  pthread_mutex_t lock;
  size_t left = producers, i, id, total = producers * per_producer, count = 0, torn = 0, bad = 0, wrong = 0;
  uint64_t sum = 0;

  printf("nel %zu, hints %zu/%zu, threads %zu producers + %zu consumers, %zu messages\n",
         nel, nproducers_hint, nconsumers_hint, producers, consumers, total);
  msgpool_alloc(&q, nel, sizeof(message), nproducers_hint, nconsumers_hint);
  CHECK(q.nel == nel);
  CHECK(q.elsize == sizeof(message));
  CHECK(q.nproducers == nproducers_hint);
  CHECK(q.nconsumers == nconsumers_hint);
  PCHECK(pthread_mutex_init(&lock, NULL));

  for (i = 0; i < consumers; ++i) {
    ca[i].q = &q;
    ca[i].total = total;
    ca[i].seen = (unsigned char *)calloc(total, 1);
    ca[i].count = 0;
    ca[i].sum = 0;
    ca[i].torn = 0;
    ca[i].bad_size = 0;
    if (!ca[i].seen) abort();
    PCHECK(pthread_create(&threads[i], NULL, consume, &ca[i]));
  }
  for (i = 0; i < producers; ++i) {
    pa[i].q = &q;
    pa[i].first = i;
    pa[i].step = producers;
    pa[i].count = per_producer;
    pa[i].lock = &lock;
    pa[i].producers_left = &left;
    PCHECK(pthread_create(&threads[consumers + i], NULL, produce, &pa[i]));
  }
  for (i = 0; i < producers + consumers; ++i) PCHECK(pthread_join(threads[i], NULL));

  for (id = 0; id < total; ++id) {
    unsigned reads = 0;
    for (i = 0; i < consumers; ++i) reads += ca[i].seen[id];
    if (reads != 1 && wrong++ < 10) fprintf(stderr, "id %zu read %u times\n", id, reads);
  }
  CHECK(wrong == 0);
  for (i = 0; i < consumers; ++i) {
    count += ca[i].count;
    sum += ca[i].sum;
    torn += ca[i].torn;
    bad += ca[i].bad_size;
    free(ca[i].seen);
  }
  CHECK(count == total);
  CHECK(sum == (uint64_t)total * (total - 1) / 2);
  CHECK(torn == 0);
  CHECK(bad == 0);
  CHECK(msgpool_was_size(&q) == 0);
  CHECK(msgpool_is_closed(&q) == 1);

  PCHECK(pthread_mutex_destroy(&lock));
  msgpool_dealloc(&q);
}

int main(void)
{
  size_t n = 10000 * stress_scale();
  start_watchdog(240);
  /* 8 producers + 8 consumers on 2 cores, declared as 1 + 1. */
  run(16, 1, 1, 8, 8, n);
  /* Fewer threads than declared, and a tiny pool: mostly blocking. */
  run(3, 8, 8, 3, 2, n);
  /* One slot: every write waits for a read. */
  run(1, 2, 2, 2, 5, n / 4);
  /* More slots than messages in flight: the scan finds free slots at once. */
  run(1024, 4, 4, 4, 4, n);
  return check_report("c_exactly_once");
}
