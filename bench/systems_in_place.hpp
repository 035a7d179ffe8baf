// bench/systems_in_place.hpp - the in-place systems (systems_in_place.cpp),
// appended by msgpool_systems() after the compositions they are forms of.
#pragma once

#include <typeindex>
#include <vector>

#include "systems.hpp"

namespace msgpool_bench {

/// Appends "<composition> in place" for each composition_list::in_place entry
/// found among `out` (keys[i]: the type of out[i]'s pool of 8-byte messages).
void add_in_place_systems(std::vector<system>& out, const std::vector<std::type_index>& keys);

}  // namespace msgpool_bench
