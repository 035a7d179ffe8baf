// Every composition that msgpool::composable accepts can be explicitly
// instantiated (`template class msgpool::basic_pool<...>;`), for int and for
// raw_bytes: an explicit instantiation instantiates every non-template member
// whose constraints hold ([temp.explicit]), so no member may be ill-formed for
// a composition it is declared for.  Members a composition does not offer
// (write handles without abandon_write, the typed forms for raw_bytes, the raw
// forms for int) are excluded by their requires-clauses, which also makes
// them detectable: `requires { pool.claim_write(); }` is false exactly when
// has_write_handles is.  Then one message through each instantiated pool.
#define BOOST_TEST_MODULE unit_explicit_instantiation
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstring>
#include <tuple>
#include <type_traits>

#include <msgpool/basic_pool.hpp>
#include <msgpool/raw_bytes.hpp>
#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/claim/index_queue.hpp>
#include <msgpool/storage/aligned_slots.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/storage/line_grouped_slots.hpp>
#include <msgpool/wait/condvar.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/futex_counted.hpp>
#include <msgpool/wait/spin.hpp>

#include <msgpool/catalog.hpp>

#include "support/tsan_boost_lockfree.hpp"

// Clang before 15 instantiates members whose constraints fail when it
// explicitly instantiates a class (llvm/llvm-project#44549, fixed by
// https://reviews.llvm.org/D120255), which the raw_bytes instantiations need.
#if defined(__clang__) && __clang_major__ < 15
#define MSGPOOL_TEST_RAW_INSTANTIATION 0
#else
#define MSGPOOL_TEST_RAW_INSTANTIATION 1
#endif

#define MSGPOOL_TEST_INSTANTIATE_ONE(T, C, W, S) \
    template class msgpool::basic_pool<T, msgpool::claim::C, msgpool::wait::W, msgpool::storage::S>;

#if MSGPOOL_TEST_RAW_INSTANTIATION
#define MSGPOOL_TEST_INSTANTIATE(C, W, S)          \
    MSGPOOL_TEST_INSTANTIATE_ONE(int, C, W, S)     \
    MSGPOOL_TEST_INSTANTIATE_ONE(msgpool::raw_bytes, C, W, S)
#else
#define MSGPOOL_TEST_INSTANTIATE(C, W, S) MSGPOOL_TEST_INSTANTIATE_ONE(int, C, W, S)
#endif

// Each composition instantiated also takes one __COUNTER__ value, so that
// the count can be checked against the catalog below.
#define MSGPOOL_TEST_INSTANTIATE_COUNTED(C, W, S) \
    static_assert(__COUNTER__ >= 0);              \
    MSGPOOL_TEST_INSTANTIATE(C, W, S)

#define MSGPOOL_TEST_INSTANTIATE_WAITS(C, S)               \
    MSGPOOL_TEST_INSTANTIATE_COUNTED(C, condvar, S)       \
    MSGPOOL_TEST_INSTANTIATE_COUNTED(C, futex, S)         \
    MSGPOOL_TEST_INSTANTIATE_COUNTED(C, futex_counted, S) \
    MSGPOOL_TEST_INSTANTIATE_COUNTED(C, spin, S)

namespace msgpool_test {
inline constexpr int counter_before_instantiations = __COUNTER__;
}  // namespace msgpool_test

// cas_scan drives every storage; fetch_add_ring and index_queue one control
// word per slot, so not line_grouped_slots (checked below with composable).
MSGPOOL_TEST_INSTANTIATE_WAITS(cas_scan, inline_slots)
MSGPOOL_TEST_INSTANTIATE_WAITS(cas_scan, aligned_slots)
MSGPOOL_TEST_INSTANTIATE_WAITS(cas_scan, line_grouped_slots)
MSGPOOL_TEST_INSTANTIATE_WAITS(fetch_add_ring, inline_slots)
MSGPOOL_TEST_INSTANTIATE_WAITS(fetch_add_ring, aligned_slots)
MSGPOOL_TEST_INSTANTIATE_WAITS(index_queue, inline_slots)
MSGPOOL_TEST_INSTANTIATE_WAITS(index_queue, aligned_slots)

