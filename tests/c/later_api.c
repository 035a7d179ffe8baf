/* The later API (-DMSGPOOL_LATER_API): msgpool_alloc with a blocking mode,
 * msgpool_iterate, and claims (msgpool_claim_read/_write, msgpool_get_ptr,
 * msgpool_release with both states on both sides), in every mode.
 *
 *  - the header: what it declares, the values, every call a real function
 *    (its address taken), bool without <stdbool.h>;
 *  - each way a claim ends, on a quiet pool, with the pool's counts;
 *  - a put-back wakes a reader asleep on the pool it saw empty, and
 *    msgpool_wait_til_empty keeps waiting through it; a given-back write
 *    slot wakes a writer blocked on the full pool;
 *  - 8 writers and 8 readers (more threads than cores) through claims, some
 *    write slots given back and some messages put back: every id arrives
 *    exactly once, put-backs keep what was done in place;
 *  - bad input, each in a forked child that must abort with a message
 *    naming the function and the problem.
 * Compiled -std=gnu99 -DMSGPOOL_LATER_API.  A watchdog fails a hang. */
#include "check.h"

#include <limits.h>
#include <sys/types.h>
#include <sys/wait.h>

static const char locking_modes[3] = {MSGP_LOCK_SPIN, MSGP_LOCK_YIELD, MSGP_LOCK_MUTEX};
static const char *const mode_names[3] = {"spin", "yield", "mutex"};

/* ---------------------------------------------------------------- the header */

static void set_index(void *el, size_t idx, void *args)
{
  size_t v = idx * 10 + (args ? *(size_t *)args : 0);
  memcpy(el, &v, sizeof v);
}

static void check_header(void)
{
  /* Every call is a real function of the later signature. */
  void (*alloc)(MsgPool *, size_t, size_t, char) = msgpool_alloc;
  void (*iterate)(MsgPool *, void (*)(void *, size_t, void *), void *) = msgpool_iterate;
  int (*claim_read)(MsgPool *) = msgpool_claim_read;
  int (*claim_write)(MsgPool *) = msgpool_claim_write;
  void *(*get_ptr)(const MsgPool *, size_t) = msgpool_get_ptr;
  void (*release)(MsgPool *, size_t, char) = msgpool_release;
  int (*read)(MsgPool *, void *restrict, const void *restrict) = msgpool_read;
  bool yes = true; /* <stdbool.h> came with the header */
  MsgPool q;
  size_t v = 0, plus = 3;
  int pos;

  CHECK(MPOOL_EMPTY == 0 && MPOOL_CLAIMED == 1 && MPOOL_FULL == 2);
  CHECK(MSGP_LOCK_SPIN == 0 && MSGP_LOCK_YIELD == 1 && MSGP_LOCK_MUTEX == 2);
  CHECK(yes);
  alloc(&q, 4, sizeof(size_t), MSGP_LOCK_YIELD);
  CHECK(q.nel == 4 && q.elsize == sizeof(size_t) && q.locking == MSGP_LOCK_YIELD);
  CHECK(q.nproducers == 0 && q.nconsumers == 0);
  iterate(&q, set_index, &plus);
  pos = claim_write(&q);
  CHECK(pos >= 0);
  memcpy(&v, get_ptr(&q, (size_t)pos), sizeof v);
  CHECK(v % 10 == 3 && v / 10 < 4); /* the value msgpool_iterate gave its slot */
  v = 42;
  memcpy(get_ptr(&q, (size_t)pos), &v, sizeof v);
  release(&q, (size_t)pos, MPOOL_FULL);
  pos = claim_read(&q);
  CHECK(pos >= 0);
  memcpy(&v, get_ptr(&q, (size_t)pos), sizeof v);
  CHECK(v == 42);
  release(&q, (size_t)pos, MPOOL_EMPTY);
  msgpool_write(&q, &v, NULL);
  v = 0;
  CHECK(read(&q, &v, NULL) != 0 && v == 42);
  msgpool_close(&q);
  CHECK(read(&q, &v, NULL) == 0);
  CHECK(claim_read(&q) == -1);
  msgpool_dealloc(&q);

  /* The macros pick the modes; the README's five-argument form (here
   * msgpool_try_alloc, its non-aborting twin) reads as the mutex mode. */
  msgpool_alloc_spinlock(&q, 2, 1);
  CHECK(q.locking == MSGP_LOCK_SPIN);
  msgpool_dealloc(&q);
  msgpool_alloc_yield(&q, 2, 1);
  CHECK(q.locking == MSGP_LOCK_YIELD);
  msgpool_dealloc(&q);
  msgpool_alloc_mutex(&q, 2, 1);
  CHECK(q.locking == MSGP_LOCK_MUTEX);
  msgpool_dealloc(&q);
  CHECK(msgpool_try_alloc(&q, 2, 1, 3, 5) == 0);
  CHECK(q.locking == MSGP_LOCK_MUTEX && q.nproducers == 3 && q.nconsumers == 5);
  msgpool_dealloc(&q);
}

