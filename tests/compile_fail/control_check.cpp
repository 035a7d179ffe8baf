// The control case: the same scaffolding with a valid element type MUST
// compile, so a compile-fail test cannot pass merely because the include
// paths or flags are wrong.
#include <msgpool/pool.hpp>

struct fine {
    fine() = default;
    fine(fine&&) noexcept = default;
    fine& operator=(fine&&) noexcept = default;
};

int main() {
    msgpool::pool<fine> pool(4);
    return static_cast<int>(pool.capacity()) - 4;
}
