// Must NOT compile: slots are assigned to, so a const element type is refused.
// Expected diagnostic: "plain object type".
#include <msgpool/pool.hpp>

int main() {
    msgpool::pool<const int> pool(4);
    return static_cast<int>(pool.capacity());
}
