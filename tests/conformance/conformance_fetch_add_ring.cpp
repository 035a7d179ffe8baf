// The conformance suite over every composition whose claim policy is fetch_add_ring.
#define BOOST_TEST_MODULE conformance_fetch_add_ring
#include <boost/test/unit_test.hpp>

#include <tuple>

#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/storage/aligned_slots.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/wait/condvar.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/spin.hpp>

#include "support/compositions.hpp"
#include "support/watchdog.hpp"

namespace msgpool_test {
using namespace msgpool;
using compositions_under_test = std::tuple<composition<claim::fetch_add_ring, wait::condvar, storage::inline_slots>,
                                           composition<claim::fetch_add_ring, wait::spin, storage::inline_slots>,
                                           composition<claim::fetch_add_ring, wait::futex, storage::inline_slots>,
                                           composition<claim::fetch_add_ring, wait::condvar, storage::aligned_slots>,
                                           composition<claim::fetch_add_ring, wait::spin, storage::aligned_slots>,
                                           composition<claim::fetch_add_ring, wait::futex, storage::aligned_slots>>;
}  // namespace msgpool_test

#include "conformance/suite.hpp"
