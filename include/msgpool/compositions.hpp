// msgpool/compositions.hpp - named compositions: the ones people reach for.
//
// Every alias is one basic_pool<T, Claim, Wait, Storage>; the choice behind
// each is measured in docs/benchmarks.md.  Any other combination is one
// template argument away.
//
//   line_pool<T>     cas_scan + futex   + line_grouped_slots  the fastest blocking pool measured here
//   pool<T>          cas_scan + condvar + inline_slots   the original msg-pool's mix (in <msgpool/pool.hpp>)
//   futex_pool<T>    cas_scan + futex   + inline_slots   blocking, no CPU while waiting, cheap Linux wake-ups
//   ring_pool<T>     fetch_add_ring + futex + inline_slots   blocking ticket ring: no scan, threads <= cores
//   spin_pool<T>     fetch_add_ring + spin  + aligned_slots  threads pinned to dedicated cores; never sleeps
#pragma once

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

/// When to use: first.  The highest throughput of the blocking compositions
/// (docs/benchmarks.md): a CAS scan over cache lines that each hold one state
/// word and seven messages, so a message costs one line moved from writer to
/// reader and no shared counter; waiting threads spin briefly, then sleep on a
/// futex and use no CPU.  A failing try_ is per slot, not linearisable
/// (claim/cas_scan.hpp).
template <class T>
using line_pool = basic_pool<T, claim::cas_scan, wait::futex, storage::line_grouped_slots>;

/// When to use: the default choice on Linux when waiting threads must not burn
/// CPU.  The original's CAS scan (robust when threads outnumber cores: a
/// preempted thread blocks nobody) with futex waits that spin briefly,
/// unregistered, before sleeping.
template <class T>
using futex_pool = basic_pool<T, claim::cas_scan, wait::futex, storage::inline_slots>;

/// When to use: threads no more than cores, blocking wanted: a ticket ring
/// finds its slot without scanning however full or empty the pool is, but a
/// thread preempted while holding a ticket stalls the next user of its slot.
template <class T>
using ring_pool = basic_pool<T, claim::fetch_add_ring, wait::futex, storage::inline_slots>;

/// When to use: every thread has a core of its own and latency matters more
/// than CPU: waiting threads never sleep (pause, then yield), and each slot
/// has its own cache line so neighbouring tickets never share one.
template <class T>
using spin_pool = basic_pool<T, claim::fetch_add_ring, wait::spin, storage::aligned_slots>;

}  // namespace msgpool
