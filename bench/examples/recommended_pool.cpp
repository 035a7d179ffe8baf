// bench/examples/recommended_pool.cpp - the program a user pastes
// msgpool-bench --recommend's answer into: MSGPOOL_RECOMMENDED is the text
// after "use:" (for example msgpool::basic_pool<T, msgpool::claim::cas_scan,
// msgpool::wait::futex, msgpool::storage::line_grouped_slots>, or
// msgpool::futex_pool<T>), T the user's message type.  The test
// bench_recommend_paste builds it with each answer of a real run and runs it:
// 3 producers and 5 consumers move 30000 24-byte messages through a pool of
// capacity 500, every message checked to arrive exactly once.
#include <msgpool/basic_pool.hpp>
#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/claim/index_queue.hpp>
#include <msgpool/compositions.hpp>
#include <msgpool/pool.hpp>
#include <msgpool/storage/aligned_slots.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/storage/line_grouped_slots.hpp>
#include <msgpool/wait/condvar.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/futex_counted.hpp>
#include <msgpool/wait/spin.hpp>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

struct message {  // 24 bytes, as asked of --recommend
    std::uint64_t id = 0;
    std::uint64_t check = 0;
    std::uint64_t padding = 0;
};
static_assert(sizeof(message) == 24);

template <class T>
using recommended = MSGPOOL_RECOMMENDED;

int main() {
    constexpr std::uint64_t n = 30000;
    constexpr int producers = 3, consumers = 5;
    recommended<message> pool(500);
    std::vector<std::atomic<int>> seen(n);
    std::atomic<int> bad{0};
    std::vector<std::thread> threads;
    std::atomic<int> writers_left{producers};
    for (int p = 0; p < producers; ++p)
        threads.emplace_back([&, p] {
            for (std::uint64_t id = static_cast<std::uint64_t>(p); id < n; id += producers)
                pool.write(message{id, ~id, 0});
            if (writers_left.fetch_sub(1) == 1) pool.close();
        });
    for (int c = 0; c < consumers; ++c)
        threads.emplace_back([&] {
            message m;
            while (pool.read(m))
                if (m.id >= n || m.check != ~m.id || seen[m.id].fetch_add(1) != 0) bad.fetch_add(1);
        });
    for (auto& t : threads) t.join();
    for (std::uint64_t id = 0; id < n; ++id)
        if (seen[id].load() != 1) bad.fetch_add(1);
    std::printf("%s: %llu messages, 3 producers x 5 consumers, capacity 500: %s\n", MSGPOOL_RECOMMENDED_TEXT,
                static_cast<unsigned long long>(n), bad.load() == 0 ? "each exactly once" : "FAILED");
    return bad.load() == 0 ? 0 : 1;
}
