/* Buffer recycling through swap, as in the original README: msgpool_init puts
 * a malloc'd buffer in every slot; writers swap their filled buffer for the
 * slot's, readers swap an empty buffer in for the message's.  No buffer may be
 * lost or duplicated: at the end every buffer allocated is held exactly once,
 * by a slot or by a thread, and msgpool_init (as the cleanup pass the original
 * used it for) frees the slots' buffers; ASan's leak check sees the rest.
 * Also: swap semantics step by step, NULL swaps, and odd element sizes. */
#include "check.h"

#define BUF_BYTES 64
#define PRODUCERS 4
#define CONSUMERS 4
#define NEL 8

typedef struct {
  uint64_t id;
  uint64_t producer;
  char text[BUF_BYTES - 16];
} buffer;

/* ---------------------------------------------------------------- msgpool_init callbacks */

typedef struct {
  size_t calls;
  size_t next_idx_ok; /* idx arrived in order 0, 1, 2, ... */
  char *allocated[NEL];
} init_state;

static void alloc_buffer(char *el, size_t idx, void *args)
{
  init_state *s = (init_state *)args;
  char *tmp = (char *)malloc(sizeof(buffer));
  if (!tmp) abort();
  memset(tmp, 0, sizeof(buffer));
  if (idx == s->calls) ++s->next_idx_ok;
  if (idx < NEL) s->allocated[idx] = tmp;
  ++s->calls;
  memcpy(el, &tmp, sizeof tmp); /* elements are not necessarily aligned: copy */
}

typedef struct {
  char *held[NEL];
  size_t n;
} collected;

static void collect_buffer(char *el, size_t idx, void *args)
{
  collected *c = (collected *)args;
  (void)idx;
  if (c->n < NEL) memcpy(&c->held[c->n], el, sizeof(char *));
  ++c->n;
}

static void free_buffer(char *el, size_t idx, void *args)
{
  char *tmp, *none = NULL;
  (void)idx;
  (void)args;
  memcpy(&tmp, el, sizeof tmp);
  free(tmp);
  memcpy(el, &none, sizeof none);
}

/* ---------------------------------------------------------------- threads */

typedef struct {
  MsgPool *q;
  uint64_t producer, count;
  buffer *mine; /* the buffer this thread holds; set by main at start, read back at the end */
  size_t null_swaps;
  pthread_mutex_t *lock;
  size_t *left;
} producer_arg;

typedef struct {
  MsgPool *q;
  buffer *spare;
  size_t count, corrupt, null_reads;
  uint64_t sum;
} consumer_arg;

static void *produce(void *p)
{
  producer_arg *a = (producer_arg *)p;
  uint64_t k;
  for (k = 0; k < a->count; ++k) {
    buffer *out = a->mine, *got = NULL;
    out->id = k;
    out->producer = a->producer;
    sprintf(out->text, "p%u-%u", (unsigned)a->producer, (unsigned)k);
    msgpool_write(a->q, &out, &got); /* the slot takes our pointer, we take its */
    if (!got) {
      ++a->null_swaps;
      break;
    }
    a->mine = got;
  }
  PCHECK(pthread_mutex_lock(a->lock));
  if (--*a->left == 0) msgpool_close(a->q);
  PCHECK(pthread_mutex_unlock(a->lock));
  return NULL;
}

static void *consume(void *p)
{
  consumer_arg *a = (consumer_arg *)p;
  buffer *msg = NULL;
  char expect[sizeof(((buffer *)0)->text)];
  while (msgpool_read(a->q, &msg, &a->spare) != 0) {
    if (!msg) {
      ++a->null_reads;
      break;
    }
    sprintf(expect, "p%u-%u", (unsigned)msg->producer, (unsigned)msg->id);
    if (strcmp(expect, msg->text) != 0) ++a->corrupt;
    a->sum += msg->id;
    ++a->count;
    memset(msg, 0xee, sizeof *msg); /* scribble: a buffer still in use elsewhere would show */
    a->spare = msg;                  /* the message's buffer is our next spare */
  }
  return NULL;
}

