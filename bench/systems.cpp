// bench/systems.cpp - the type-erased system entry.
#include "systems.hpp"

#include <stdexcept>

namespace msgpool_bench {

const char* to_string(system_kind k) noexcept {
    switch (k) {
        case system_kind::composition: return "composition";
        case system_kind::alias: return "alias";
        case system_kind::peer: return "peer";
    }
    return "?";
}

std::string system::label() const {
    if (aliases.empty()) return name;
    std::string s = name + " [";
    for (std::size_t i = 0; i < aliases.size(); ++i) s += (i ? ", " : "") + aliases[i];
    return s + "]";
}

run_measure system::run(std::size_t message_bytes, const run_config& config) const {
    if (message_bytes == 8) return run8(config);
    if (message_bytes == 64) return run64(config);
    throw std::invalid_argument("message size must be 8 or 64 bytes");
}

footprint system::memory(std::size_t message_bytes, std::size_t capacity) const {
    if (message_bytes == 8) return footprint8(capacity);
    if (message_bytes == 64) return footprint64(capacity);
    throw std::invalid_argument("message size must be 8 or 64 bytes");
}

std::vector<system> all_systems() {
    auto out = msgpool_systems();
    for (auto& p : peer_systems()) out.push_back(std::move(p));
    return out;
}

}  // namespace msgpool_bench
