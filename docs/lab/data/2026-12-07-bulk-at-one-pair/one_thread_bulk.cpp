#include <msgpool/pool.hpp>
#include <msgpool/compositions.hpp>
#include <chrono>
#include <cstdio>
#include <array>
#include <cstdint>
template <class P> void run(const char* name) {
    P p(1024);
    std::array<std::uint64_t, 32> in{}, out{};
    for (int i = 0; i < 32; ++i) in[i] = i;
    const long rounds = 2000000;
    std::uint64_t sum = 0;
    for (int rep = 0; rep < 5; ++rep) {
        auto t0 = std::chrono::steady_clock::now();
        for (long r = 0; r < rounds; ++r) {
            p.write_bulk(std::span<const std::uint64_t>(in));
            std::size_t k = 0;
            while (k < 32) k += p.read_bulk(std::span<std::uint64_t>(out.data() + k, 32 - k));
            sum += out[5];
        }
        auto t1 = std::chrono::steady_clock::now();
        double ns = std::chrono::duration<double, std::nano>(t1 - t0).count() / (rounds * 32.0);
        std::printf("%s: %.2f ns per message (write+read, one thread)\n", name, ns);
    }
    if (sum == 42) std::puts("");
}
int main() {
    run<msgpool::spin_pool<std::uint64_t>>("spin_pool");
    run<msgpool::ring_pool<std::uint64_t>>("ring_pool");
}
