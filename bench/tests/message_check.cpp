// bench/tests/message_check.cpp - the message check of msgpool-bench
// (bench/messages.hpp) fed torn messages.
//
//   - a whole message of another id in place of the expected one: the
//     exactly-once verdict (workload.cpp) catches it; a message whose id is
//     one message's and whose payload is another's: the check catches it;
//   - a torn last word: always caught;
//   - a torn word elsewhere: caught exactly when the check compares that
//     word (a sampled position, or a message checked whole), never
//     otherwise, and at the rate the header states;
//   - --full-check catches every torn word; the unchecked mode catches none.
#define BOOST_TEST_MODULE bench_message_check
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <cstring>
#include <vector>

#include "messages.hpp"
#include "workload.hpp"

using namespace msgpool_bench;

namespace {

template <class Msg>
Msg filled(std::uint64_t id, check_mode mode) {
    Msg m{};
    fill_message(m, id, mode);
    return m;
}

/// Message `id` with payload word k taken from message `other`.
template <class Msg>
Msg torn_word(std::uint64_t id, std::uint64_t other, std::size_t k) {
    Msg m = filled<Msg>(id, check_mode::full);
    const Msg from = filled<Msg>(other, check_mode::full);
    std::memcpy(m.bytes + 8 + 8 * k, from.bytes + 8 + 8 * k, 8);
    return m;
}

constexpr check_mode checked_modes[] = {check_mode::sampled, check_mode::full};

}  // namespace

BOOST_AUTO_TEST_CASE(a_message_passes_its_own_check) {
    for (const auto mode : {check_mode::sampled, check_mode::full, check_mode::none})
        for (std::uint64_t id = 0; id < 1000; ++id) {
            BOOST_TEST(intact(filled<message_of<4096>>(id, mode), mode));
            BOOST_TEST(intact(filled<message_of<64>>(id, mode), mode));
            BOOST_TEST(intact(filled<message_of<16>>(id, mode), mode));
            BOOST_TEST(id_of(filled<message_of<4096>>(id, mode)) == id);
        }
}

BOOST_AUTO_TEST_CASE(the_sampled_check_fills_only_what_it_compares) {
    // A buffer reused from message to message keeps other messages' words
    // where the check does not look: every message still passes.
    message_of<4096> m{};
    for (std::uint64_t id = 0; id < 5000; ++id) {
        fill_message(m, id, check_mode::sampled);
        BOOST_TEST_REQUIRE(intact(m, check_mode::sampled));
    }
}

BOOST_AUTO_TEST_CASE(a_payload_of_another_id_is_always_caught) {
    // The id word of one message before the whole payload of another.
    for (const auto mode : checked_modes)
        for (std::uint64_t id = 0; id < 2000; ++id) {
            auto m = filled<message_of<4096>>(id + 1, check_mode::full);
            const std::uint64_t carried = id;
            std::memcpy(m.bytes, &carried, 8);
            BOOST_TEST(!intact(m, mode));
            auto s = filled<message_of<64>>(id + 7, check_mode::full);
            std::memcpy(s.bytes, &carried, 8);
            BOOST_TEST(!intact(s, mode));
        }
}

BOOST_AUTO_TEST_CASE(a_whole_message_of_another_id_fails_exactly_once) {
    // Message 3 delivered twice, message 5 never: each message passes its
    // own check, the verdict over the run does not.
    const std::uint64_t n = 10;
    std::vector<detail::tally> tallies(2);
    for (std::uint64_t id = 0; id < n; ++id) {
        const auto m = filled<message_of<4096>>(id == 5 ? 3 : id, check_mode::sampled);
        detail::count_message(tallies[id % 2], m, n, check_mode::sampled);
    }
    const auto failure = detail::check_exactly_once(n, id_modulus<message_of<4096>>, tallies);
    BOOST_TEST(!failure.empty());
    BOOST_TEST(failure.find("not 0..N-1") != std::string::npos);
    BOOST_TEST(tallies[0].corrupt + tallies[1].corrupt == 0u);
}

