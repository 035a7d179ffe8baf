// The deterministic scenarios for claim::index_queue over every wait policy
// (its element check is off: dsched/compositions.hpp says why).
#define BOOST_TEST_MODULE dsched_index_queue
#include <boost/test/unit_test.hpp>

#include "dsched/compositions.hpp"

using compositions_under_test = msgpool_test::dsched::over_waits<msgpool::claim::index_queue>;

#include "dsched/scenario_suite.hpp"
