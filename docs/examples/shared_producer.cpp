// A producer process: creates the shared pool NAME, writes COUNT records,
// waits until a consumer process has read them all, closes the pool (the
// consumers' reads then return false) and removes the name.
//
//   shared_producer NAME COUNT        (start shared_consumer NAME alongside)
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <msgpool/shared_pools.hpp>

struct record {
    std::uint64_t id;
    std::uint64_t square;  // id * id: the consumer checks it
};

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: shared_producer NAME COUNT\n");
        return 2;
    }
    const std::string name = argv[1];
    const std::uint64_t count = std::strtoull(argv[2], nullptr, 10);
    try {
        msgpool::shared_pool_options options;
        options.type_tag = 0x7265636f7264;  // "record": a consumer of another type is refused at open
        auto pool = msgpool::shared_pool<record>::create(name, 256, options);
        for (std::uint64_t i = 0; i < count; ++i) pool->write(record{i, i * i});
        const bool drained = pool->wait_until_empty_for(std::chrono::seconds(60));
        pool->close();
        msgpool::shared_pool<record>::remove(name);
        std::printf("shared_producer: %llu records written, %s\n", static_cast<unsigned long long>(count),
                    drained ? "all read" : "NOT all read within 60 s");
        return drained ? 0 : 1;
    } catch (const msgpool::shared_pool_error& e) {
        std::fprintf(stderr, "shared_producer: %s\n", e.what());
        msgpool::shared_pool<record>::remove(name);
        return 1;
    }
}
