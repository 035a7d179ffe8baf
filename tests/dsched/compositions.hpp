// tests/dsched/compositions.hpp - the compositions the deterministic suite runs.
// One test executable per claim policy (dsched_<claim>.cpp) runs every
// scenario over `over_waits<Claim>`: every wait policy with inline_slots on
// dsched::sync (the light barrier a compiler barrier, the heavy one a
// membarrier), wait::futex once more on dsched::sync_fenced (the fallback:
// a seq_cst fence on both sides), plus condvar with aligned_slots (storage
// changes only the layout, so one wait suffices).  Adding a wait policy is one line here;
// adding a claim policy is one small .cpp file and one line in
// tests/CMakeLists.txt.  `over_claims<Wait>` is the other direction, for a
// wait policy written outside msgpool: that wait under cas_scan (on both
// barrier modes) and fetch_add_ring.
#pragma once

#include <tuple>

#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/storage/aligned_slots.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/wait/condvar.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/spin.hpp>

#include "sync_family.hpp"
#include "../support/compositions.hpp"

namespace msgpool_test::dsched {

template <class Claim, class Storage = msgpool::storage::inline_slots>
using over_waits = std::tuple<composition<Claim, msgpool::wait::condvar, Storage, sync>,
                              composition<Claim, msgpool::wait::spin, Storage, sync>,
                              composition<Claim, msgpool::wait::futex, Storage, sync>,
                              composition<Claim, msgpool::wait::futex, Storage, sync_fenced>,
                              composition<Claim, msgpool::wait::condvar, msgpool::storage::aligned_slots, sync>>;

template <class Wait, class Storage = msgpool::storage::inline_slots>
using over_claims = std::tuple<composition<msgpool::claim::cas_scan, Wait, Storage, sync>,
                               composition<msgpool::claim::cas_scan, Wait, Storage, sync_fenced>,
                               composition<msgpool::claim::fetch_add_ring, Wait, Storage, sync>>;

}  // namespace msgpool_test::dsched
