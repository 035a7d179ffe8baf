// Pools shared between processes under the deterministic scheduler: the
// Dekker pair of the wait path (wait/detail/event_count.hpp) with its two
// sides in different processes, on the two barrier pairs of
// sync/process_shared.hpp.
//
// The scheduler gives every thread a process (scheduler.hpp); the scenarios
// below put their producers in process 1 and their consumers in process 2
// (scenarios.hpp: across_processes), so every wake-up crosses the process
// boundary in both directions: a reader sleeps on an empty pool until a
// writer of the other process publishes, and at capacity 1 a writer sleeps
// on a full pool until a reader of the other process frees the slot.  Each
// runs over claim::cas_scan and claim::fetch_add_ring with wait::futex (and
// wait::futex_counted's blocker with no spin phase), on
//   shared_fenced      both sides a seq_cst fence (each drains its own store
//                      buffer): the fence-fence pair, and
//   shared_membarrier  a compiler barrier for the publisher and
//                      membarrier(GLOBAL_EXPEDITED) for the waiter (drains
//                      every thread's buffer in every process),
// and must pass every seed.  The same scenarios on the in-process pair
// (membarrier PRIVATE_EXPEDITED, which drains the waiter's own process only)
// must lose a wake-up: dsched_broken_variants proves that they do
// (broken_barrier.hpp, shared_private_membarrier).
//
// Also here: store buffering with its two threads in two processes, the
// pair's litmus test (forbidden on both shared pairs, observable on the
// in-process one), and the reason the families here have no `longest_sleep`
// (sync_family.hpp): a lost wake-up must be a deadlock, not the 100 ms delay
// the real families turn it into, which no run can tell from a slow notifier
// (bounded_sleeps_hide_a_lost_wake_up shows the broken pair passing with it).
#define BOOST_TEST_MODULE dsched_processes
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>
#include <tuple>

#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/wait/detail/event_count.hpp>
#include <msgpool/wait/detail/spin_then_sleep.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/futex_counted.hpp>

#include "dsched/driver.hpp"
#include "dsched/futex_sleeps_at_once.hpp"
#include "dsched/litmus.hpp"
#include "dsched/scenarios.hpp"
#include "dsched/sync_family.hpp"
#include "support/compositions.hpp"

namespace msgpool_test::dsched::litmus {

/// Store buffering (litmus_memory_model.cpp) with its two threads in two
/// processes, T1 with the light barrier, T2 with the heavy one:
///   T1 (process 1): x = 1; light; r1 = y   ||   T2 (process 2): y = 1; heavy; r2 = x
/// r1 = r2 = 0 is the lost wake-up in small: T1's store still buffered when
/// both load.  Forbidden with shared_fenced and shared_membarrier; observable
/// when the heavy barrier drains only its own process.
template <class Sync, bool Observable>
struct store_buffering_across_processes {
    static constexpr const char* name = "store_buffering_across_processes";
    static inline const std::vector<allowed> table =
        Observable
            ? std::vector<allowed>{{"r1=0 r2=0", true}, {"r1=0 r2=1", true}, {"r1=1 r2=0", true}, {"r1=1 r2=1", true}}
            : std::vector<allowed>{{"r1=0 r2=1", true}, {"r1=1 r2=0", true}, {"r1=1 r2=1", true}};
    std::string operator()(scheduler& s) const {
        atomic<int> x{0}, y{0};
        int r1 = -1, r2 = -1;
        if (!s.run({[&] {
                        x.store(1, std::memory_order_release);  // release: a plain MOV, as a publish
                        Sync::light_barrier();
                        r1 = y.load(std::memory_order_acquire);  // acquire: a plain MOV, as [E3]
                        Sync::pause();                           // a point that drains nothing (a thread's exit drains)
                    },
                    [&] {
                        y.store(1, std::memory_order_release);  // release: as above; [E1] would drain it anyway
                        Sync::heavy_barrier();
                        r2 = x.load(std::memory_order_acquire);  // acquire: as the re-check [E2]
                        Sync::pause();
                    }},
                   {1, 2}))
            return "aborted";
        return "r1=" + std::to_string(r1) + " r2=" + std::to_string(r2);
    }
};

}  // namespace msgpool_test::dsched::litmus