BOOST_AUTO_TEST_CASE(a_torn_last_word_is_always_caught) {
    using big = message_of<4096>;
    using small = message_of<64>;
    for (const auto mode : checked_modes)
        for (std::uint64_t id = 0; id < 2000; ++id) {
            BOOST_TEST(!intact(torn_word<big>(id, id + 1, payload_words<big> - 1), mode));
            BOOST_TEST(!intact(torn_word<small>(id, id + 1000, payload_words<small> - 1), mode));
        }
}

BOOST_AUTO_TEST_CASE(a_tear_reaching_either_end_is_always_caught) {
    // A contiguous run of words from another message that starts at the id
    // or ends at the last word: the two ends disagree.
    using big = message_of<4096>;
    for (std::uint64_t id = 1; id < 300; ++id) {
        const auto other = filled<big>(id + 17, check_mode::full);
        const std::size_t cut = 8 * (1 + id % (payload_words<big> - 1));  // bytes kept from the other
        auto head = filled<big>(id, check_mode::full), tail = head;
        std::memcpy(head.bytes, other.bytes, cut);                                 // id and first words torn
        std::memcpy(tail.bytes + cut, other.bytes + cut, sizeof(big) - cut);  // last words torn
        BOOST_TEST(!intact(head, check_mode::sampled));
        BOOST_TEST(!intact(tail, check_mode::sampled));
    }
}

BOOST_AUTO_TEST_CASE(a_torn_word_elsewhere_is_caught_where_checked) {
    using big = message_of<4096>;
    std::size_t caught = 0, trials = 0, whole = 0;
    for (std::uint64_t id = 0; id < 4096; ++id) {
        const bool checked_whole = id % full_check_period<big> == 0;
        whole += checked_whole;
        for (std::size_t k = 0; k + 1 < payload_words<big>; k += 7) {
            const bool compared = checks_word<big>(id, k, check_mode::sampled);
            const bool hit = !intact(torn_word<big>(id, id + 1, k), check_mode::sampled);
            BOOST_TEST_REQUIRE(hit == compared, "id " << id << " word " << k);
            BOOST_TEST_REQUIRE(!intact(torn_word<big>(id, id + 1, k), check_mode::full));
            BOOST_TEST_REQUIRE(intact(torn_word<big>(id, id + 1, k), check_mode::none));
            if (checked_whole) BOOST_TEST_REQUIRE(hit);
            caught += hit;
            ++trials;
        }
    }
    // The rate messages.hpp states: 1/N + (1 - 1/N) * 4 / (K - 1).
    const double n = static_cast<double>(full_check_period<big>);
    const double expected = 1 / n + (1 - 1 / n) * sampled_words / static_cast<double>(payload_words<big> - 1);
    const double rate = static_cast<double>(caught) / static_cast<double>(trials);
    BOOST_TEST_MESSAGE("4096 bytes, one torn interior word: caught in " << 100 * rate << "% of messages (stated "
                                                                       << 100 * expected << "%)");
    BOOST_TEST(rate > 0.8 * expected);
    BOOST_TEST(rate < 1.25 * expected);
    BOOST_TEST(whole == 4096 / full_check_period<big>);
}

BOOST_AUTO_TEST_CASE(small_messages_are_checked_whole) {
    using m32 = message_of<32>;
    for (std::uint64_t id = 0; id < 500; ++id)
        for (std::size_t k = 0; k < payload_words<m32>; ++k) {
            BOOST_TEST(checks_word<m32>(id, k, check_mode::sampled));
            BOOST_TEST(!intact(torn_word<m32>(id, id + 3, k), check_mode::sampled));
        }
}

BOOST_AUTO_TEST_CASE(sampled_positions_differ_and_stay_before_the_last_word) {
    using big = message_of<4096>;
    for (std::uint64_t id = 0; id < 10000; ++id) {
        const detail::sampled_positions<big> p(id);
        for (std::size_t j = 0; j < sampled_words; ++j) {
            BOOST_TEST_REQUIRE(p.at[j] + 1 < payload_words<big>);
            for (std::size_t i = 0; i < j; ++i) BOOST_TEST_REQUIRE(p.at[i] != p.at[j]);
        }
    }
}
