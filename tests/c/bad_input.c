/* Bad input.  The aborting paths (as the original aborts) run in a forked
 * child each: the child must die by SIGABRT and its stderr must name the
 * function and the problem.  The non-aborting msgpool_try_alloc must return
 * the documented error number and leave the pool not allocated, so that
 * msgpool_dealloc stays safe; msgpool_dealloc itself is safe twice, on a
 * zero-filled pool and on NULL. */
#include "check.h"

#include <sys/types.h>
#include <sys/wait.h>

/* The allocation-failure cases ask for petabytes on purpose: under ASan and
 * TSan the allocator must return NULL (as malloc does) instead of reporting. */
const char *__asan_default_options(void);
const char *__tsan_default_options(void);
const char *__asan_default_options(void) { return "allocator_may_return_null=1"; }
const char *__tsan_default_options(void) { return "allocator_may_return_null=1"; }

#define HUGE_NEL ((size_t)1 << 48) /* x 16-byte slots = 4 PiB: more than any address space */

/* ---------------------------------------------------------------- the death-test harness */

typedef void (*child_fn)(void);

/* Some line of `out` starts with "<function>: " and goes on to contain
 * `problem` (a sanitizer may have printed a warning line before it). */
static int has_message(const char *out, const char *function, const char *problem)
{
  size_t flen = strlen(function);
  const char *line = out;
  if (flen == 0) return 1; /* the plain-abort control: any output */
  while (line && *line) {
    const char *end = strchr(line, '\n');
    size_t len = end ? (size_t)(end - line) : strlen(line);
    if (len > flen + 1 && strncmp(line, function, flen) == 0 && line[flen] == ':' && line[flen + 1] == ' ') {
      const char *found = strstr(line + flen, problem);
      if (found && found + strlen(problem) <= line + len) return 1;
    }
    line = end ? end + 1 : NULL;
  }
  return 0;
}

static int harness_quiet = 0; /* set while checking that the harness itself can fail */

/* Runs fn in a child with stderr captured.  Returns 1 if the child matched
 * the expectation: died by SIGABRT with stderr starting "<function>: " and
 * containing `problem` (abort expected), or exited 0 (no abort expected). */
static int run_child(const char *name, child_fn fn, int expect_abort, const char *function,
                     const char *problem)
{
  int fds[2], status = 0, ok;
  char out[4096];
  size_t len = 0;
  ssize_t n;
  pid_t pid;

  fflush(stdout);
  fflush(stderr);
  if (pipe(fds) != 0) abort();
  pid = fork();
  if (pid < 0) abort();
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], 2);
    close(fds[1]);
    fn();
    _exit(0);
  }
  close(fds[1]);
  while (len < sizeof out - 1 && (n = read(fds[0], out + len, sizeof out - 1 - len)) > 0) len += (size_t)n;
  out[len] = '\0';
  close(fds[0]);
  if (waitpid(pid, &status, 0) != pid) abort();

  if (expect_abort)
    ok = WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT && has_message(out, function, problem);
  else
    ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (harness_quiet) return ok;
  if (!ok) {
    fprintf(stderr, "%s: expected %s", name, expect_abort ? "an abort with" : "a normal exit");
    if (expect_abort) fprintf(stderr, " a stderr line \"%s: ...%s...\"", function, problem);
    if (WIFSIGNALED(status))
      fprintf(stderr, "; got signal %d", WTERMSIG(status));
    else
      fprintf(stderr, "; got exit status %d", WEXITSTATUS(status));
    fprintf(stderr, ", stderr:\n%s\n", out);
  } else {
    printf("%-32s %s", name, !expect_abort ? "exited normally\n" : *out ? out : "aborted\n");
  }
  return ok;
}

#define EXPECT_ABORT(fn, function, problem) CHECK(run_child(#fn, fn, 1, function, problem))
#define EXPECT_EXIT(fn) CHECK(run_child(#fn, fn, 0, "", ""))

/* ---------------------------------------------------------------- the children */

