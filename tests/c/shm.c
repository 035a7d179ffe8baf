/* Shared pools through the C API, across processes: a parent creates a pool
 * in a named segment and forks children that open it by name (2 producers and
 * 2 consumers moving every id exactly once, checked by id); close, reopen and
 * wait_til_empty (timed and not) seen from another process; a child using the
 * handle it inherited at fork; and every error case of msgpool_shm_*, with
 * its code and its message.
 *
 * Every wait is bounded: children die by alarm(); the parent uses timed forms
 * and waits for its children until a deadline, then kills the ones it started
 * (by pid) and fails.  Segment names hold the pid and are removed at exit,
 * also when a check fails or the parent's own watchdog fires. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, for the counters the children share */
#include "check.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

/* ---------------------------------------------------------------- names, cleaned up at exit */

#define MAX_NAMES 64
static char names[MAX_NAMES][96];
static int name_count = 0;
static pid_t parent_pid;

static void remove_names(void)
{
  int i;
  if (getpid() != parent_pid) return; /* children leave the parent's names alone */
  for (i = 0; i < name_count; ++i) shm_unlink(names[i]);
}

/* A segment name no other run uses: /msgpool-c-test-<pid>-<n>-<tag>. */
static const char *unique_name(const char *tag)
{
  if (name_count == MAX_NAMES) {
    fprintf(stderr, "too many segment names\n");
    abort();
  }
  snprintf(names[name_count], sizeof names[0], "/msgpool-c-test-%ld-%d-%s", (long)getpid(), name_count, tag);
  return names[name_count++];
}

#define MAX_CHILDREN 8
static pid_t running_pids[MAX_CHILDREN]; /* children started and not yet reaped; 0 = free */

static void parent_watchdog(int sig)
{
  static const char msg[] = "c_shm: the parent's watchdog fired\n";
  int i;
  (void)sig;
  for (i = 0; i < MAX_CHILDREN; ++i)
    if (running_pids[i] > 0) kill(running_pids[i], SIGKILL);
  for (i = 0; i < name_count; ++i) shm_unlink(names[i]);
  if (write(2, msg, sizeof msg - 1) < 0) {}
  _exit(3);
}

/* ---------------------------------------------------------------- children */

typedef int (*child_fn)(void *arg);

/* Runs fn(arg) in a child, which exits with its result and dies by SIGALRM
 * after `seconds` whatever happens. */
static pid_t spawn(child_fn fn, void *arg, unsigned seconds)
{
  pid_t pid;
  int i;
  fflush(NULL);
  pid = fork();
  if (pid < 0) {
    perror("fork");
    abort();
  }
  if (pid == 0) {
    signal(SIGALRM, SIG_DFL);
    alarm(seconds);
    _exit(fn(arg));
  }
  for (i = 0; i < MAX_CHILDREN && running_pids[i] != 0; ++i) {}
  if (i == MAX_CHILDREN) {
    fprintf(stderr, "too many children\n");
    abort();
  }
  running_pids[i] = pid;
  return pid;
}

static void forget(pid_t pid)
{
  int i;
  for (i = 0; i < MAX_CHILDREN; ++i)
    if (running_pids[i] == pid) running_pids[i] = 0;
}

/* Reaps the n children in pids, waiting at most `seconds` in all; kills
 * (SIGKILL, by pid) those still running then.  Returns the number that did not
 * exit with status 0. */
static int wait_pids(const pid_t *pids, int n, unsigned seconds)
{
  uint64_t give_up = now_ns() + (uint64_t)seconds * 1000 * MS_NS;
  int done[MAX_CHILDREN] = {0};
  int left = n, failures = 0, i, status;
  while (left > 0) {
    for (i = 0; i < n; ++i) {
      if (done[i]) continue;
      if (waitpid(pids[i], &status, WNOHANG) == pids[i]) {
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
          fprintf(stderr, "child %ld: %s %d\n", (long)pids[i],
                  WIFEXITED(status) ? "exit status" : "killed by signal",
                  WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
          ++failures;
        }
        forget(pids[i]);
        done[i] = 1;
        --left;
      }
    }
    if (left > 0 && now_ns() > give_up) {
      for (i = 0; i < n; ++i) {
        if (done[i]) continue;
        fprintf(stderr, "child %ld still running after %u s: killed\n", (long)pids[i], seconds);
        kill(pids[i], SIGKILL);
        waitpid(pids[i], &status, 0);
        forget(pids[i]);
        ++failures;
      }
      left = 0;
    }
    if (left > 0) sleep_ms(5);
  }
  return failures;
}

static int wait_pid(pid_t pid, unsigned seconds) { return wait_pids(&pid, 1, seconds); }

/* A child's check: prints and counts, the child exits with the count. */
#define CCHECK(cond)                                                                       \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      fprintf(stderr, "%s:%d: child %ld: check failed: %s\n", __FILE__, __LINE__,          \
              (long)getpid(), #cond);                                                      \
      ++failed;                                                                            \
    }                                                                                      \
  } while (0)

