// bench/systems_processes.cpp - the systems of --processes: msgpool's shared
// pools and Boost.Interprocess message_queue, each producer and consumer a
// process (process_workload.hpp).
//
// Names: "shm:<claim>+<wait>+<storage>+<barrier>"; the same composition with
// threads in one process is "<claim>+<wait>+<storage>", so a run that selects
// both shows what crossing processes costs.
#include <msgpool/basic_shared_pool.hpp>
#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/claim/fetch_add_ring.hpp>
#include <msgpool/storage/aligned_slots.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/spin.hpp>

#include "peers/interprocess_message_queue.hpp"
#include "process_workload.hpp"
#include "shared_pool_adapter.hpp"
#include "systems.hpp"

namespace msgpool_bench {
namespace {

template <class Claim, class Wait, class Storage, class Sync>
struct shared_composition {
    template <class Msg>
    using queue = shared_pool_queue<msgpool::basic_shared_pool<Msg, Claim, Wait, Storage, Sync>>;
};

/// Footprint of a process-shared structure: its object only (its memory is a
/// segment, not heap blocks this process could count).
template <class Q>
footprint object_only(std::size_t) {
    return {0, Q::object_bytes};
}

template <template <class> class Queue>
system make_process_system(std::string name, system_kind kind, std::string notes, bool sleeps) {
    system s;
    s.name = std::move(name);
    s.kind = kind;
    s.notes = std::move(notes);
    s.sleeps = sleeps;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((s.runs[I] = &run_processes<Queue<message_of<message_sizes[I]>>>), ...);
        ((s.footprints[I] = &object_only<Queue<message_of<message_sizes[I]>>>), ...);
    }(std::make_index_sequence<message_sizes.size()>{});
    s.idle8 = &run_idle_processes<Queue<msg8>>;
    return s;
}

template <class Claim, class Wait, class Storage, class Sync>
system shared_system() {
    const std::string name = "shm:" + std::string(Claim::name) + "+" + std::string(Wait::name) + "+" +
                             std::string(Storage::name) + "+" + std::string(Sync::barrier::name);
    system s = make_process_system<shared_composition<Claim, Wait, Storage, Sync>::template queue>(
        name, system_kind::shared, "a process per producer and per consumer; shared-memory segment",
        Wait::name == std::string_view("futex"));
    s.type_name = "msgpool::basic_shared_pool<T, msgpool::claim::" + std::string(Claim::name) +
                  ", msgpool::wait::" + std::string(Wait::name) + ", msgpool::storage::" + std::string(Storage::name) +
                  ", msgpool::sync::" + (Sync::barrier::name == std::string_view("fence") ? "shared_fenced" : "shared_membarrier") + ">";
    return s;
}

}  // namespace

std::vector<system> process_systems() {
    using namespace msgpool;
    return {
        shared_system<claim::cas_scan, wait::futex, storage::inline_slots, sync::shared_fenced>(),
        shared_system<claim::cas_scan, wait::futex, storage::inline_slots, sync::shared_membarrier>(),
        shared_system<claim::cas_scan, wait::futex, storage::aligned_slots, sync::shared_fenced>(),
        shared_system<claim::cas_scan, wait::futex, storage::aligned_slots, sync::shared_membarrier>(),
        shared_system<claim::fetch_add_ring, wait::futex, storage::inline_slots, sync::shared_fenced>(),
        shared_system<claim::fetch_add_ring, wait::futex, storage::inline_slots, sync::shared_membarrier>(),
        shared_system<claim::fetch_add_ring, wait::futex, storage::aligned_slots, sync::shared_membarrier>(),
        shared_system<claim::fetch_add_ring, wait::spin, storage::aligned_slots, sync::shared_fenced>(),
        make_process_system<interprocess_message_queue>(
            "boost::interprocess::message_queue", system_kind::shared_peer,
            "bounded; a process per producer and per consumer; one process-shared mutex, copy under it; pills",
            true),
    };
}

}  // namespace msgpool_bench