static void alloc_null_pool(void) { msgpool_alloc(NULL, 4, 8, 1, 1); }
static void alloc_nel_zero(void)
{
  MsgPool q;
  msgpool_alloc(&q, 0, 8, 1, 1);
}
static void alloc_elsize_zero(void)
{
  MsgPool q;
  msgpool_alloc(&q, 4, 0, 1, 1);
}
static void alloc_overflow(void)
{
  MsgPool q;
  msgpool_alloc(&q, ((size_t)-1) / 2, 3, 1, 1);
}
static void alloc_too_large_for_address_space(void)
{
  MsgPool q;
  msgpool_alloc(&q, ((size_t)-1) / 16, 8, 1, 1); /* nel * elsize fits, the slots do not */
}
static void alloc_out_of_memory(void)
{
  MsgPool q;
  msgpool_alloc(&q, HUGE_NEL, 8, 1, 1);
}
static void read_null_pool(void)
{
  int v;
  msgpool_read(NULL, &v, NULL);
}
static void write_null_pool(void)
{
  int v = 0;
  msgpool_write(NULL, &v, NULL);
}
static void read_unallocated(void)
{
  MsgPool q = {0, 0, 0, 0, NULL};
  int v;
  msgpool_read(&q, &v, NULL);
}
static void write_after_dealloc(void)
{
  MsgPool q;
  int v = 0;
  msgpool_alloc(&q, 2, sizeof v, 1, 1);
  msgpool_dealloc(&q);
  msgpool_write(&q, &v, NULL);
}
static void read_null_destination(void)
{
  MsgPool q;
  int v = 1;
  msgpool_alloc(&q, 2, sizeof v, 1, 1);
  msgpool_write(&q, &v, NULL);
  msgpool_read(&q, NULL, NULL);
}
static void write_null_message(void)
{
  MsgPool q;
  msgpool_alloc(&q, 2, sizeof(int), 1, 1);
  msgpool_write(&q, NULL, NULL);
}
static void init_null_func(void)
{
  MsgPool q;
  msgpool_alloc(&q, 2, sizeof(int), 1, 1);
  msgpool_init(&q, NULL, NULL);
}
static void noop(char *el, size_t idx, void *args)
{
  (void)el;
  (void)idx;
  (void)args;
}
static void init_unallocated(void)
{
  static MsgPool q; /* static storage: zero-filled, not allocated */
  msgpool_init(&q, noop, NULL);
}
static void close_null(void) { msgpool_close(NULL); }
static void reopen_after_dealloc(void)
{
  MsgPool q;
  msgpool_alloc(&q, 1, 1, 1, 1);
  msgpool_dealloc(&q);
  msgpool_reopen(&q);
}
static void wait_til_empty_null(void) { msgpool_wait_til_empty(NULL); }
static void try_read_null(void)
{
  int v;
  msgpool_try_read(NULL, &v, NULL);
}
static void try_write_unallocated(void)
{
  static MsgPool q;
  int v = 0;
  msgpool_try_write(&q, &v, NULL);
}
static void read_for_null_destination(void)
{
  MsgPool q;
  msgpool_alloc(&q, 2, sizeof(int), 1, 1);
  msgpool_read_for(&q, NULL, NULL, 0);
}
static void write_for_null_pool(void)
{
  int v = 0;
  msgpool_write_for(NULL, &v, NULL, 0);
}
static void wait_til_empty_for_unallocated(void)
{
  static MsgPool q;
  msgpool_wait_til_empty_for(&q, 0);
}
static void is_closed_null(void) { msgpool_is_closed(NULL); }
static void was_size_null(void) { msgpool_was_size(NULL); }

/* Controls: the harness must tell a normal exit from an abort. */
static void valid_use(void)
{
  MsgPool q;
  int v = 3, out = 0;
  msgpool_alloc(&q, 2, sizeof v, 1, 1);
  msgpool_write(&q, &v, NULL);
  if (msgpool_read(&q, &out, NULL) != (int)sizeof v || out != 3) abort();
  msgpool_dealloc(&q);
}
static void plain_abort(void) { abort(); }

/* ---------------------------------------------------------------- the non-aborting paths */

static int is_unallocated(const MsgPool *q)
{
  return q->nel == 0 && q->elsize == 0 && q->nproducers == 0 && q->nconsumers == 0 && q->impl == NULL;
}

