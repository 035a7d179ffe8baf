// bench/latency_histogram.hpp - a log-linear histogram of latencies in
// nanoseconds, for msgpool-bench --latency (latency.hpp).
//
// Resolution: values below 256 ns are counted exactly.  Above, each power
// of two [2^k, 2^(k+1)) is cut into 128 equal buckets, so a bucket is at
// most 1/128 of its lower bound wide.  A percentile is reported as the
// highest value of its bucket (never below the true value), capped at the
// largest value recorded: it is at or above the exact percentile of the
// recorded data by less than 1/128 (0.79%) of that value.  Values from
// 2^40 ns (about 18 minutes) up are counted in the last bucket; the maximum
// is kept exactly.
//
// The same idea as HdrHistogram (which Debian 12 does not package) with 7
// significant bits: 4352 counters, 34 KiB, one add and a shift to record.
// Not thread-safe: each thread records into its own and merge() joins them.
// bench/tests/latency_histogram.cpp checks the percentiles against sorted
// data within the resolution stated here.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace msgpool_bench {

class latency_histogram {
public:
    static constexpr unsigned sub_bits = 7;                          // 128 buckets per power of two
    static constexpr std::uint64_t exact_below = 2u << sub_bits;     // 256: counted exactly
    static constexpr unsigned top_bit = 40;                          // 2^40 ns and up: the last bucket
    static constexpr std::size_t bucket_count = exact_below + (top_bit - sub_bits - 1) * (1u << sub_bits);
    /// A reported percentile exceeds the exact one by less than this fraction of it.
    static constexpr double relative_resolution = 1.0 / (1u << sub_bits);

    latency_histogram() : counts_(bucket_count, 0) {}

    void record(std::uint64_t ns) noexcept {
        ++counts_[index_of(ns)];
        ++count_;
        sum_ += ns;
        max_ = std::max(max_, ns);
        min_ = std::min(min_, ns);
    }

    void merge(const latency_histogram& other) noexcept {
        for (std::size_t i = 0; i < bucket_count; ++i) counts_[i] += other.counts_[i];
        count_ += other.count_;
        sum_ += other.sum_;
        max_ = std::max(max_, other.max_);
        min_ = std::min(min_, other.min_);
    }

    std::uint64_t count() const noexcept { return count_; }
    std::uint64_t max() const noexcept { return max_; }
    std::uint64_t min() const noexcept { return count_ ? min_ : 0; }
    double mean() const noexcept { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0; }

    /// The value at percentile `p` (0 to 100): the smallest recorded value v
    /// such that at least p% of the values are <= v, within the resolution
    /// above.  0 for an empty histogram.
    std::uint64_t percentile(double p) const noexcept {
        if (count_ == 0) return 0;
        const double wanted = p / 100.0 * static_cast<double>(count_);
        std::uint64_t rank = static_cast<std::uint64_t>(wanted);
        if (static_cast<double>(rank) < wanted) ++rank;  // ceil
        rank = std::clamp<std::uint64_t>(rank, 1, count_);
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i < bucket_count; ++i) {
            seen += counts_[i];
            if (seen >= rank) return std::min(highest_in(i), max_);
        }
        return max_;
    }

    /// "index:count index:count ... ; count sum min max" (decimal): what a
    /// child process sends back to the parent (runner.hpp).
    std::string encode() const;
    /// The inverse of encode(); false on malformed text.
    bool decode(const std::string& text);

    /// The bucket a value falls in, and the highest value it holds.
    static std::size_t index_of(std::uint64_t ns) noexcept {
        if (ns < exact_below) return static_cast<std::size_t>(ns);
        const unsigned top = static_cast<unsigned>(std::bit_width(ns)) - 1;  // >= sub_bits + 1
        if (top >= top_bit) return bucket_count - 1;
        const unsigned shift = top - sub_bits;
        const std::uint64_t mantissa = (ns >> shift) & ((1u << sub_bits) - 1);
        return static_cast<std::size_t>(exact_below + (top - sub_bits - 1) * (1u << sub_bits) + mantissa);
    }
    static std::uint64_t highest_in(std::size_t index) noexcept {
        if (index < exact_below) return index;
        if (index == bucket_count - 1) return ~std::uint64_t{0};
        const std::size_t above = index - exact_below;
        const unsigned top = static_cast<unsigned>(above >> sub_bits) + sub_bits + 1;
        const std::uint64_t mantissa = above & ((1u << sub_bits) - 1);
        const unsigned shift = top - sub_bits;
        return ((std::uint64_t{1} << top) | (mantissa << shift)) + (std::uint64_t{1} << shift) - 1;
    }

private:
    std::vector<std::uint64_t> counts_;
    std::uint64_t count_ = 0, sum_ = 0, max_ = 0, min_ = ~std::uint64_t{0};
};

inline std::string latency_histogram::encode() const {
    std::string out;
    for (std::size_t i = 0; i < bucket_count; ++i)
        if (counts_[i]) out += std::to_string(i) + ":" + std::to_string(counts_[i]) + " ";
    out += "; " + std::to_string(count_) + " " + std::to_string(sum_) + " " + std::to_string(min_) + " " +
           std::to_string(max_);
    return out;
}

inline bool latency_histogram::decode(const std::string& text) {
    *this = latency_histogram();
    std::size_t at = 0;
    const auto number = [&](std::uint64_t& v) {
        while (at < text.size() && text[at] == ' ') ++at;
        if (at >= text.size() || text[at] < '0' || text[at] > '9') return false;
        v = 0;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') v = v * 10 + (text[at++] - '0');
        return true;
    };
    for (;;) {
        while (at < text.size() && text[at] == ' ') ++at;
        if (at < text.size() && text[at] == ';') {
            ++at;
            break;
        }
        std::uint64_t index = 0, n = 0;
        if (!number(index) || at >= text.size() || text[at++] != ':' || !number(n) || index >= bucket_count)
            return false;
        counts_[index] = n;
    }
    return number(count_) && number(sum_) && number(min_) && number(max_);
}

}  // namespace msgpool_bench
