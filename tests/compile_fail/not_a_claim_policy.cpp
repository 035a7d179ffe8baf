// Must NOT compile: `int` is not a claim policy; the concept says so by name.
// Expected diagnostic mentions "claim_policy".
#include <msgpool/pool.hpp>

int main() {
    msgpool::basic_pool<int, int, msgpool::wait::condvar, msgpool::storage::inline_slots> pool(4);
    return static_cast<int>(pool.capacity());
}
