// bench/messages.hpp - the two message sizes the benchmark moves, and how a
// consumer checks what it received.
//
// An 8-byte message is just its id (what a user passing indices or pointers
// would push).  A 64-byte message carries its id and 56 bytes of payload
// derived from the id, so a consumer that receives a torn or stale message
// notices it (counted as "corrupt" and failing the exactly-once check).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

namespace msgpool_bench {

using msg8 = std::uint64_t;

struct msg64 {
    std::uint64_t id = 0;
    std::uint64_t payload[7] = {};
};
static_assert(sizeof(msg64) == 64 && std::is_trivially_copyable_v<msg64>);

/// Ids run from 0 to N-1; this one is never a real message.  Peers that shut
/// down with poison pills send it.
inline constexpr std::uint64_t pill_id = ~std::uint64_t{0};

inline constexpr std::uint64_t payload_word(std::uint64_t id, unsigned k) noexcept {
    return (id ^ 0x9E3779B97F4A7C15ull) * (2 * k + 1) + k;
}

template <class Msg>
Msg make_message(std::uint64_t id) noexcept {
    if constexpr (std::is_same_v<Msg, msg8>) {
        return id;
    } else {
        Msg m;
        m.id = id;
        for (unsigned k = 0; k < 7; ++k) m.payload[k] = payload_word(id, k);
        return m;
    }
}

template <class Msg>
std::uint64_t id_of(const Msg& m) noexcept {
    if constexpr (std::is_same_v<Msg, msg8>)
        return m;
    else
        return m.id;
}

/// True when the payload matches the id (always true for 8-byte messages).
template <class Msg>
bool intact(const Msg& m) noexcept {
    if constexpr (std::is_same_v<Msg, msg8>) {
        return true;
    } else {
        bool ok = true;
        for (unsigned k = 0; k < 7; ++k) ok &= m.payload[k] == payload_word(m.id, k);
        return ok;
    }
}

template <class Msg>
bool is_pill(const Msg& m) noexcept {
    return id_of(m) == pill_id;
}

}  // namespace msgpool_bench
