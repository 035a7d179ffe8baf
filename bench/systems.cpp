// bench/systems.cpp - the type-erased system entry.
#include "systems.hpp"

#include <stdexcept>

namespace msgpool_bench {

const char* to_string(system_kind k) noexcept {
    switch (k) {
        case system_kind::composition: return "composition";
        case system_kind::alias: return "alias";
        case system_kind::peer: return "peer";
        case system_kind::user: return "user composition";
    }
    return "?";
}

std::string system::label() const {
    if (aliases.empty()) return name;
    std::string s = name + " [";
    for (std::size_t i = 0; i < aliases.size(); ++i) s += (i ? ", " : "") + aliases[i];
    return s + "]";
}

namespace {

std::size_t size_index(std::size_t message_bytes) {
    for (std::size_t i = 0; i < message_sizes.size(); ++i)
        if (message_sizes[i] == message_bytes) return i;
    throw std::invalid_argument(std::to_string(message_bytes) + "-byte messages are not built in (messages.hpp)");
}

}  // namespace

run_measure system::run(std::size_t message_bytes, const run_config& config) const {
    return runs[size_index(message_bytes)](config);
}

footprint system::memory(std::size_t message_bytes, std::size_t capacity) const {
    return footprints[size_index(message_bytes)](capacity);
}

std::vector<system> all_systems() {
    auto out = msgpool_systems();
    for (auto& u : user_systems()) out.push_back(std::move(u));
    for (auto& p : peer_systems()) out.push_back(std::move(p));
    return out;
}

}  // namespace msgpool_bench
