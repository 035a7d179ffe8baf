/* Compile-only check: <msgpool.h> on its own is valid C99 (-std=c99 -pedantic
 * -Werror, no feature-test macros), and, like the original header, it brings
 * <stdlib.h>, <stdio.h>, <string.h>, <pthread.h> and <unistd.h> (and, added,
 * <errno.h>) with it: nothing else is included here. */
#include <msgpool.h>

static void *thread_main(void *arg) { return arg; }

int msgpool_header_c99_check(void);
int msgpool_header_c99_check(void)
{
  MsgPool q;
  pthread_t t;
  char *buf = (char *)malloc(16);           /* <stdlib.h> */
  size_t fields;
  if (!buf) return 1;
  memcpy(buf, "msgpool", 8);               /* <string.h> */
  printf("%s %ld\n", buf, (long)getpid()); /* <stdio.h>, <unistd.h> */
  free(buf);
  if (pthread_create(&t, NULL, thread_main, NULL) != 0) return 1; /* <pthread.h> */
  pthread_join(t, NULL);
  if (msgpool_try_alloc(&q, 4, 8, 1, 1) == EINVAL) return 1;      /* <errno.h> */
  fields = q.nel + q.elsize + q.nproducers + q.nconsumers;
  msgpool_dealloc(&q);
  return fields == 0;
}
