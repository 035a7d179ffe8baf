// The conformance suite over compositions of the catalog (<msgpool/catalog.hpp>),
// one executable per claim policy: the build compiles this file once per name
// in catalog::claims (tests/CMakeLists.txt reads them from the catalog) with
// MSGPOOL_TEST_CLAIM set to that name, and once with MSGPOOL_TEST_GROUPED_STORAGE
// for every composition whose storage puts several slots under one control
// word (kept apart so that no executable grows past the others).
#define BOOST_TEST_MODULE conformance
#include <boost/test/unit_test.hpp>

#include <tuple>

#include <msgpool/catalog.hpp>

#include "support/compositions.hpp"
#include "support/tsan_boost_lockfree.hpp"
#include "support/watchdog.hpp"

namespace msgpool_test {
namespace catalog = msgpool::catalog;
#if defined(MSGPOOL_TEST_GROUPED_STORAGE)
using compositions_under_test = catalog::compositions<composition, catalog::grouped_storage<true>::keep>;
#elif defined(MSGPOOL_TEST_CLAIM)
using compositions_under_test =
    catalog::compositions<composition, catalog::all_of<catalog::claim_named<MSGPOOL_TEST_CLAIM>::keep,
                                                       catalog::grouped_storage<false>::keep>::keep>;
#else
#error "define MSGPOOL_TEST_CLAIM (a claim's name in msgpool::catalog::claims) or MSGPOOL_TEST_GROUPED_STORAGE"
#endif
static_assert(std::tuple_size_v<compositions_under_test> > 0,
              "the catalog has no composition for this selection: is MSGPOOL_TEST_CLAIM a name in catalog::claims?");
}  // namespace msgpool_test

#include "conformance/suite.hpp"
