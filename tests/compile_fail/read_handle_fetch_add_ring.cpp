// Must NOT compile: claim::fetch_add_ring hands out slots in ring order, so a
// held read slot stalls the ring: once the writers come round to it they wait
// for its release, and readers wait behind them.  A thread holding a read
// handle could then wait for itself (its next write, or a read waiting for a
// message), since only it can release the slot.  The pool offers no read
// handles on the ring: claim_read() is constrained on the concept
// claim_policy_read_handles, whose diagnostic says why.
// Expected diagnostic mentions "claim_policy_read_handles".
#include <msgpool/basic_pool.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/wait/condvar.hpp>

int main() {
    msgpool::basic_pool<int, msgpool::claim::fetch_add_ring, msgpool::wait::condvar, msgpool::storage::inline_slots>
        pool(4);
    pool.write(1);
    auto handle = pool.claim_read();
    const int value = *handle;
    handle.release();
    return value;
}
