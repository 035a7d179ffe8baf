// bench/report_json.cpp - the JSON writer: results.json, built with
// Boost.JSON and printed indented so that it diffs well (report.hpp).
#include <boost/json.hpp>

#include "report.hpp"

namespace msgpool_bench {
namespace {

namespace json = boost::json;

json::value to_json(const datum& d) {
    return std::visit(
        [](const auto& v) -> json::value {
            if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::monostate>)
                return nullptr;
            else
                return json::value(v);
        },
        d.value);
}

/// Objects and arrays of containers one member per line; arrays of scalars on one line.
void pretty(std::ostream& out, const json::value& v, int indent) {
    const std::string in(static_cast<std::size_t>(indent) * 2, ' '), in2(static_cast<std::size_t>(indent + 1) * 2, ' ');
    if (v.is_object() && !v.get_object().empty()) {
        const auto& o = v.get_object();
        out << "{\n";
        for (auto it = o.begin(); it != o.end(); ++it) {
            out << in2 << json::serialize(json::value(it->key())) << ": ";
            pretty(out, it->value(), indent + 1);
            out << (std::next(it) == o.end() ? "\n" : ",\n");
        }
        out << in << "}";
        return;
    }
    if (v.is_array()) {
        const auto& a = v.get_array();
        bool flat = true;
        for (const auto& x : a) flat = flat && !x.is_object() && !x.is_array();
        if (!flat) {
            out << "[\n";
            for (std::size_t i = 0; i < a.size(); ++i) {
                out << in2;
                pretty(out, a[i], indent + 1);
                out << (i + 1 == a.size() ? "\n" : ",\n");
            }
            out << in << "]";
            return;
        }
    }
    out << json::serialize(v);
}

}  // namespace

void write_json(std::ostream& out, const report& r) {
    json::object root;
    json::object run;
    for (const auto& [key, value] : r.run) run[key] = to_json(value);
    root["run"] = std::move(run);
    json::object tables;
    for (const auto& t : r.tables) {
        json::array rows;
        for (const auto& row : t.rows) {
            json::object o;
            for (std::size_t c = 0; c < t.columns.size(); ++c) o[t.columns[c].key] = to_json(row[c]);
            rows.push_back(std::move(o));
        }
        json::array notes;
        for (const auto& n : t.notes) notes.emplace_back(n);
        tables[t.key] = json::object{{"title", t.title}, {"rows", std::move(rows)}, {"notes", std::move(notes)}};
    }
    root["tables"] = std::move(tables);
    pretty(out, root, 0);
    out << "\n";
}

}  // namespace msgpool_bench