/* Opens `name` in a child (retrying ENOTREADY is not needed: the parent
 * created it before the fork). */
static int child_open(MsgPool *q, const char *name, size_t nel, size_t elsize)
{
  int rc = msgpool_shm_open(q, name, nel, elsize, NULL);
  if (rc != 0) fprintf(stderr, "child %ld: %s\n", (long)getpid(), msgpool_shm_last_error());
  return rc;
}

/* ---------------------------------------------------------------- exactly once by id */

typedef struct {
  uint64_t id;
  uint64_t check; /* id * K: a torn or stale message fails it */
} message;

#define CHECK_K 0x9e3779b97f4a7c15ull
#define PRODUCERS 2
#define CONSUMERS 2

typedef struct {
  const char *name;
  int index;
  size_t per_producer;
  unsigned char *counts; /* shared: CONSUMERS rows of PRODUCERS * per_producer counts */
} eo_arg;

static int eo_producer(void *p)
{
  eo_arg *a = (eo_arg *)p;
  MsgPool q;
  message m;
  size_t i;
  int failed = 0;
  if (child_open(&q, a->name, 0, sizeof(message)) != 0) return 90;
  CCHECK(q.nel == 64 && q.elsize == sizeof(message) && q.nproducers == 0 && q.nconsumers == 0);
  CCHECK(msgpool_shm_is_shared(&q) == 1);
  for (i = 0; i < a->per_producer; ++i) {
    m.id = (uint64_t)a->index * a->per_producer + i;
    m.check = m.id * CHECK_K;
    if (i % 2 == 0) {
      msgpool_write(&q, &m, NULL);
    } else if (i % 4 == 1) {
      while (!msgpool_try_write(&q, &m, NULL)) {}
    } else {
      while (!msgpool_write_for(&q, &m, NULL, 10 * MS_NS)) {}
    }
  }
  CCHECK(msgpool_shm_detach(&q) == 0);
  CCHECK(q.impl == NULL && q.nel == 0);
  return failed;
}

static int eo_consumer(void *p)
{
  eo_arg *a = (eo_arg *)p;
  MsgPool q;
  message m;
  size_t total = PRODUCERS * a->per_producer, n = 0;
  unsigned char *row = a->counts + (size_t)a->index * total;
  int failed = 0, r;
  if (child_open(&q, a->name, 64, 0) != 0) return 90;
  CCHECK(q.elsize == sizeof(message));
  for (;;) {
    if (n % 3 == 2)
      r = msgpool_read_for(&q, &m, NULL, 10 * MS_NS);
    else
      r = msgpool_read(&q, &m, NULL);
    if (r == 0) {
      if (msgpool_is_closed(&q)) break; /* closed and empty */
      continue;                         /* read_for timed out */
    }
    CCHECK(r == (int)sizeof(message));
    CCHECK(m.check == m.id * CHECK_K);
    if (m.id < total) {
      if (row[m.id] < 255) ++row[m.id];
    } else {
      CCHECK(m.id < total);
    }
    ++n;
  }
  msgpool_dealloc(&q); /* detaches, as msgpool_shm_detach does */
  CCHECK(q.impl == NULL);
  return failed;
}

