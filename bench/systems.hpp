// bench/systems.hpp - the systems msgpool-bench can run, selectable by name.
//
// A system is a type-erased entry: a name, what kind it is, and function
// pointers to the workload and the footprint measurement instantiated for
// every message size of messages.hpp.  msgpool compositions come from the catalog
// (systems_msgpool.cpp); peers from systems_peers.cpp; the reference rows
// (references.hpp: no pool, or a bare hand-off) from systems_references.cpp.
#pragma once

#include <array>
#include <optional>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "footprint.hpp"
#include "latency.hpp"
#include "messages.hpp"
#include "workload.hpp"

namespace msgpool_bench {

/// user: from MSGPOOL_BENCH_USER_HEADER; reference: a row that measures the
/// run without a pool (references.hpp) or the default with the check off;
/// shared: a msgpool shared-memory pool and shared_peer a peer between
/// processes, both run with a process per producer and per consumer
/// (--processes, process_workload.hpp).
enum class system_kind { composition, alias, peer, user, reference, shared, shared_peer };

const char* to_string(system_kind k) noexcept;

struct system {
    std::string name;                  // "cas_scan+condvar+inline_slots", "moodycamel::ConcurrentQueue"
    system_kind kind = system_kind::composition;
    std::vector<std::string> aliases;  // library alias names for this composition ("pool")
    bool is_default = false;           // msgpool::pool<T>
    std::string notes;                 // peers: bounded or not, how it waits
    std::string type_name;             // msgpool and user systems: the C++ type, T for the message type
    bool sleeps = false;               // msgpool: the wait policy blocks in the kernel (condvar, futex), not spin
    unsigned batch = 0;                // bulk systems: messages per write_bulk / read_bulk call (0: single ops)
    bool in_place = false;             // in-place systems: claim_write / claim_read, each message made and checked in its slot
    std::optional<check_mode> check;   // the check this system's runs make, if not the run's (--no-check)
    /// The largest capacity the system takes (an adapter declares it as
    /// `static constexpr std::size_t max_capacity`; none: memory is the only
    /// limit).  A cell above it is not measured for this system, and the
    /// results say so (not_measured_note).
    std::size_t max_capacity = std::numeric_limits<std::size_t>::max();

    // Per size of message_sizes, in its order; idle runs use 8-byte messages.
    std::array<run_measure (*)(const run_config&), message_sizes.size()> runs{};
    std::array<footprint (*)(std::size_t), message_sizes.size()> footprints{};
    idle_measure (*idle8)(const idle_config&) = nullptr;
    latency_workloads latency;  // --latency (latency.hpp); attached by attach_latency()

    bool is_msgpool() const noexcept {
        return kind != system_kind::peer && kind != system_kind::reference && kind != system_kind::shared_peer;
    }
    bool is_reference() const noexcept { return kind == system_kind::reference; }
    /// Run with a process per producer and per consumer.
    bool is_process() const noexcept { return kind == system_kind::shared || kind == system_kind::shared_peer; }
    /// The name with its aliases: "cas_scan+condvar+inline_slots [pool]".
    std::string label() const;
    bool is_bulk() const noexcept { return batch != 0; }
    bool takes(std::size_t capacity) const noexcept { return capacity <= max_capacity; }
    /// Why a cell of `capacity` is not measured for this system ("" if it is).
    std::string not_measured_note(std::size_t capacity) const;
    /// Another form of a composition already in the registry (bulk or in
    /// place): never a group's composition, a cell's leader or a candidate.
    bool is_form() const noexcept { return is_bulk() || in_place; }
    /// `message_bytes` must be one of message_sizes (the command line rounds up to one).
    run_measure run(std::size_t message_bytes, const run_config& config) const;
    /// CPU of consumers blocked on the empty structure (workload.hpp, run_idle).
    /// Not for reference rows (they have no structure to wait on).
    idle_measure idle(const idle_config& config) const;
    footprint memory(std::size_t message_bytes, std::size_t capacity) const;
};

/// The peers --compare-peers divides by (peer_comparison.cpp finds them by name).
inline constexpr std::string_view moodycamel_name = "moodycamel::ConcurrentQueue";
inline constexpr std::string_view original_msgpool_name = "msg-pool (original)";

/// Whether a selection term picks a system: its name or one of its aliases
/// ('*' matches any run of characters), or a group: all, default, msgpool,
/// compositions, aliases, bulk, in_place, peers (single operations), user,
/// references, blocking (msgpool systems whose waiters sleep), spinning
/// (msgpool systems that spin; neither counts the bulk or in-place forms), shared (msgpool's shared-memory pools), processes (those and
/// the peers between processes).  "all" and the other groups select no
/// process system.  --systems and goals files (goals.hpp) select with it.
bool selects(const std::string& term, const system& s);

/// "a, b,c" -> {"a", "b", "c"} (blanks trimmed, empty items dropped).
std::vector<std::string> split_list(const std::string& list);

std::vector<system> msgpool_systems();  // default first, then every composition, then stray aliases, then bulk, then in place
std::vector<system> user_systems();     // the compositions of MSGPOOL_BENCH_USER_HEADER (systems_user.cpp)
std::vector<system> peer_systems();     // single operations, then bulk
std::vector<system> reference_systems();  // workload only, copy through a buffer, halves hand-off
std::vector<system> process_systems();  // --processes: shared pools and the peer between processes
std::vector<system> all_systems();      // msgpool systems, user systems, peers, references, process systems

/// Gives the msgpool compositions and aliases all three latency workloads
/// (wake-up only where waiters sleep), and the peers theirs: round trip,
/// one-way and wake-up for mutex+condvar+deque, BlockingConcurrentQueue and
/// tbb::concurrent_bounded_queue; the round trip alone for
/// moodycamel::ConcurrentQueue (systems_latency.cpp).
void attach_latency(std::vector<system>& systems);

/// The default composition with the check off (--no-check): the same pool,
/// messages carrying their id alone.
system unchecked_variant(const system& default_composition);

/// Type-erases one adapter family (Queue<message_of<B>> for every B of message_sizes).
template <template <class> class Queue>
system make_system(std::string name, system_kind kind, std::string notes = {}) {
    system s;
    s.name = std::move(name);
    s.kind = kind;
    s.notes = std::move(notes);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((s.runs[I] = &run_once<Queue<message_of<message_sizes[I]>>>), ...);
        ((s.footprints[I] = &measure_footprint<Queue<message_of<message_sizes[I]>>>), ...);
    }(std::make_index_sequence<message_sizes.size()>{});
    s.idle8 = &run_idle<Queue<msg8>>;
    if constexpr (requires { Queue<msg8>::max_capacity; }) s.max_capacity = Queue<msg8>::max_capacity;
    return s;
}

}  // namespace msgpool_bench
