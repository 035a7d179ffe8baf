/* A C program written against the original msg-pool's last API, compiled
 * with -std=gnu99 -DMSGPOOL_LATER_API: it includes only <msgpool.h> (which,
 * like that version's header, brings <stdbool.h>, <pthread.h>, <string.h>
 * ...) and calls only that version's functions.  Each slot holds a job: a
 * number to square.  4 writers fill jobs in place through msgpool_claim_write
 * and publish them; 4 readers take them in place through msgpool_claim_read,
 * put odd numbers back once (unread, marked, for another reader), and square
 * the rest.  The blocking mode is the program's first argument (spin, yield,
 * mutex; mutex by default).  Checks: every job done exactly once, the sum of
 * the squares, every odd job put back once. */
#include <msgpool.h>

#define NWRITERS 4
#define NREADERS 4
#define PER_WRITER 5000
#define NJOBS (NWRITERS * PER_WRITER)

typedef struct { unsigned long n; bool put_back; } job;

static MsgPool q;
static unsigned char done_count[NREADERS][NJOBS]; /* per reader: no sharing, no locks */
static unsigned long long sum[NREADERS];
static unsigned long put_backs[NREADERS], bad[NREADERS];

static void no_job(void *el, size_t idx, void *args)
{
  job none = {0, false};
  (void)idx; (void)args;
  memcpy(el, &none, sizeof none);
}

static void *writer(void *arg)
{
  size_t w = (size_t)arg, i;
  for (i = 0; i < PER_WRITER; i++) {
    int pos = msgpool_claim_write(&q);
    job *j = msgpool_get_ptr(&q, pos);
    j->n = w * PER_WRITER + i + 1; /* 1 .. NJOBS */
    j->put_back = false;
    msgpool_release(&q, pos, MPOOL_FULL);
  }
  return NULL;
}

static void *reader(void *arg)
{
  size_t r = (size_t)arg;
  int pos;
  while ((pos = msgpool_claim_read(&q)) != -1) {
    job *j = msgpool_get_ptr(&q, pos);
    if (j->n == 0 || j->n > NJOBS) {
      bad[r]++;
      msgpool_release(&q, pos, MPOOL_EMPTY);
    } else if (j->n % 2 == 1 && !j->put_back) {
      j->put_back = true; /* in place: the next reader sees it */
      put_backs[r]++;
      msgpool_release(&q, pos, MPOOL_FULL); /* back, unread */
    } else {
      done_count[r][j->n - 1]++;
      sum[r] += (unsigned long long)j->n * j->n;
      msgpool_release(&q, pos, MPOOL_EMPTY);
    }
  }
  return NULL;
}

int main(int argc, char **argv)
{
  pthread_t threads[NWRITERS + NREADERS];
  unsigned long long total = 0, expected = 0;
  unsigned long returned = 0, wrong = 0;
  size_t i, r;
  const char *mode = argc > 1 ? argv[1] : "mutex";

  if (strcmp(mode, "spin") == 0) msgpool_alloc_spinlock(&q, 64, sizeof(job));
  else if (strcmp(mode, "yield") == 0) msgpool_alloc_yield(&q, 64, sizeof(job));
  else msgpool_alloc_mutex(&q, 64, sizeof(job));
  msgpool_iterate(&q, no_job, NULL);

  for (i = 0; i < NREADERS; i++) pthread_create(&threads[NWRITERS + i], NULL, reader, (void *)i);
  for (i = 0; i < NWRITERS; i++) pthread_create(&threads[i], NULL, writer, (void *)i);
  for (i = 0; i < NWRITERS; i++) pthread_join(threads[i], NULL);
  msgpool_wait_til_empty(&q); /* waits for put-back jobs too: they were never read */
  msgpool_close(&q);          /* msgpool_claim_read now returns -1 once empty */
  for (i = 0; i < NREADERS; i++) pthread_join(threads[NWRITERS + i], NULL);

  for (i = 0; i < NJOBS; i++) {
    unsigned n = 0;
    for (r = 0; r < NREADERS; r++) n += done_count[r][i];
    wrong += n != 1;
    expected += (unsigned long long)(i + 1) * (i + 1);
  }
  for (r = 0; r < NREADERS; r++) {
    total += sum[r];
    returned += put_backs[r];
    wrong += bad[r];
  }
  wrong += returned != NJOBS / 2;
  printf("later_c_api (%s): %d jobs, %lu put back once, %s\n", mode, NJOBS, returned,
         wrong == 0 && total == expected ? "all done exactly once" : "FAILED");
  msgpool_dealloc(&q);
  return wrong == 0 && total == expected ? 0 : 1;
}
