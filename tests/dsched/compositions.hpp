// tests/dsched/compositions.hpp - the compositions the deterministic suite runs,
// all on the dsched::sync family.  One test executable per claim policy
// (dsched_<claim>.cpp) runs every scenario over `over_waits<Claim>`: every wait
// policy whose header is present.  Adding a wait policy is one line here;
// adding a claim policy is one small .cpp file and one line in
// tests/CMakeLists.txt.
#pragma once

#include <tuple>

#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/wait/condvar.hpp>
#if __has_include(<msgpool/wait/futex.hpp>)
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

#include "dsched/sync_family.hpp"
#include "support/compositions.hpp"

namespace msgpool_test::dsched {

template <class Claim, class Storage = msgpool::storage::inline_slots>
using over_waits = std::tuple<composition<Claim, msgpool::wait::condvar, Storage, sync>  //
                              MSGPOOL_DSCHED_SPIN(Claim, Storage)                          //
                              MSGPOOL_DSCHED_FUTEX(Claim, Storage)>;

}  // namespace msgpool_test::dsched