namespace {

using namespace msgpool_test::dsched;
using msgpool::claim::cas_scan;
using msgpool::claim::fetch_add_ring;
using msgpool::storage::inline_slots;
using msgpool::wait::futex;
using msgpool_test::composition;

/// The in-process pair used across processes (broken_barrier.hpp's variant
/// shared_private_membarrier, which dsched_broken_variants must catch),
/// redeclared for the litmus test and for the bound below.
using private_membarrier_apart = basic_shared_sync<barrier::compiler, barrier::membarrier>;

/// The same with the real families' bound on every sleep (event_count.hpp
/// [EC-B1]): a sleeper re-checks after at most 100 ms of virtual time.
struct private_membarrier_apart_bounded : private_membarrier_apart {
    static constexpr std::chrono::nanoseconds longest_sleep = std::chrono::milliseconds(100);
};
static_assert(msgpool::bounded_sleeps<private_membarrier_apart_bounded>);

// futex_sleeps_at_once (futex_sleeps_at_once.hpp): the form dsched_broken_variants
// catches the in-process pair with; here it must pass on the two shared pairs.

/// Claim x wait on one family, producers and consumers in two processes.
template <class Sync>
using on = std::tuple<across_processes<composition<cas_scan, futex, inline_slots, Sync>>,
                      across_processes<composition<cas_scan, futex_sleeps_at_once, inline_slots, Sync>>,
                      across_processes<composition<fetch_add_ring, futex, inline_slots, Sync>>,
                      across_processes<composition<fetch_add_ring, futex_sleeps_at_once, inline_slots, Sync>>,
                      across_processes<composition<cas_scan, futex_counted_sleeps_at_once, inline_slots, Sync>>,
                      across_processes<composition<fetch_add_ring, futex_counted_sleeps_at_once, inline_slots, Sync>>>;

using compositions_under_test = decltype(std::tuple_cat(on<shared_fenced>{}, on<shared_membarrier>{}));

template <template <class> class Scenario, class C>
void expect_passes() {
    using sc = Scenario<C>;
    const auto sw = run_sweep(sc::lim, sc{});
    BOOST_TEST_MESSAGE(sw.report(sc::name));
    BOOST_TEST(sw.ok(), sw.report(sc::name));
}

template <class L>
void expect_table() {
    const std::string failure = litmus::check<L, void>();
    BOOST_TEST(failure.empty(), failure);
}

}  // namespace

BOOST_AUTO_TEST_CASE_TEMPLATE(exactly_once_across_processes, C, compositions_under_test) {
    expect_passes<exactly_once, C>();
}

BOOST_AUTO_TEST_CASE_TEMPLATE(close_wakes_readers_across_processes, C, compositions_under_test) {
    expect_passes<close_wakes_readers, C>();
}

BOOST_AUTO_TEST_CASE_TEMPLATE(drain_races_read_across_processes, C, compositions_under_test) {
    expect_passes<drain_races_read, C>();
}

BOOST_AUTO_TEST_CASE_TEMPLATE(dropped_write_handle_across_processes, C, compositions_under_test) {
    using sc = dropped_write_handle<C>;
    if constexpr (!applicable<sc>) {
        BOOST_TEST_MESSAGE(sc::name << ": does not apply to this claim policy");
        BOOST_TEST(true);
    } else {
        expect_passes<dropped_write_handle, C>();
    }
}

BOOST_AUTO_TEST_CASE(sb_across_processes_forbidden_with_fences) {
    expect_table<litmus::store_buffering_across_processes<shared_fenced, false>>();
}
BOOST_AUTO_TEST_CASE(sb_across_processes_forbidden_with_global_membarrier) {
    expect_table<litmus::store_buffering_across_processes<shared_membarrier, false>>();
}
BOOST_AUTO_TEST_CASE(sb_across_processes_observable_with_private_membarrier) {
    expect_table<litmus::store_buffering_across_processes<private_membarrier_apart, true>>();
}

// Why the families above have no `longest_sleep` (sync_family.hpp): with the
// bound, the broken pair's lost wake-up is a sleep that ends at its bound,
// virtual time jumps there, and the run completes.  Over the same seeds the
// unbounded family deadlocks and the bounded one passes every one.
BOOST_AUTO_TEST_CASE(bounded_sleeps_hide_a_lost_wake_up) {
    using unbounded =
        across_processes<composition<cas_scan, futex_sleeps_at_once, inline_slots, private_membarrier_apart>>;
    using bounded =
        across_processes<composition<cas_scan, futex_sleeps_at_once, inline_slots, private_membarrier_apart_bounded>>;
    constexpr std::size_t seeds = 2000;  // the same in every build: the unbounded family deadlocks at seed 90
    const auto lost = run_sweep(exactly_once<unbounded>::lim, exactly_once<unbounded>{}, false, seeds);
    const auto hidden = run_sweep(exactly_once<bounded>::lim, exactly_once<bounded>{}, false, seeds);
    if (lost.replay) return;  // MSGPOOL_DSCHED_SEED set: nothing to compare
    BOOST_TEST((!lost.ok() && lost.first.kind == verdict::deadlock),
               "the in-process pair across processes was not caught: " << lost.report("exactly_once"));
    BOOST_TEST(hidden.ok(), hidden.report("exactly_once, bounded sleeps"));
    BOOST_TEST_MESSAGE("unbounded: " << to_string(lost.first.kind) << " at seed " << lost.first_cfg.seed
                                     << "; bounded: " << hidden.runs << " seeds pass");
}
