// bench/messages.hpp - the messages the benchmark moves, and how a consumer
// checks what it received.
//
// A message of B bytes is a trivially copyable object of exactly B bytes.
// The sizes built in are the powers of two from 1 to 4096 bytes
// (message_sizes); a size in between is measured with the next size up
// (message_size_for).  An 8-byte message is a std::uint64_t holding its id
// (what a user passing indices or pointers would push).  Any other size
// holds its id in its first min(B, 8) bytes, little-endian, and fills the
// rest with a payload derived from the id, so a consumer that receives a
// torn or stale message notices it (counted as "corrupt", failing the
// exactly-once check).
//
// Ids: producers number messages 0..N-1.  A message narrower than 8 bytes
// cannot hold every id: it carries id mod (2^(8B) - 1), and the check
// compares the count and the sums of those residues (workload.cpp).  The
// all-ones value of the id field is never a residue: it is the poison pill
// some peers shut down with.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <type_traits>

namespace msgpool_bench {

/// The message sizes this build moves, in bytes.
inline constexpr std::array<std::size_t, 13> message_sizes{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};

/// The built-in size that measures a message of `bytes` (the smallest that
/// holds it), or nothing above the largest.
constexpr std::optional<std::size_t> message_size_for(std::size_t bytes) noexcept {
    for (const auto s : message_sizes)
        if (s >= bytes) return s;
    return std::nullopt;
}

template <std::size_t Bytes>
struct alignas(Bytes % 8 == 0 ? 8 : Bytes % 4 == 0 ? 4 : Bytes % 2 == 0 ? 2 : 1) message {
    unsigned char bytes[Bytes];
};

/// The message type of `Bytes` bytes.
template <std::size_t Bytes>
using message_of = std::conditional_t<Bytes == 8, std::uint64_t, message<Bytes>>;
using msg8 = message_of<8>;

template <class Msg>
inline constexpr std::size_t id_bytes = sizeof(Msg) < 8 ? sizeof(Msg) : 8;

/// Ids travel modulo this (all ones in the id field: the pill, never a residue).
template <class Msg>
inline constexpr std::uint64_t id_modulus = id_bytes<Msg> == 8 ? ~std::uint64_t{0}
                                                               : (std::uint64_t{1} << (8 * id_bytes<Msg>)) - 1;

/// Ids run from 0 to N-1; this one is never a real message.  Peers that shut
/// down with poison pills send make_message<Msg>(pill_id).
inline constexpr std::uint64_t pill_id = ~std::uint64_t{0};

inline constexpr std::uint64_t payload_word(std::uint64_t id, std::size_t k) noexcept {
    return (id ^ 0x9E3779B97F4A7C15ull) * (2 * k + 1) + k;
}

/// The id a message carries for message number `id` (its residue).
template <class Msg>
constexpr std::uint64_t carried_id(std::uint64_t id) noexcept {
    if constexpr (id_bytes<Msg> == 8)
        return id;
    else
        return id == pill_id ? id_modulus<Msg> : id % id_modulus<Msg>;
}

template <class Msg>
Msg make_message(std::uint64_t id) noexcept {
    const std::uint64_t carried = carried_id<Msg>(id);
    if constexpr (std::is_same_v<Msg, std::uint64_t>) {
        return carried;
    } else {
        Msg m;
        for (std::size_t i = 0; i < id_bytes<Msg>; ++i) m.bytes[i] = static_cast<unsigned char>(carried >> (8 * i));
        for (std::size_t at = id_bytes<Msg>, k = 0; at < sizeof(Msg); at += 8, ++k) {
            const std::uint64_t w = payload_word(carried, k);
            std::memcpy(m.bytes + at, &w, sizeof(Msg) - at < 8 ? sizeof(Msg) - at : 8);
        }
        return m;
    }
}

/// The id the message carries (a residue for messages under 8 bytes).
template <class Msg>
std::uint64_t id_of(const Msg& m) noexcept {
    if constexpr (std::is_same_v<Msg, std::uint64_t>) {
        return m;
    } else {
        std::uint64_t id = 0;
        for (std::size_t i = 0; i < id_bytes<Msg>; ++i) id |= std::uint64_t{m.bytes[i]} << (8 * i);
        return id;
    }
}

/// True when the payload matches the id (always true up to 8 bytes).
template <class Msg>
bool intact(const Msg& m) noexcept {
    if constexpr (sizeof(Msg) <= 8) {
        return true;
    } else {
        const std::uint64_t id = id_of(m);
        bool ok = true;
        for (std::size_t at = id_bytes<Msg>, k = 0; at < sizeof(Msg); at += 8, ++k) {
            const std::uint64_t w = payload_word(id, k);
            ok &= std::memcmp(m.bytes + at, &w, sizeof(Msg) - at < 8 ? sizeof(Msg) - at : 8) == 0;
        }
        return ok;
    }
}

template <class Msg>
bool is_pill(const Msg& m) noexcept {
    return id_of(m) == id_modulus<Msg>;
}

}  // namespace msgpool_bench
