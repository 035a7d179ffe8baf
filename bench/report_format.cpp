// bench/report_format.cpp - datum and the number formats (report.hpp).
#include <algorithm>
#include <cstdio>

#include "report.hpp"

namespace msgpool_bench {

std::string fixed(double value, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return buf;
}

// Enough digits for slow and fast systems alike.
std::string mmps(double mps) { return fixed(mps / 1e6, mps < 1e7 ? 2 : 1); }

std::string shape_group(std::size_t capacity, std::size_t message_bytes) {
    return "cap" + std::to_string(capacity) + "_" + std::to_string(message_bytes) + "B";
}

datum datum::none() { return {std::monostate{}, "-"}; }
datum datum::text(std::string s) {
    datum d{std::string(), std::string()};
    d.shown = s;
    d.value = std::move(s);
    return d;
}
datum datum::number(double v, int decimals) { return {v, fixed(v, decimals)}; }
datum datum::optional_number(const std::optional<double>& v, int decimals) {
    return v ? number(*v, decimals) : none();
}
datum datum::count(std::uint64_t v) { return {v, std::to_string(v)}; }
datum datum::flag(bool v) { return {v, v ? "yes" : "no"}; }
datum datum::as(std::string how_shown) && {
    shown = std::move(how_shown);
    return std::move(*this);
}

std::vector<std::size_t> shown_columns(const table& t) {
    std::vector<std::size_t> out;
    for (std::size_t c = 0; c < t.columns.size(); ++c)
        if ((!t.group_by || c != *t.group_by) && !t.columns[c].data_only) out.push_back(c);
    return out;
}

std::vector<std::string> groups_of(const table& t) {
    if (!t.group_by) return {""};
    std::vector<std::string> out;
    for (const auto& row : t.rows)
        if (std::find(out.begin(), out.end(), row[*t.group_by].shown) == out.end()) out.push_back(row[*t.group_by].shown);
    return out;
}

bool in_group(const table& t, const std::vector<datum>& row, const std::string& group) {
    return !t.group_by || row[*t.group_by].shown == group;
}

void write_prose(std::ostream& out, const report& r, const prose_format& f) {
    out << r.title << "\n";
    for (const auto& p : r.preamble) out << f.preamble_prefix << p << "\n";
    for (const auto& t : r.tables) {
        if (t.data_only) continue;
        for (const auto& g : groups_of(t)) {
            out << f.heading_open << t.title << (g.empty() ? "" : f.group_separator + g) << f.heading_close;
            f.rows(out, t, g);
        }
        if (!t.notes.empty()) out << f.notes_start;
        for (const auto& n : t.notes) out << f.note_prefix << n << "\n";
    }
}

}  // namespace msgpool_bench
