// bench/report_text.cpp - the text writer: results.txt and stdout (report.hpp).
#include <algorithm>

#include "report.hpp"

namespace msgpool_bench {
namespace {

/// The group's rows in aligned columns under their headings.
void rows_aligned(std::ostream& out, const table& t, const std::string& group) {
    const auto shown = shown_columns(t);
    std::vector<std::size_t> width(t.columns.size(), 0);
    for (auto c : shown) {
        width[c] = t.columns[c].heading.size();
        for (const auto& row : t.rows)
            if (in_group(t, row, group)) width[c] = std::max(width[c], row[c].shown.size());
    }
    const auto line = [&](const auto& text_of) {
        std::string s;
        for (std::size_t k = 0; k < shown.size(); ++k) {
            const auto c = shown[k];
            const std::string v = text_of(c);
            const std::string fill(width[c] - v.size(), ' ');
            s += (k ? "  " : "") + (t.columns[c].numeric ? fill + v : v + (k + 1 < shown.size() ? fill : ""));
        }
        out << s << "\n";
    };
    line([&](std::size_t c) { return t.columns[c].heading; });
    for (const auto& row : t.rows)
        if (in_group(t, row, group)) line([&](std::size_t c) { return row[c].shown; });
}

}  // namespace

void write_text(std::ostream& out, const report& r) {
    write_prose(out, r, {"  ", "\n== ", " | ", " ==\n", "", "  ", &rows_aligned});
}

}  // namespace msgpool_bench
