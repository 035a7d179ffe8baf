// msgpool's deterministic scenarios and litmus tests over compositions that use
// user::wait::yield_then_sleep: seeded x86-TSO schedules of 2 to 4 threads,
// replayable by seed (MSGPOOL_DSCHED_SEED=S).
#define BOOST_TEST_MODULE dsched_yield_then_sleep
#include <boost/test/unit_test.hpp>

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
