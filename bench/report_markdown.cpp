// bench/report_markdown.cpp - the Markdown writer: results.md, ready to paste
// into docs/benchmarks.md (figures are never typed by hand; report.hpp).
#include "report.hpp"

namespace msgpool_bench {
namespace {

std::string cell_text(const std::string& s) {
    std::string out;
    for (char ch : s) out += ch == '|' ? std::string("\\|") : std::string(1, ch);
    return out;
}

void markdown_rows(std::ostream& out, const table& t, const std::string& group) {
    const auto shown = shown_columns(t);
    out << "|";
    for (auto c : shown) out << ' ' << cell_text(t.columns[c].heading) << " |";
    out << "\n|";
    for (auto c : shown) out << (t.columns[c].numeric ? " ---: |" : " --- |");
    out << "\n";
    for (const auto& row : t.rows) {
        if (!in_group(t, row, group)) continue;
        out << "|";
        for (auto c : shown) out << ' ' << cell_text(row[c].shown) << " |";
        out << "\n";
    }
}

}  // namespace

void write_markdown(std::ostream& out, const report& r) {
    write_prose(out, r, {"\n", "\n**", ": ", "**\n\n", "\n", "- ", &markdown_rows});
}

}  // namespace msgpool_bench
