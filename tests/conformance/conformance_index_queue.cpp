// The conformance suite over every composition whose claim policy is index_queue.
#define BOOST_TEST_MODULE conformance_index_queue
#include <boost/test/unit_test.hpp>

#include <tuple>

#include <msgpool/claim/index_queue.hpp>
#include <msgpool/storage/aligned_slots.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/wait/condvar.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/spin.hpp>

#include "support/compositions.hpp"
#include "support/tsan_boost_lockfree.hpp"
#include "support/watchdog.hpp"

namespace msgpool_test {
using namespace msgpool;
using compositions_under_test = std::tuple<composition<claim::index_queue, wait::condvar, storage::inline_slots>,
                                           composition<claim::index_queue, wait::spin, storage::inline_slots>,
                                           composition<claim::index_queue, wait::futex, storage::inline_slots>,
                                           composition<claim::index_queue, wait::condvar, storage::aligned_slots>,
                                           composition<claim::index_queue, wait::spin, storage::aligned_slots>,
                                           composition<claim::index_queue, wait::futex, storage::aligned_slots>>;
}  // namespace msgpool_test

#include "conformance/suite.hpp"
