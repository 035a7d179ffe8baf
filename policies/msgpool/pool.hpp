// msgpool/pool.hpp - the frame plus the original library's composition.
//
//   msgpool::pool<T> = basic_pool<T, claim::cas_scan, wait::condvar, storage::inline_slots>
//
// the lock-free CAS scan of msg-pool (2014) with mutex + condition-variable
// waits only when the pool is full or empty, rebuilt without its shared hint
// cache lines, without lost wake-ups, and without a system call or a mutex on
// the fast path.  Include the policy headers you want and name
// msgpool::basic_pool for any other composition (see <msgpool/compositions.hpp>
// for named aliases).
#pragma once

#include <msgpool/detail/require_cpp20.hpp>

#include <msgpool/basic_pool.hpp>
#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/wait/condvar.hpp>

namespace msgpool {

/// The default composition: the original msg-pool's mix.
template <class T>
using pool = basic_pool<T, claim::cas_scan, wait::condvar, storage::inline_slots>;

}  // namespace msgpool
