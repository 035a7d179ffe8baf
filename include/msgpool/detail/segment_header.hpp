// msgpool/detail/segment_header.hpp - the first 256 bytes of a shared pool's
// memory: what the pool is, where its parts are, and whether it is ready.
//
// Layout of a shared pool's memory (offsets from its start, all recorded here):
//     [0, 256)                       this header
//     [table_offset, + 4096)         the table of attached processes
//                                    (process_table.hpp)
//     [pool_offset, + pool_bytes)    the basic_pool object (control words,
//                                    counters, wait words: no pointers)
//     [slots_offset, + slots_bytes)  the slots (storage's in_place form)
// total_bytes is the end of the slots.  Only offsets and sizes are stored,
// so every process may map the memory at another address.
//
// The init-state word [SH-I1]: 0 (fresh: zero-filled memory), initialising (1,
// with the creator's identity already written), ready (2).  The creator
// writes every other field and constructs the pool, then stores ready with
// release; an opener's acquire load that reads ready pairs with it, and sees
// the header and the pool constructed.  Any other value is corruption.  A
// creator that dies while initialising leaves 1 and its identity, so an
// opener can tell "still being made" from "will never be ready".
//
// Every byte but the init-state word is covered by a 64-bit FNV-1a checksum,
// so a header changed by anything but msgpool is reported as corrupt rather
// than believed.  The trust model: processes of the same user are trusted not
// to scribble on the pool's control words; the header is checked because it
// is what tells a process how to read everything else.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#include <msgpool/detail/process_identity.hpp>
#include <msgpool/detail/process_table.hpp>
#include <msgpool/shared_pool_error.hpp>

namespace msgpool::detail {

struct alignas(64) segment_header {
    static constexpr std::uint32_t magic_value = 0x4c4f4f50;  // "POOL" read as little-endian bytes
    static constexpr std::uint32_t byte_order_value = 0x01020304;
    static constexpr std::uint32_t current_layout = 3;
    static constexpr std::size_t name_chars = 24;

    enum init_state : std::uint32_t { fresh = 0, initialising = 1, ready = 2 };

    std::atomic<std::uint32_t> state;  // [SH-I1]
    std::uint32_t magic;
    std::uint32_t byte_order;
    std::uint32_t layout_version;
    std::uint64_t header_bytes;
    std::uint64_t total_bytes;
    std::uint64_t pool_offset;
    std::uint64_t pool_bytes;
    std::uint64_t pool_align;
    std::uint64_t slots_offset;
    std::uint64_t slots_bytes;
    std::uint64_t capacity;
    std::uint64_t element_size;
    std::uint64_t element_align;
    std::uint64_t type_tag;
    std::int64_t creator_pid;
    std::uint64_t creator_start;
    char claim[name_chars];
    char wait[name_chars];
    char storage[name_chars];
    char barrier[name_chars];
    std::uint64_t table_offset;   // the process table (process_table.hpp)
    std::uint64_t pid_namespace;  // the creator's pid namespace (process_identity::pid_namespace)
    std::uint64_t reserved[2];    // zero; room for later fields
    std::uint64_t checksum;  // FNV-1a of every byte from `magic` up to here
};
static_assert(sizeof(segment_header) == 256 && std::is_standard_layout_v<segment_header>,
              "the segment header is 256 bytes of standard layout: its offsets are part of the format");
static_assert(offsetof(segment_header, checksum) + sizeof(std::uint64_t) == sizeof(segment_header),
              "no padding after the checksum: every header byte but the init state is checksummed");
static_assert(std::atomic<std::uint32_t>::is_always_lock_free && sizeof(std::atomic<std::uint32_t>) == 4,
              "the init-state word is a plain 32-bit word in every process");

/// What a program asks for: the pool it would create, or expects to find.
/// A zero capacity or element size on open means "whatever the segment has".
struct pool_description {
    std::uint64_t capacity = 0;
    std::uint64_t element_size = 0;
    std::uint64_t element_align = 0;
    std::uint64_t type_tag = 0;
    std::uint64_t pool_bytes = 0;
    std::uint64_t pool_align = 0;
    std::string_view claim, wait, storage, barrier;
};

inline std::uint64_t header_checksum(const segment_header& h) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(&h) + offsetof(segment_header, magic);
    const auto* end = reinterpret_cast<const unsigned char*>(&h) + offsetof(segment_header, checksum);
    std::uint64_t x = 0xcbf29ce484222325ull;
    for (; p != end; ++p) x = (x ^ *p) * 0x100000001b3ull;
    return x;
}

inline void copy_name(char (&to)[segment_header::name_chars], std::string_view name) {
    if (name.size() >= segment_header::name_chars)
        throw shared_pool_error(shared_pool_errc::invalid_argument,
                                "policy name '" + std::string(name) + "' is too long for the segment header");
    std::memset(to, 0, sizeof to);
    std::memcpy(to, name.data(), name.size());
}

inline std::string_view name_in(const char (&field)[segment_header::name_chars]) noexcept {
    return std::string_view(field, strnlen(field, segment_header::name_chars));
}