/* ---------------------------------------------------------------- each way a claim ends */

static void check_claim_ends(char mode)
{
  MsgPool q;
  size_t v;
  int w, r;
  msgpool_alloc(&q, 2, sizeof(size_t), mode);

  /* A write claim given back: no message, the slot free again. */
  w = msgpool_claim_write(&q);
  v = 7;
  memcpy(msgpool_get_ptr(&q, (size_t)w), &v, sizeof v);
  CHECK(msgpool_wait_til_empty_for(&q, 1000000) == 0); /* a write in progress */
  msgpool_release(&q, (size_t)w, MPOOL_EMPTY);
  CHECK(msgpool_was_size(&q) == 0);
  CHECK(msgpool_try_read(&q, &v, NULL) == 0);
  CHECK(msgpool_wait_til_empty_for(&q, 0) == 1);

  /* Published; read by a claim and put back, changed in place; read again. */
  w = msgpool_claim_write(&q);
  v = 8;
  memcpy(msgpool_get_ptr(&q, (size_t)w), &v, sizeof v);
  msgpool_release(&q, (size_t)w, MPOOL_FULL);
  CHECK(msgpool_was_size(&q) == 1);
  r = msgpool_claim_read(&q);
  CHECK(r >= 0);
  memcpy(&v, msgpool_get_ptr(&q, (size_t)r), sizeof v);
  CHECK(v == 8);
  CHECK(msgpool_try_read(&q, &v, NULL) == 0); /* the one message is held */
  v = 9;
  memcpy(msgpool_get_ptr(&q, (size_t)r), &v, sizeof v);
  msgpool_release(&q, (size_t)r, MPOOL_FULL);
  CHECK(msgpool_was_size(&q) == 1);
  CHECK(msgpool_wait_til_empty_for(&q, 1000000) == 0); /* put back, never read */
  r = msgpool_claim_read(&q);
  memcpy(&v, msgpool_get_ptr(&q, (size_t)r), sizeof v);
  CHECK(v == 9);
  msgpool_release(&q, (size_t)r, MPOOL_EMPTY);
  CHECK(msgpool_was_size(&q) == 0);
  CHECK(msgpool_wait_til_empty_for(&q, 0) == 1);

  /* Closed: claims drain what is left, then return -1. */
  msgpool_write(&q, &v, NULL);
  msgpool_close(&q);
  r = msgpool_claim_read(&q);
  CHECK(r >= 0);
  msgpool_release(&q, (size_t)r, MPOOL_FULL);
  r = msgpool_claim_read(&q);
  CHECK(r >= 0);
  msgpool_release(&q, (size_t)r, MPOOL_EMPTY);
  CHECK(msgpool_claim_read(&q) == -1);
  msgpool_reopen(&q);

  /* Positions are opaque but distinct while held. */
  w = msgpool_claim_write(&q);
  r = msgpool_claim_write(&q);
  CHECK(w != r && msgpool_get_ptr(&q, (size_t)w) != msgpool_get_ptr(&q, (size_t)r));
  msgpool_release(&q, (size_t)r, MPOOL_EMPTY);
  msgpool_release(&q, (size_t)w, MPOOL_EMPTY);
  msgpool_dealloc(&q);
}

/* ---------------------------------------------------------------- wake-ups */

typedef struct
{
  MsgPool *q;
  int done; /* set by the thread as it returns: a release store that main's acquire
             * loads pair with (main looks while the thread runs) */
  size_t value;
} Waiter;

