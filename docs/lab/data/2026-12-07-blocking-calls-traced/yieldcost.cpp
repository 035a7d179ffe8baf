#include <sched.h>
#include <chrono>
#include <cstdio>
#include <thread>
#include <pthread.h>
int main() {
    const int N = 200000;
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < N; ++i) sched_yield();
    auto t1 = std::chrono::steady_clock::now();
    std::printf("sched_yield alone: %.0f ns\n", std::chrono::duration<double, std::nano>(t1 - t0).count() / N);
    cpu_set_t s; CPU_ZERO(&s); CPU_SET(0, &s);
    auto f = [&] { pthread_setaffinity_np(pthread_self(), sizeof s, &s); for (int i = 0; i < N; ++i) sched_yield(); };
    t0 = std::chrono::steady_clock::now();
    std::thread a(f), b(f); a.join(); b.join();
    t1 = std::chrono::steady_clock::now();
    std::printf("sched_yield, two threads on one cpu: %.0f ns per yield\n", std::chrono::duration<double, std::nano>(t1 - t0).count() / (2 * N));
    t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < N; ++i) __builtin_ia32_pause();
    t1 = std::chrono::steady_clock::now();
    std::printf("pause: %.1f ns\n", std::chrono::duration<double, std::nano>(t1 - t0).count() / N);
}
