/* tests/c/check.h - what the C API tests share: a CHECK macro that counts
 * failures (main thread only: worker threads record what they saw in their own
 * structs and main checks after pthread_join), a monotonic clock, sleeps, a
 * watchdog that turns a hang into a failure, and MSGPOOL_STRESS scaling.
 *
 * Plain C99 plus POSIX (hence _POSIX_C_SOURCE, defined before any include). */
#ifndef MSGPOOL_TESTS_C_CHECK_H
#define MSGPOOL_TESTS_C_CHECK_H

#define _POSIX_C_SOURCE 200809L

#include <msgpool.h>

#include <signal.h>
#include <stdint.h>
#include <time.h>

static int check_failures = 0;

#define CHECK(cond)                                                                  \
  do {                                                                               \
    if (!(cond)) {                                                                   \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);       \
      ++check_failures;                                                              \
    }                                                                                \
  } while (0)

/* Aborts the test (and so fails it) when a pthread call fails. */
#define PCHECK(call)                                                                 \
  do {                                                                               \
    int pcheck_rc_ = (call);                                                         \
    if (pcheck_rc_ != 0) {                                                           \
      fprintf(stderr, "%s:%d: %s failed: %s\n", __FILE__, __LINE__, #call,           \
              strerror(pcheck_rc_));                                                 \
      abort();                                                                       \
    }                                                                                \
  } while (0)

static inline uint64_t now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline void sleep_ms(unsigned ms)
{
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (long)(ms % 1000) * 1000000L;
  while (nanosleep(&ts, &ts) != 0) {}
}

#define MS_NS 1000000ull

/* A hang fails the test (SIGALRM kills it) instead of blocking CTest. */
static inline void start_watchdog(unsigned seconds) { alarm(seconds); }

/* MSGPOOL_STRESS=n multiplies message counts (default 1: small and quick). */
static inline size_t stress_scale(void)
{
  const char *s = getenv("MSGPOOL_STRESS");
  long v = s ? strtol(s, NULL, 10) : 1;
  return v > 0 ? (size_t)v : 1;
}

static inline int check_report(const char *test)
{
  if (check_failures) {
    fprintf(stderr, "%s: %d check(s) failed\n", test, check_failures);
    return 1;
  }
  printf("%s: all checks passed\n", test);
  return 0;
}

#endif
