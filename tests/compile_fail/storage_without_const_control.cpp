// Must NOT compile: a storage policy whose slots offer control(i) only on a
// non-const object.  The claim policies read slot states from const members
// (was_size, is_drained), so the storage concept asks for a const control(i)
// too, and basic_pool rejects this storage by its concept, naming the missing
// expression, instead of failing deep inside a claim policy.
// Expected diagnostic mentions "cs.control(i)".
#include <cstddef>

#include <msgpool/storage/detail/slot_array.hpp>
#include <msgpool/pool.hpp>

struct mutable_control_slots {
    template <class Control>
    class slots {
    public:
        static constexpr std::size_t slots_per_control = 1;
        slots(std::size_t capacity, msgpool::detail::element_layout layout) : array_(capacity, layout) {}
        std::size_t capacity() const noexcept { return array_.capacity(); }
        Control& control(std::size_t i) noexcept { return array_.control(i); }  // no const overload
        void* element(std::size_t i) noexcept { return array_.element(i); }
        std::size_t footprint_bytes() const noexcept { return array_.footprint_bytes(); }

    private:
        msgpool::detail::slot_array<Control, 1> array_;
    };
};

int main() {
    msgpool::basic_pool<int, msgpool::claim::cas_scan, msgpool::wait::condvar, mutable_control_slots> pool(4);
    pool.write(1);
    return static_cast<int>(pool.was_size()) - 1;
}
