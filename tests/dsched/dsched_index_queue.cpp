// The deterministic scenarios for claim::index_queue over every wait policy.
//
// index_queue hands slot indices over through Boost.Lockfree queues built on
// std::atomic, not on the sync family: those operations are not scheduling
// points (the scheduler explores the interleavings of the admission counters
// and the frame's channels around them), and the happens-before edges they
// carry are invisible to the element check, which is therefore off here.
#define BOOST_TEST_MODULE dsched_index_queue
#include <boost/test/unit_test.hpp>

#include <msgpool/claim/index_queue.hpp>

#include "dsched/checked.hpp"
#include "dsched/compositions.hpp"

template <>
inline constexpr bool msgpool_test::dsched::element_hb_visible<msgpool::claim::index_queue> = false;

using compositions_under_test = msgpool_test::dsched::over_waits<msgpool::claim::index_queue>;

#include "dsched/scenario_suite.hpp"
