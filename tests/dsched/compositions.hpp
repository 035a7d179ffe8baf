// tests/dsched/compositions.hpp - the compositions the deterministic suite runs,
// all on the dsched::sync family.  One test executable per claim policy
// (dsched_<claim>.cpp) runs every scenario over `over_waits<Claim>`: every wait
// policy whose header is present, with inline_slots, plus condvar with
// aligned_slots (storage changes only the layout, so one wait suffices).  Adding a wait policy is one line here;
// adding a claim policy is one small .cpp file and one line in
// tests/CMakeLists.txt.
#pragma once

#include <tuple>

#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/wait/condvar.hpp>
#if __has_include(<msgpool/wait/futex.hpp>) && !defined(MSGPOOL_DSCHED_NO_FUTEX)
#include <msgpool/wait/futex.hpp>
#define MSGPOOL_DSCHED_FUTEX(Claim, Storage) , composition<Claim, msgpool::wait::futex, Storage, sync>
#else
#define MSGPOOL_DSCHED_FUTEX(Claim, Storage)
#endif
#if __has_include(<msgpool/wait/spin.hpp>)
#include <msgpool/wait/spin.hpp>
#define MSGPOOL_DSCHED_SPIN(Claim, Storage) , composition<Claim, msgpool::wait::spin, Storage, sync>
#else
#define MSGPOOL_DSCHED_SPIN(Claim, Storage)
#endif

#if __has_include(<msgpool/storage/aligned_slots.hpp>)
#include <msgpool/storage/aligned_slots.hpp>
#define MSGPOOL_DSCHED_ALIGNED(Claim) , composition<Claim, msgpool::wait::condvar, msgpool::storage::aligned_slots, sync>
#else
#define MSGPOOL_DSCHED_ALIGNED(Claim)
#endif

#include "dsched/sync_family.hpp"
#include "support/compositions.hpp"

namespace msgpool_test::dsched {

template <class Claim, class Storage = msgpool::storage::inline_slots>
using over_waits = std::tuple<composition<Claim, msgpool::wait::condvar, Storage, sync>  //
                              MSGPOOL_DSCHED_SPIN(Claim, Storage)                          //
                              MSGPOOL_DSCHED_FUTEX(Claim, Storage)                         //
                              MSGPOOL_DSCHED_ALIGNED(Claim)>;

}  // namespace msgpool_test::dsched
