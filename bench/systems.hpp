// bench/systems.hpp - the systems msgpool-bench can run, selectable by name.
//
// A system is a type-erased entry: a name, what kind it is, and function
// pointers to the workload and the footprint measurement instantiated for
// both message sizes.  msgpool compositions come from composition_list.hpp
// (systems_msgpool.cpp); peers from systems_peers.cpp.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "footprint.hpp"
#include "workload.hpp"

namespace msgpool_bench {

enum class system_kind { composition, alias, peer };

const char* to_string(system_kind k) noexcept;

struct system {
    std::string name;                  // "cas_scan+condvar+inline_slots", "moodycamel::ConcurrentQueue"
    system_kind kind = system_kind::composition;
    std::vector<std::string> aliases;  // library alias names for this composition ("pool")
    bool is_default = false;           // msgpool::pool<T>
    std::string notes;                 // peers: bounded or not, how it waits

    run_measure (*run8)(const run_config&) = nullptr;
    run_measure (*run64)(const run_config&) = nullptr;
    footprint (*footprint8)(std::size_t) = nullptr;
    footprint (*footprint64)(std::size_t) = nullptr;

    bool is_msgpool() const noexcept { return kind != system_kind::peer; }
    /// The name with its aliases: "cas_scan+condvar+inline_slots [pool]".
    std::string label() const;
    run_measure run(std::size_t message_bytes, const run_config& config) const;
    footprint memory(std::size_t message_bytes, std::size_t capacity) const;
};

std::vector<system> msgpool_systems();  // default first, then every composition, then stray aliases
std::vector<system> peer_systems();
std::vector<system> all_systems();      // msgpool systems, then peers

/// Type-erases one adapter family (Queue<msg8>, Queue<msg64>).
template <template <class> class Queue>
system make_system(std::string name, system_kind kind, std::string notes = {}) {
    system s;
    s.name = std::move(name);
    s.kind = kind;
    s.notes = std::move(notes);
    s.run8 = &run_once<Queue<msg8>>;
    s.run64 = &run_once<Queue<msg64>>;
    s.footprint8 = &measure_footprint<Queue<msg8>>;
    s.footprint64 = &measure_footprint<Queue<msg64>>;
    return s;
}

}  // namespace msgpool_bench
