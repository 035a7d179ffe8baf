// Must NOT compile: an element whose move may throw could lose a message
// while a slot is claimed.  Expected diagnostic: "nothrow-move-constructible".
#include <msgpool/pool.hpp>

struct throwing_move {
    throwing_move() = default;
    throwing_move(throwing_move&&) noexcept(false) {}
    throwing_move& operator=(throwing_move&&) noexcept(false) { return *this; }
};

int main() {
    msgpool::pool<throwing_move> pool(4);
    return static_cast<int>(pool.capacity());
}
