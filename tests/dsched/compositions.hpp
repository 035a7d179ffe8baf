// tests/dsched/compositions.hpp - the compositions the deterministic suite
// runs, generated from the catalog (<msgpool/catalog.hpp>), on the
// scheduler's sync family.
//
// `over_waits<Claim>` is what one claim policy's executable runs
// (dsched_<claim>.cpp): Claim with every wait policy of the catalog on its
// first storage (dsched::sync: the light barrier a compiler barrier, the
// heavy one a membarrier); wait::futex and wait::futex_counted once more on
// dsched::sync_fenced (the fallback mode, a seq_cst fence on both sides: the
// futex's sleepers bit and sleeper count rest on that pair); the futex
// blocker once more behind an unusual attempt schedule (unusual_schedule: two
// pause steps, one yield step, so every kind of concepts/attempt.hpp comes
// within a few steps of each other); the futex_counted blocker once more with
// no spin phase (counted_sleeps_at_once); and every other storage the claim
// can drive, with the
// first wait policy (storage changes only the layout) or, when the storage
// puts several slots under one control word (the case cas_scan's lane masks
// exist for), with every wait policy.  `over_claims<Wait>` is the
// other direction, for a wait policy written outside msgpool: that wait
// under every claim of the catalog that can drive Storage, and under the
// first claim once more on the fallback mode.
//
// A policy added to the catalog is covered here with no edit; a new claim
// policy needs its own small dsched_<claim>.cpp (and litmus_<claim>.cpp) and
// one line in tests/CMakeLists.txt.
#pragma once

#include <tuple>
#include <type_traits>

#include <msgpool/catalog.hpp>
#include <msgpool/wait/detail/sleeping_wait.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/futex_counted.hpp>

#include "checked.hpp"
#include "sync_family.hpp"
#include "../support/compositions.hpp"

namespace msgpool_test::dsched {

namespace catalog = msgpool::catalog;

#if MSGPOOL_CATALOG_HAS_INDEX_QUEUE
// claim::index_queue hands slot indices over through Boost.Lockfree queues
// built on std::atomic, not on the sync family: those operations are not
// scheduling points (the scheduler explores the interleavings of the
// admission counters and the frame's channels around them), and the
// happens-before edges they carry are invisible to the element check, which
// is therefore off for it.
template <>
inline constexpr bool element_hb_visible<msgpool::claim::index_queue> = false;
#endif

namespace compositions_detail {

template <class List>
struct first;
template <class Head, class... Tail>
struct first<catalog::type_list<Head, Tail...>> {
    using type = typename Head::type;
};

template <class Sync>
struct on {
    template <class Claim, class Wait, class Storage>
    using make = composition<Claim, Wait, Storage, Sync>;
};

template <class Claim, class Storage, class Sync, class... Waits>
auto each_wait(catalog::type_list<Waits...>) -> std::tuple<composition<Claim, typename Waits::type, Storage, Sync>...>;

/// Storages other than `Storage0`: with the first wait, or with every wait
/// when several slots share a control word.
template <class Storage0>
struct other_storage {
    template <class Claim, class Wait, class Storage>
    struct keep : std::bool_constant<!std::is_same_v<Storage, Storage0> &&
                                     (std::is_same_v<Wait, typename first<catalog::waits>::type> ||
                                      !catalog::one_slot_per_control<Claim, Storage>)> {};
};

template <class Claim>
using alone = catalog::type_list<catalog::named<Claim, "claim under test">>;
template <class Wait>
using wait_alone = catalog::type_list<catalog::named<Wait, "wait under test">>;

}  // namespace compositions_detail

using default_storage = compositions_detail::first<catalog::storages>::type;

/// A sleeping wait whose schedule is not the default one (backoff's seven
/// pause steps and 32 yield steps): attempt::near, attempt::last_near and
/// attempt::full, then a sleep, one spin step apart.
struct unusual_schedule : msgpool::detail::sleeping_wait<msgpool::wait::futex_blocker, 2, 1> {};

/// wait::futex_counted's blocker with no spin phase: every wait that fails
/// its re-check sleeps at once, so several threads sleep on one channel (and
/// the sleeper count is exercised) within the few steps of a scenario, where
/// behind the real spin phase they rarely fall asleep at all.
struct counted_sleeps_at_once : msgpool::detail::sleeping_wait<msgpool::wait::futex_counted_blocker, 0, 0> {};

template <class Claim, class Storage = default_storage>
using over_waits = decltype(std::tuple_cat(
    decltype(compositions_detail::each_wait<Claim, Storage, sync>(catalog::waits{})){},
    std::tuple<composition<Claim, msgpool::wait::futex, Storage, sync_fenced>,
               composition<Claim, msgpool::wait::futex_counted, Storage, sync_fenced>,
               composition<Claim, unusual_schedule, Storage, sync>,
               composition<Claim, counted_sleeps_at_once, Storage, sync>>{},
    catalog::compositions<compositions_detail::on<sync>::make,
                          compositions_detail::other_storage<Storage>::template keep,
                          compositions_detail::alone<Claim>>{}));

template <class Wait, class Storage = default_storage>
using over_claims = decltype(std::tuple_cat(
    catalog::compositions<compositions_detail::on<sync>::make, catalog::any, catalog::claims,
                          compositions_detail::wait_alone<Wait>, catalog::type_list<catalog::named<Storage, "">>>{},
    std::tuple<composition<compositions_detail::first<catalog::claims>::type, Wait, Storage, sync_fenced>>{}));

}  // namespace msgpool_test::dsched
