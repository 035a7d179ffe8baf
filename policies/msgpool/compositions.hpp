// msgpool/compositions.hpp - named compositions: the ones people reach for.
//
// Every alias is one basic_pool<T, Claim, Wait, Storage>; msgpool-bench
// --recommend measures the compositions on the user's own machine.  Any other
// combination is one template argument away.
//
//   ring_pool<T>     fetch_add_ring + futex + inline_slots   first choice on Linux for throughput: blocking, no
//                                                           scan, one CAS per operation, exact try_; no slot handles
//   line_pool<T>     cas_scan + futex   + line_grouped_slots  first choice on Linux for memory and slot handles:
//                                                           blocking, the densest (9.1 B per 8-byte message)
//   futex_pool<T>    cas_scan + futex   + inline_slots   blocking, one slot per control word
//   pool<T>          cas_scan + condvar + inline_slots   the original msg-pool's mix (in <msgpool/pool.hpp>)
//   spin_pool<T>     fetch_add_ring + spin  + aligned_slots  threads pinned to dedicated cores; never sleeps
#pragma once

#include <msgpool/detail/require_cpp20.hpp>

#include <msgpool/basic_pool.hpp>
#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/pool.hpp>
#include <msgpool/storage/aligned_slots.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/storage/line_grouped_slots.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/spin.hpp>

namespace msgpool {

/// When to use: when memory per message matters.  A CAS scan over cache
/// lines that each hold eight state bytes and seven messages: 9.1 bytes per
/// 8-byte message (futex_pool: 16), and a message moves one line from writer
/// to reader.  Threads working in one line pass it back and forth, though
/// each claims with a CAS on its own slot's state byte.  Waiting threads spin
/// briefly, then sleep on a futex and use no CPU.
template <class T>
using line_pool = basic_pool<T, claim::cas_scan, wait::futex, storage::line_grouped_slots>;

/// When to use: on Linux, when waiting threads should use no CPU and slot
/// handles or a scan that passes a descheduled peer's slot matter.  The
/// original's CAS scan, with no shared counter (robust when threads outnumber
/// cores: a preempted thread blocks nobody) and, with membarrier(2) available,
/// one locked instruction per operation while nobody waits; futex waits that
/// spin briefly, unregistered, before sleeping; a wake-up costs a system call
/// only when a thread is asleep.  A failing try_ is per slot, not linearisable
/// (claim/cas_scan.hpp).
template <class T>
using futex_pool = basic_pool<T, claim::cas_scan, wait::futex, storage::inline_slots>;

/// When to use: first, on Linux, for throughput: blocking, exact try_.  A
/// ring finds its slot without scanning however full
/// or empty the pool is (one CAS on a position counter per operation); a
/// thread descheduled between its claim and its publish (a few instructions)
/// stalls the next user of its slot.  No slot handles (claim/fetch_add_ring.hpp).
template <class T>
using ring_pool = basic_pool<T, claim::fetch_add_ring, wait::futex, storage::inline_slots>;

/// When to use: every thread has a core of its own and latency matters more
/// than CPU: waiting threads never sleep (pause, then yield), and each slot
/// has its own cache line so neighbouring ring positions never share one.
template <class T>
using spin_pool = basic_pool<T, claim::fetch_add_ring, wait::spin, storage::aligned_slots>;

}  // namespace msgpool
