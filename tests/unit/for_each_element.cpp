// basic_pool::for_each_element: visits every slot once, in index order, in
// place, whatever the slot holds (the C API's msgpool_init is built on it).
#define BOOST_TEST_MODULE unit_for_each_element
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <memory>
#include <vector>

#include <msgpool/pool.hpp>
#include <msgpool/raw_bytes.hpp>

#include "support/watchdog.hpp"

BOOST_AUTO_TEST_CASE(raw_bytes_in_place_and_in_order) {
    msgpool::pool<msgpool::raw_bytes> pool(4, sizeof(int));
    std::vector<std::size_t> order;
    pool.for_each_element([&](void* el, std::size_t i) {
        order.push_back(i);
        int zero = -1;
        std::memcpy(&zero, el, sizeof zero);
        BOOST_TEST(zero == 0);  // slots start zero-filled
        const int v = 100 + static_cast<int>(i);
        std::memcpy(el, &v, sizeof v);
    });
    BOOST_TEST((order == std::vector<std::size_t>{0, 1, 2, 3}));

    // A message in the pool is visited too, in place: change it, then read it.
    int msg = 7, displaced = 0;
    pool.write(&msg, &displaced);
    BOOST_TEST((displaced >= 100 && displaced < 104));
    int visits = 0, sevens = 0;
    pool.for_each_element([&](void* el, std::size_t) {
        ++visits;
        int v;
        std::memcpy(&v, el, sizeof v);
        if (v == 7) {
            ++sevens;
            v = 8;
            std::memcpy(el, &v, sizeof v);
        }
    });
    BOOST_TEST(visits == 4);
    BOOST_TEST(sevens == 1);
    int out = 0;
    BOOST_TEST(pool.read(&out));
    BOOST_TEST(out == 8);
    BOOST_TEST(pool.was_size() == 0u);
}

BOOST_AUTO_TEST_CASE(typed_elements_by_reference) {
    msgpool::pool<std::unique_ptr<int>> pool(3, [](std::size_t i) { return std::make_unique<int>(int(i)); });
    int sum = 0;
    pool.for_each_element([&](std::unique_ptr<int>& el, std::size_t i) {
        BOOST_REQUIRE(el);
        BOOST_TEST(*el == int(i));
        sum += *el;
        el.reset();  // release what the slot holds, as a cleanup pass would
    });
    BOOST_TEST(sum == 0 + 1 + 2);
    std::unique_ptr<int> displaced = std::make_unique<int>(-1);
    pool.write(std::make_unique<int>(5), displaced);
    BOOST_TEST(!displaced);  // the slot's element was reset in place
}
