/* A program written only from the original msg-pool README's API, as a user
 * of the original header would have written it: it includes nothing but the
 * pool's header (which brings <stdlib.h>, <stdio.h>, <string.h>, <pthread.h>
 * and <unistd.h>), reads q->nel, q->elsize, q->nproducers and q->nconsumers,
 * and checks exactly-once delivery, buffer recycling through swap with
 * msgpool_init, close / reopen and msgpool_wait_til_empty on its own.
 * Exit status 0 means every check passed. */
#include <msgpool.h>

#define NPRODUCERS 4
#define NCONSUMERS 4
#define PER_PRODUCER 20000
#define QLEN 64
#define BUFSIZE 100

static int failures = 0;

#define CHECK(cond)                                                              \
  do {                                                                           \
    if (!(cond)) {                                                               \
      fprintf(stderr, "c_consumer: check failed at line %d: %s\n", __LINE__, #cond); \
      failures++;                                                                \
    }                                                                            \
  } while (0)

/* ---------------------------------------------------------------- exactly once */

struct counts {
  MsgPool *q;
  size_t first;
  size_t nread;
  size_t sum;
};

static void *producer(void *arg)
{
  struct counts *c = (struct counts *)arg;
  size_t i;
  for (i = 0; i < PER_PRODUCER; i++) {
    size_t w = c->first + i + 1; /* ids 1 .. NPRODUCERS * PER_PRODUCER */
    msgpool_write(c->q, &w, NULL);
  }
  return NULL;
}

static void *consumer(void *arg)
{
  struct counts *c = (struct counts *)arg;
  size_t r;
  while (msgpool_read(c->q, &r, NULL) > 0) {
    c->nread++;
    c->sum += r;
  }
  return NULL;
}

static void exactly_once(void)
{
  MsgPool q;
  pthread_t prod[NPRODUCERS], cons[NCONSUMERS];
  struct counts pc[NPRODUCERS], cc[NCONSUMERS];
  size_t i, nread = 0, sum = 0, n = (size_t)NPRODUCERS * PER_PRODUCER;

  msgpool_alloc(&q, QLEN, sizeof(size_t), NPRODUCERS, NCONSUMERS);
  printf("pool: nel=%zu elsize=%zu nproducers=%zu nconsumers=%zu\n",
         q.nel, q.elsize, q.nproducers, q.nconsumers);
  CHECK(q.nel == QLEN);
  CHECK(q.elsize == sizeof(size_t));
  CHECK(q.nproducers == NPRODUCERS);
  CHECK(q.nconsumers == NCONSUMERS);

  for (i = 0; i < NCONSUMERS; i++) {
    memset(&cc[i], 0, sizeof(cc[i]));
    cc[i].q = &q;
    pthread_create(&cons[i], NULL, consumer, &cc[i]);
  }
  for (i = 0; i < NPRODUCERS; i++) {
    memset(&pc[i], 0, sizeof(pc[i]));
    pc[i].q = &q;
    pc[i].first = i * PER_PRODUCER;
    pthread_create(&prod[i], NULL, producer, &pc[i]);
  }
  for (i = 0; i < NPRODUCERS; i++) pthread_join(prod[i], NULL);
  msgpool_wait_til_empty(&q);
  msgpool_close(&q);
  for (i = 0; i < NCONSUMERS; i++) {
    pthread_join(cons[i], NULL);
    nread += cc[i].nread;
    sum += cc[i].sum;
  }
  printf("exactly once: %zu messages read, sum %zu\n", nread, sum);
  CHECK(nread == n);
  CHECK(sum == n * (n + 1) / 2);
  msgpool_dealloc(&q);
}

/* ---------------------------------------------------------------- swap */

static void alloc_elements(char *ptr, size_t i, void *args)
{
  (void)args;
  (void)i;
  char *tmp = malloc(BUFSIZE);
  memcpy(ptr, &tmp, sizeof(char *));
}

static void free_elements(char *ptr, size_t i, void *args)
{
  char *tmp;
  (void)i;
  memcpy(&tmp, ptr, sizeof(char *));
  free(tmp);
  ++*(size_t *)args;
}

struct swapper {
  MsgPool *q;
  char *buf; /* the buffer this thread holds */
  size_t n, bad;
};

static void *swap_producer(void *arg)
{
  struct swapper *s = (struct swapper *)arg;
  size_t i;
  for (i = 0; i < s->n; i++) {
    char *tmp = NULL;
    sprintf(s->buf, "message %zu", i);
    msgpool_write(s->q, &s->buf, &tmp); /* the pool takes our buffer, we get a free one */
    if (tmp == NULL) s->bad++;
    else s->buf = tmp;
  }
  return NULL;
}

static void *swap_consumer(void *arg)
{
  struct swapper *s = (struct swapper *)arg;
  char *msg;
  while (msgpool_read(s->q, &msg, &s->buf) > 0) { /* we give our spare buffer back */
    if (strncmp(msg, "message ", 8) != 0) s->bad++;
    s->n++;
    s->buf = msg;
  }
  return NULL;
}

static void swap_buffers(void)
{
  MsgPool q;
  pthread_t t[4];
  struct swapper s[4];
  size_t i, freed = 0, nread = 0, bad = 0;

  msgpool_alloc(&q, 8, sizeof(char *), 2, 2);
  msgpool_init(&q, alloc_elements, NULL);
  for (i = 0; i < 4; i++) {
    s[i].q = &q;
    s[i].buf = malloc(BUFSIZE);
    s[i].n = i < 2 ? 5000 : 0;
    s[i].bad = 0;
    pthread_create(&t[i], NULL, i < 2 ? swap_producer : swap_consumer, &s[i]);
  }
  for (i = 0; i < 2; i++) pthread_join(t[i], NULL);
  msgpool_wait_til_empty(&q);
  msgpool_close(&q);
  for (i = 2; i < 4; i++) pthread_join(t[i], NULL);
  for (i = 0; i < 4; i++) {
    bad += s[i].bad;
    if (i >= 2) nread += s[i].n;
    free(s[i].buf);
  }
  msgpool_init(&q, free_elements, &freed); /* every slot still holds one of our buffers */
  printf("swap: %zu messages read, %zu slot buffers freed\n", nread, freed);
  CHECK(nread == 10000);
  CHECK(bad == 0);
  CHECK(freed == q.nel);
  msgpool_dealloc(&q);
}

/* ---------------------------------------------------------------- close / reopen */

static void *close_later(void *arg)
{
  /* Paces only: the read is likely waiting by then; it returns 0 in either order. */
  sleep(1);
  msgpool_close((MsgPool *)arg);
  return NULL;
}

static void close_and_reopen(void)
{
  MsgPool q;
  int w = 12, r = 0;
  pthread_t t;

  msgpool_alloc(&q, 4, sizeof(int), 1, 1);
  msgpool_write(&q, &w, NULL);
  msgpool_close(&q);
  CHECK(msgpool_read(&q, &r, NULL) == (int)sizeof(int));
  CHECK(r == 12);
  CHECK(msgpool_read(&q, &r, NULL) == 0); /* closed and empty */
  msgpool_reopen(&q);
  /* open and empty: a read blocks until the pool is closed again */
  pthread_create(&t, NULL, close_later, &q);
  CHECK(msgpool_read(&q, &r, NULL) == 0);
  pthread_join(t, NULL);
  msgpool_dealloc(&q);
}

int main(void)
{
  exactly_once();
  swap_buffers();
  close_and_reopen();
  if (failures) {
    fprintf(stderr, "c_consumer: %d check(s) failed\n", failures);
    return 1;
  }
  printf("c_consumer: all checks passed\n");
  return 0;
}
