// The control case: the same scaffolding with a valid element type MUST
// compile, so a compile-fail test cannot pass merely because the include
// paths or flags are wrong.
#include <cstddef>

#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/storage/detail/slot_array.hpp>
#include <msgpool/pool.hpp>

struct fine {
    fine() = default;
    fine(fine&&) noexcept = default;
    fine& operator=(fine&&) noexcept = default;
};

// storage_without_const_control.cpp's storage with the const control(i) it lacks.
struct const_control_slots {
    template <class Control>
    class slots {
    public:
        static constexpr std::size_t slots_per_control = 1;
        slots(std::size_t capacity, msgpool::detail::element_layout layout) : array_(capacity, layout) {}
        std::size_t capacity() const noexcept { return array_.capacity(); }
        Control& control(std::size_t i) noexcept { return array_.control(i); }
        const Control& control(std::size_t i) const noexcept { return array_.control(i); }
        void* element(std::size_t i) noexcept { return array_.element(i); }
        std::size_t footprint_bytes() const noexcept { return array_.footprint_bytes(); }

    private:
        msgpool::detail::slot_array<Control, 1> array_;
    };
};

int main() {
    msgpool::basic_pool<int, msgpool::claim::cas_scan, msgpool::wait::condvar, const_control_slots> custom(4);
    custom.write(1);
    msgpool::pool<fine> pool(4);
    // {write,read}_handle_fetch_add_ring.cpp's pool, used in every way but handles.
    msgpool::basic_pool<int, msgpool::claim::fetch_add_ring, msgpool::wait::condvar, msgpool::storage::inline_slots>
        ring(4);
    ring.write(1);
    int value = 0;
    if (!ring.read(value) || value != 1) return 1;
    return static_cast<int>(pool.capacity()) - 4 + static_cast<int>(ring.was_size()) +
           static_cast<int>(custom.was_size()) - 1;
}
