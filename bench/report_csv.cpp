// bench/report_csv.cpp - the CSV writer: <table>.csv per table (report.hpp).
//
// Plain RFC 4180 CSV with a header row; every row carries the run id so that
// files from several runs can be concatenated.
#include <fstream>
#include <stdexcept>

#include "report.hpp"

namespace msgpool_bench {
namespace {

std::string quoted(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
}

struct csv_field {
    std::string operator()(std::monostate) const { return {}; }
    std::string operator()(const std::string& s) const { return quoted(s); }
    std::string operator()(double v) const { return fixed(v, 6); }
    std::string operator()(std::uint64_t v) const { return std::to_string(v); }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
};

}  // namespace

std::vector<std::filesystem::path> write_csv(const std::filesystem::path& dir, const report& r) {
    std::vector<std::filesystem::path> files;
    for (const auto& t : r.tables) {
        files.push_back(dir / (t.key + ".csv"));
        std::ofstream f(files.back());
        if (!f) throw std::runtime_error("cannot write " + files.back().string());
        f << "run_id";
        for (const auto& c : t.columns) f << ',' << c.key;
        f << '\n';
        for (const auto& row : t.rows) {
            f << quoted(r.run_id);
            for (const auto& d : row) f << ',' << std::visit(csv_field{}, d.value);
            f << '\n';
        }
    }
    return files;
}

}  // namespace msgpool_bench
