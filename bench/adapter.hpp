// bench/adapter.hpp - what the workload needs from a system under test.
//
// Every system (each msgpool composition and each peer) is wrapped in an
// adapter with the same small interface, so that one workload
// (workload.hpp) drives all of them and none gets a different harness:
//
//     Q q(config);                         // capacity, producers, consumers
//     auto p = q.make_producer();          // per-thread state (moodycamel tokens)
//     auto c = q.make_consumer();
//     q.write(p, std::move(msg));          // blocks (or retries) while full
//     q.read(c, msg)                       // false once every message is read
//     q.close(p, messages_written);        // called once, by the last producer
//
// How `read` learns that the run is over differs per system (close() for
// msgpool and the mutex baseline, poison pills or a done counter for peers);
// each adapter's header says which and why.  `object_bytes` is sizeof the
// structure itself, for the footprint (its heap blocks are counted by
// heap_meter).
//
// An adapter may also offer in-place operations (in_place_queue below): a
// producer then makes each message in the slot it sends it in, and a consumer
// checks it where it lies (msgpool_in_place_adapter.hpp says what that
// measures); the workload uses them whenever they are there.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

namespace msgpool_bench {

struct queue_config {
    std::size_t capacity = 1024;
    unsigned producers = 1;
    unsigned consumers = 1;
};

template <class Q>
concept bench_queue = std::constructible_from<Q, const queue_config&> &&
    requires(Q& q, typename Q::producer& p, typename Q::consumer& c, typename Q::message_type& m, std::uint64_t n) {
        { q.make_producer() } -> std::same_as<typename Q::producer>;
        { q.make_consumer() } -> std::same_as<typename Q::consumer>;
        q.write(p, std::move(m));
        { q.read(c, m) } -> std::same_as<bool>;
        q.close(p, n);
        { Q::object_bytes } -> std::convertible_to<std::size_t>;
    };

namespace detail {
template <class Msg>
struct fill_probe {
    void operator()(Msg&) const noexcept {}
};
template <class Msg>
struct use_probe {
    void operator()(const Msg&) const noexcept {}
};
}  // namespace detail

/// The optional in-place operations: write_in_place(p, fill) calls fill(Msg&)
/// on a claimed slot's element and publishes it (blocking while full);
/// read_in_place(c, use) calls use(const Msg&) on a message in its slot and
/// frees the slot, or returns false once every message is read.
template <class Q>
concept in_place_queue =
    bench_queue<Q> && requires(Q& q, typename Q::producer& p, typename Q::consumer& c) {
        q.write_in_place(p, detail::fill_probe<typename Q::message_type>{});
        { q.read_in_place(c, detail::use_probe<typename Q::message_type>{}) } -> std::same_as<bool>;
    };

}  // namespace msgpool_bench
