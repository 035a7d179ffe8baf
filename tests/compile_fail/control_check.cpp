// The control case: the same scaffolding with a valid element type MUST
// compile, so a compile-fail test cannot pass merely because the include
// paths or flags are wrong.
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/pool.hpp>

struct fine {
    fine() = default;
    fine(fine&&) noexcept = default;
    fine& operator=(fine&&) noexcept = default;
};

int main() {
    msgpool::pool<fine> pool(4);
    // write_handle_fetch_add_ring.cpp's pool, used in every way but claim_write().
    msgpool::basic_pool<int, msgpool::claim::fetch_add_ring, msgpool::wait::condvar, msgpool::storage::inline_slots>
        ring(4);
    ring.write(1);
    auto handle = ring.claim_read();
    *handle = 2;
    handle.release();
    return static_cast<int>(pool.capacity()) - 4 + static_cast<int>(ring.was_size());
}
