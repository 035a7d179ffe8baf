// msgpool/shared_pools.hpp - named compositions of pools shared between
// processes (msgpool/basic_shared_pool.hpp has the whole story).
//
//   shared_pool<T>       cas_scan + futex + inline_slots, membarrier barrier
//                        the default across processes: a preempted or stopped
//                        process blocks nobody, slot handles, blocking waits
//   shared_ring_pool<T>  fetch_add_ring + futex + aligned_slots, membarrier barrier
//                        exact try_, no slot handles; two CASes per operation
//                        (the slot word, which records the owner, then the
//                        counter)
//
// Both use sync::shared_membarrier: a publisher pays no fence, and every
// process that attaches registers for membarrier(GLOBAL_EXPEDITED); where a
// process cannot (a seccomp filter, an old kernel), use the same composition
// with sync::shared_fenced, which needs nothing from the kernel.
#pragma once

#include <msgpool/detail/require_cpp20.hpp>

#include <msgpool/basic_shared_pool.hpp>
#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/storage/aligned_slots.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/sync/process_shared.hpp>
#include <msgpool/wait/futex.hpp>

namespace msgpool {

/// When to use: messages between processes, by default.  Blocking readers
/// and writers sleep on a process-shared futex and use no CPU; a process that
/// is preempted or stopped while it holds a slot blocks nobody else (the
/// others scan past that slot).
template <class T>
using shared_pool =
    basic_shared_pool<T, claim::cas_scan, wait::futex, storage::inline_slots, sync::shared_membarrier>;

/// When to use: between processes that each run on a core of their own, for
/// an exact try_.  Each claim is two CASes here (the slot word, which records
/// the claiming process for crash recovery, then the position counter), where
/// the in-process ring_pool needs one; a process stopped while it holds a
/// position stalls the ring behind it.
template <class T>
using shared_ring_pool =
    basic_shared_pool<T, claim::fetch_add_ring, wait::futex, storage::aligned_slots, sync::shared_membarrier>;

}  // namespace msgpool
