// bench/standing.hpp - which system leads a cell, and whether its lead is
// beyond the spread.
//
// The leader is the candidate with the highest median throughput.  Its lead
// over another candidate counts only when their ranges over the repetitions
// (min..max) do not overlap; every candidate whose range overlaps the
// leader's is tied with it.  With fewer than 3 repetitions there is no
// spread worth the name, and nothing is called a lead.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "results.hpp"

namespace msgpool_bench {

struct standing {
    std::optional<std::size_t> leader;     // index into results::systems
    std::optional<std::size_t> runner_up;  // the second highest median
    std::vector<std::size_t> tied;         // ranges overlapping the leader's, by falling median
    bool spread_known = false;             // at least 3 repetitions
    /// The leader's lead over every other candidate is beyond the spread.
    bool clear_lead() const { return leader && spread_known && tied.empty(); }
};

standing rank_cell(const results& r, std::size_t cell, const std::function<bool(const system&)>& candidate);

/// msgpool systems (compositions, aliases, user compositions) other than bulk
/// and in-place forms, whose waiters sleep (blocking) or spin.
bool is_blocking_candidate(const system& s);
bool is_spinning_candidate(const system& s);
/// The in-place forms (system::in_place) whose waiters sleep: ranked apart,
/// since they copy no message.
bool is_in_place_blocking_candidate(const system& s);

/// One line for reports: "X 22.1 M msg/s (20.3..23.0), ahead of Y 20.4 M msg/s
/// (19.0..20.9) beyond the spread" or "X 22.1 ... tied within the spread with
/// Y 21.5 ..., Z ...".
std::string describe_standing(const results& r, std::size_t cell, const standing& s);

/// The summary of a sweep, one line each: per cell, the blocking and the
/// spinning leader (describe_standing) and the leader of the blocking
/// in-place forms if any ran, then the highest geometric mean of medians over
/// the cells among each of these.
std::vector<std::string> summary_lines(const results& r);

}  // namespace msgpool_bench
