// Litmus tests for claim::index_queue (tests/dsched/litmus.hpp has the tables) over
// every wait policy.  Linked into dsched_index_queue.
#include <boost/test/unit_test.hpp>

#include <msgpool/claim/index_queue.hpp>

#include "dsched/checked.hpp"
#include "dsched/compositions.hpp"

// Boost.Lockfree hand-over: see dsched_index_queue.cpp (element check off).
template <>
inline constexpr bool msgpool_test::dsched::element_hb_visible<msgpool::claim::index_queue> = false;

using litmus_compositions = msgpool_test::dsched::over_waits<msgpool::claim::index_queue>;

#include "dsched/litmus.hpp"

MSGPOOL_DSCHED_ALL_LITMUS()
