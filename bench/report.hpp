// bench/report.hpp - the one results model every output is written from, and
// one writer per format.
//
// A run's report is a list of tables (the sweep's summary, every run, the
// footprints; with --compare-peers the ratios to the peers, the blocked
// waiters and the bulk gains; with --goals each goal and its verdict), each
// a list of rows of typed values.  The builders (report_results.cpp,
// peer_comparison.cpp, goals.cpp) fill it from the measurements; the writers
// know nothing of benchmarks:
//
//   text      results.txt and stdout: aligned columns, a table split by its
//             group column ("== title | group ==")
//   Markdown  results.md: the same tables, for docs/benchmarks.md
//   CSV       <table>.csv, one per table (RFC 4180, a header row, the run id
//             in every row so that files of several runs concatenate)
//   JSON      results.json: the run's identity and every table (Boost.JSON,
//             indented by the one pretty printer)
//
// Tables marked data_only (every run) go to CSV and JSON only.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "results.hpp"

namespace msgpool_bench {

/// One value of a table: typed for CSV and JSON, shown as text for text and
/// Markdown (a number with the decimals it was given; "-" for none).
struct datum {
    std::variant<std::monostate, std::string, double, std::uint64_t, bool> value;
    std::string shown;

    static datum none();
    static datum text(std::string s);
    static datum number(double v, int decimals);
    static datum optional_number(const std::optional<double>& v, int decimals);
    static datum count(std::uint64_t v);
    static datum flag(bool v);
    /// The same value shown otherwise: datum::number(mps, 6).as(mmps(mps)).
    datum as(std::string how_shown) &&;
};

struct column {
    std::string key;      // CSV header, JSON member
    std::string heading;  // text and Markdown
    bool numeric = false; // right-aligned
    bool data_only = false;  // CSV and JSON only (the text shows it otherwise, or not at all)
};

struct table {
    std::string key;    // <key>.csv, "tables"."<key>" in results.json
    std::string title;  // heading in text and Markdown
    std::vector<column> columns;
    std::vector<std::vector<datum>> rows;
    std::optional<std::size_t> group_by;  // text / Markdown: one block per value of this column
    bool data_only = false;               // CSV and JSON only
    std::vector<std::string> notes;       // lines after the table (text, Markdown, JSON)

    void add_row(std::vector<datum> row) { rows.push_back(std::move(row)); }
};

struct report {
    std::string run_id;
    std::string title;                                // first line of text and Markdown
    std::vector<std::pair<std::string, datum>> run;   // the run's identity: "run" in JSON
    std::vector<std::string> preamble;                // lines after the title
    std::vector<table> tables;
};

/// For the text and Markdown writers: the columns they show (not the group
/// column, not data_only ones), and the group column's values in order of
/// first appearance ({""} for a table without one).
std::vector<std::size_t> shown_columns(const table& t);
std::vector<std::string> groups_of(const table& t);
/// Whether a row belongs to a group of groups_of.
bool in_group(const table& t, const std::vector<datum>& row, const std::string& group);

/// What the text and Markdown writers differ in; write_prose does the rest:
/// the title, each preamble line, then per table that is not data_only one
/// block per group (heading, then `rows`) and its notes.
struct prose_format {
    const char* preamble_prefix;  // before each preamble line (each ends with a line break)
    const char *heading_open, *group_separator, *heading_close;
    const char* notes_start;  // once before a table's notes, if it has any
    const char* note_prefix;
    void (*rows)(std::ostream& out, const table& t, const std::string& group);
};
void write_prose(std::ostream& out, const report& r, const prose_format& f);

void write_text(std::ostream& out, const report& r);
void write_markdown(std::ostream& out, const report& r);
/// Every table as <dir>/<key>.csv; returns the files written.
std::vector<std::filesystem::path> write_csv(const std::filesystem::path& dir, const report& r);
void write_json(std::ostream& out, const report& r);

/// results.txt, results.md, results.json and the CSV files in `dir`; returns them.
std::vector<std::filesystem::path> write_report_files(const std::filesystem::path& dir, const report& r);

/// The sweep's tables: per-cell summary, every run, footprints, and the
/// standings (standing.hpp) and exactly-once status as notes.
report sweep_report(const results& r);

struct plot_outcome {
    std::vector<std::filesystem::path> files;  // PNG and SVG images written
    std::string note;                          // why plots are missing, if they are
};

/// Per capacity and message size: throughput against thread shape, and CPU
/// per message against thread shape, one line per system; PNG and SVG via
/// gnuplot, skipped with a note when gnuplot is not installed.
plot_outcome write_plots(const std::filesystem::path& dir, const results& r);

/// One cell as ranked horizontal bars (median, whiskers min..max), the
/// blocking and the spinning msgpool compositions in two panels, fastest
/// first: plots/ranked_<shape>_cap<C>_<S>B.{png,svg}.  What --recommend draws.
plot_outcome write_ranked_chart(const std::filesystem::path& dir, const results& r, std::size_t cell);

/// Number formats shared by the builders.
std::string fixed(double value, int decimals);
std::string mmps(double messages_per_second);  // million messages per second, "12.3" or "4.56"
std::string shape_group(std::size_t capacity, std::size_t message_bytes);  // "cap1024_8B"

}  // namespace msgpool_bench
