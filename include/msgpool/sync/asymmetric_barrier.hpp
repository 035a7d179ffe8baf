// msgpool/sync/asymmetric_barrier.hpp - a light barrier for the hot side of a
// Dekker pair and a heavy, process-wide one for the rare side.
//
// The pair it serves: a publisher makes a condition true with a plain store
// [AB-P1] and then looks for sleepers with a load [AB-P2]; a waiter registers as a
// sleeper with an RMW [AB-Q1] and then re-checks the condition with a load [AB-Q2].
// Without a full fence between the store and the load on *both* sides, each
// load may be satisfied before the other thread's store is visible (store
// buffering, the one reordering x86-TSO allows), and the waiter sleeps
// through the publish.  A full fence on the publisher's side would cost every
// message a locked instruction; here the publisher pays nothing:
//
//   light_barrier()  between [AB-P1] and [AB-P2]: a compiler barrier only, so the
//                    compiler keeps the store before the load.
//   heavy_barrier()  between [AB-Q1] and [AB-Q2]: membarrier(2) with
//                    MEMBARRIER_CMD_PRIVATE_EXPEDITED, which interrupts every
//                    CPU running a thread of this process and makes each run a
//                    full memory barrier before the call returns (a thread not
//                    running has passed one at its context switch).
//
// Why no wake-up is lost (the publisher P, the waiter Q).  If [AB-P2] did not
// see [AB-Q1], then [AB-P2] was performed before [AB-Q1], which is a locked RMW and
// globally visible before the heavy barrier starts.  The barrier's point in
// P's instruction stream is then after [AB-P2] (had it come before, [AB-P2] would
// have been performed after [AB-Q1] and seen it), hence after [AB-P1], whose store
// the barrier drained from P's store buffer: [AB-Q2], after the barrier returns,
// sees [AB-P1] or something later.  In C++ terms the heavy barrier acts as a
// seq_cst fence executed by every thread of the process at one instant, and
// the light barrier marks where that fence may fall; this is folly's
// asymmetric barrier argument, which the C++ memory model cannot state, so it
// is argued in hardware terms and checked by the deterministic scheduler's
// store-buffer model (tests/dsched).
//
// Fallback.  Where membarrier is missing (not Linux, a kernel without
// PRIVATE_EXPEDITED, or registration refused, as under some sandboxes), both
// barriers are std::atomic_thread_fence(seq_cst): the classic fence-fence
// Dekker pair, correct in the C++ model ([atomics.fences]).  The choice is
// made once per process: registration runs at start-up (the inline variable
// below) and at the latest at the first heavy barrier; a light barrier that
// runs before registration finished sees `light_is_compiler_only` false and
// fences, which is only slower.  The light side reads that flag relaxed: the
// flag turns true once and never back, and a stale false only adds a fence.
#pragma once

#include <atomic>

#if defined(__linux__)
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace msgpool::sync::detail {

/// True once membarrier(PRIVATE_EXPEDITED) is registered for this process:
/// the light barrier may then be a compiler barrier alone.
inline std::atomic<bool> light_is_compiler_only{false};

/// Registers this process for expedited private membarriers, once; true when
/// the heavy barrier can use them.
inline bool membarrier_registered() noexcept {
#if defined(__linux__) && defined(SYS_membarrier)
    static const bool registered = [] {
        const long cmds = ::syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
        if (cmds < 0 || (cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0) return false;
        if (::syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) != 0) return false;
        // relaxed: read by light_barrier() only to skip a fence; heavy_barrier()
        // reads `registered` itself (thread-safe static initialisation).
        light_is_compiler_only.store(true, std::memory_order_relaxed);
        return true;
    }();
    return registered;
#else
    return false;
#endif
}

/// Registration at start-up, so that light barriers are compiler-only from the
/// first message on in any program that includes this header.
inline const bool membarrier_registered_at_startup = membarrier_registered();

/// The hot side: between a publishing store and the load of the waiters flag.
inline void light_barrier() noexcept {
    if (light_is_compiler_only.load(std::memory_order_relaxed))  // relaxed: see the preamble (a stale false only fences)
        std::atomic_signal_fence(std::memory_order_seq_cst);
    else
        std::atomic_thread_fence(std::memory_order_seq_cst);  // fallback: the fence-fence Dekker pair
}

/// The rare side: between registering as a waiter and re-checking.
inline void heavy_barrier() noexcept {
#if defined(__linux__) && defined(SYS_membarrier)
    if (membarrier_registered() && ::syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0) return;
#endif
    // Fallback: the light side fences too.  (Once registration succeeded the
    // call cannot fail: membarrier(2)'s errors are EINVAL, ENOSYS and EPERM
    // for an unregistered process, none of which can happen then.)
    std::atomic_thread_fence(std::memory_order_seq_cst);
}

}  // namespace msgpool::sync::detail
