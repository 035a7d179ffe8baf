// msgpool/raw_bytes.hpp - basic_pool<raw_bytes, ...>: slots of untyped bytes
// whose size is given at run time.
//
// The C API (<msgpool.h>, src/msgpool_c.cpp) is built on it; C++ code
// normally names its own element type and uses the typed frame
// (<msgpool/basic_pool.hpp>).  Same engine (detail/pool_core.hpp), same
// contract, same deadline primitives; the elements are element_size() bytes
// each, zero-filled at construction, copied in and out with memcpy.  `src`
// and `dst` point to element_size() bytes; `displaced` (write) receives the
// bytes the slot held and `replacement` (read) is stored into the slot after
// the message is copied out.  Either may be null, and either may equal the
// other argument: the bytes are then swapped with the slot's.
#pragma once

#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstring>
#include <utility>

#include <msgpool/basic_pool.hpp>

namespace msgpool {

struct raw_bytes {};

template <claim_policy Claim, wait_policy Wait, storage_policy Storage, sync_family Sync>
class basic_pool<raw_bytes, Claim, Wait, Storage, Sync> : public detail::pool_core<Claim, Wait, Storage, Sync> {
    using core = detail::pool_core<Claim, Wait, Storage, Sync>;

public:
    using value_type = raw_bytes;

    /// `capacity` slots of `element_size` bytes each, zero-filled.  Throws as
    /// the typed pool does for a capacity of 0 or one that cannot be allocated.
    basic_pool(std::size_t capacity, std::size_t element_size)
        : core(capacity, detail::element_layout::bytes(element_size)), element_size_(element_size) {
        for (std::size_t i = 0; i < capacity; ++i) std::memset(core::element(i), 0, element_size_);
    }

    /// The same, with the slots in `slot_memory` (see the typed pool's in_place
    /// constructor).
    basic_pool(in_place, void* slot_memory, std::size_t capacity, std::size_t element_size)
        requires std::constructible_from<typename core::slots_type, std::size_t, detail::element_layout, void*>
        : core(capacity, detail::element_layout::bytes(element_size), slot_memory), element_size_(element_size) {
        for (std::size_t i = 0; i < capacity; ++i) std::memset(core::element(i), 0, element_size_);
    }

    /// As above, then `init(void* element, i)` once per slot.
    template <class Init>
        requires std::invocable<Init&, void*, std::size_t>
    basic_pool(std::size_t capacity, std::size_t element_size, Init init) : basic_pool(capacity, element_size) {
        for (std::size_t i = 0; i < capacity; ++i) init(core::element(i), i);
    }

    /// The element size in bytes.
    std::size_t element_size() const noexcept { return element_size_; }

    /// The primitives: wait as `d` allows (basic_pool.hpp), then copy in or out.
    bool write(const deadline& d, const void* src, void* displaced = nullptr) noexcept {
        return core::write_with(d, [&](void* slot) noexcept {
            if (displaced != nullptr && displaced == src) return swap_bytes(slot, displaced);  // in place
            if (displaced != nullptr) std::memcpy(displaced, slot, element_size_);
            std::memcpy(slot, src, element_size_);
        });
    }
    bool read(const deadline& d, void* dst, const void* replacement = nullptr) noexcept {
        return core::read_with(d, [&](void* slot) noexcept {
            if (replacement == dst) return swap_bytes(slot, dst);  // as for write
            std::memcpy(dst, slot, element_size_);
            if (replacement != nullptr) std::memcpy(slot, replacement, element_size_);
        });
    }

    // The named forms.
    void write(const void* src, void* displaced = nullptr) { write(deadline::forever(), src, displaced); }
    bool try_write(const void* src, void* displaced = nullptr) { return write(deadline::no_wait(), src, displaced); }
    template <class C, class D>
    bool write_until(const void* src, void* displaced, const std::chrono::time_point<C, D>& t) {
        return write(deadline(t), src, displaced);
    }
    template <class R, class P>
    bool write_for(const void* src, void* displaced, const std::chrono::duration<R, P>& d) {
        return write(deadline(d), src, displaced);
    }
    bool read(void* dst, const void* replacement = nullptr) { return read(deadline::forever(), dst, replacement); }
    bool try_read(void* dst, const void* replacement = nullptr) {
        return read(deadline::no_wait(), dst, replacement);
    }
    template <class C, class D>
    bool read_until(void* dst, const void* replacement, const std::chrono::time_point<C, D>& t) {
        return read(deadline(t), dst, replacement);
    }
    template <class R, class P>
    bool read_for(void* dst, const void* replacement, const std::chrono::duration<R, P>& d) {
        return read(deadline(d), dst, replacement);
    }

    /// Calls `f(void* element, i)` for every slot i in index order, in place,
    /// whatever the slot holds.  Precondition: no other thread uses the pool
    /// during the call.  The C API's msgpool_init, which sets slots up or
    /// releases what they hold.
    template <class F>
    void for_each_element(F&& f) {
        for (std::size_t i = 0; i < this->capacity(); ++i) f(core::element(i), i);
    }

private:
    void swap_bytes(void* slot, void* other) const noexcept {
        auto* a = static_cast<unsigned char*>(slot);
        auto* b = static_cast<unsigned char*>(other);
        for (std::size_t i = 0; i < element_size_; ++i) std::swap(a[i], b[i]);
    }

    std::size_t element_size_;
};

}  // namespace msgpool
