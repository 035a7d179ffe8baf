// bench/heap_meter.cpp - the replaced global operator new / delete.
//
// Layout of a block: [padding | header: size_t offset, size_t bytes | user
// memory].  `offset` is how far the user pointer lies past the start of the
// malloc'd block (16 for ordinary allocations, the alignment for over-aligned
// ones), so every form of operator delete finds the block start the same way.
// The header costs 16 bytes (or one alignment unit) per allocation; only the
// requested bytes are counted.  Counting is a thread-local add: no shared
// write, so allocating peers pay nothing extra under contention.
#include "heap_meter.hpp"

#include <cstdlib>
#include <new>

namespace msgpool_bench::heap_meter {
namespace {

thread_local std::int64_t balance = 0;

constexpr std::size_t basic_offset = 16;  // keeps malloc's 16-byte alignment

void* allocate_aligned(std::size_t bytes, std::size_t align) noexcept {
    const std::size_t offset = align > basic_offset ? align : basic_offset;
    if (bytes > static_cast<std::size_t>(-1) - offset) return nullptr;
    void* block = nullptr;
    if (offset == basic_offset) {
        block = std::malloc(bytes + offset);
        if (block == nullptr) return nullptr;
    } else if (posix_memalign(&block, offset, bytes + offset) != 0) {
        return nullptr;
    }
    auto* user = static_cast<unsigned char*>(block) + offset;
    reinterpret_cast<std::size_t*>(user)[-2] = offset;
    reinterpret_cast<std::size_t*>(user)[-1] = bytes;
    balance += static_cast<std::int64_t>(bytes);
    return user;
}

void release(void* p) noexcept {
    if (p == nullptr) return;
    auto* user = static_cast<unsigned char*>(p);
    const std::size_t offset = reinterpret_cast<std::size_t*>(user)[-2];
    balance -= static_cast<std::int64_t>(reinterpret_cast<std::size_t*>(user)[-1]);
    std::free(user - offset);
}

void* allocate_or_throw(std::size_t bytes, std::size_t align) {
    for (;;) {
        if (void* p = allocate_aligned(bytes == 0 ? 1 : bytes, align)) return p;
        std::new_handler handler = std::get_new_handler();
        if (handler == nullptr) throw std::bad_alloc();
        handler();
    }
}

}  // namespace

std::int64_t thread_balance() noexcept { return balance; }
void note(std::int64_t bytes) noexcept { balance += bytes; }
void* allocate(std::size_t bytes) noexcept { return allocate_aligned(bytes == 0 ? 1 : bytes, basic_offset); }
void deallocate(void* p) noexcept { release(p); }

}  // namespace msgpool_bench::heap_meter

namespace hm = msgpool_bench::heap_meter;

// Every replaceable allocation function, so that no block escapes the header
// scheme (a block from one form may legally reach the plain delete).
void* operator new(std::size_t n) { return hm::allocate_or_throw(n, 0); }
void* operator new[](std::size_t n) { return hm::allocate_or_throw(n, 0); }
void* operator new(std::size_t n, std::align_val_t a) { return hm::allocate_or_throw(n, static_cast<std::size_t>(a)); }
void* operator new[](std::size_t n, std::align_val_t a) { return hm::allocate_or_throw(n, static_cast<std::size_t>(a)); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    return hm::allocate_aligned(n == 0 ? 1 : n, 0);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
    return hm::allocate_aligned(n == 0 ? 1 : n, 0);
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    return hm::allocate_aligned(n == 0 ? 1 : n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    return hm::allocate_aligned(n == 0 ? 1 : n, static_cast<std::size_t>(a));
}

void operator delete(void* p) noexcept { hm::release(p); }
void operator delete[](void* p) noexcept { hm::release(p); }
void operator delete(void* p, std::size_t) noexcept { hm::release(p); }
void operator delete[](void* p, std::size_t) noexcept { hm::release(p); }
void operator delete(void* p, std::align_val_t) noexcept { hm::release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { hm::release(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { hm::release(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { hm::release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { hm::release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { hm::release(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { hm::release(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { hm::release(p); }
