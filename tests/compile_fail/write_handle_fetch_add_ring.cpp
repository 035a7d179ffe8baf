// Must NOT compile: claim::fetch_add_ring hands out slots in ring order, so a
// held slot stalls the ring, and it cannot give back a claimed ring position
// (no abandon_write: a dropped handle would leave a position that nobody
// publishes).  The pool offers no write handles: claim_write() is constrained
// on the concept claim_policy_write_handles, and the diagnostic names it.
// Expected diagnostic mentions "claim_policy_write_handles".
#include <msgpool/basic_pool.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/wait/condvar.hpp>

int main() {
    msgpool::basic_pool<int, msgpool::claim::fetch_add_ring, msgpool::wait::condvar, msgpool::storage::inline_slots>
        pool(4);
    auto handle = pool.claim_write();
    *handle = 1;
    handle.commit();
    return 0;
}
