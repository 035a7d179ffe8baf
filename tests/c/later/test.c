/* A test program written the way msg-pool's last version tests itself, from
 * the description of its test.c: options for the producers, consumers,
 * messages, pool size and blocking mode; producers write numbers with
 * msgpool_write, consumers read them in place through msgpool_claim_read,
 * msgpool_get_ptr and msgpool_release until the claim returns -1 after
 * msgpool_close; the sum is checked.  It uses only the later API's calls and
 * what that header included (bool, pthread, getopt, printf, memcpy), and
 * compiles with -std=gnu99 -DMSGPOOL_LATER_API.
 *
 *   test [-p <producers>] [-c <consumers>] [-n <messages>] [-q <pool size>] [-s|-m|-y]
 *
 * Exit status 0 and "Done." when every number arrived once, else "Fail.". */
#include "msgpool.h"
#include "thread_pause.h"

static const char *mode_name[] = {"spinlock", "yield", "mutex"};

typedef struct
{
  MsgPool *q;
  size_t start, end; /* producers: numbers [start, end) */
  size_t sum, count; /* consumers */
} Worker;

static void set_zero(void *el, size_t idx, void *args)
{
  (void)idx; (void)args;
  memset(el, 0, sizeof(size_t));
}

static void *produce(void *ptr)
{
  Worker *w = (Worker*)ptr;
  size_t i;
  for(i = w->start; i < w->end; i++) msgpool_write(w->q, &i, NULL);
  return NULL;
}

static void *consume(void *ptr)
{
  Worker *w = (Worker*)ptr;
  size_t v;
  int pos;
  while((pos = msgpool_claim_read(w->q)) != -1) {
    memcpy(&v, msgpool_get_ptr(w->q, pos), sizeof(v));
    msgpool_release(w->q, pos, MPOOL_EMPTY);
    w->sum += v;
    w->count++;
  }
  return NULL;
}

static void print_usage(const char *cmd)
{
  fprintf(stderr, "usage: %s [-p <producers>] [-c <consumers>] [-n <messages>] "
                  "[-q <pool size>] [-s|-m|-y]\n", cmd);
  exit(EXIT_FAILURE);
}

int main(int argc, char **argv)
{
  size_t nproducers = 4, nconsumers = 4, nmesgs = 100000, qlen = 100, i;
  char locking = MSGP_LOCK_SPIN;
  int c;

  while((c = getopt(argc, argv, "p:c:n:q:smy")) >= 0) {
    switch(c) {
      case 'p': nproducers = (size_t)atol(optarg); break;
      case 'c': nconsumers = (size_t)atol(optarg); break;
      case 'n': nmesgs = (size_t)atol(optarg); break;
      case 'q': qlen = (size_t)atol(optarg); break;
      case 's': locking = MSGP_LOCK_SPIN; break;
      case 'm': locking = MSGP_LOCK_MUTEX; break;
      case 'y': locking = MSGP_LOCK_YIELD; break;
      default: print_usage(argv[0]);
    }
  }
  if(nproducers == 0 || nconsumers == 0 || qlen == 0) print_usage(argv[0]);

  MsgPool q;
  switch(locking) {
    case MSGP_LOCK_SPIN: msgpool_alloc_spinlock(&q, qlen, sizeof(size_t)); break;
    case MSGP_LOCK_YIELD: msgpool_alloc_yield(&q, qlen, sizeof(size_t)); break;
    default: msgpool_alloc_mutex(&q, qlen, sizeof(size_t)); break;
  }
  msgpool_iterate(&q, set_zero, NULL);

  printf("pool: %zu x %zu bytes, locking: %s; %zu producers, %zu consumers, %zu messages\n",
         q.nel, q.elsize, mode_name[(int)q.locking], nproducers, nconsumers, nmesgs);

  pthread_t *threads = malloc((nproducers + nconsumers) * sizeof(pthread_t));
  Worker *workers = calloc(nproducers + nconsumers, sizeof(Worker));
  if(threads == NULL || workers == NULL) { fprintf(stderr, "Out of memory\n"); return EXIT_FAILURE; }

  for(i = 0; i < nconsumers; i++) {
    workers[i].q = &q;
    if(pthread_create(&threads[i], NULL, consume, &workers[i]) != 0) abort();
  }
  thread_pause_ms(10); /* the consumers wait on the empty pool */
  for(i = 0; i < nproducers; i++) {
    Worker *w = &workers[nconsumers + i];
    w->q = &q;
    w->start = nmesgs / nproducers * i;
    w->end = i + 1 == nproducers ? nmesgs : nmesgs / nproducers * (i + 1);
    if(pthread_create(&threads[nconsumers + i], NULL, produce, w) != 0) abort();
  }

  for(i = 0; i < nproducers; i++) pthread_join(threads[nconsumers + i], NULL);
  msgpool_wait_til_empty(&q);
  msgpool_close(&q);
  size_t sum = 0, count = 0;
  for(i = 0; i < nconsumers; i++) {
    pthread_join(threads[i], NULL);
    sum += workers[i].sum;
    count += workers[i].count;
  }

  size_t expected = nmesgs ? nmesgs * (nmesgs - 1) / 2 : 0;
  bool pass = (sum == expected && count == nmesgs);
  printf("received %zu messages, sum %zu (expected %zu messages, sum %zu)\n", count, sum, nmesgs, expected);
  printf("%s\n", pass ? "Done." : "Fail.");

  free(threads);
  free(workers);
  msgpool_dealloc(&q);
  return pass ? EXIT_SUCCESS : EXIT_FAILURE;
}
