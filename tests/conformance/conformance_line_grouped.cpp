// The conformance suite over every composition on storage::line_grouped_slots
// (seven slots under one control word; only claim::cas_scan drives that).
#define BOOST_TEST_MODULE conformance_line_grouped
#include <boost/test/unit_test.hpp>

#include <tuple>

#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/storage/line_grouped_slots.hpp>
#include <msgpool/wait/condvar.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/spin.hpp>

#include "support/compositions.hpp"
#include "support/watchdog.hpp"

namespace msgpool_test {
using namespace msgpool;
using compositions_under_test = std::tuple<composition<claim::cas_scan, wait::condvar, storage::line_grouped_slots>,
                                           composition<claim::cas_scan, wait::spin, storage::line_grouped_slots>,
                                           composition<claim::cas_scan, wait::futex, storage::line_grouped_slots>>;
}  // namespace msgpool_test

#include "conformance/suite.hpp"
