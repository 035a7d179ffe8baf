// Litmus tests for claim::fetch_add_ring (tests/dsched/litmus.hpp has the tables) over
// every wait policy.  Linked into dsched_fetch_add_ring.
#include <boost/test/unit_test.hpp>

#include "dsched/compositions.hpp"

using litmus_compositions = msgpool_test::dsched::over_waits<msgpool::claim::fetch_add_ring>;

#include "dsched/litmus.hpp"

MSGPOOL_DSCHED_ALL_LITMUS()