static void *claim_and_read(void *arg)
{
  Waiter *w = (Waiter *)arg;
  int r = msgpool_claim_read(w->q);
  if (r >= 0) {
    memcpy(&w->value, msgpool_get_ptr(w->q, (size_t)r), sizeof w->value);
    msgpool_release(w->q, (size_t)r, MPOOL_EMPTY);
  }
  __atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
  return NULL;
}

static void *claim_and_publish(void *arg)
{
  Waiter *w = (Waiter *)arg;
  int p = msgpool_claim_write(w->q);
  memcpy(msgpool_get_ptr(w->q, (size_t)p), &w->value, sizeof w->value);
  msgpool_release(w->q, (size_t)p, MPOOL_FULL);
  __atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
  return NULL;
}

static void *release_consumed(void *arg)
{
  Waiter *w = (Waiter *)arg;
  msgpool_release(w->q, w->value, MPOOL_EMPTY);
  return NULL;
}

static void *wait_til_empty(void *arg)
{
  Waiter *w = (Waiter *)arg;
  msgpool_wait_til_empty(w->q);
  __atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
  return NULL;
}

static void check_wakeups(char mode)
{
  MsgPool q;
  pthread_t reader, writer, drainer;
  Waiter rw, ww, dw;
  size_t v = 1;
  int r, w;
  msgpool_alloc(&q, 1, sizeof(size_t), mode);

  /* A reader blocked while the one message is claimed: the put-back wakes
   * it (a lost wake-up hangs the join: the watchdog fails the test).  A
   * wait_til_empty started meanwhile keeps waiting through the put-back. */
  msgpool_write(&q, &v, NULL);
  r = msgpool_claim_read(&q);
  rw.q = dw.q = &q;
  rw.done = dw.done = 0;
  rw.value = 0;
  PCHECK(pthread_create(&reader, NULL, claim_and_read, &rw));
  PCHECK(pthread_create(&drainer, NULL, wait_til_empty, &dw));
  sleep_ms(30);
  CHECK(!__atomic_load_n(&rw.done, __ATOMIC_ACQUIRE) && !__atomic_load_n(&dw.done, __ATOMIC_ACQUIRE));
  v = 2;
  memcpy(msgpool_get_ptr(&q, (size_t)r), &v, sizeof v);
  msgpool_release(&q, (size_t)r, MPOOL_FULL);
  PCHECK(pthread_join(reader, NULL));
  CHECK(rw.value == 2);
  PCHECK(pthread_join(drainer, NULL));

  /* A writer blocked on the full pool whose slot is claimed for writing:
   * giving the slot back wakes it. */
  w = msgpool_claim_write(&q);
  ww.q = &q;
  ww.done = 0;
  ww.value = 3;
  PCHECK(pthread_create(&writer, NULL, claim_and_publish, &ww));
  sleep_ms(30);
  CHECK(!__atomic_load_n(&ww.done, __ATOMIC_ACQUIRE));
  msgpool_release(&q, (size_t)w, MPOOL_EMPTY);
  PCHECK(pthread_join(writer, NULL));
  CHECK(msgpool_read(&q, &v, NULL) != 0 && v == 3);

  /* A position released by another thread than its claimer (handed over
   * by pthread_create). */
  msgpool_write(&q, &v, NULL);
  rw.value = (size_t)msgpool_claim_read(&q);
  PCHECK(pthread_create(&reader, NULL, release_consumed, &rw));
  PCHECK(pthread_join(reader, NULL));
  CHECK(msgpool_was_size(&q) == 0 && msgpool_wait_til_empty_for(&q, 0) == 1);
  msgpool_dealloc(&q);
}

/* ---------------------------------------------------------------- exactly once under threads */

#define WRITERS 8
#define READERS 8

typedef struct
{
  uint32_t id;    /* 1 .. messages; 0: no message */
  uint32_t marks; /* put-backs so far */
} Msg;

typedef struct
{
  MsgPool *q;
  size_t first, step, messages;
  unsigned char *seen; /* readers: arrivals per id, shared (under seen_lock) */
  unsigned long consumed, put_back, given_back, bad;
} Worker;

static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;

static int given_back_id(size_t id) { return id % 7 == 3; } /* its write slot is given back: never arrives */
static int put_back_id(size_t id) { return id % 5 == 1; }   /* put back twice before it is read */

