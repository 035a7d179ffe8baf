/* bench/peers/original_msgpool.h - a C shim over the original msg-pool
 * (https://github.com/noporpoise/msg-pool, public domain, header-only C).
 *
 * The original is not part of this repository.  It is measured when CMake is
 * given its header: -DMSGPOOL_BENCH_ORIGINAL_MSGPOOL_H=/path/to/msg-pool/msgpool.h
 * (bench/CMakeLists.txt).  Its header is C (restrict, designated
 * initialisers, static inline functions) and its file name is the same as
 * this project's C API header, so it is compiled in one C file
 * (original_msgpool.c) that includes it by absolute path and exports the four
 * calls below; the C++ adapter (original_msgpool.hpp) uses only these. */
#ifndef MSGPOOL_BENCH_ORIGINAL_MSGPOOL_H_SHIM
#define MSGPOOL_BENCH_ORIGINAL_MSGPOOL_H_SHIM

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bench_original_pool bench_original_pool;

/* msgpool_alloc(nel, elsize, nproducers, nconsumers), the README's API. */
bench_original_pool* bench_original_new(size_t nel, size_t elsize, size_t nproducers, size_t nconsumers);
void bench_original_delete(bench_original_pool* q);
/* msgpool_write(q, p, NULL): blocks while the pool is full. */
void bench_original_write(bench_original_pool* q, const void* p);
/* msgpool_read(q, p, NULL): blocks while the pool is empty and open. */
void bench_original_read(bench_original_pool* q, void* p);
/* sizeof(MsgPool), and the bytes msgpool_alloc takes from the heap for nel elements. */
size_t bench_original_object_bytes(void);
size_t bench_original_heap_bytes(size_t nel, size_t elsize);

#ifdef __cplusplus
}
#endif

#endif
