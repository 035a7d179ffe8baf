// The deterministic scenarios for claim::cas_scan over every wait policy and
// storage of the catalog (dsched/compositions.hpp: line-grouped storage, where
// several slots share one control word, with every wait).
#define BOOST_TEST_MODULE dsched_cas_scan
#include <boost/test/unit_test.hpp>

#include "dsched/compositions.hpp"

using compositions_under_test = msgpool_test::dsched::over_waits<msgpool::claim::cas_scan>;

#include "dsched/scenario_suite.hpp"
