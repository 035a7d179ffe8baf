// A consumer process: opens the shared pool NAME (waiting up to 10 s for a
// producer to create it), reads records until the pool is closed and empty,
// and checks each one.
//
//   shared_consumer NAME COUNT        (start shared_producer NAME COUNT alongside)
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include <msgpool/shared_pools.hpp>

struct record {
    std::uint64_t id;
    std::uint64_t square;
};

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: shared_consumer NAME COUNT\n");
        return 2;
    }
    const std::string name = argv[1];
    const std::uint64_t count = std::strtoull(argv[2], nullptr, 10);
    msgpool::shared_pool_options options;
    options.type_tag = 0x7265636f7264;  // the producer's tag
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
        try {
            auto pool = msgpool::shared_pool<record>::open(name, options);
            std::uint64_t n = 0, sum = 0, bad = 0;
            record r{};
            while (pool->read(r)) {  // false once the producer closed the pool and it is empty
                ++n;
                sum += r.id;
                bad += r.square != r.id * r.id;
            }
            const bool ok = n == count && sum == count * (count - 1) / 2 && bad == 0;
            std::printf("shared_consumer: %llu records read, %s\n", static_cast<unsigned long long>(n),
                        ok ? "each once and intact" : "WRONG");
            return ok ? 0 : 1;
        } catch (const msgpool::shared_pool_error& e) {
            if (e.code() != msgpool::shared_pool_errc::not_found || std::chrono::steady_clock::now() > give_up) {
                std::fprintf(stderr, "shared_consumer: %s\n", e.what());
                return 1;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));  // the producer has not created it yet
        }
    }
}
