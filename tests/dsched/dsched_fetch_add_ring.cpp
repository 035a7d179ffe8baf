// The deterministic scenarios for claim::fetch_add_ring over every wait policy.
#define BOOST_TEST_MODULE dsched_fetch_add_ring
#include <boost/test/unit_test.hpp>

#include <msgpool/claim/fetch_add_ring.hpp>

#include "dsched/compositions.hpp"

using compositions_under_test = msgpool_test::dsched::over_waits<msgpool::claim::fetch_add_ring>;

#include "dsched/scenario_suite.hpp"