static void *writer_main(void *arg)
{
  Worker *w = (Worker *)arg;
  size_t id;
  for (id = w->first; id <= w->messages; id += w->step) {
    int p = msgpool_claim_write(w->q);
    Msg m;
    m.id = (uint32_t)id;
    m.marks = 0;
    memcpy(msgpool_get_ptr(w->q, (size_t)p), &m, sizeof m);
    if (given_back_id(id)) {
      msgpool_release(w->q, (size_t)p, MPOOL_EMPTY);
      w->given_back++;
    } else {
      msgpool_release(w->q, (size_t)p, MPOOL_FULL);
    }
  }
  return NULL;
}

static void *reader_main(void *arg)
{
  Worker *w = (Worker *)arg;
  int p;
  while ((p = msgpool_claim_read(w->q)) != -1) {
    Msg *m = (Msg *)msgpool_get_ptr(w->q, (size_t)p);
    if (m->id == 0 || m->id > w->messages || given_back_id(m->id)) {
      w->bad++;
      msgpool_release(w->q, (size_t)p, MPOOL_EMPTY);
      continue;
    }
    if (put_back_id(m->id) && m->marks < 2) {
      m->marks++; /* in place: the next claimer must see it */
      w->put_back++;
      msgpool_release(w->q, (size_t)p, MPOOL_FULL);
      continue;
    }
    if (m->marks != (put_back_id(m->id) ? 2u : 0u)) w->bad++;
    PCHECK(pthread_mutex_lock(&seen_lock));
    w->seen[m->id]++;
    PCHECK(pthread_mutex_unlock(&seen_lock));
    w->consumed++;
    msgpool_release(w->q, (size_t)p, MPOOL_EMPTY);
  }
  return NULL;
}

static void check_exactly_once(char mode, size_t cap)
{
  const size_t messages = 20000 * stress_scale();
  pthread_t threads[WRITERS + READERS];
  Worker workers[WRITERS + READERS];
  unsigned char *seen = calloc(messages + 1, 1);
  unsigned long consumed = 0, put_back = 0, given_back = 0, bad = 0, expected_put_back = 0, missing = 0, twice = 0;
  MsgPool q;
  size_t i, id;
  if (!seen) abort();
  msgpool_alloc(&q, cap, sizeof(Msg), mode);
  memset(workers, 0, sizeof workers);
  for (i = 0; i < WRITERS + READERS; ++i) {
    workers[i].q = &q;
    workers[i].first = i + 1;
    workers[i].step = WRITERS;
    workers[i].messages = messages;
    workers[i].seen = seen;
    PCHECK(pthread_create(&threads[i], NULL, i < WRITERS ? writer_main : reader_main, &workers[i]));
  }
  for (i = 0; i < WRITERS; ++i) PCHECK(pthread_join(threads[i], NULL));
  msgpool_wait_til_empty(&q);
  CHECK(msgpool_was_size(&q) == 0);
  msgpool_close(&q);
  for (i = WRITERS; i < WRITERS + READERS; ++i) PCHECK(pthread_join(threads[i], NULL));
  for (i = 0; i < WRITERS + READERS; ++i) {
    consumed += workers[i].consumed;
    put_back += workers[i].put_back;
    given_back += workers[i].given_back;
    bad += workers[i].bad;
  }
  for (id = 1; id <= messages; ++id) {
    if (given_back_id(id)) {
      CHECK(seen[id] == 0);
      continue;
    }
    expected_put_back += put_back_id(id) ? 2 : 0;
    missing += seen[id] == 0;
    twice += seen[id] > 1;
  }
  if (missing || twice || bad || put_back != expected_put_back)
    fprintf(stderr, "mode %s, capacity %zu: %lu missing, %lu twice, %lu bad, %lu put back (expected %lu)\n",
            mode_names[(int)mode], cap, missing, twice, bad, put_back, expected_put_back);
  CHECK(missing == 0 && twice == 0 && bad == 0);
  CHECK(put_back == expected_put_back);
  CHECK(consumed + given_back == messages);
  msgpool_dealloc(&q);
  free(seen);
}

/* ---------------------------------------------------------------- bad input: aborts */

typedef void (*Case)(void);

/* Runs c in a child with stderr captured; 1 if it died by SIGABRT with a
 * line "<function>: ...<problem>..." on stderr (abort_expected) or exited 0. */
