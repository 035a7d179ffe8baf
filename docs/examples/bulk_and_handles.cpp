// Bulk forms and slot handles.
//  1. A producer writes batches with write_bulk (each call waits for the first
//     free slot only and returns how many it took); a consumer reads with
//     read_bulk into a small array until the pool is closed and empty.
//  2. Slot handles: claim_write() gives an empty slot to fill in place and
//     commit(); a handle dropped without commit() returns its slot (no
//     message appears, no slot is lost); claim_read() gives a message in
//     place and frees its slot when the handle goes.
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <span>
#include <thread>
#include <vector>

#include <msgpool/compositions.hpp>

namespace {

bool bulk() {
    constexpr std::uint64_t n = 50000;
    msgpool::futex_pool<std::uint64_t> pool(256);
    std::vector<std::uint8_t> seen(n, 0);
    std::uint64_t calls = 0;

    std::thread consumer([&] {
        std::uint64_t out[64];
        while (const std::size_t k = pool.read_bulk(out)) {  // 0 once closed and empty
            for (std::size_t i = 0; i < k; ++i)
                if (out[i] < n) ++seen[out[i]];
            ++calls;
        }
    });
    std::vector<std::uint64_t> batch(1000);
    for (std::uint64_t first = 0; first < n; first += batch.size()) {
        std::iota(batch.begin(), batch.end(), first);
        for (std::span<std::uint64_t> rest(batch); !rest.empty();)
            rest = rest.subspan(pool.write_bulk(rest));  // k >= 1 per call
    }
    pool.close();
    consumer.join();

    bool ok = true;
    for (std::uint8_t s : seen) ok = ok && s == 1;
    std::printf("bulk_and_handles: %llu messages in %llu read_bulk calls, %s\n", static_cast<unsigned long long>(n),
                static_cast<unsigned long long>(calls), ok ? "each once" : "FAILED");
    return ok;
}

bool handles() {
    msgpool::futex_pool<std::uint64_t> pool(4);
    bool ok = true;

    if (auto h = pool.claim_write()) {  // an empty slot, claimed
        *h = 42;                        // filled in place
        h.commit();                     // published: one message
    }
    {
        auto dropped = pool.claim_write();
        *dropped = 99;
    }  // dropped without commit(): the slot is empty again, no message
    ok = ok && pool.was_size() == 1;

    // The dropped slot came back: three more messages fit, then the pool is full.
    for (std::uint64_t v : {1, 2, 3}) ok = ok && pool.try_write(v);
    ok = ok && !pool.try_write(std::uint64_t{4}) && pool.was_size() == 4;

    std::uint64_t sum = 0, count = 0;
    while (auto h = pool.try_claim_read()) {  // a message, in place
        sum += *h;
        ++count;
    }  // each handle frees its slot at the end of its pass
    ok = ok && count == 4 && sum == 42 + 1 + 2 + 3 && pool.was_empty();
    std::printf("bulk_and_handles: committed 1 and dropped 1 write handle, read %llu messages through read handles, %s\n",
                static_cast<unsigned long long>(count), ok ? "no slot lost, no phantom message" : "FAILED");
    return ok;
}

}  // namespace

int main() {
    const bool a = bulk();
    const bool b = handles();
    return a && b ? 0 : 1;
}
