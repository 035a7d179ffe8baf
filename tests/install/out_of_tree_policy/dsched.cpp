// msgpool's deterministic scenarios and litmus tests over compositions that use
// user::wait::yield_then_sleep: seeded x86-TSO schedules of 2 to 4 threads,
// replayable by seed (MSGPOOL_DSCHED_SEED=S).  Then proof that they can fail:
// the same channel without its heavy barrier must be caught.
#define BOOST_TEST_MODULE dsched_yield_then_sleep
#include <boost/test/unit_test.hpp>

#include <atomic>

#include <msgpool/testing/dsched/compositions.hpp>

#include "yield_then_sleep.hpp"

// With no yield rounds too: every wait goes to sleep at once, the hardest
// case for the register / re-check / sleep protocol.
using compositions_under_test =
    decltype(std::tuple_cat(msgpool_test::dsched::over_claims<user::wait::yield_then_sleep<>>{},
                            msgpool_test::dsched::over_claims<user::wait::yield_then_sleep<0>>{}));
using litmus_compositions = msgpool_test::dsched::over_claims<user::wait::yield_then_sleep<0>>;

#include <msgpool/testing/dsched/litmus.hpp>
#include <msgpool/testing/dsched/scenario_suite.hpp>

MSGPOOL_DSCHED_ALL_LITMUS()

// The broken variant: prepare_wait registers and reads its key with no heavy
// barrier, so a publish still in the publisher's store buffer is missed by the
// re-check while the publisher's look for waiters ran before the registration.
// Everything else is the real channel.
struct skips_heavy_barrier {
    template <class Sync>
    class channel : public user::wait::yield_then_sleep<0>::channel<Sync> {
    public:
        typename channel::key prepare_wait() noexcept {
            this->waiters_.fetch_add(1, std::memory_order_seq_cst);
            return this->epoch_.load(std::memory_order_seq_cst);
        }
    };
};

BOOST_AUTO_TEST_CASE(broken_skips_heavy_barrier_is_caught) {
    namespace ds = msgpool_test::dsched;
    using C = msgpool_test::composition<msgpool::claim::cas_scan, skips_heavy_barrier, msgpool::storage::inline_slots,
                                        ds::sync>;
    using sc = ds::exactly_once<C>;
    const auto sw = ds::run_sweep(sc::lim, sc{}, false, 10'000);
    if (sw.replay) return;  // MSGPOOL_DSCHED_SEED set: a replay, nothing to prove
    BOOST_TEST_REQUIRE(!sw.ok(), "skips_heavy_barrier survived " << sw.runs << " seeds");
    BOOST_TEST((sw.first.kind == ds::verdict::deadlock), "caught, but as " << ds::to_string(sw.first.kind));
    BOOST_TEST_MESSAGE("skips_heavy_barrier: caught by " << sc::name << " after " << sw.runs << " seeds ("
                                                         << sw.first_cfg.describe() << "): "
                                                         << ds::to_string(sw.first.kind));
}