namespace msgpool_test {
inline constexpr int instantiated = __COUNTER__ - counter_before_instantiations - 1;
}  // namespace msgpool_test

namespace msgpool_test {

namespace claim = msgpool::claim;
namespace storage = msgpool::storage;

// The list above is every composable pair, and nothing else is.
static_assert(msgpool::composable<claim::cas_scan, storage::inline_slots>);
static_assert(msgpool::composable<claim::cas_scan, storage::aligned_slots>);
static_assert(msgpool::composable<claim::cas_scan, storage::line_grouped_slots>);
static_assert(msgpool::composable<claim::fetch_add_ring, storage::inline_slots>);
static_assert(msgpool::composable<claim::fetch_add_ring, storage::aligned_slots>);
static_assert(!msgpool::composable<claim::fetch_add_ring, storage::line_grouped_slots>);
static_assert(msgpool::composable<claim::index_queue, storage::inline_slots>);
static_assert(msgpool::composable<claim::index_queue, storage::aligned_slots>);
static_assert(!msgpool::composable<claim::index_queue, storage::line_grouped_slots>);

template <class Claim, class Wait, class Storage>
struct composition {
    template <class T>
    using pool = msgpool::basic_pool<T, Claim, Wait, Storage>;
};

// Every composition of the catalog: the instantiations above spell each one
// (an explicit instantiation cannot name a type through an alias), and this
// checks they are the same set: one more policy in the catalog and the list
// above must grow, or the count below fails.
using all_compositions = msgpool::catalog::compositions<composition>;
static_assert(instantiated == static_cast<int>(std::tuple_size_v<all_compositions>),
              "explicit instantiations above and the catalog's compositions differ in number");

BOOST_AUTO_TEST_CASE_TEMPLATE(members_offered_match_the_composition, C, all_compositions) {
    using typed = typename C::template pool<int>;
    using raw = typename C::template pool<msgpool::raw_bytes>;
    constexpr bool write_handles = requires(typed& p) { p.claim_write(); };
    static_assert(write_handles == typed::has_write_handles);
    static_assert(requires(typed& p) { p.try_claim_write(); } == typed::has_write_handles);
    constexpr bool read_handles = requires(typed& p) { p.claim_read(); };
    static_assert(read_handles == typed::has_read_handles);
    static_assert(requires(typed& p) { p.try_claim_read(); } == typed::has_read_handles);
    static_assert(!requires(raw& p) { p.claim_read(); });   // no typed forms for raw_bytes
    static_assert(!requires(raw& p, int v) { p.write(v); });
    static_assert(!requires(typed& p, const void* src) { p.write(src); });  // no raw forms for int
    constexpr bool is_ring = std::is_same_v<typename typed::claim_type, claim::fetch_add_ring>;
    BOOST_TEST(write_handles == !is_ring);  // only fetch_add_ring cannot give a write slot back
    BOOST_TEST(read_handles == !is_ring);   // nor hold a read slot without stalling its holder
}

BOOST_AUTO_TEST_CASE_TEMPLATE(one_message_through_each_instantiation, C, all_compositions) {
    typename C::template pool<int> typed(3);
    typed.write(42);
    int out = 0;
    BOOST_TEST(typed.try_read(out));
    BOOST_TEST(out == 42);
    BOOST_TEST(typed.was_empty());

    typename C::template pool<msgpool::raw_bytes> raw(3, sizeof(double));
    const double in = 2.5;
    raw.write(&in);
    double got = 0;
    BOOST_TEST(raw.try_read(&got));
    BOOST_TEST(got == 2.5);
    BOOST_TEST(raw.was_empty());
}

}  // namespace msgpool_test
