// msgpool-bench (first cut): P producers and C consumers move N 8-byte
// messages through the default composition; prints messages per second.
#include <msgpool/pool.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
    const std::uint64_t messages = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 2'000'000;
    for (int threads : {1, 2, 4, 8}) {
        msgpool::pool<std::uint64_t> pool(1024);
        std::atomic<std::uint64_t> sum{0}, count{0};
        std::atomic<int> left{threads};
        std::vector<std::thread> ts;
        const auto t0 = std::chrono::steady_clock::now();
        for (int p = 0; p < threads; ++p)
            ts.emplace_back([&, p] {
                for (std::uint64_t id = p; id < messages; id += threads) pool.write(id);
                if (left.fetch_sub(1) == 1) pool.close();
            });
        for (int c = 0; c < threads; ++c)
            ts.emplace_back([&] {
                std::uint64_t v, s = 0, n = 0;
                while (pool.read(v)) { s += v; ++n; }
                sum += s;
                count += n;
            });
        for (auto& t : ts) t.join();
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const bool ok = count == messages && sum == messages * (messages - 1) / 2;
        std::printf("pool<uint64_t> cap 1024 %dx%d: %.2f M msg/s %s\n", threads, threads, messages / secs / 1e6,
                    ok ? "(exactly-once ok)" : "EXACTLY-ONCE FAILED");
        if (!ok) return 1;
    }
}