/// Writes every field but the state, for a pool laid out at these offsets.
inline void fill_header(segment_header& h, const pool_description& d, std::uint64_t table_offset,
                        std::uint64_t pool_offset, std::uint64_t slots_offset, std::uint64_t slots_bytes,
                        const process_identity& creator) {
    h.magic = segment_header::magic_value;
    h.byte_order = segment_header::byte_order_value;
    h.layout_version = segment_header::current_layout;
    h.header_bytes = sizeof(segment_header);
    h.total_bytes = slots_offset + slots_bytes;
    h.pool_offset = pool_offset;
    h.pool_bytes = d.pool_bytes;
    h.pool_align = d.pool_align;
    h.slots_offset = slots_offset;
    h.slots_bytes = slots_bytes;
    h.capacity = d.capacity;
    h.element_size = d.element_size;
    h.element_align = d.element_align;
    h.type_tag = d.type_tag;
    h.creator_pid = creator.pid;
    h.creator_start = creator.start;
    copy_name(h.claim, d.claim);
    copy_name(h.wait, d.wait);
    copy_name(h.storage, d.storage);
    copy_name(h.barrier, d.barrier);
    h.table_offset = table_offset;
    h.pid_namespace = process_identity::pid_namespace();
    for (auto& r : h.reserved) r = 0;
    h.checksum = header_checksum(h);
}

/// Throws shared_pool_error naming the first thing about a *ready* header that
/// is wrong (corrupt) or differs from `want` (mismatch), or a size that the
/// `available` bytes cannot hold (too_small).
inline void check_header(const segment_header& h, std::uint64_t available, const pool_description& want) {
    using errc = shared_pool_errc;
    auto fail = [](errc c, const std::string& what) { throw shared_pool_error(c, what); };
    auto num = [](std::uint64_t v) { return std::to_string(v); };
    if (h.magic != segment_header::magic_value) fail(errc::corrupt, "not a msgpool shared pool (bad magic number)");
    if (h.byte_order != segment_header::byte_order_value)
        fail(errc::mismatch, h.byte_order == 0x04030201 ? "the pool was made on a machine of the other byte order"
                                                        : "corrupted header (byte-order mark)");
    if (h.layout_version != segment_header::current_layout)
        fail(errc::mismatch, "layout version " + num(h.layout_version) + " in the segment, this program reads " +
                                 num(segment_header::current_layout));
    if (h.checksum != header_checksum(h)) fail(errc::corrupt, "corrupted header (checksum mismatch)");
    // From here the fields are as their creator wrote them; check them against
    // each other, then against what this program asks for.
    if (h.header_bytes != sizeof(segment_header) || h.pool_offset < h.header_bytes ||
        h.pool_bytes > h.total_bytes || h.pool_offset > h.total_bytes - h.pool_bytes ||
        h.slots_offset < h.pool_offset + h.pool_bytes || h.slots_bytes > h.total_bytes ||
        h.slots_offset != h.total_bytes - h.slots_bytes || h.capacity == 0 || h.element_size == 0 ||
        h.element_align == 0 || (h.element_align & (h.element_align - 1)) != 0 || h.pool_align == 0 ||
        h.pool_offset % h.pool_align != 0 || h.table_offset < h.header_bytes || h.table_offset % 64 != 0 ||
        h.table_offset > h.pool_offset || h.pool_offset - h.table_offset < sizeof(process_table))
        fail(errc::corrupt, "corrupted header (inconsistent layout)");
    if (h.total_bytes > available)
        fail(errc::too_small, "the segment is " + num(available) + " bytes, its header says " + num(h.total_bytes));
    auto differ = [&](const char* what, const std::string& theirs, const std::string& ours) {
        fail(errc::mismatch, std::string(what) + " differs: the segment has " + theirs + ", this program asks for " +
                                 ours);
    };
    auto names = [&](const char* what, std::string_view theirs, std::string_view ours) {
        if (theirs != ours) differ(what, "'" + std::string(theirs) + "'", "'" + std::string(ours) + "'");
    };
    names("claim policy", name_in(h.claim), want.claim);
    names("wait policy", name_in(h.wait), want.wait);
    names("storage policy", name_in(h.storage), want.storage);
    names("barrier", name_in(h.barrier), want.barrier);
    if (want.element_size != 0 && h.element_size != want.element_size)
        differ("element size", num(h.element_size) + " bytes", num(want.element_size) + " bytes");
    if (want.element_align != 0 && h.element_align != want.element_align)
        differ("element alignment", num(h.element_align), num(want.element_align));
    if (h.type_tag != want.type_tag) differ("type tag", num(h.type_tag), num(want.type_tag));
    if (want.capacity != 0 && h.capacity != want.capacity)
        differ("capacity", num(h.capacity), num(want.capacity));
    if (h.pid_namespace != process_identity::pid_namespace())
        fail(errc::unsupported,
             "this process is in another pid namespace than the pool's creator (a container sharing /dev/shm?): "
             "crash recovery tells live processes from dead ones by pid, which means nothing across namespaces");
    if (h.pool_bytes != want.pool_bytes || h.pool_align != want.pool_align)
        differ("pool object layout (size/alignment; another compiler, platform or msgpool version?)",
               num(h.pool_bytes) + "/" + num(h.pool_align), num(want.pool_bytes) + "/" + num(want.pool_align));
}

}  // namespace msgpool::detail
