// tests/dsched/scenario_suite.hpp - the deterministic scenarios as Boost.Test
// cases over `compositions_under_test` (defined by the including file, a
// std::tuple of msgpool_test::composition<..., dsched::sync>).  A scenario
// that does not apply to a composition (dropped_write_handle without
// abandon_write) passes with a message and runs no seeds.
#pragma once

#include <boost/test/unit_test.hpp>

#include "driver.hpp"
#include "scenarios.hpp"

#define MSGPOOL_DSCHED_SCENARIO(scenario)                                                                 \
    BOOST_AUTO_TEST_CASE_TEMPLATE(dsched_##scenario, C, compositions_under_test) {                        \
        using sc = ::msgpool_test::dsched::scenario<C>;                                                    \
        if constexpr (!::msgpool_test::dsched::applicable<sc>) {                                          \
            BOOST_TEST_MESSAGE(sc::name << ": does not apply to this claim policy");                      \
            BOOST_TEST(true);                                                                              \
        } else {                                                                                           \
            using claim = typename ::msgpool_test::dsched::pool_t<C>::claim_type;                         \
            const auto sw = ::msgpool_test::dsched::run_sweep(sc::lim, [](::msgpool_test::dsched::scheduler& s) { \
                s.set_element_checks(::msgpool_test::dsched::element_hb_visible<claim>);                  \
                sc{}(s);                                                                                   \
            });                                                                                            \
            BOOST_TEST_MESSAGE(sw.report(sc::name));                                                      \
            BOOST_TEST(sw.ok(), sw.report(sc::name));                                                     \
        }                                                                                                  \
    }

MSGPOOL_DSCHED_SCENARIO(exactly_once)
MSGPOOL_DSCHED_SCENARIO(close_wakes_readers)
MSGPOOL_DSCHED_SCENARIO(reopen_after_close)
MSGPOOL_DSCHED_SCENARIO(timed_next_to_peer)
MSGPOOL_DSCHED_SCENARIO(drain_races_read)
MSGPOOL_DSCHED_SCENARIO(try_not_empty_full)
MSGPOOL_DSCHED_SCENARIO(dropped_write_handle)
MSGPOOL_DSCHED_SCENARIO(put_back)
MSGPOOL_DSCHED_SCENARIO(bulk_exactly_once)
MSGPOOL_DSCHED_SCENARIO(wake_one_each)
