// Buffer recycling with the swap forms: every buffer is allocated at start-up
// (the pool's initialiser gives each slot one, each thread has one spare), and
// messages move buffers around without allocating.  A writer fills its spare,
// writes it and gets back the buffer the slot held; a reader takes a message
// and leaves its own spare in the slot.  The check: no buffer was made after
// start-up, every message arrived once and intact, and at the end every buffer
// is held exactly once (by a slot or by a thread).
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include <msgpool/pool.hpp>

namespace {

struct buffer {
    static inline std::atomic<int> made{0};
    std::vector<std::uint32_t> words;
    buffer() : words(64) { made.fetch_add(1, std::memory_order_relaxed); }
};
using buffer_ptr = std::unique_ptr<buffer>;

}  // namespace

int main() {
    constexpr unsigned producers = 2, consumers = 2;
    constexpr std::uint32_t per_producer = 10000, messages = producers * per_producer;
    constexpr std::size_t capacity = 32;

    // T init(i): slot i starts with a buffer of its own.
    msgpool::pool<buffer_ptr> pool(capacity, [](std::size_t) { return std::make_unique<buffer>(); });
    std::vector<buffer_ptr> spare(producers + consumers);
    for (auto& b : spare) b = std::make_unique<buffer>();
    const int made_at_start = buffer::made.load();

    std::vector<std::atomic<std::uint8_t>> seen(messages);
    std::atomic<std::uint32_t> torn{0}, null_buffers{0};

    std::vector<std::thread> threads;
    for (unsigned p = 0; p < producers; ++p)
        threads.emplace_back([&, p] {
            buffer_ptr mine = std::move(spare[p]);
            for (std::uint32_t k = 0; k < per_producer; ++k) {
                const std::uint32_t id = p * per_producer + k;
                std::fill(mine->words.begin(), mine->words.end(), id);
                buffer_ptr back;
                pool.write(std::move(mine), back);  // the slot takes ours, we get what it held
                if (!back) null_buffers.fetch_add(1);
                mine = std::move(back);
            }
            spare[p] = std::move(mine);
        });
    for (unsigned c = 0; c < consumers; ++c)
        threads.emplace_back([&, c] {
            buffer_ptr mine = std::move(spare[producers + c]);
            buffer_ptr got;
            while (pool.read(got, std::move(mine))) {  // the slot keeps our spare
                const std::uint32_t id = got->words[0];
                if (id >= messages || std::any_of(got->words.begin(), got->words.end(),
                                                  [id](std::uint32_t w) { return w != id; }))
                    torn.fetch_add(1);
                else
                    seen[id].fetch_add(1);
                mine = std::move(got);  // the message's buffer is our next spare
            }
            spare[producers + c] = std::move(mine);
        });
    for (unsigned p = 0; p < producers; ++p) threads[p].join();
    pool.close();
    for (unsigned c = 0; c < consumers; ++c) threads[producers + c].join();

    // Every buffer made at start-up is held exactly once: by a slot or a spare.
    std::set<const buffer*> held;
    std::size_t holders = 0;
    pool.for_each_element([&](buffer_ptr& b, std::size_t) { held.insert(b.get()); ++holders; });
    for (const auto& b : spare) { held.insert(b.get()); ++holders; }
    held.erase(nullptr);

    const bool each_once = std::all_of(seen.begin(), seen.end(), [](const auto& s) { return s.load() == 1; });
    const bool no_allocation = buffer::made.load() == made_at_start;
    const bool all_held = held.size() == static_cast<std::size_t>(made_at_start) && holders == held.size();
    const bool ok = each_once && no_allocation && all_held && torn.load() == 0 && null_buffers.load() == 0;
    std::printf("buffer_recycling: %u messages in %d buffers made at start-up, %d made later, %s\n", messages,
                made_at_start, buffer::made.load() - made_at_start, ok ? "each message once and intact" : "FAILED");
    return ok ? 0 : 1;
}
