// msgpool's conformance suite over compositions that use user::wait::yield_then_sleep:
// every property of the contract, with real threads.
#define BOOST_TEST_MODULE conformance_yield_then_sleep
#include <boost/test/unit_test.hpp>

#include <tuple>

#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/storage/aligned_slots.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/storage/line_grouped_slots.hpp>
#include <msgpool/testing/support/compositions.hpp>
#include <msgpool/testing/support/watchdog.hpp>

#include "yield_then_sleep.hpp"

// The suite reads `msgpool_test::compositions_under_test`.
namespace msgpool_test {
using compositions_under_test =
    std::tuple<composition<msgpool::claim::cas_scan, user::wait::yield_then_sleep<>, msgpool::storage::inline_slots>,
               composition<msgpool::claim::fetch_add_ring, user::wait::yield_then_sleep<>,
                           msgpool::storage::aligned_slots>,
               composition<msgpool::claim::cas_scan, user::wait::yield_then_sleep<0>,
                           msgpool::storage::line_grouped_slots>>;
}  // namespace msgpool_test

#include <msgpool/testing/conformance/suite.hpp>