static void try_alloc_errors(void)
{
  MsgPool q;
  int v = 5, out = 0;

  CHECK(msgpool_try_alloc(NULL, 4, 8, 1, 1) == EINVAL);

  memset(&q, 0xff, sizeof q); /* garbage in: a failed try_alloc leaves it not allocated */
  CHECK(msgpool_try_alloc(&q, 0, 8, 1, 1) == EINVAL);
  CHECK(is_unallocated(&q));
  msgpool_dealloc(&q);

  CHECK(msgpool_try_alloc(&q, 4, 0, 1, 1) == EINVAL);
  CHECK(is_unallocated(&q));
  CHECK(msgpool_try_alloc(&q, ((size_t)-1) / 2, 3, 1, 1) == EOVERFLOW);
  CHECK(is_unallocated(&q));
  CHECK(msgpool_try_alloc(&q, ((size_t)-1) / 16, 8, 1, 1) == ENOMEM);
  CHECK(is_unallocated(&q));
  CHECK(msgpool_try_alloc(&q, HUGE_NEL, 8, 1, 1) == ENOMEM);
  CHECK(is_unallocated(&q));
  msgpool_dealloc(&q);
  msgpool_dealloc(&q);

  /* Success: 0, and a working pool with the fields set. */
  CHECK(msgpool_try_alloc(&q, 3, sizeof v, 2, 5) == 0);
  CHECK(q.nel == 3 && q.elsize == sizeof v && q.nproducers == 2 && q.nconsumers == 5);
  CHECK(q.impl != NULL);
  msgpool_write(&q, &v, NULL);
  CHECK(msgpool_read(&q, &out, NULL) == (int)sizeof v && out == 5);
  msgpool_dealloc(&q);
  CHECK(is_unallocated(&q));
  msgpool_dealloc(&q); /* twice: safe */
  msgpool_dealloc(NULL);
  {
    static MsgPool zero; /* never allocated */
    msgpool_dealloc(&zero);
    CHECK(is_unallocated(&zero));
  }
}

int main(void)
{
  start_watchdog(120);

  EXPECT_EXIT(valid_use);
  EXPECT_ABORT(plain_abort, "", "");
  /* The harness can fail: wrong outcome, wrong function, wrong problem. */
  harness_quiet = 1;
  CHECK(!run_child("valid_use", valid_use, 1, "", ""));
  CHECK(!run_child("plain_abort", plain_abort, 0, "", ""));
  CHECK(!run_child("read_null_pool", read_null_pool, 1, "msgpool_write", "NULL"));
  CHECK(!run_child("read_null_pool", read_null_pool, 1, "msgpool_read", "not allocated"));
  CHECK(!run_child("read_for_null_destination", read_for_null_destination, 1, "msgpool_read", "p is NULL"));
  harness_quiet = 0;

  EXPECT_ABORT(alloc_null_pool, "msgpool_alloc", "NULL");
  EXPECT_ABORT(alloc_nel_zero, "msgpool_alloc", "nel");
  EXPECT_ABORT(alloc_elsize_zero, "msgpool_alloc", "elsize");
  EXPECT_ABORT(alloc_overflow, "msgpool_alloc", "overflows");
  EXPECT_ABORT(alloc_too_large_for_address_space, "msgpool_alloc", "cannot allocate");
  EXPECT_ABORT(alloc_out_of_memory, "msgpool_alloc", "cannot allocate");
  EXPECT_ABORT(read_null_pool, "msgpool_read", "NULL");
  EXPECT_ABORT(write_null_pool, "msgpool_write", "NULL");
  EXPECT_ABORT(read_unallocated, "msgpool_read", "not allocated");
  EXPECT_ABORT(write_after_dealloc, "msgpool_write", "not allocated");
  EXPECT_ABORT(read_null_destination, "msgpool_read", "p is NULL");
  EXPECT_ABORT(write_null_message, "msgpool_write", "p is NULL");
  EXPECT_ABORT(init_null_func, "msgpool_init", "func is NULL");
  EXPECT_ABORT(init_unallocated, "msgpool_init", "not allocated");
  EXPECT_ABORT(close_null, "msgpool_close", "NULL");
  EXPECT_ABORT(reopen_after_dealloc, "msgpool_reopen", "not allocated");
  EXPECT_ABORT(wait_til_empty_null, "msgpool_wait_til_empty", "NULL");
  EXPECT_ABORT(try_read_null, "msgpool_try_read", "NULL");
  EXPECT_ABORT(try_write_unallocated, "msgpool_try_write", "not allocated");
  EXPECT_ABORT(read_for_null_destination, "msgpool_read_for", "p is NULL");
  EXPECT_ABORT(write_for_null_pool, "msgpool_write_for", "NULL");
  EXPECT_ABORT(wait_til_empty_for_unallocated, "msgpool_wait_til_empty_for", "not allocated");
  EXPECT_ABORT(is_closed_null, "msgpool_is_closed", "NULL");
  EXPECT_ABORT(was_size_null, "msgpool_was_size", "NULL");

  try_alloc_errors();
  return check_report("c_bad_input");
}
