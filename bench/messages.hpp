// bench/messages.hpp - the messages the benchmark moves, and how a consumer
// checks what it received.
//
// A message of B bytes is a trivially copyable object of exactly B bytes.
// The sizes built in are the powers of two from 1 to 4096 bytes
// (message_sizes); a size in between is measured with the next size up
// (message_size_for).  An 8-byte message is a std::uint64_t holding its id
// (what a user passing indices or pointers would push).  Any other size
// holds its id in its first min(B, 8) bytes, little-endian; a message over
// 8 bytes carries after it K = (B - 8) / 8 payload words, word k being
// payload_word(id, k), so a consumer that receives a torn or stale message
// notices it (counted as "corrupt", failing the exactly-once check).
//
// The check costs O(1) per message whatever its size (check_mode::sampled,
// the default): the producer writes, and the consumer compares,
//   - the id (first word) and the last payload word: "the id at both ends";
//   - sampled_words payload words at positions derived from the id;
//   - every payload word of each message whose id is a multiple of
//     full_check_period (16 to 128, growing with the size so that these
//     whole checks add at most about 8 words per message).
// A message of up to sampled_words + 1 payload words (48 bytes) is checked
// whole every time.  The words a message does not carry are whatever the
// producer's buffer held before: no check reads them.
//
// What it catches (bench/tests/message_check.cpp feeds it torn messages):
//   - a whole message of another id in place of this one (stale or
//     duplicated): always, by the exactly-once sums (workload.cpp), since
//     such a message passes its own check;
//   - a payload of another message under this id, or any tear of one
//     contiguous run of words that reaches the id or the last word:
//     always, the two ends disagree;
//   - a word of another message inside the message, first and last words
//     intact: when it lies at one of the sampled positions, or the message
//     is fully checked: for a single such word at 4096 bytes,
//     1/128 + 127/128 * 4/510, about 1.6% of messages; at 64 bytes,
//     1/16 + 15/16 * 4/6, about 69%.
// check_mode::full (--full-check) writes and compares every word of every
// message; check_mode::none (the --no-check reference) writes the id alone
// and compares nothing but it.  payload_word(id, k) is one-to-one in id for
// each k, so a word from another message never matches by chance.
//
// Ids: producers number messages 0..N-1.  A message narrower than 8 bytes
// cannot hold every id: it carries id mod (2^(8B) - 1), and the check
// compares the count and the sums of those residues (workload.cpp).  The
// all-ones value of the id field is never a residue: it is the poison pill
// some peers shut down with.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
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

/// Word k of message `id`'s payload: h + k * (2h + 1) with h = id ^ a
/// constant, so consecutive words differ by one addition (payload_step).
inline constexpr std::uint64_t payload_word(std::uint64_t id, std::size_t k) noexcept {
    return (id ^ 0x9E3779B97F4A7C15ull) * (2 * k + 1) + k;
}
inline constexpr std::uint64_t payload_step(std::uint64_t id) noexcept { return 2 * (id ^ 0x9E3779B97F4A7C15ull) + 1; }
static_assert(payload_word(7, 5) + payload_step(7) == payload_word(7, 6));

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
        if constexpr (id_bytes<Msg> == 8 && std::endian::native == std::endian::little) {
            std::memcpy(&id, m.bytes, 8);  // one load (the byte loop below is not always merged into one)
        } else {
            for (std::size_t i = 0; i < id_bytes<Msg>; ++i) id |= std::uint64_t{m.bytes[i]} << (8 * i);
        }
        return id;
    }
}

template <class Msg>
bool is_pill(const Msg& m) noexcept {
    return id_of(m) == id_modulus<Msg>;
}

/// What the workload writes into each message and compares on receipt.
enum class check_mode {
    sampled,  // O(1): the id at both ends, sampled words, every full_check_period-th message whole
    full,     // every word of every message (--full-check)
    none,     // the id alone (the --no-check reference)
};

const char* to_string(check_mode m) noexcept;

/// Payload words compared besides the last, at positions derived from the id.
inline constexpr std::size_t sampled_words = 4;
template <class Msg>
inline constexpr std::size_t payload_words = sizeof(Msg) > 8 ? (sizeof(Msg) - 8) / 8 : 0;

/// Messages whose id is a multiple of this are written and compared whole:
/// a power of two near a quarter of the payload words, at least 16, so that
/// the whole checks add at most about 8 words per message at any size
/// (16 up to 512 bytes, 32 at 1024, 64 at 2048, 128 at 4096).
template <class Msg>
inline constexpr std::uint64_t full_check_period = std::bit_ceil(std::max<std::uint64_t>(16, payload_words<Msg> / 4));
static_assert(payload_words<message_of<4096>> * 8 + 8 == 4096, "sizes over 8 bytes are whole words");

