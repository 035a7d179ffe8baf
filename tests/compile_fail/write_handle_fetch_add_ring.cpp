// Must NOT compile: claim::fetch_add_ring cannot give back a claimed ring
// position, so it has no abandon_write and the pool offers no write handles (a
// dropped handle would leave a position that nobody publishes).  claim_write()
// is constrained on the concept claim_protocol_abandon_write, and the
// diagnostic names it and the missing expression p.abandon_write(slots, t).
// Expected diagnostic mentions "claim_protocol_abandon_write".
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
