/* A C99 program written against the original msg-pool API: it includes only
 * <msgpool.h> (which, like the original header, brings <stdlib.h>, <stdio.h>,
 * <string.h>, <pthread.h> and <unistd.h>) and calls only the original's
 * functions.  Each slot holds a pointer to a 64-byte buffer set up by
 * msgpool_init; writers fill their own buffer and swap it into the pool,
 * readers swap in their spare.  4 writers, 4 readers; then
 * msgpool_wait_til_empty, msgpool_close, and msgpool_init again to free the
 * buffers the slots hold.  Checks: every message read exactly once, intact. */
#include <msgpool.h>

#define NWRITERS 4
#define NREADERS 4
#define PER_WRITER 5000
#define NMESSAGES (NWRITERS * PER_WRITER)
#define BUFWORDS 16

typedef struct { size_t words[BUFWORDS]; } buffer;

static MsgPool q;
static unsigned char seen[NREADERS][NMESSAGES]; /* per reader: no sharing, no locks */
static size_t torn[NREADERS];
static buffer *spare[NWRITERS + NREADERS];

static void alloc_elements(char *el, size_t idx, void *args)
{
  buffer *b = malloc(sizeof(buffer));
  (void)idx; (void)args;
  if (b == NULL) abort();
  memcpy(el, &b, sizeof(b));
}

static void free_elements(char *el, size_t idx, void *args)
{
  buffer *b;
  (void)idx;
  memcpy(&b, el, sizeof(b));
  free(b);
  ++*(size_t *)args;
}

static void *writer(void *arg)
{
  size_t w = (size_t)arg, k, i;
  buffer *mine = spare[w], *back;
  for (k = 0; k < PER_WRITER; ++k) {
    size_t id = w * PER_WRITER + k;
    for (i = 0; i < BUFWORDS; ++i) mine->words[i] = id;
    /* write our buffer's pointer; `back` receives the pointer the slot held
     * (p and swap are restrict: they must not overlap) */
    msgpool_write(&q, &mine, &back);
    mine = back;
  }
  spare[w] = mine;
  return NULL;
}

static void *reader(void *arg)
{
  size_t r = (size_t)arg, i;
  buffer *mine = spare[NWRITERS + r], *got;
  /* read a pointer; the slot keeps our spare */
  while (msgpool_read(&q, &got, &mine) > 0) {
    size_t id = got->words[0];
    int intact = id < NMESSAGES;
    for (i = 1; i < BUFWORDS && intact; ++i) intact = got->words[i] == id;
    if (intact) seen[r][id]++; else torn[r]++;
    mine = got;
  }
  spare[NWRITERS + r] = mine;
  return NULL;
}

int main(void)
{
  pthread_t threads[NWRITERS + NREADERS];
  size_t t, id, freed = 0, wrong = 0;

  msgpool_alloc(&q, 128, sizeof(buffer *), NWRITERS, NREADERS);
  msgpool_init(&q, alloc_elements, NULL);
  for (t = 0; t < NWRITERS + NREADERS; ++t)
    if ((spare[t] = malloc(sizeof(buffer))) == NULL) return 1;

  for (t = 0; t < NREADERS; ++t) pthread_create(&threads[t], NULL, reader, (void *)t);
  for (t = 0; t < NWRITERS; ++t) pthread_create(&threads[NREADERS + t], NULL, writer, (void *)t);
  for (t = 0; t < NWRITERS; ++t) pthread_join(threads[NREADERS + t], NULL);
  msgpool_wait_til_empty(&q); /* every message written has been read */
  msgpool_close(&q);          /* readers return 0 instead of blocking */
  for (t = 0; t < NREADERS; ++t) pthread_join(threads[t], NULL);

  for (id = 0; id < NMESSAGES; ++id) {
    unsigned total = 0;
    for (t = 0; t < NREADERS; ++t) total += seen[t][id];
    wrong += total != 1;
  }
  for (t = 0; t < NREADERS; ++t) wrong += torn[t];

  msgpool_init(&q, free_elements, &freed); /* the slots' buffers */
  for (t = 0; t < NWRITERS + NREADERS; ++t) free(spare[t]);
  if (freed != q.nel) ++wrong;
  printf("original_c_api: %d writers, %d readers, %d messages in %lu-slot pool of %lu-byte elements, %s\n",
         NWRITERS, NREADERS, NMESSAGES, (unsigned long)q.nel, (unsigned long)q.elsize,
         wrong == 0 ? "each read once, intact" : "FAILED");
  msgpool_dealloc(&q);
  return wrong == 0 ? 0 : 1;
}
