// The deterministic scenarios for claim::cas_scan over every wait policy and storage.
#define BOOST_TEST_MODULE dsched_cas_scan
#include <boost/test/unit_test.hpp>

#include <tuple>

#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/storage/line_grouped_slots.hpp>

#include "dsched/compositions.hpp"

// Plus line-grouped storage, where several slots share one control word (the
// case the lane masks exist for), with a sleeping and a spinning wait.
using compositions_under_test = decltype(std::tuple_cat(
    msgpool_test::dsched::over_waits<msgpool::claim::cas_scan>{},
    std::tuple<msgpool_test::composition<msgpool::claim::cas_scan, msgpool::wait::futex,
                                         msgpool::storage::line_grouped_slots, msgpool_test::dsched::sync>,
               msgpool_test::composition<msgpool::claim::cas_scan, msgpool::wait::spin,
                                         msgpool::storage::line_grouped_slots, msgpool_test::dsched::sync>>{}));

#include "dsched/scenario_suite.hpp"
