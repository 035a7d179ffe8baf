// A worker pool with a clean shutdown: producers submit jobs, workers compute
// results; once every producer has finished, wait_until_empty() returns when
// every job has been taken out of the pool, close() then lets the workers
// drain and stop.  Every job's result is checked, and each job ran once.
#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

#include <msgpool/compositions.hpp>

namespace {

struct job {
    std::uint32_t id = 0;
    std::uint64_t input = 0;
};

std::uint64_t work(std::uint64_t x) { return x * x + 1; }

}  // namespace

int main() {
    constexpr unsigned producers = 4, workers = 3;
    constexpr std::uint32_t jobs_per_producer = 5000, jobs = producers * jobs_per_producer;

    msgpool::futex_pool<job> queue(256);
    std::vector<std::uint64_t> result(jobs, 0);  // result[id], written by the one worker that ran job id
    std::vector<std::uint32_t> runs(jobs, 0);    // how often job id ran

    std::vector<std::thread> worker_threads;
    for (unsigned w = 0; w < workers; ++w)
        worker_threads.emplace_back([&] {
            job j;
            while (queue.read(j)) {  // false once the pool is closed and empty
                result[j.id] = work(j.input);
                ++runs[j.id];  // distinct ids go to distinct workers: no race if each job is read once
            }
        });

    std::vector<std::thread> producer_threads;
    for (unsigned p = 0; p < producers; ++p)
        producer_threads.emplace_back([&, p] {
            for (std::uint32_t k = 0; k < jobs_per_producer; ++k) {
                const std::uint32_t id = p * jobs_per_producer + k;
                queue.write(job{id, id + 7u});  // blocks while the pool is full
            }
        });

    for (auto& t : producer_threads) t.join();
    queue.wait_until_empty();  // every job written has been completely read
    const bool empty_before_close = queue.was_empty();
    queue.close();  // the workers' reads now return false instead of blocking
    for (auto& t : worker_threads) t.join();

    std::uint32_t wrong = 0;
    for (std::uint32_t id = 0; id < jobs; ++id)
        if (runs[id] != 1 || result[id] != work(id + 7u)) ++wrong;
    const bool ok = wrong == 0 && empty_before_close;
    std::printf("worker_pool: %u producers, %u workers, %u jobs, %s\n", producers, workers, jobs,
                ok ? "each ran once with the right result" : "FAILED");
    return ok ? 0 : 1;
}
