// Must NOT compile: claim::fetch_add_ring cannot give back a fetch-add ticket,
// so it has no abandon_write and the pool offers no write handles (a dropped
// handle would leave a turn that nobody publishes).  The frame says so by name.
// Expected diagnostic mentions "needs a claim policy that can give back an unpublished slot".
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
