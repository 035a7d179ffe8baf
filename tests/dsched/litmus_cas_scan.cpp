// Litmus tests for claim::cas_scan (tests/dsched/litmus.hpp has the tables) over
// every wait policy.  Linked into dsched_cas_scan.
#include <boost/test/unit_test.hpp>

#include "dsched/compositions.hpp"

using litmus_compositions = msgpool_test::dsched::over_waits<msgpool::claim::cas_scan>;

#include "dsched/litmus.hpp"

MSGPOOL_DSCHED_ALL_LITMUS()
