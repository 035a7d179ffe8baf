// bench/systems_references.cpp - the reference rows as systems
// (references.hpp), and the default composition with the check off.
#include <algorithm>
#include <utility>

#include "references.hpp"
#include "systems.hpp"

namespace msgpool_bench {
namespace {

/// A reference row over every message size: Ref<Msg>::run, and
/// Ref<Msg>::bytes (the buffer it allocates; no structure around it).
template <template <class> class Ref>
system make_reference(std::string name, std::string notes) {
    system s;
    s.name = std::move(name);
    s.kind = system_kind::reference;
    s.notes = std::move(notes);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((s.runs[I] = &Ref<message_of<message_sizes[I]>>::run), ...);
        ((s.footprints[I] = &Ref<message_of<message_sizes[I]>>::bytes), ...);
    }(std::make_index_sequence<message_sizes.size()>{});
    return s;
}

template <class Msg>
struct workload_only {
    static run_measure run(const run_config& c) { return run_workload_only<Msg>(c); }
    static footprint bytes(std::size_t) { return {}; }
};
template <class Msg>
struct copy_through_buffer {
    static run_measure run(const run_config& c) { return run_copy_through_buffer<Msg>(c); }
    static footprint bytes(std::size_t capacity) { return {capacity * sizeof(Msg), 0}; }
};
template <class Msg>
struct halves_handoff {
    static run_measure run(const run_config& c) { return run_halves_handoff<Msg>(c); }
    static footprint bytes(std::size_t capacity) {
        return {2 * std::max<std::size_t>(1, capacity / 2) * sizeof(Msg), 0};
    }
};

}  // namespace

std::vector<system> reference_systems() {
    return {
        make_reference<workload_only>("workload only", "one thread fills and checks each message, no pool: the "
                                                       "tool's own cost per message"),
        make_reference<copy_through_buffer>("copy through a buffer",
                                            "one thread copies each message into and out of a buffer of the "
                                            "pool's capacity, no synchronisation"),
        make_reference<halves_handoff>("halves hand-off",
                                       "two threads hand halves of a buffer of the pool's capacity to each "
                                       "other, one flag per half (spin, then yield)"),
    };
}

system unchecked_variant(const system& default_composition) {
    system s = default_composition;
    s.name += " (no check)";
    for (auto& a : s.aliases) a += " (no check)";
    s.kind = system_kind::reference;
    s.is_default = false;
    s.sleeps = false;  // not a candidate anywhere, and no blocked-waiter run
    s.check = check_mode::none;
    s.notes = "the default composition, messages carrying their id alone and nothing compared but the id";
    return s;
}

}  // namespace msgpool_bench
