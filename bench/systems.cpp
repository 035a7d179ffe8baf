// bench/systems.cpp - the type-erased system entry.
#include "systems.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace msgpool_bench {

const char* to_string(system_kind k) noexcept {
    switch (k) {
        case system_kind::composition: return "composition";
        case system_kind::alias: return "alias";
        case system_kind::peer: return "peer";
        case system_kind::user: return "user composition";
        case system_kind::shared: return "shared";
        case system_kind::shared_peer: return "shared peer";
        case system_kind::reference: return "reference";
    }
    return "?";
}

std::string system::label() const {
    if (aliases.empty()) return name;
    std::string s = name + " [";
    for (std::size_t i = 0; i < aliases.size(); ++i) s += (i ? ", " : "") + aliases[i];
    return s + "]";
}

std::string system::not_measured_note(std::size_t capacity) const {
    if (takes(capacity)) return {};
    return "not measured: capacity above its limit of " + std::to_string(max_capacity);
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

idle_measure system::idle(const idle_config& config) const {
    if (!idle8) throw std::invalid_argument(name + " has no structure whose readers could block");
    return idle8(config);
}

footprint system::memory(std::size_t message_bytes, std::size_t capacity) const {
    return footprints[size_index(message_bytes)](capacity);
}

namespace {

/// '*' matches any run of characters (case-sensitive).
bool glob(const std::string& pattern, const std::string& text) {
    std::size_t p = 0, t = 0, star = std::string::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == text[t]) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (star != std::string::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

}  // namespace

bool selects(const std::string& term, const system& s) {
    if (term == "processes") return s.is_process();
    if (term == "shared") return s.kind == system_kind::shared;
    if (s.is_process()) return glob(term, s.name);  // only by name or the two groups above
    if (term == "all") return true;
    if (term == "default") return s.is_default;
    if (term == "msgpool") return s.is_msgpool();
    if (term == "compositions") return s.kind == system_kind::composition && !s.is_form();
    if (term == "aliases") return !s.is_form() && (s.kind == system_kind::alias || !s.aliases.empty());
    if (term == "bulk") return s.is_bulk();
    if (term == "in_place") return s.in_place;
    if (term == "peers") return s.kind == system_kind::peer && !s.is_form();
    if (term == "references") return s.is_reference();
    if (term == "user") return s.kind == system_kind::user;
    if (term == "blocking") return s.is_msgpool() && !s.is_form() && s.sleeps;
    if (term == "spinning") return s.is_msgpool() && !s.is_form() && !s.sleeps;
    if (glob(term, s.name)) return true;
    return std::any_of(s.aliases.begin(), s.aliases.end(), [&](const std::string& a) { return glob(term, a); });
}

std::vector<std::string> split_list(const std::string& list) {
    std::vector<std::string> out;
    std::stringstream in(list);
    for (std::string item; std::getline(in, item, ',');) {
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (!item.empty()) out.push_back(item);
    }
    return out;
}

std::vector<system> all_systems() {
    auto out = msgpool_systems();
    for (auto& u : user_systems()) out.push_back(std::move(u));
    for (auto& p : peer_systems()) out.push_back(std::move(p));
    attach_latency(out);
    for (auto& p : process_systems()) out.push_back(std::move(p));
    for (auto& x : reference_systems()) out.push_back(std::move(x));
    return out;
}

}  // namespace msgpool_bench