static int cmp_ptr(const void *a, const void *b)
{
  const char *x = *(char *const *)a, *y = *(char *const *)b;
  return x < y ? -1 : x > y ? 1 : 0;
}

static void recycle_through_threads(void)
{
  MsgPool q;
  init_state init;
  collected slots;
  pthread_t threads[PRODUCERS + CONSUMERS];
  producer_arg pa[PRODUCERS];
  consumer_arg ca[CONSUMERS];
  pthread_mutex_t lock;
  size_t left = PRODUCERS, i, n = 0, count = 0, corrupt = 0, nulls = 0;
  uint64_t sum = 0, per = 5000 * stress_scale();
  char *before[NEL + PRODUCERS + CONSUMERS], *after[NEL + PRODUCERS + CONSUMERS];

  memset(&init, 0, sizeof init);
  memset(&slots, 0, sizeof slots);
  msgpool_alloc(&q, NEL, sizeof(buffer *), PRODUCERS, CONSUMERS);
  msgpool_init(&q, alloc_buffer, &init);
  CHECK(init.calls == NEL);
  CHECK(init.next_idx_ok == NEL);
  PCHECK(pthread_mutex_init(&lock, NULL));

  for (i = 0; i < NEL; ++i) before[n++] = init.allocated[i];
  for (i = 0; i < CONSUMERS; ++i) {
    ca[i].q = &q;
    ca[i].spare = (buffer *)calloc(1, sizeof(buffer));
    ca[i].count = ca[i].corrupt = ca[i].null_reads = 0;
    ca[i].sum = 0;
    before[n++] = (char *)ca[i].spare;
    PCHECK(pthread_create(&threads[i], NULL, consume, &ca[i]));
  }
  for (i = 0; i < PRODUCERS; ++i) {
    pa[i].q = &q;
    pa[i].producer = i;
    pa[i].count = per;
    pa[i].mine = (buffer *)calloc(1, sizeof(buffer));
    pa[i].null_swaps = 0;
    pa[i].lock = &lock;
    pa[i].left = &left;
    before[n++] = (char *)pa[i].mine;
    PCHECK(pthread_create(&threads[CONSUMERS + i], NULL, produce, &pa[i]));
  }
  for (i = 0; i < PRODUCERS + CONSUMERS; ++i) PCHECK(pthread_join(threads[i], NULL));

  for (i = 0; i < CONSUMERS; ++i) {
    count += ca[i].count;
    corrupt += ca[i].corrupt;
    nulls += ca[i].null_reads;
    sum += ca[i].sum;
  }
  for (i = 0; i < PRODUCERS; ++i) nulls += pa[i].null_swaps;
  CHECK(nulls == 0);
  CHECK(count == PRODUCERS * per);
  CHECK(sum == PRODUCERS * (per * (per - 1) / 2));
  CHECK(corrupt == 0);

  /* Every buffer is held exactly once: by a slot, a producer or a consumer. */
  msgpool_init(&q, collect_buffer, &slots);
  CHECK(slots.n == NEL);
  n = 0;
  for (i = 0; i < NEL && i < slots.n; ++i) after[n++] = slots.held[i];
  for (i = 0; i < CONSUMERS; ++i) after[n++] = (char *)ca[i].spare;
  for (i = 0; i < PRODUCERS; ++i) after[n++] = (char *)pa[i].mine;
  CHECK(n == NEL + PRODUCERS + CONSUMERS);
  qsort(before, n, sizeof(char *), cmp_ptr);
  qsort(after, n, sizeof(char *), cmp_ptr);
  CHECK(memcmp(before, after, n * sizeof(char *)) == 0);
  for (i = 1; i < n; ++i) CHECK(after[i - 1] != after[i]);

  /* The original's cleanup: free what the slots hold, then the threads' own. */
  msgpool_init(&q, free_buffer, NULL);
  for (i = 0; i < CONSUMERS; ++i) free(ca[i].spare);
  for (i = 0; i < PRODUCERS; ++i) free(pa[i].mine);
  PCHECK(pthread_mutex_destroy(&lock));
  msgpool_dealloc(&q);
}

/* ---------------------------------------------------------------- single thread, step by step */

