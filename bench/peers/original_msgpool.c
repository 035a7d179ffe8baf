/* bench/peers/original_msgpool.c - the original msg-pool behind the C shim
 * (original_msgpool.h).  MSGPOOL_BENCH_ORIGINAL_HEADER is the absolute path
 * of the original's msgpool.h (set by bench/CMakeLists.txt).  The original's
 * allocation call is msgpool_alloc in the version its README documents;
 * older versions call it msgpool_alloc_mutex with the same arguments: set
 * MSGPOOL_BENCH_ORIGINAL_ALLOC to that name for them. */
#include "original_msgpool.h"

#include <stdlib.h>

#include MSGPOOL_BENCH_ORIGINAL_HEADER

#ifndef MSGPOOL_BENCH_ORIGINAL_ALLOC
#define MSGPOOL_BENCH_ORIGINAL_ALLOC msgpool_alloc
#endif

struct bench_original_pool {
    MsgPool pool;
};

bench_original_pool* bench_original_new(size_t nel, size_t elsize, size_t nproducers, size_t nconsumers) {
    bench_original_pool* q = malloc(sizeof *q);
    if (q) MSGPOOL_BENCH_ORIGINAL_ALLOC(&q->pool, nel, elsize, nproducers, nconsumers);
    return q;
}

void bench_original_delete(bench_original_pool* q) {
    msgpool_dealloc(&q->pool);
    free(q);
}

void bench_original_write(bench_original_pool* q, const void* p) { msgpool_write(&q->pool, (void*)p, NULL); }

void bench_original_read(bench_original_pool* q, void* p) { msgpool_read(&q->pool, p, NULL); }

size_t bench_original_object_bytes(void) { return sizeof(MsgPool); }

/* One state byte before each element (calloc(nel, elsize + 1)). */
size_t bench_original_heap_bytes(size_t nel, size_t elsize) { return nel * (elsize + 1); }
