// Must NOT compile: without an initialiser every slot is default-constructed,
// so an element type without a default constructor needs one.
// Expected diagnostic mentions "default_initializable".
#include <msgpool/pool.hpp>

struct no_default {
    explicit no_default(int) noexcept {}
};

int main() {
    msgpool::pool<no_default> pool(4);
    return static_cast<int>(pool.capacity());
}
