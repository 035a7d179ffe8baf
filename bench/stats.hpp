// bench/stats.hpp - median, minimum and maximum of a metric over repetitions.
#pragma once

#include <algorithm>
#include <vector>

namespace msgpool_bench {

struct stat {
    double median = 0, min = 0, max = 0;
};

/// The median (mean of the middle two for an even count), min and max.
inline stat median_min_max(std::vector<double> values) {
    if (values.empty()) return {};
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    const double median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    return {median, values.front(), values.back()};
}

}  // namespace msgpool_bench
