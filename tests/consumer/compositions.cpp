// A program outside msgpool that names every composition as
// msgpool::basic_pool<T, claim::X, wait::Y, storage::Z>, for T = std::uint64_t
// and T = std::unique_ptr<int>, and checks exactly-once, close/reopen, swap,
// try_ and timed forms on each.  Exit status 0 means every check passed.
#include <msgpool/basic_pool.hpp>
#include <msgpool/catalog.hpp>
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

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <typeinfo>
#include <vector>

static int failures = 0;
static int compositions = 0;
static std::string current;
#define CHECK(cond)                                                                                   \
    do {                                                                                              \
        if (!(cond)) {                                                                                \
            std::fprintf(stderr, "consumer_compositions: %s: line %d: %s\n", current.c_str(), __LINE__, #cond); \
            ++failures;                                                                               \
        }                                                                                             \
    } while (0)

using namespace std::chrono_literals;

template <class T>
T make(std::uint64_t id) {
    if constexpr (std::is_same_v<T, std::uint64_t>) return id;
    else return std::make_unique<int>(static_cast<int>(id));
}
template <class T>
std::uint64_t id_of(const T& v) {
    if constexpr (std::is_same_v<T, std::uint64_t>) return v;
    else return v ? static_cast<std::uint64_t>(*v) : ~std::uint64_t{0};
}

template <class Pool>
void exactly_once() {
    using T = typename Pool::value_type;
    constexpr std::uint64_t messages = 20000;
    constexpr int producers = 3, consumers = 3;
    Pool pool(16);
    std::vector<std::atomic<int>> seen(messages);
    std::atomic<int> left{producers};
    std::vector<std::thread> threads;
    for (int p = 0; p < producers; ++p)
        threads.emplace_back([&, p] {
            for (std::uint64_t id = p; id < messages; id += producers) pool.write(make<T>(id));
            if (left.fetch_sub(1) == 1) pool.close();
        });
    for (int c = 0; c < consumers; ++c)
        threads.emplace_back([&] {
            T v{};
            while (pool.read(v))
                if (id_of(v) < messages) seen[id_of(v)].fetch_add(1);
        });
    for (auto& t : threads) t.join();
    std::size_t bad = 0;
    for (auto& s : seen) bad += s.load() != 1;
    CHECK(bad == 0);
    CHECK(pool.was_size() == 0);
}

template <class Pool>
void close_reopen_swap_try_timed() {
    using T = typename Pool::value_type;
    Pool pool(3);
    CHECK(pool.capacity() == 3);
    CHECK(pool.try_write(make<T>(1)) && pool.try_write(make<T>(2)) && pool.try_write(make<T>(3)));
    CHECK(!pool.try_write(make<T>(4)));
    const auto t0 = std::chrono::steady_clock::now();
    CHECK(!pool.write_for(make<T>(4), 10ms));
    CHECK(std::chrono::steady_clock::now() - t0 >= 10ms);
    T out{};
    T displaced{};
    CHECK(pool.read(out, make<T>(100)));  // swap read: the slot keeps 100
    const std::uint64_t first = id_of(out);
    CHECK(first >= 1 && first <= 3);
    pool.write(make<T>(5), displaced);  // swap write: the only free slot is the one that kept 100
    CHECK(id_of(displaced) == 100);
    pool.close();
    std::uint64_t sum = 0, count = 0;
    while (pool.read(out)) {  // closed: drains the other two of 1..3, and 5, then fails
        sum += id_of(out);
        ++count;
    }
    CHECK(count == 3);
    CHECK(sum == 1 + 2 + 3 - first + 5);
    CHECK(!pool.read(out));
    CHECK(!pool.try_read(out));
    pool.reopen();
    CHECK(!pool.read_for(out, 10ms));
    CHECK(!pool.read_until(out, std::chrono::steady_clock::now() + 5ms));
    // Paces only (an installed consumer has no test hooks): the read is likely
    // waiting by then, and it gets message 9 in either order.
    std::thread late([&] { std::this_thread::sleep_for(10ms); pool.write(make<T>(9)); });
    CHECK(pool.read(out) && id_of(out) == 9);
    late.join();
    pool.wait_until_empty();
}

template <class Claim, class Wait, class Storage>
void check_composition(const char* name) {
    current = name;
    ++compositions;
    exactly_once<msgpool::basic_pool<std::uint64_t, Claim, Wait, Storage>>();
    exactly_once<msgpool::basic_pool<std::unique_ptr<int>, Claim, Wait, Storage>>();
    close_reopen_swap_try_timed<msgpool::basic_pool<std::uint64_t, Claim, Wait, Storage>>();
    close_reopen_swap_try_timed<msgpool::basic_pool<std::unique_ptr<int>, Claim, Wait, Storage>>();
}

template <class Claim, class Wait>
void over_storages(const std::string& name) {
    check_composition<Claim, Wait, msgpool::storage::inline_slots>((name + "+inline_slots").c_str());
    check_composition<Claim, Wait, msgpool::storage::aligned_slots>((name + "+aligned_slots").c_str());
    if constexpr (msgpool::composable<Claim, msgpool::storage::line_grouped_slots>)
        check_composition<Claim, Wait, msgpool::storage::line_grouped_slots>((name + "+line_grouped_slots").c_str());
}

template <class Claim>
void over_waits(const std::string& name) {
    over_storages<Claim, msgpool::wait::condvar>(name + "+condvar");
    over_storages<Claim, msgpool::wait::spin>(name + "+spin");
    over_storages<Claim, msgpool::wait::futex>(name + "+futex");
    over_storages<Claim, msgpool::wait::futex_counted>(name + "+futex_counted");
}

int main() {
    over_waits<msgpool::claim::cas_scan>("cas_scan");
    over_waits<msgpool::claim::fetch_add_ring>("fetch_add_ring");
    over_waits<msgpool::claim::index_queue>("index_queue");
    // Every composition the installed catalog lists is named above: a policy
    // added to msgpool without a line here fails this program.
    int in_catalog = 0;
    msgpool::catalog::for_each_composition([&]<class, class, class>() { ++in_catalog; });
    current = "catalog";
    CHECK(compositions == in_catalog);
    if (failures) {
        std::fprintf(stderr, "consumer_compositions: %d check(s) failed\n", failures);
        return 1;
    }
    std::printf("consumer_compositions: all %d compositions x 2 element types passed\n", compositions);
    return 0;
}