static void exactly_once_across_processes(void)
{
  const char *name = unique_name("eo");
  size_t per_producer = 20000 * stress_scale(), total = PRODUCERS * per_producer, id;
  eo_arg producers[PRODUCERS], consumers[CONSUMERS];
  pid_t producer_pids[PRODUCERS], consumer_pids[CONSUMERS];
  unsigned char *counts;
  MsgPool q;
  int i, missing = 0, duplicated = 0;

  counts = (unsigned char *)mmap(NULL, CONSUMERS * total, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (counts == MAP_FAILED) {
    perror("mmap");
    abort();
  }
  CHECK(msgpool_shm_create(&q, name, 64, sizeof(message), NULL) == 0);
  CHECK(q.nel == 64 && q.elsize == sizeof(message));
  for (i = 0; i < CONSUMERS; ++i) {
    consumers[i].name = name;
    consumers[i].index = i;
    consumers[i].per_producer = per_producer;
    consumers[i].counts = counts;
    consumer_pids[i] = spawn(eo_consumer, &consumers[i], 120);
  }
  for (i = 0; i < PRODUCERS; ++i) {
    producers[i] = consumers[0];
    producers[i].index = i;
    producer_pids[i] = spawn(eo_producer, &producers[i], 120);
  }
  /* The producers finish; this process waits until the consumers, in two
   * others, have read everything; the close, from here, ends them. */
  CHECK(wait_pids(producer_pids, PRODUCERS, 150) == 0);
  CHECK(msgpool_wait_til_empty_for(&q, 120000 * MS_NS) == 1);
  CHECK(msgpool_was_size(&q) == 0);
  msgpool_close(&q);
  CHECK(wait_pids(consumer_pids, CONSUMERS, 150) == 0);
  for (id = 0; id < total; ++id) {
    unsigned c = 0;
    for (i = 0; i < CONSUMERS; ++i) c += counts[(size_t)i * total + id];
    if (c == 0) ++missing;
    if (c > 1) ++duplicated;
  }
  if (missing || duplicated) fprintf(stderr, "exactly once: %d ids missing, %d read twice\n", missing, duplicated);
  CHECK(missing == 0 && duplicated == 0);
  CHECK(msgpool_was_size(&q) == 0);
  CHECK(msgpool_shm_detach(&q) == 0);
  CHECK(msgpool_shm_unlink(name) == 0);
  munmap(counts, CONSUMERS * total);
}

/* ---------------------------------------------------------------- close, reopen, wait_til_empty */

typedef struct {
  const char *name;
  int expect; /* how many messages the child expects */
} cr_arg;

/* Blocks in msgpool_read on the empty pool until another process closes it. */
static int blocked_reader(void *p)
{
  cr_arg *a = (cr_arg *)p;
  MsgPool q;
  int v = -1, failed = 0;
  if (child_open(&q, a->name, 0, sizeof(int)) != 0) return 90;
  CCHECK(msgpool_read(&q, &v, NULL) == 0); /* returns only at the close */
  CCHECK(v == -1);
  CCHECK(msgpool_is_closed(&q) == 1);
  msgpool_dealloc(&q);
  return failed;
}

/* Reads what a closed pool still holds, then gets 0 at once. */
static int drain_closed(void *p)
{
  cr_arg *a = (cr_arg *)p;
  MsgPool q;
  int v, i, sum = 0, failed = 0;
  if (child_open(&q, a->name, 0, sizeof(int)) != 0) return 90;
  CCHECK(msgpool_is_closed(&q) == 1);
  for (i = 0; i < a->expect; ++i) {
    CCHECK(msgpool_read(&q, &v, NULL) == (int)sizeof(int));
    sum += v;
  }
  CCHECK(sum == a->expect * (a->expect + 1) / 2);
  CCHECK(msgpool_read(&q, &v, NULL) == 0);
  CCHECK(msgpool_try_read(&q, &v, NULL) == 0);
  msgpool_dealloc(&q);
  return failed;
}

/* After a reopen: reads block again (time out), then get what arrives. */
static int reader_after_reopen(void *p)
{
  cr_arg *a = (cr_arg *)p;
  MsgPool q;
  int v = 0, failed = 0;
  uint64_t t0;
  if (child_open(&q, a->name, 0, sizeof(int)) != 0) return 90;
  CCHECK(msgpool_is_closed(&q) == 0);
  t0 = now_ns();
  CCHECK(msgpool_read_for(&q, &v, NULL, 30 * MS_NS) == 0);
  CCHECK(now_ns() - t0 >= 30 * MS_NS);
  CCHECK(msgpool_read_for(&q, &v, NULL, 60000 * MS_NS) == (int)sizeof(int)); /* the parent writes 42 */
  CCHECK(v == 42);
  msgpool_dealloc(&q);
  return failed;
}

/* Writes, then blocks in the untimed msgpool_wait_til_empty until another
 * process has read everything. */
static int writer_waits_til_empty(void *p)
{
  cr_arg *a = (cr_arg *)p;
  MsgPool q;
  int i, failed = 0;
  if (child_open(&q, a->name, 0, sizeof(int)) != 0) return 90;
  for (i = 1; i <= a->expect; ++i) msgpool_write(&q, &i, NULL);
  msgpool_wait_til_empty(&q);
  CCHECK(msgpool_was_size(&q) == 0);
  msgpool_dealloc(&q);
  return failed;
}

/* Reads slowly, so that a waiter in another process waits for real. */
static int slow_reader(void *p)
{
  cr_arg *a = (cr_arg *)p;
  MsgPool q;
  int v, i, sum = 0, failed = 0;
  if (child_open(&q, a->name, 0, sizeof(int)) != 0) return 90;
  for (i = 0; i < a->expect; ++i) {
    sleep_ms(2);
    CCHECK(msgpool_read_for(&q, &v, NULL, 60000 * MS_NS) == (int)sizeof(int));
    sum += v;
  }
  CCHECK(sum == a->expect * (a->expect + 1) / 2);
  msgpool_dealloc(&q);
  return failed;
}

static void close_reopen_wait_across_processes(void)
{
  const char *name = unique_name("cr");
  MsgPool q;
  cr_arg a;
  pid_t readers[2], child;
  int i, v;
  a.name = name;
  a.expect = 0;
  CHECK(msgpool_shm_create(&q, name, 8, sizeof(int), NULL) == 0);

  /* A close in this process wakes readers blocked in two others. */
  readers[0] = spawn(blocked_reader, &a, 60);
  readers[1] = spawn(blocked_reader, &a, 60);
  sleep_ms(100); /* let them block (if they have not, they see the close anyway) */
  msgpool_close(&q);
  CHECK(wait_pids(readers, 2, 90) == 0);

  /* Writes while closed are read by another process, which then gets 0. */
  for (i = 1; i <= 5; ++i) msgpool_write(&q, &i, NULL);
  a.expect = 5;
  CHECK(wait_pid(spawn(drain_closed, &a, 60), 90) == 0);
  CHECK(msgpool_was_size(&q) == 0);

  /* A reopen in this process: reads in another block again. */
  msgpool_reopen(&q);
  child = spawn(reader_after_reopen, &a, 60);
  sleep_ms(100);
  v = 42;
  CHECK(msgpool_write_for(&q, &v, NULL, 10000 * MS_NS) == 1);
  CHECK(wait_pid(child, 90) == 0);

  /* wait_til_empty across processes, both ways. */
  a.expect = 6;
  for (i = 1; i <= a.expect; ++i) msgpool_write(&q, &i, NULL);
  CHECK(msgpool_wait_til_empty_for(&q, 30 * MS_NS) == 0); /* nobody reads yet */
  child = spawn(slow_reader, &a, 60);
  CHECK(msgpool_wait_til_empty_for(&q, 60000 * MS_NS) == 1);
  CHECK(msgpool_was_size(&q) == 0);
  CHECK(wait_pid(child, 90) == 0);

  a.expect = 7;
  child = spawn(writer_waits_til_empty, &a, 60);
  {
    int sum = 0, n = 0;
    sleep_ms(50); /* the writer is then (most likely) waiting */
    while (n < a.expect && msgpool_read_for(&q, &v, NULL, 30000 * MS_NS) == (int)sizeof(int)) {
      sum += v;
      ++n;
    }
    CHECK(n == a.expect && sum == a.expect * (a.expect + 1) / 2);
  }
  CHECK(wait_pid(child, 90) == 0);

  msgpool_dealloc(&q);
  CHECK(q.impl == NULL);
  CHECK(msgpool_shm_unlink(name) == 0);
}

/* ---------------------------------------------------------------- fork after attach */

static int inherited_writer(void *p)
{
  MsgPool *q = (MsgPool *)p; /* the parent's handle, copied by fork */
  int failed = 0, v = 7;
  CCHECK(msgpool_shm_is_shared(q) == 1);
  msgpool_write(q, &v, NULL);
  msgpool_dealloc(q); /* unmaps the child's mapping only */
  return failed;
}

static void fork_after_attach(void)
{
  const char *name = unique_name("fork");
  MsgPool q;
  int v = 0;
  CHECK(msgpool_shm_create(&q, name, 2, sizeof(int), NULL) == 0);
  CHECK(wait_pid(spawn(inherited_writer, &q, 60), 90) == 0);
  CHECK(msgpool_read_for(&q, &v, NULL, 10000 * MS_NS) == (int)sizeof(int) && v == 7);
  CHECK(msgpool_shm_detach(&q) == 0);
  CHECK(msgpool_shm_unlink(name) == 0);
}

/* ---------------------------------------------------------------- errors */

static int is_zero(const MsgPool *q)
{
  return q->impl == NULL && q->nel == 0 && q->elsize == 0 && q->nproducers == 0 && q->nconsumers == 0;
}

/* The last error starts with "<function>: " and contains `what`. */
static int says(const char *function, const char *what)
{
  const char *e = msgpool_shm_last_error();
  size_t n = strlen(function);
  int ok = strncmp(e, function, n) == 0 && e[n] == ':' && strstr(e + n, what) != NULL;
  if (!ok) fprintf(stderr, "last error \"%s\": expected \"%s: ...%s...\"\n", e, function, what);
  return ok;
}

static void bad_names(void)
{
  static const char *bad[] = {"noslash", "/", "/a/b", "/..", "/.", "/with space", "/tab\there", ""};
  char longname[260];
  MsgPool q;
  size_t i;
  for (i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    memset(&q, 0xff, sizeof q); /* failure must leave it zero-filled */
    CHECK(msgpool_shm_create(&q, bad[i], 4, 8, NULL) == MSGPOOL_SHM_EINVAL);
    CHECK(says("msgpool_shm_create", "invalid segment name"));
    CHECK(is_zero(&q));
    CHECK(msgpool_shm_open(&q, bad[i], 0, 0, NULL) == MSGPOOL_SHM_EINVAL);
    CHECK(says("msgpool_shm_open", "invalid segment name"));
    CHECK(msgpool_shm_open_or_create(&q, bad[i], 4, 8, NULL) == MSGPOOL_SHM_EINVAL);
    CHECK(msgpool_shm_unlink(bad[i]) == MSGPOOL_SHM_EINVAL);
    CHECK(says("msgpool_shm_unlink", "invalid segment name"));
  }
  longname[0] = '/';
  memset(longname + 1, 'a', 201);
  longname[202] = '\0';
  CHECK(msgpool_shm_create(&q, longname, 4, 8, NULL) == MSGPOOL_SHM_EINVAL);
  CHECK(says("msgpool_shm_create", "1 to 200 characters"));
  longname[201] = '\0'; /* 200 characters: a valid name, and no such segment */
  CHECK(msgpool_shm_open(&q, longname, 0, 0, NULL) == MSGPOOL_SHM_ENOENT);

  CHECK(msgpool_shm_create(&q, NULL, 4, 8, NULL) == MSGPOOL_SHM_EINVAL);
  CHECK(says("msgpool_shm_create", "the name is NULL"));
  CHECK(msgpool_shm_open(&q, NULL, 0, 0, NULL) == MSGPOOL_SHM_EINVAL);
  CHECK(msgpool_shm_unlink(NULL) == MSGPOOL_SHM_EINVAL);
  CHECK(says("msgpool_shm_unlink", "the name is NULL"));
}

static void bad_arguments(void)
{
  const char *name = unique_name("args");
  msgpool_shm_options o;
  MsgPool q;
  CHECK(msgpool_shm_create(NULL, name, 4, 8, NULL) == MSGPOOL_SHM_EINVAL);
  CHECK(says("msgpool_shm_create", "the pool pointer is NULL"));
  CHECK(msgpool_shm_open(NULL, name, 0, 0, NULL) == MSGPOOL_SHM_EINVAL);
  CHECK(msgpool_shm_create(&q, name, 0, 8, NULL) == MSGPOOL_SHM_EINVAL);
  CHECK(says("msgpool_shm_create", "nel (the number of elements) must be at least 1"));
  CHECK(is_zero(&q));
  CHECK(msgpool_shm_create(&q, name, 4, 0, NULL) == MSGPOOL_SHM_EINVAL);
  CHECK(says("msgpool_shm_create", "elsize (the element size) must be at least 1"));
  CHECK(msgpool_shm_open_or_create(&q, name, 0, 8, NULL) == MSGPOOL_SHM_EINVAL);
  CHECK(msgpool_shm_create(&q, name, ((size_t)-1) / 2, 3, NULL) == MSGPOOL_SHM_EINVAL);
  CHECK(says("msgpool_shm_create", "overflows"));
  CHECK(msgpool_shm_create(&q, name, ((size_t)-1) / 16, 8, NULL) == MSGPOOL_SHM_EINVAL);
  CHECK(says("msgpool_shm_create", "too large"));
  CHECK(is_zero(&q));
  /* Representable, but no /dev/shm holds 4 EiB: a clear error at create. */
  CHECK(msgpool_shm_create(&q, name, ((size_t)1) << 58, 8, NULL) == MSGPOOL_SHM_ENOSPC);
  CHECK(says("msgpool_shm_create", "cannot reserve"));
  CHECK(is_zero(&q));
  msgpool_shm_options_init(&o);
  o.mode = 01777;
  CHECK(msgpool_shm_create(&q, name, 4, 8, &o) == MSGPOOL_SHM_EINVAL);
  CHECK(says("msgpool_shm_create", "mode"));
  CHECK(is_zero(&q));
  /* Every failure above left no segment behind. */
  CHECK(msgpool_shm_unlink(name) == MSGPOOL_SHM_ENOENT);
  CHECK(says("msgpool_shm_unlink", name));
}

static void exists_missing_unlink(void)
{
  const char *name = unique_name("exists");
  const char *missing = unique_name("missing");
  MsgPool q, r, s;
  int v = 5, out = 0;
  CHECK(msgpool_shm_create(&q, name, 4, sizeof(int), NULL) == 0);
  CHECK(strcmp(msgpool_shm_last_error(), "") == 0);
  CHECK(msgpool_shm_create(&r, name, 4, sizeof(int), NULL) == MSGPOOL_SHM_EEXIST);
  CHECK(says("msgpool_shm_create", name));
  CHECK(is_zero(&r));
  CHECK(msgpool_shm_open(&r, missing, 0, 0, NULL) == MSGPOOL_SHM_ENOENT);
  CHECK(says("msgpool_shm_open", missing));
  CHECK(is_zero(&r));
  CHECK(msgpool_shm_unlink(missing) == MSGPOOL_SHM_ENOENT);
  CHECK(says("msgpool_shm_unlink", "no segment named"));

  /* unlink removes the name; handles open keep working on the old pool; a
   * new create of that name makes a new, empty pool. */
  CHECK(msgpool_shm_open(&r, name, 4, sizeof(int), NULL) == 0);
  CHECK(msgpool_shm_unlink(name) == 0);
  CHECK(strcmp(msgpool_shm_last_error(), "") == 0);
  CHECK(msgpool_shm_open(&s, name, 0, 0, NULL) == MSGPOOL_SHM_ENOENT);
  CHECK(msgpool_shm_unlink(name) == MSGPOOL_SHM_ENOENT);
  CHECK(msgpool_write_for(&q, &v, NULL, 1000 * MS_NS) == 1);
  CHECK(msgpool_read_for(&r, &out, NULL, 1000 * MS_NS) == (int)sizeof(int) && out == 5);
  CHECK(msgpool_write_for(&q, &v, NULL, 1000 * MS_NS) == 1);
  CHECK(msgpool_shm_create(&s, name, 4, sizeof(int), NULL) == 0);
  CHECK(msgpool_was_size(&s) == 0 && msgpool_was_size(&r) == 1);
  CHECK(msgpool_try_read(&s, &out, NULL) == 0);
  CHECK(msgpool_shm_detach(&q) == 0);
  CHECK(msgpool_shm_detach(&r) == 0);
  CHECK(msgpool_shm_detach(&s) == 0);
  CHECK(msgpool_shm_unlink(name) == 0);
}

static void mismatches(void)
{
  const char *name = unique_name("mismatch");
  msgpool_shm_options tagged;
  MsgPool q, r;
  CHECK(msgpool_shm_create(&q, name, 16, 24, NULL) == 0);
  CHECK(msgpool_shm_open(&r, name, 0, 8, NULL) == MSGPOOL_SHM_EMISMATCH);
  CHECK(says("msgpool_shm_open", "element size differs: the segment"));
  CHECK(says("msgpool_shm_open", "24 bytes, this program asks for 8 bytes"));
  CHECK(is_zero(&r));
  CHECK(msgpool_shm_open(&r, name, 15, 0, NULL) == MSGPOOL_SHM_EMISMATCH);
  CHECK(says("msgpool_shm_open", "capacity differs"));
  CHECK(msgpool_shm_open_or_create(&r, name, 16, 32, NULL) == MSGPOOL_SHM_EMISMATCH);
  CHECK(says("msgpool_shm_open_or_create", "element size differs"));
  CHECK(is_zero(&r));
  CHECK(msgpool_shm_open_or_create(&r, name, 17, 24, NULL) == MSGPOOL_SHM_EMISMATCH);
  CHECK(says("msgpool_shm_open_or_create", "capacity differs"));
  msgpool_shm_options_init(&tagged);
  tagged.type_tag = 42;
  CHECK(msgpool_shm_open(&r, name, 0, 0, &tagged) == MSGPOOL_SHM_EMISMATCH);
  CHECK(says("msgpool_shm_open", "type tag differs"));
  /* The fields come from the segment. */
  CHECK(msgpool_shm_open(&r, name, 0, 0, NULL) == 0);
  CHECK(r.nel == 16 && r.elsize == 24 && r.nproducers == 0 && r.nconsumers == 0);
  CHECK(msgpool_shm_detach(&r) == 0);
  CHECK(msgpool_shm_detach(&q) == 0);
  CHECK(msgpool_shm_unlink(name) == 0);

  /* A tagged pool opens only with its tag. */
  CHECK(msgpool_shm_create(&q, name, 4, 8, &tagged) == 0);
  CHECK(msgpool_shm_open(&r, name, 0, 0, NULL) == MSGPOOL_SHM_EMISMATCH);
  CHECK(says("msgpool_shm_open", "type tag differs: the segment has 42, this program asks for 0"));
  CHECK(msgpool_shm_open(&r, name, 4, 8, &tagged) == 0);
  CHECK(msgpool_shm_detach(&r) == 0);
  CHECK(msgpool_shm_detach(&q) == 0);
  CHECK(msgpool_shm_unlink(name) == 0);
}

/* Segments that are not (or not yet) pools, made with shm_open directly. */
static void not_pools(void)
{
  const char *name = unique_name("notpool");
  msgpool_shm_options quick;
  unsigned char junk[4096];
  MsgPool q;
  int fd;
  msgpool_shm_options_init(&quick);
  quick.patience_ms = 20;

  /* Zeros: a segment whose creator never started initialising it. */
  fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
  CHECK(fd >= 0);
  CHECK(ftruncate(fd, 4096) == 0);
  CHECK(msgpool_shm_open(&q, name, 0, 0, &quick) == MSGPOOL_SHM_ENOTREADY);
  CHECK(says("msgpool_shm_open", "never initialised"));
  CHECK(is_zero(&q));
  /* Garbage: not a pool. */
  memset(junk, 0xab, sizeof junk);
  CHECK(pwrite(fd, junk, sizeof junk, 0) == (ssize_t)sizeof junk);
  CHECK(msgpool_shm_open(&q, name, 0, 0, &quick) == MSGPOOL_SHM_ECORRUPT);
  CHECK(says("msgpool_shm_open", "corrupted header"));
  /* Smaller than a header. */
  CHECK(ftruncate(fd, 16) == 0);
  CHECK(msgpool_shm_open(&q, name, 0, 0, &quick) == MSGPOOL_SHM_ETOOSMALL);
  CHECK(says("msgpool_shm_open", "fewer than"));
  /* create refuses it (exists); unlink removes it like any segment. */
  CHECK(msgpool_shm_create(&q, name, 4, 8, NULL) == MSGPOOL_SHM_EEXIST);
  close(fd);
  CHECK(msgpool_shm_unlink(name) == 0);
}

/* A segment of another user is refused (trust holds only within one user).
 * Changing a segment's owner takes privilege: without it, said and skipped. */
static void other_users_segment(void)
{
  const char *name = unique_name("owner");
  MsgPool q, r;
  int fd;
  CHECK(msgpool_shm_create(&q, name, 4, 8, NULL) == 0);
  fd = shm_open(name, O_RDWR, 0);
  CHECK(fd >= 0);
  if (fd >= 0 && fchown(fd, 65534, (gid_t)-1) == 0) {
    CHECK(msgpool_shm_open(&r, name, 0, 0, NULL) == MSGPOOL_SHM_EPERM);
    CHECK(says("msgpool_shm_open", "belongs to uid 65534"));
    CHECK(is_zero(&r));
    CHECK(msgpool_shm_open_or_create(&r, name, 4, 8, NULL) == MSGPOOL_SHM_EPERM);
  } else {
    printf("c_shm: cannot give a segment to another user here (not privileged): EPERM not checked\n");
  }
  if (fd >= 0) close(fd);
  CHECK(msgpool_shm_detach(&q) == 0);
  CHECK(msgpool_shm_unlink(name) == 0);
}

static void detach_and_dealloc(void)
{
  const char *name = unique_name("detach");
  MsgPool heap, q, zero;
  int v = 3, out = 0;
  memset(&zero, 0, sizeof zero);
  CHECK(msgpool_shm_detach(NULL) == MSGPOOL_SHM_EINVAL);
  CHECK(says("msgpool_shm_detach", "NULL"));
  CHECK(msgpool_shm_detach(&zero) == MSGPOOL_SHM_EINVAL);
  CHECK(says("msgpool_shm_detach", "not attached"));
  CHECK(msgpool_shm_is_shared(NULL) == 0 && msgpool_shm_is_shared(&zero) == 0);

  /* A heap pool is not detached, and keeps working. */
  msgpool_alloc(&heap, 2, sizeof(int), 1, 1);
  CHECK(msgpool_shm_is_shared(&heap) == 0);
  CHECK(msgpool_shm_detach(&heap) == MSGPOOL_SHM_EINVAL);
  CHECK(says("msgpool_shm_detach", "msgpool_dealloc"));
  CHECK(heap.impl != NULL && heap.nel == 2);
  msgpool_write(&heap, &v, NULL);
  CHECK(msgpool_read(&heap, &out, NULL) == (int)sizeof(int) && out == 3);
  msgpool_dealloc(&heap);

  /* Detach twice: the second is an error.  dealloc on a shared pool
   * detaches and leaves the segment, with its messages. */
  CHECK(msgpool_shm_open_or_create(&q, name, 2, sizeof(int), NULL) == 0); /* creates */
  CHECK(msgpool_shm_is_shared(&q) == 1);
  msgpool_write(&q, &v, NULL);
  CHECK(msgpool_shm_detach(&q) == 0);
  CHECK(is_zero(&q));
  CHECK(msgpool_shm_detach(&q) == MSGPOOL_SHM_EINVAL);
  msgpool_dealloc(&q); /* harmless on a detached pool */
  CHECK(msgpool_shm_open_or_create(&q, name, 2, sizeof(int), NULL) == 0); /* opens */
  CHECK(msgpool_was_size(&q) == 1);
  msgpool_dealloc(&q);
  CHECK(is_zero(&q));
  CHECK(msgpool_shm_open(&q, name, 2, sizeof(int), NULL) == 0);
  CHECK(msgpool_try_read(&q, &out, NULL) == (int)sizeof(int) && out == 3);
  msgpool_dealloc(&q);
  CHECK(msgpool_shm_unlink(name) == 0);
}

/* The verbs' documented aborts hold for shared pools too: a NULL buffer
 * aborts with the same message, in the child that made the mistake only. */
typedef struct {
  MsgPool *q;
  int err_fd; /* the child's stderr goes here */
} misuse_arg;

static int read_into_null(void *p)
{
  misuse_arg *a = (misuse_arg *)p;
  dup2(a->err_fd, 2);
  msgpool_read(a->q, NULL, NULL);
  return 0; /* not reached */
}

static void misuse_still_aborts(void)
{
  const char *name = unique_name("misuse");
  MsgPool q;
  misuse_arg a;
  pid_t pid;
  int status = 0, v = 9, out = 0, fds[2];
  char text[1024];
  ssize_t n;
  uint64_t give_up = now_ns() + 60000 * MS_NS;
  CHECK(msgpool_shm_create(&q, name, 2, sizeof(int), NULL) == 0);
  if (pipe(fds) != 0) abort();
  a.q = &q;
  a.err_fd = fds[1];
  pid = spawn(read_into_null, &a, 60);
  close(fds[1]);
  while (waitpid(pid, &status, WNOHANG) == 0 && now_ns() < give_up) sleep_ms(5);
  if (now_ns() >= give_up) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  forget(pid);
  n = read(fds[0], text, sizeof text - 1); /* the child is gone: one short message, or nothing */
  close(fds[0]);
  text[n > 0 ? n : 0] = '\0';
  CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
  CHECK(strstr(text, "msgpool_read: the destination p is NULL (aborting)") != NULL);
  /* The pool is unharmed for everyone else. */
  msgpool_write(&q, &v, NULL);
  CHECK(msgpool_read(&q, &out, NULL) == (int)sizeof(int) && out == 9);
  msgpool_dealloc(&q);
  CHECK(msgpool_shm_unlink(name) == 0);
}

static size_t init_calls;
static void count_slot(char *el, size_t idx, void *args)
{
  (void)args;
  ((int *)(void *)el)[0] = (int)idx;
  ++init_calls;
}

static void options_mode_and_init(void)
{
  const char *name = unique_name("mode");
  msgpool_shm_options o;
  struct stat st;
  MsgPool q;
  int fd, out, i, sum = 0;

  memset(&o, 0xff, sizeof o);
  msgpool_shm_options_init(&o);
  CHECK(o.type_tag == 0 && o.mode == 0600 && o.populate == 0 && o.patience_ms == 1000);
  msgpool_shm_options_init(NULL);

  /* The default mode is 0600, whatever the umask. */
  umask(0);
  CHECK(msgpool_shm_create(&q, name, 4, sizeof(int), NULL) == 0);
  fd = shm_open(name, O_RDONLY, 0);
  CHECK(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0600);
  close(fd);
  CHECK(msgpool_shm_detach(&q) == 0);
  CHECK(msgpool_shm_unlink(name) == 0);

  /* An explicit mode, and populate. */
  umask(077);
  o.mode = 0640;
  o.populate = 1;
  CHECK(msgpool_shm_create(&q, name, 4, sizeof(int), &o) == 0);
  fd = shm_open(name, O_RDONLY, 0);
  CHECK(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0640);
  close(fd);
  umask(022);

  /* msgpool_init visits the shared pool's slots in place. */
  init_calls = 0;
  msgpool_init(&q, count_slot, NULL);
  CHECK(init_calls == 4);
  for (i = 0; i < 4; ++i) msgpool_write(&q, &i, NULL);
  for (i = 0; i < 4; ++i) {
    CHECK(msgpool_read(&q, &out, NULL) == (int)sizeof(int));
    sum += out;
  }
  CHECK(sum == 6);
  msgpool_dealloc(&q);
  CHECK(msgpool_shm_unlink(name) == 0);
}

static void error_strings(void)
{
  int c, d;
  CHECK(strcmp(msgpool_shm_strerror(0), "success") == 0);
  for (c = MSGPOOL_SHM_EINVAL; c <= MSGPOOL_SHM_ESYSTEM; ++c) {
    CHECK(msgpool_shm_strerror(c) != NULL && strlen(msgpool_shm_strerror(c)) > 5);
    for (d = MSGPOOL_SHM_EINVAL; d < c; ++d) CHECK(strcmp(msgpool_shm_strerror(c), msgpool_shm_strerror(d)) != 0);
  }
  CHECK(strstr(msgpool_shm_strerror(99), "unknown") != NULL);
  CHECK(strstr(msgpool_shm_strerror(-1), "unknown") != NULL);
  CHECK(MSGPOOL_SHM_EINVAL == 1 && MSGPOOL_SHM_EEXIST == 2 && MSGPOOL_SHM_ENOENT == 3 && MSGPOOL_SHM_EPERM == 4 &&
        MSGPOOL_SHM_ENOSPC == 5 && MSGPOOL_SHM_ETOOSMALL == 6 && MSGPOOL_SHM_ECORRUPT == 7 &&
        MSGPOOL_SHM_EMISMATCH == 8 && MSGPOOL_SHM_ENOTREADY == 9 && MSGPOOL_SHM_EUNSUPPORTED == 10 &&
        MSGPOOL_SHM_ESYSTEM == 11);
}

int main(void)
{
  parent_pid = getpid();
  atexit(remove_names);
  signal(SIGALRM, parent_watchdog);
  start_watchdog(280);

  error_strings();
  bad_names();
  bad_arguments();
  exists_missing_unlink();
  mismatches();
  not_pools();
  other_users_segment();
  detach_and_dealloc();
  options_mode_and_init();
  misuse_still_aborts();
  fork_after_attach();
  close_reopen_wait_across_processes();
  exactly_once_across_processes();
  return check_report("c_shm");
}
