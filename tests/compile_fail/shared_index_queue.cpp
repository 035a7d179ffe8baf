// Must NOT compile: claim::index_queue keeps Boost.Lockfree nodes by pointer,
// which mean nothing in another process.  Expected diagnostic:
// "hold their nodes by pointer".
#include <cstdint>

#include <msgpool/basic_shared_pool.hpp>
#include <msgpool/claim/index_queue.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/wait/futex.hpp>

int main() {
    using P = msgpool::basic_shared_pool<std::uint64_t, msgpool::claim::index_queue, msgpool::wait::futex,
                                         msgpool::storage::inline_slots>;
    auto p = P::create("/never-created", 4);
    return static_cast<int>(p->capacity());
}
