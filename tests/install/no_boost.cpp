// Every public header but claim::index_queue's, and one pool of every
// composition that needs no Boost: the packaging tests list the headers this
// file reads (-M) and fail if one of them is a Boost header.
#include <msgpool.h>
#include <msgpool/basic_pool.hpp>
#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/compositions.hpp>
#include <msgpool/pool.hpp>
#include <msgpool/slot_handle.hpp>
#include <msgpool/storage/aligned_slots.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/storage/line_grouped_slots.hpp>
#include <msgpool/version.hpp>
#include <msgpool/wait/condvar.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/spin.hpp>

#include <cstdint>

int main() {
    msgpool::pool<std::uint64_t> plain(4);
    msgpool::futex_pool<std::uint64_t> futex(4);
    msgpool::line_pool<std::uint64_t> line(4);
    msgpool::ring_pool<std::uint64_t> ring(4);
    msgpool::spin_pool<std::uint64_t> spin(4);
    plain.write(1);
    futex.write(2);
    line.write(3);
    ring.write(4);
    spin.write(5);
    return static_cast<int>(plain.was_size() + futex.was_size() + line.was_size() + ring.was_size() +
                            spin.was_size()) == 5
               ? 0
               : 1;
}
