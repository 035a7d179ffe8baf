/* thread_pause.h - the later test program's own helper: let the other
 * threads run for a while (here: so that the consumers are already waiting
 * on the empty pool when the producers start). */
#ifndef THREAD_PAUSE_H
#define THREAD_PAUSE_H

#include <time.h>

static inline void thread_pause_ms(long ms)
{
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0) {}
}

#endif