static int dies_with(Case c, int abort_expected, const char *function, const char *problem)
{
  char out[4096], head[128];
  size_t len = 0;
  ssize_t n;
  int fds[2], status = 0;
  pid_t pid;
  fflush(stdout);
  fflush(stderr);
  if (pipe(fds) != 0 || (pid = fork()) < 0) abort();
  if (pid == 0) {
    dup2(fds[1], 2);
    close(fds[0]);
    close(fds[1]);
    alarm(20);
    c();
    _exit(0);
  }
  close(fds[1]);
  while (len + 1 < sizeof out && (n = read(fds[0], out + len, sizeof out - 1 - len)) > 0) len += (size_t)n;
  out[len] = '\0';
  close(fds[0]);
  waitpid(pid, &status, 0);
  if (!abort_expected) return WIFEXITED(status) && WEXITSTATUS(status) == 0;
  snprintf(head, sizeof head, "%s: ", function);
  {
    const char *at = strstr(out, head);
    const char *eol = at ? strchr(at, '\n') : NULL;
    const char *found = at ? strstr(at, problem) : NULL;
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT && found && (!eol || found < eol);
  }
}

static MsgPool bad;

static void alloc_bad_mode(void) { msgpool_alloc(&bad, 4, 8, 7); }
static void alloc_negative_mode(void) { msgpool_alloc(&bad, 4, 8, (char)-1); }
static void alloc_too_many(void) { msgpool_alloc(&bad, (size_t)INT_MAX + 1, 1, MSGP_LOCK_MUTEX); }
static void release_claimed_state(void)
{
  int p;
  msgpool_alloc(&bad, 2, 8, MSGP_LOCK_MUTEX);
  p = msgpool_claim_write(&bad);
  msgpool_release(&bad, (size_t)p, MPOOL_CLAIMED);
}
static void release_state_3(void)
{
  int p;
  msgpool_alloc(&bad, 2, 8, MSGP_LOCK_SPIN);
  msgpool_write(&bad, "12345678", NULL);
  p = msgpool_claim_read(&bad);
  msgpool_release(&bad, (size_t)p, 3);
}
static void release_out_of_range(void)
{
  msgpool_alloc(&bad, 2, 8, MSGP_LOCK_MUTEX);
  msgpool_release(&bad, (size_t)INT_MAX, MPOOL_EMPTY); /* 2 * (INT_MAX / 2) <= pos */
}
static void release_minus_one(void)
{
  msgpool_alloc(&bad, 2, 8, MSGP_LOCK_YIELD);
  msgpool_write(&bad, "12345678", NULL);
  msgpool_close(&bad);
  (void)msgpool_claim_read(&bad);
  msgpool_release(&bad, (size_t)msgpool_claim_read(&bad), MPOOL_EMPTY); /* -1: closed and empty */
}
static void get_ptr_out_of_range(void)
{
  msgpool_alloc(&bad, 3, 8, MSGP_LOCK_MUTEX);
  (void)msgpool_get_ptr(&bad, (size_t)-5);
}
static void release_twice(void)
{
  int p;
  msgpool_alloc(&bad, 2, 8, MSGP_LOCK_MUTEX);
  p = msgpool_claim_write(&bad);
  msgpool_release(&bad, (size_t)p, MPOOL_FULL);
  msgpool_release(&bad, (size_t)p, MPOOL_FULL);
}
static void release_after_claimed_again(void)
{
  int p, again;
  msgpool_alloc(&bad, 1, 8, MSGP_LOCK_SPIN);
  p = msgpool_claim_write(&bad);
  msgpool_release(&bad, (size_t)p, MPOOL_FULL);
  again = msgpool_claim_read(&bad); /* the same slot, claimed again */
  (void)again;
  msgpool_release(&bad, (size_t)p, MPOOL_EMPTY);
}
static void release_after_plain_read(void)
{
  int p;
  char out[8];
  msgpool_alloc(&bad, 1, 8, MSGP_LOCK_MUTEX);
  p = msgpool_claim_write(&bad);
  msgpool_release(&bad, (size_t)p, MPOOL_FULL);
  (void)msgpool_read(&bad, out, NULL); /* the slot used again by msgpool_read */
  msgpool_release(&bad, (size_t)p, MPOOL_EMPTY);
}
static void get_ptr_after_release(void)
{
  int p;
  msgpool_alloc(&bad, 2, 8, MSGP_LOCK_MUTEX);
  p = msgpool_claim_write(&bad);
  msgpool_release(&bad, (size_t)p, MPOOL_EMPTY);
  (void)msgpool_get_ptr(&bad, (size_t)p);
}
static void release_never_claimed(void)
{
  msgpool_alloc(&bad, 4, 8, MSGP_LOCK_MUTEX);
  msgpool_release(&bad, 1, MPOOL_EMPTY);
}
static void claim_unallocated(void)
{
  MsgPool none = {0};
  (void)msgpool_claim_read(&none);
}
static void iterate_null_func(void)
{
  msgpool_alloc(&bad, 2, 8, MSGP_LOCK_MUTEX);
  msgpool_iterate(&bad, NULL, NULL);
}
static const char *shm_name = "/msgpool_test_later_api_claim";
static void claim_on_shared_pool(void)
{
  if (msgpool_shm_create(&bad, shm_name, 2, 8, NULL) != 0) _exit(3);
  (void)msgpool_claim_write(&bad);
}
/* Controls: the harness must tell these from an abort with the message. */
static void no_abort(void)
{
  msgpool_alloc(&bad, 2, 8, MSGP_LOCK_MUTEX);
  msgpool_dealloc(&bad);
}
static void other_abort(void)
{
  fprintf(stderr, "msgpool_release: something else\n");
  abort();
}