namespace detail {

/// Whether message `carried` is written and compared whole in `mode`.
template <class Msg>
constexpr bool whole(std::uint64_t carried, check_mode mode) noexcept {
    return mode == check_mode::full || payload_words<Msg> <= sampled_words + 1 ||
           carried % full_check_period<Msg> == 0;
}

/// The sampled positions among the words before the last: sampled_words of
/// them, evenly spaced from a start derived from the id (a multiplicative
/// hash scaled to the span, no division), so they differ.
template <class Msg>
struct sampled_positions {
    static constexpr std::size_t span = payload_words<Msg> - 1, step = span / sampled_words;
    std::size_t at[sampled_words];
    explicit constexpr sampled_positions(std::uint64_t carried) noexcept {
        const std::uint64_t hash = (carried * 0x9E3779B97F4A7C15ull) >> 32;  // Fibonacci hashing: 32 mixed bits
        std::size_t k = static_cast<std::size_t>((hash * span) >> 32);        // in [0, span)
        for (std::size_t j = 0; j < sampled_words; ++j, k = k + step < span ? k + step : k + step - span) at[j] = k;
    }
};

/// Payload words two at a time (words k and k + 1), for the whole-message
/// loops: one vector addition per pair, where word by word the compiler
/// keeps to one scalar addition per word.
struct word_pairs {
    using v2 = std::uint64_t __attribute__((vector_size(16)));
    v2 pair, step;
    explicit word_pairs(std::uint64_t carried) noexcept
        : pair{payload_word(carried, 0), payload_word(carried, 1)},
          step{2 * payload_step(carried), 2 * payload_step(carried)} {}
    void next() noexcept { pair += step; }
};

template <class Msg>
void put_word(Msg& m, std::size_t k, std::uint64_t w) noexcept {
    std::memcpy(m.bytes + 8 + 8 * k, &w, 8);
}

template <class Msg>
std::uint64_t get_word(const Msg& m, std::size_t k) noexcept {
    std::uint64_t w;
    std::memcpy(&w, m.bytes + 8 + 8 * k, 8);
    return w;
}

}  // namespace detail

/// Makes `m` message number `id` as far as `mode` checks it (see the top of
/// this file); the words it does not write keep what `m` held.
template <class Msg>
void fill_message(Msg& m, std::uint64_t id, check_mode mode) noexcept {
    if constexpr (payload_words<Msg> == 0) {
        m = make_message<Msg>(id);
    } else {
        const std::uint64_t carried = carried_id<Msg>(id);
        if constexpr (std::endian::native == std::endian::little) {
            std::memcpy(m.bytes, &carried, 8);
        } else {
            for (std::size_t i = 0; i < 8; ++i) m.bytes[i] = static_cast<unsigned char>(carried >> (8 * i));
        }
        if (mode == check_mode::none) return;
        constexpr std::size_t last = payload_words<Msg> - 1;
        if (detail::whole<Msg>(carried, mode)) {
            detail::word_pairs w(carried);
            std::size_t k = 0;
            for (; k < last; k += 2, w.next()) std::memcpy(m.bytes + 8 + 8 * k, &w.pair, 16);
            if (k == last) detail::put_word(m, k, w.pair[0]);
            return;
        }
        detail::put_word(m, last, payload_word(carried, last));
        for (const std::size_t k : detail::sampled_positions<Msg>(carried).at)
            detail::put_word(m, k, payload_word(carried, k));
    }
}

/// True when what `mode` compares matches the id the message carries.
template <class Msg>
bool intact(const Msg& m, check_mode mode) noexcept {
    if constexpr (payload_words<Msg> == 0) {
        return true;
    } else {
        if (mode == check_mode::none) return true;
        const std::uint64_t carried = id_of(m);
        constexpr std::size_t last = payload_words<Msg> - 1;
        std::uint64_t diff = 0;
        if (detail::whole<Msg>(carried, mode)) {
            detail::word_pairs w(carried);
            detail::word_pairs::v2 pairs_diff{0, 0}, got;
            std::size_t k = 0;
            for (; k < last; k += 2, w.next()) {
                std::memcpy(&got, m.bytes + 8 + 8 * k, 16);
                pairs_diff |= got ^ w.pair;
            }
            if (k == last) diff = detail::get_word(m, k) ^ w.pair[0];
            return (diff | pairs_diff[0] | pairs_diff[1]) == 0;
        }
        diff |= detail::get_word(m, last) ^ payload_word(carried, last);
        for (const std::size_t k : detail::sampled_positions<Msg>(carried).at)
            diff |= detail::get_word(m, k) ^ payload_word(carried, k);
        return diff == 0;
    }
}

/// Whether `mode` compares payload word `k` of message number `id` (for tests and docs).
template <class Msg>
bool checks_word(std::uint64_t id, std::size_t k, check_mode mode) noexcept {
    if (mode == check_mode::none || k >= payload_words<Msg>) return false;
    const std::uint64_t carried = carried_id<Msg>(id);
    if (detail::whole<Msg>(carried, mode) || k == payload_words<Msg> - 1) return true;
    for (const std::size_t at : detail::sampled_positions<Msg>(carried).at)
        if (at == k) return true;
    return false;
}

}  // namespace msgpool_bench