static void set_to_index(char *el, size_t idx, void *args)
{
  int v = 100 + (int)idx + *(int *)args;
  memcpy(el, &v, sizeof v);
}

static void swap_semantics(void)
{
  MsgPool q;
  int base = 0, v, old, out, repl, sum = 0;
  size_t i;

  msgpool_alloc(&q, 1, sizeof(int), 1, 1);
  /* Slots start zero-filled; a write's swap hands that back. */
  v = 7;
  old = -1;
  msgpool_write(&q, &v, &old);
  CHECK(old == 0);
  repl = 42;
  out = -1;
  CHECK(msgpool_read(&q, &out, &repl) == (int)sizeof(int));
  CHECK(out == 7);
  /* The read's replacement is what the next write gets back. */
  v = 8;
  msgpool_write(&q, &v, &old);
  CHECK(old == 42);
  /* NULL swaps: plain copy in and out, the slot keeps the message's bytes. */
  CHECK(msgpool_read(&q, &out, NULL) == (int)sizeof(int));
  CHECK(out == 8);
  v = 9;
  msgpool_write(&q, &v, &old);
  CHECK(old == 8);
  CHECK(msgpool_read(&q, &out, NULL) == (int)sizeof(int) && out == 9);
  msgpool_dealloc(&q);

  /* msgpool_init after alloc sets every slot; writes hand the values back. */
  msgpool_alloc(&q, 5, sizeof(int), 1, 1);
  base = 10;
  msgpool_init(&q, set_to_index, &base);
  for (i = 0; i < 5; ++i) {
    v = -1;
    old = 0;
    msgpool_write(&q, &v, &old);
    CHECK(old >= 110 && old < 115);
    sum += old;
  }
  CHECK(sum == 110 + 111 + 112 + 113 + 114);
  CHECK(msgpool_try_write(&q, &v, &old) == 0); /* full */
  msgpool_dealloc(&q);
}

static void element_sizes(void)
{
  static const size_t sizes[] = {1, 3, 8, 24, 1000};
  size_t s, i;
  for (s = 0; s < sizeof sizes / sizeof sizes[0]; ++s) {
    MsgPool q;
    size_t el = sizes[s];
    unsigned char *in = (unsigned char *)malloc(el), *out = (unsigned char *)malloc(el),
                  *repl = (unsigned char *)malloc(el), *old = (unsigned char *)malloc(el);
    if (!in || !out || !repl || !old) abort();
    msgpool_alloc(&q, 2, el, 1, 1);
    CHECK(q.elsize == el);
    for (i = 0; i < el; ++i) {
      in[i] = (unsigned char)(i * 7 + s);
      repl[i] = (unsigned char)(255 - i);
    }
    memset(old, 0xaa, el);
    msgpool_write(&q, in, old);
    for (i = 0; i < el; ++i) CHECK(old[i] == 0);
    memset(out, 0, el);
    CHECK(msgpool_read(&q, out, repl) == (int)el);
    CHECK(memcmp(in, out, el) == 0);
    /* Now one slot holds the replacement and the other its initial zeros: the
     * next two writes hand back exactly those two, in either order. */
    {
      unsigned char *old2 = (unsigned char *)malloc(el), *zeros = (unsigned char *)calloc(el, 1);
      if (!old2 || !zeros) abort();
      msgpool_write(&q, in, old);
      msgpool_write(&q, in, old2);
      CHECK((memcmp(old, repl, el) == 0 && memcmp(old2, zeros, el) == 0) ||
            (memcmp(old, zeros, el) == 0 && memcmp(old2, repl, el) == 0));
      free(old2);
      free(zeros);
    }
    CHECK(msgpool_read(&q, out, NULL) == (int)el && memcmp(in, out, el) == 0);
    CHECK(msgpool_read(&q, out, NULL) == (int)el && memcmp(in, out, el) == 0);
    CHECK(msgpool_try_read(&q, out, NULL) == 0);
    msgpool_dealloc(&q);
    free(in);
    free(out);
    free(repl);
    free(old);
  }
}

int main(void)
{
  start_watchdog(240);
  swap_semantics();
  element_sizes();
  recycle_through_threads();
  return check_report("c_swap_recycle");
}
