// Litmus tests of the scheduler's memory model itself (scheduler.hpp,
// sync_family.hpp), with no pool: the two shapes the fast path's argument
// rests on, run over seeds like every litmus test (litmus.hpp), each outcome
// checked against its table.
//
//   SB (store buffering): T1: x = 1; barrier; r1 = y   ||   T2: y = 1; barrier; r2 = x
//      r1 = r2 = 0 is the one reordering x86-TSO allows (each store still in
//      its thread's buffer when the other thread loads).  It must be observed
//      with no barrier, with compiler barriers only, and with a fence on one
//      side only; it must never occur with a fence on both sides, or with the
//      asymmetric pair (a compiler barrier on one side and a membarrier on the
//      other): that is the Dekker pair of wait/detail/event_count.hpp.
//   MP (message passing): T1: x = 1; y = 1   ||   T2: r1 = y; r2 = x
//      r1 = 1, r2 = 0 is forbidden under TSO (store buffers are FIFO and loads
//      are not reordered with loads): a publish made after the element's
//      write is never seen before it.
//
// Stores are release, loads acquire: plain MOVs on x86, as in the fast path.
// Each SB thread ends with a pause(), a scheduling point that drains nothing,
// because a thread's exit drains its buffer (scheduler.hpp): without it the
// first load's thread would publish its store at once and the other load
// would always see it.
// Linked into dsched_memory_model.
#define BOOST_TEST_MODULE dsched_memory_model
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "dsched/litmus.hpp"
#include "dsched/sync_family.hpp"

namespace msgpool_test::dsched::litmus {

/// What a thread of SB runs between its store and its load.
enum class between : std::uint8_t { nothing, light, heavy };

template <class Sync>
void barrier_of(between b) {
    if (b == between::light) Sync::light_barrier();
    if (b == between::heavy) Sync::heavy_barrier();
}

inline const std::vector<allowed> sb_observable = {
    {"r1=0 r2=0", true}, {"r1=0 r2=1", true}, {"r1=1 r2=0", true}, {"r1=1 r2=1", true}};
inline const std::vector<allowed> sb_forbidden = {{"r1=0 r2=1", true}, {"r1=1 r2=0", true}, {"r1=1 r2=1", true}};

template <class Sync, between B1, between B2, bool Observable>
struct store_buffering {
    static constexpr const char* name = "store_buffering";
    static inline const std::vector<allowed> table = Observable ? sb_observable : sb_forbidden;
    std::string operator()(scheduler& s) const {
        atomic<int> x{0}, y{0};
        int r1 = -1, r2 = -1;
        if (!s.run({[&] {
                        x.store(1, std::memory_order_release);
                        barrier_of<Sync>(B1);
                        r1 = y.load(std::memory_order_acquire);
                        Sync::pause();  // a point that drains nothing: the thread's exit would drain
                    },
                    [&] {
                        y.store(1, std::memory_order_release);
                        barrier_of<Sync>(B2);
                        r2 = x.load(std::memory_order_acquire);
                        Sync::pause();
                    }}))
            return "aborted";
        return "r1=" + std::to_string(r1) + " r2=" + std::to_string(r2);
    }
};

struct message_passing {
    static constexpr const char* name = "message_passing";
    static inline const std::vector<allowed> table = {{"r1=0 r2=0", true}, {"r1=0 r2=1", true}, {"r1=1 r2=1", true}};
    std::string operator()(scheduler& s) const {
        atomic<int> x{0}, y{0};
        int r1 = -1, r2 = -1;
        if (!s.run({[&] {
                        x.store(1, std::memory_order_release);
                        y.store(1, std::memory_order_release);
                    },
                    [&] {
                        r1 = y.load(std::memory_order_acquire);
                        r2 = x.load(std::memory_order_acquire);
                    }}))
            return "aborted";
        return "r1=" + std::to_string(r1) + " r2=" + std::to_string(r2);
    }
};

}  // namespace msgpool_test::dsched::litmus

namespace {

using namespace msgpool_test::dsched;
using litmus::between;
using litmus::store_buffering;
/// The two modes of the family (named here: POSIX has a function ::sync).
using membarrier_mode = msgpool_test::dsched::sync;
using fenced_mode = msgpool_test::dsched::sync_fenced;
/// The membarrier mode's pair broken as broken_barrier.hpp's variant (12) breaks it.
using heavy_fence_only = basic_sync<barrier::compiler, barrier::fence>;

template <class L>
void expect_table() {
    const std::string failure = litmus::check<L, void>();
    BOOST_TEST(failure.empty(), failure);
}

}  // namespace

BOOST_AUTO_TEST_CASE(sb_observable_without_barriers) {
    expect_table<store_buffering<membarrier_mode, between::nothing, between::nothing, true>>();
}
BOOST_AUTO_TEST_CASE(sb_observable_with_compiler_barriers_only) {
    expect_table<store_buffering<membarrier_mode, between::light, between::light, true>>();
}
BOOST_AUTO_TEST_CASE(sb_observable_with_a_fence_on_one_side_only) {
    expect_table<store_buffering<fenced_mode, between::light, between::nothing, true>>();
    expect_table<store_buffering<heavy_fence_only, between::light, between::heavy, true>>();
}
BOOST_AUTO_TEST_CASE(sb_forbidden_with_light_and_heavy_barrier) {
    expect_table<store_buffering<membarrier_mode, between::light, between::heavy, false>>();
    expect_table<store_buffering<membarrier_mode, between::nothing, between::heavy, false>>();  // the light side needs no instruction
}
BOOST_AUTO_TEST_CASE(sb_forbidden_with_fences_on_both_sides) {
    expect_table<store_buffering<fenced_mode, between::light, between::heavy, false>>();
    expect_table<store_buffering<fenced_mode, between::light, between::light, false>>();
}
BOOST_AUTO_TEST_CASE(mp_forbidden_out_of_order) { expect_table<litmus::message_passing>(); }
