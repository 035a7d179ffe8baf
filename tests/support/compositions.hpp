// tests/support/compositions.hpp - a composition as one type, so one test body
// runs over every composition (BOOST_AUTO_TEST_CASE_TEMPLATE over a std::tuple).
#pragma once

#include <msgpool/basic_pool.hpp>

namespace msgpool_test {

template <class Claim, class Wait, class Storage, class Sync = msgpool::sync::native>
struct composition {
    template <class T>
    using pool = msgpool::basic_pool<T, Claim, Wait, Storage, Sync>;
};

}  // namespace msgpool_test
