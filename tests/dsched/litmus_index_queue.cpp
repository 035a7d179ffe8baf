// Litmus tests for claim::index_queue (tests/dsched/litmus.hpp has the tables) over
// every wait policy; element check off (dsched/compositions.hpp).  Linked into dsched_index_queue.
#include <boost/test/unit_test.hpp>

#include "dsched/compositions.hpp"

using litmus_compositions = msgpool_test::dsched::over_waits<msgpool::claim::index_queue>;

#include "dsched/litmus.hpp"

MSGPOOL_DSCHED_ALL_LITMUS()
