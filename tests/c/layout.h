/* tests/c/layout.h - what the MsgPool layout tests share: LAYOUT_CHECK, a
 * compile-time check in C99; and canary bytes after a MsgPool: one placed at
 * the start of a larger buffer (guarded) whose bytes past sizeof(MsgPool) are
 * set to CANARY, and AFTER(call), which runs call and counts a failure,
 * naming the call, if it wrote any of them.  Include after check.h. */
#ifndef MSGPOOL_TESTS_C_LAYOUT_H
#define MSGPOOL_TESTS_C_LAYOUT_H

#include <stddef.h> /* offsetof, for LAYOUT_CHECK's conditions */

/* C99 has no _Static_assert: a negative array size fails the build. */
#define LAYOUT_CHECK(name, cond) typedef char layout_check_##name[(cond) ? 1 : -1]

#define CANARY_BYTES 64
#define CANARY 0xA5

typedef union guarded
{
  MsgPool q;
  unsigned char bytes[sizeof(MsgPool) + CANARY_BYTES];
  void *align_pointer;
  long double align_float;
} guarded;

/* The canaries AFTER checks; NULL: none (a MsgPool of its exact size). */
static unsigned char *canaries = NULL;

/* Zero-fills g's MsgPool (not allocated), sets its canaries and checks them
 * from now on. */
static void guard(guarded *g)
{
  memset(g->bytes, 0, sizeof g->q);
  canaries = g->bytes + sizeof g->q;
  memset(canaries, CANARY, CANARY_BYTES);
}

static int canaries_intact(void)
{
  size_t i;
  if (canaries == NULL) return 1;
  for (i = 0; i < CANARY_BYTES; ++i)
    if (canaries[i] != CANARY) return 0;
  return 1;
}

/* After call: nothing past sizeof(MsgPool) was written (if it was, the
 * canaries are set again, so that each call that writes is named). */
#define AFTER(call)                                                                  \
  do {                                                                               \
    call;                                                                            \
    if (!canaries_intact()) {                                                        \
      fprintf(stderr, "%s:%d: %s wrote past sizeof(MsgPool)\n", __FILE__, __LINE__,  \
              #call);                                                                \
      ++check_failures;                                                              \
      memset(canaries, CANARY, CANARY_BYTES);                                        \
    }                                                                                \
  } while (0)

#endif
