/* A program of the README's generation (msgpool_alloc with producer and
 * consumer counts, msgpool_write, msgpool_read): P producers and P consumers
 * move N uint64_t ids through a pool of the given capacity; the sum is
 * checked.  With 0 threads per side, the main thread alone writes and reads
 * each id in turn (no call ever waits): the cost of a call pair, with no
 * hand-off between threads.  Prints one line: "<shape> cap <c>: <M msg/s>".
 * Built against two libmsgpool_c builds by run.sh to measure what the
 * blocking-mode dispatch costs a README program.
 *
 *   readme_throughput <threads per side> <capacity> <messages> */
#define _POSIX_C_SOURCE 200809L
#include <msgpool.h>

#include <stdint.h>
#include <time.h>

typedef struct
{
  MsgPool *q;
  uint64_t first, step, end, sum;
} Side;

static void *produce(void *arg)
{
  Side *s = (Side *)arg;
  uint64_t id;
  for (id = s->first; id < s->end; id += s->step) msgpool_write(s->q, &id, NULL);
  return NULL;
}

static void *consume(void *arg)
{
  Side *s = (Side *)arg;
  uint64_t id;
  while (msgpool_read(s->q, &id, NULL)) s->sum += id;
  return NULL;
}

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
  size_t p, cap, i;
  uint64_t n, sum = 0;
  pthread_t threads[128];
  Side sides[128];
  MsgPool q;
  double t0, t1;
  if (argc != 4) {
    fprintf(stderr, "usage: %s <threads per side> <capacity> <messages>\n", argv[0]);
    return 2;
  }
  p = (size_t)atol(argv[1]);
  cap = (size_t)atol(argv[2]);
  n = (uint64_t)atoll(argv[3]);
  if (p > 64 || cap == 0) return 2;
  msgpool_alloc(&q, cap, sizeof(uint64_t), p ? p : 1, p ? p : 1);
  t0 = now_s();
  if (p == 0) {
    uint64_t id, out;
    for (id = 0; id < n; ++id) {
      msgpool_write(&q, &id, NULL);
      if (!msgpool_read(&q, &out, NULL)) abort();
      sum += out;
    }
  }
  for (i = 0; i < 2 * p; ++i) {
    sides[i].q = &q;
    sides[i].first = i;
    sides[i].step = p;
    sides[i].end = n;
    sides[i].sum = 0;
    if (pthread_create(&threads[i], NULL, i < p ? produce : consume, &sides[i]) != 0) abort();
  }
  for (i = 0; i < p; ++i) pthread_join(threads[i], NULL);
  msgpool_wait_til_empty(&q);
  msgpool_close(&q);
  for (i = p; i < 2 * p; ++i) {
    pthread_join(threads[i], NULL);
    sum += sides[i].sum;
  }
  t1 = now_s();
  msgpool_dealloc(&q);
  if (sum != n * (n - 1) / 2) {
    fprintf(stderr, "wrong sum %llu\n", (unsigned long long)sum);
    return 1;
  }
  if (p == 0)
    printf("1 thread cap %zu: %.2f\n", cap, (double)n / (t1 - t0) / 1e6);
  else
    printf("%zux%zu cap %zu: %.2f\n", p, p, cap, (double)n / (t1 - t0) / 1e6);
  return 0;
}
