// Must NOT compile: wait::condvar in a pool shared between processes would
// put a process-private mutex in shared memory.  Expected diagnostic:
// "glibc bug 21422".
#include <cstdint>

#include <msgpool/basic_shared_pool.hpp>
#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/wait/condvar.hpp>

int main() {
    using P = msgpool::basic_shared_pool<std::uint64_t, msgpool::claim::cas_scan, msgpool::wait::condvar,
                                         msgpool::storage::inline_slots>;
    auto p = P::create("/never-created", 4);
    return static_cast<int>(p->capacity());
}
