// Crash recovery under the deterministic scheduler: a process killed (or
// stopped) at a chosen step of a shared pool's operations while other
// processes go on, and the recovery a survivor runs (crash_scenarios.hpp;
// the model in crash_model.hpp; docs/testing.md, "Crash recovery").
//
// Both claims that record owners, with the crash-recovering families of
// crash_model.hpp on both barrier pairs.  claim::cas_scan with wait::futex
// and wait::futex_counted, their blockers with no spin phase (waiters fall
// asleep within a few steps, so more of them are killed asleep, registered
// or counted), wait::spin (never registers), and line-grouped storage
// (recovery's CASes on lanes beside live ones).  claim::fetch_add_ring (a
// dead writer's position a hole the readers pass, a dead reader's message
// returned, counters that any claim moves past a dead claimer's position)
// with wait::futex, its blocker with no spin phase, and wait::spin.
#define BOOST_TEST_MODULE dsched_crash
#include <boost/test/unit_test.hpp>

#include <tuple>

#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/storage/line_grouped_slots.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/futex_counted.hpp>
#include <msgpool/wait/spin.hpp>

#include "dsched/crash_scenarios.hpp"
#include "dsched/driver.hpp"
#include "dsched/futex_sleeps_at_once.hpp"
#include "support/compositions.hpp"

namespace {

using namespace msgpool_test::dsched;
using msgpool::claim::cas_scan;
using msgpool::claim::fetch_add_ring;
using msgpool::storage::inline_slots;
using msgpool::storage::line_grouped_slots;
using msgpool::wait::futex;
using msgpool::wait::spin;
using msgpool_test::composition;

using compositions_under_test = std::tuple<composition<cas_scan, futex, inline_slots, crash_membarrier>,
                                           composition<cas_scan, futex_sleeps_at_once, inline_slots, crash_fenced>,
                                           composition<cas_scan, msgpool::wait::futex_counted, inline_slots, crash_membarrier>,
                                           composition<cas_scan, futex_counted_sleeps_at_once, inline_slots, crash_fenced>,
                                           composition<cas_scan, spin, inline_slots, crash_fenced>,
                                           composition<cas_scan, futex, line_grouped_slots, crash_membarrier>,
                                           composition<fetch_add_ring, futex, inline_slots, crash_membarrier>,
                                           composition<fetch_add_ring, futex_sleeps_at_once, inline_slots, crash_fenced>,
                                           composition<fetch_add_ring, spin, inline_slots, crash_fenced>>;

template <template <class> class Scenario, class C>
void expect_passes() {
    using sc = Scenario<C>;
    sc::runs = sc::hit = 0;
    const auto sw = run_sweep(sc::lim, sc{});
    BOOST_TEST_MESSAGE(sw.report(sc::name) << "; the process was ended at its step k in " << sc::hit << " of "
                                           << sc::runs << " runs (k = 1.." << sc::kill_span << ")");
    BOOST_TEST(sw.ok(), sw.report(sc::name));
}

}  // namespace

BOOST_AUTO_TEST_CASE_TEMPLATE(crash_writer_killed, C, compositions_under_test) { expect_passes<writer_killed, C>(); }
BOOST_AUTO_TEST_CASE_TEMPLATE(crash_reader_killed, C, compositions_under_test) { expect_passes<reader_killed, C>(); }
BOOST_AUTO_TEST_CASE_TEMPLATE(crash_waiter_killed, C, compositions_under_test) { expect_passes<waiter_killed, C>(); }
BOOST_AUTO_TEST_CASE_TEMPLATE(crash_recoverer_killed, C, compositions_under_test) {
    expect_passes<recoverer_killed, C>();
}
BOOST_AUTO_TEST_CASE_TEMPLATE(crash_stopped_not_dead, C, compositions_under_test) {
    expect_passes<stopped_not_dead, C>();
}