static void check_bad_input(void)
{
  static const struct
  {
    const char *name;
    Case run;
    const char *function, *problem;
  } cases[] = {
    {"invalid mode 7", alloc_bad_mode, "msgpool_alloc", "locking must be MSGP_LOCK_SPIN (0), MSGP_LOCK_YIELD (1) or MSGP_LOCK_MUTEX (2), got 7"},
    {"invalid mode -1", alloc_negative_mode, "msgpool_alloc", "got -1"},
    {"nel above INT_MAX", alloc_too_many, "msgpool_alloc", "must be at most INT_MAX"},
    {"state MPOOL_CLAIMED", release_claimed_state, "msgpool_release", "new_state must be MPOOL_EMPTY (0) or MPOOL_FULL (2), got 1"},
    {"state 3", release_state_3, "msgpool_release", "got 3"},
    {"position out of range", release_out_of_range, "msgpool_release", "is out of range"},
    {"position -1", release_minus_one, "msgpool_release", "is out of range"},
    {"get_ptr out of range", get_ptr_out_of_range, "msgpool_get_ptr", "is out of range"},
    {"released twice", release_twice, "msgpool_release", "stale position"},
    {"released after a new claim", release_after_claimed_again, "msgpool_release", "stale position"},
    {"released after msgpool_read", release_after_plain_read, "msgpool_release", "stale position"},
    {"get_ptr after release", get_ptr_after_release, "msgpool_get_ptr", "stale position"},
    {"never claimed", release_never_claimed, "msgpool_release", "stale position"},
    {"claim on no pool", claim_unallocated, "msgpool_claim_read", "not allocated"},
    {"iterate without func", iterate_null_func, "msgpool_iterate", "func is NULL"},
    {"claim on a shared pool", claim_on_shared_pool, "msgpool_claim_write", "not available on a shared pool"},
  };
  size_t i;
  msgpool_shm_unlink(shm_name);
  for (i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
    int ok = dies_with(cases[i].run, 1, cases[i].function, cases[i].problem);
    if (!ok) fprintf(stderr, "bad input \"%s\": no abort with \"%s: ...%s\"\n", cases[i].name, cases[i].function, cases[i].problem);
    CHECK(ok);
  }
  msgpool_shm_unlink(shm_name);
  CHECK(dies_with(no_abort, 0, "", ""));
  CHECK(!dies_with(no_abort, 1, "msgpool_alloc", "")); /* the harness can fail */
  CHECK(!dies_with(other_abort, 1, "msgpool_release", "stale position"));
}

int main(void)
{
  size_t m;
  start_watchdog(240);
  check_header();
  for (m = 0; m < 3; ++m) {
    check_claim_ends(locking_modes[m]);
    check_wakeups(locking_modes[m]);
    check_exactly_once(locking_modes[m], 1);
    check_exactly_once(locking_modes[m], 64);
  }
  check_bad_input();
  return check_report("c_later_api");
}
