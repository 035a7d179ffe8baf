// bench/crash_survival/systems.hpp - the systems msgpool-crash-survival
// kills producers of: msgpool's shared pools (msgpool_systems.cpp) and
// Boost.Interprocess message_queue (message_queue_system.cpp).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "process_control.hpp"
#include "survival.hpp"

namespace crash_survival {

struct system_entry {
    std::string name;
    std::string description;      // for --help
    std::size_t default_trials;   // when --trials is not given
    system_result (*run)(const settings&, std::size_t trials, shared_state&);
};

std::vector<system_entry> msgpool_systems();
std::vector<system_entry> message_queue_systems();

}  // namespace crash_survival
