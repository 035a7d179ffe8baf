// bench/goals.cpp - reading, checking and evaluating a goals file (goals.hpp).
#include "goals.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace msgpool_bench {
namespace {

namespace json = boost::json;

constexpr const char* measure_names[] = {"throughput_ratio", "cpu_ratio", "idle_cores"};  // goal_measure's order
constexpr const char* status_names[] = {"met", "missed", "not measured"};                 // goal_status's order

const char* to_string(goal_measure m) { return measure_names[static_cast<int>(m)]; }
const char* to_string(goal_status s) { return status_names[static_cast<int>(s)]; }

/// Errors name the file and, inside a goal, its number and name.
class checker {
public:
    explicit checker(std::string where) : where_(std::move(where)) {}
    [[noreturn]] void fail(const std::string& what) const { throw std::invalid_argument(where_ + ": " + what); }
    checker inside(const std::string& more) const { return checker(where_ + ", " + more); }

    const json::object& object(const json::value& v, const char* what) const {
        if (!v.is_object()) fail(std::string(what) + " must be a JSON object");
        return v.get_object();
    }
    void only(const json::object& o, std::initializer_list<const char*> keys) const {
        for (const auto& kv : o)
            if (std::none_of(keys.begin(), keys.end(), [&](const char* k) { return kv.key() == k; })) {
                std::string known;
                for (const char* k : keys) known += (known.empty() ? "" : ", ") + std::string(k);
                fail("unknown member '" + std::string(kv.key()) + "' (known: " + known + ")");
            }
    }
    std::string text(const json::object& o, const char* key) const {
        const auto* v = o.if_contains(key);
        if (!v) fail(std::string("'") + key + "' is missing");
        if (!v->is_string() || v->get_string().empty()) fail(std::string("'") + key + "' must be a non-empty string");
        return std::string(v->get_string());
    }
    double number(const json::value& v, const char* key) const {
        if (!v.is_number()) fail(std::string("'") + key + "' must be a number");
        const double d = v.to_number<double>();
        if (!(d >= 0) || d > 1e12) fail(std::string("'") + key + "' must be a number from 0 to 1e12");
        return d;
    }
    std::size_t whole(const json::value& v, const char* key, std::size_t low, std::size_t high) const {
        std::error_code ec;
        const auto n = v.is_number() ? v.to_number<std::uint64_t>(ec) : 0;
        if (!v.is_number() || ec || n < low || n > high)
            fail(std::string("'") + key + "' must be a whole number from " + std::to_string(low) + " to " +
                 std::to_string(high));
        return static_cast<std::size_t>(n);
    }

private:
    std::string where_;
};

selector read_selector(const checker& c, const json::value& v, const char* key) {
    if (v.is_string()) {
        if (split_list(std::string(v.get_string())).empty()) c.fail(std::string("'") + key + "' names no system");
        return {std::string(v.get_string()), false};
    }
    if (v.is_object()) {
        const auto& o = v.get_object();
        c.inside(key).only(o, {"best_of"});
        const std::string terms = c.inside(key).text(o, "best_of");
        if (split_list(terms).empty()) c.fail(std::string("'") + key + ".best_of' names no system");
        return {terms, true};
    }
    c.fail(std::string("'") + key + "' must be a string of systems or { \"best_of\": \"...\" }");
}

cell read_cell(const checker& c, const json::value& v) {
    const auto& o = c.object(v, "a cell");
    c.only(o, {"shape", "capacity", "message_bytes"});
    const std::string shape = c.text(o, "shape");
    const auto x = shape.find('x');
    unsigned long p = 0, q = 0;
    std::size_t used_p = 0, used_q = 0;
    try {
        if (x != std::string::npos) {
            p = std::stoul(shape.substr(0, x), &used_p);
            q = std::stoul(shape.substr(x + 1), &used_q);
        }
    } catch (const std::exception&) {
        used_p = 0;
    }
    if (x == std::string::npos || used_p != x || used_q != shape.size() - x - 1 || p < 1 || q < 1 || p > 256 ||
        q > 256)
        c.fail("'shape' must be PxC with 1 to 256 threads each, like \"4x4\" (got \"" + shape + "\")");
    cell out{static_cast<unsigned>(p), static_cast<unsigned>(q), 0, 8};
    const auto* cap = o.if_contains("capacity");
    if (!cap) c.fail("'capacity' is missing");
    // Any capacity a system may take; the command line refuses one no system
    // selected takes or that would not fit in memory (cli.cpp, check_cells).
    out.capacity = c.whole(*cap, "capacity", 1, std::size_t{1} << 48);
    if (const auto* bytes = o.if_contains("message_bytes")) {
        const auto asked = c.whole(*bytes, "message_bytes", 1, message_sizes.back());
        out.message_bytes = *message_size_for(asked);
        if (out.message_bytes != asked)
            c.fail("'message_bytes' " + std::to_string(asked) + " is not a size built in (messages.hpp): use " +
                   std::to_string(out.message_bytes));
    }
    return out;
}

goal read_goal(const checker& c, const json::value& v) {
    const auto& o = c.object(v, "a goal");
    c.only(o, {"name", "measure", "subject", "reference", "cells", "at_least", "at_most"});
    goal g;
    g.name = c.text(o, "name");
    const checker in = c.inside("\"" + g.name + "\"");
    const std::string m = in.text(o, "measure");
    const auto known = std::find_if(std::begin(measure_names), std::end(measure_names),
                                    [&](const char* name) { return m == name; });
    if (known == std::end(measure_names))
        in.fail("'measure' must be throughput_ratio, cpu_ratio or idle_cores (got \"" + m + "\")");
    g.measure = static_cast<goal_measure>(known - std::begin(measure_names));
    const auto* subject = o.if_contains("subject");
    if (!subject) in.fail("'subject' is missing");
    g.subject = read_selector(in, *subject, "subject");
    const bool ratio = g.measure != goal_measure::idle_cores;
    const auto* reference = o.if_contains("reference");
    const auto* cells = o.if_contains("cells");
    if (ratio) {
        if (!reference) in.fail("a ratio needs a 'reference'");
        g.reference = read_selector(in, *reference, "reference");
        if (!cells || !cells->is_array() || cells->get_array().empty())
            in.fail("a ratio needs 'cells': a non-empty array of { \"shape\", \"capacity\", \"message_bytes\" }");
        for (const auto& x : cells->get_array()) g.cells.push_back(read_cell(in, x));
    } else if (reference || cells) {
        in.fail("idle_cores takes no 'reference' and no 'cells' (blocked waiters are measured in one setting)");
    }
    const auto* least = o.if_contains("at_least");
    const auto* most = o.if_contains("at_most");
    if ((least != nullptr) == (most != nullptr)) in.fail("give exactly one of 'at_least' and 'at_most'");
    g.at_least = least != nullptr;
    g.bound = in.number(least ? *least : *most, least ? "at_least" : "at_most");
    return g;
}

bool same_cell(const cell& a, const cell& b) {
    return a.producers == b.producers && a.consumers == b.consumers && a.capacity == b.capacity &&
           a.message_bytes == b.message_bytes;
}

bool picked(const selector& s, const system& sys) {
    const auto terms = split_list(s.terms);
    return std::any_of(terms.begin(), terms.end(), [&](const std::string& t) { return selects(t, sys); });
}

std::string bound_text(const goal& g) { return (g.at_least ? ">= " : "<= ") + fixed(g.bound, 2); }

}  // namespace

bool goal_set::needs_idle() const {
    return std::any_of(goals.begin(), goals.end(), [](const goal& g) { return g.measure == goal_measure::idle_cores; });
}

goal_set read_goals(const std::filesystem::path& file) {
    const checker c("goals file " + file.string());
    std::ifstream in(file);
    if (!in) c.fail("cannot be read");
    std::stringstream text;
    text << in.rdbuf();
    std::error_code ec;
    const json::value root = json::parse(text.str(), ec);
    if (ec) c.fail("not valid JSON: " + ec.message());
    const auto& o = c.object(root, "the file");
    c.only(o, {"description", "goals"});
    const auto* goals = o.if_contains("goals");
    if (!goals || !goals->is_array() || goals->get_array().empty()) c.fail("'goals' must be a non-empty array");
    goal_set out;
    out.file = file;
    std::size_t i = 0;
    for (const auto& g : goals->get_array()) out.goals.push_back(read_goal(c.inside("goal " + std::to_string(++i)), g));
    return out;
}

std::vector<cell> goal_cells(const goal_set& g) {
    std::vector<cell> out;
    for (const auto& x : g.goals)
        for (const auto& c : x.cells)
            if (std::none_of(out.begin(), out.end(), [&](const cell& y) { return same_cell(c, y); })) out.push_back(c);
    return out;
}

std::vector<system> goal_systems(const goal_set& g, const std::vector<system>& registry) {
    std::vector<system> out;
    for (const auto& s : registry)
        for (const auto& x : g.goals)
            if (picked(x.subject, s) || (x.reference && picked(*x.reference, s))) {
                out.push_back(s);
                break;
            }
    return out;
}

std::vector<system> goal_idle_systems(const goal_set& g, const std::vector<system>& registry) {
    std::vector<system> out;
    for (const auto& s : registry)
        for (const auto& x : g.goals)
            if (x.measure == goal_measure::idle_cores && !s.is_form() && !s.is_reference() && picked(x.subject, s)) {
                out.push_back(s);
                break;
            }
    return out;
}

std::vector<goal_row> evaluate_goals(const goal_set& g, const results& r, const std::vector<idle_row>& idle) {
    std::vector<goal_row> out;
    const auto members = [&](const selector& s) {
        std::vector<std::size_t> m;
        for (std::size_t i = 0; i < r.systems.size(); ++i)
            if (picked(s, r.systems[i])) m.push_back(i);
        return m;
    };
    const auto judge = [](const goal& x, goal_row& row, double value) {
        row.measured = value;
        row.status = (x.at_least ? value >= x.bound : value <= x.bound) ? goal_status::met : goal_status::missed;
    };
    for (std::size_t gi = 0; gi < g.goals.size(); ++gi) {
        const goal& x = g.goals[gi];
        if (x.measure == goal_measure::idle_cores) {
            std::vector<const idle_row*> found;
            for (const auto& i : idle)
                for (std::size_t s : members(x.subject))
                    if (r.systems[s].name == i.system) found.push_back(&i);
            if (x.subject.best && !found.empty())
                found = {*std::min_element(found.begin(), found.end(), [](const idle_row* a, const idle_row* b) {
                    return a->measure.cpu_share() < b->measure.cpu_share();
                })};
            if (found.empty()) {
                out.push_back({gi, std::nullopt, x.subject.text(), "", std::nullopt, goal_status::not_measured,
                               idle.empty() ? "no blocked-waiter runs in this run"
                                            : "no blocked-waiter run of " + x.subject.text()});
                continue;
            }
            for (const auto* i : found) {
                goal_row row{gi, std::nullopt, i->label, "", std::nullopt, goal_status::not_measured, ""};
                judge(x, row, i->measure.cpu_share());
                out.push_back(row);
            }
            continue;
        }
        for (const auto& want : x.cells) {
            const auto at = std::find_if(r.cells.begin(), r.cells.end(), [&](const cell& c) { return same_cell(c, want); });
            const auto none = [&](std::string why) {
                out.push_back({gi, want, x.subject.text(), x.reference->text(), std::nullopt, goal_status::not_measured,
                               std::move(why)});
            };
            if (at == r.cells.end()) {
                none("cell not in this run");
                continue;
            }
            const auto c = static_cast<std::size_t>(at - r.cells.begin());
            const auto side = [&](const selector& s) {
                std::vector<std::size_t> m;
                for (auto i : members(s))
                    if (r.table[c][i].runs > 0) m.push_back(i);
                if (s.best && !m.empty())
                    m = {*std::max_element(m.begin(), m.end(), [&](std::size_t a, std::size_t b) {
                        return r.table[c][a].throughput.median < r.table[c][b].throughput.median;
                    })};
                return m;
            };
            const auto subjects = side(x.subject), references = side(*x.reference);
            if (subjects.empty() || references.empty()) {
                const selector& missing = subjects.empty() ? x.subject : *x.reference;
                std::string why;  // a system of the run skipped in this cell (system::takes)
                for (auto i : members(missing))
                    if (!r.systems[i].takes(want.capacity)) {
                        why = r.systems[i].name + ": " + r.systems[i].not_measured_note(want.capacity);
                        break;
                    }
                none(!why.empty() ? why
                                  : "no system matching '" + missing.terms + "' measured in this build (see --list)");
                continue;
            }
            for (auto s : subjects)
                for (auto ref : references) {
                    goal_row row{gi, want, r.systems[s].label(), r.systems[ref].label(), std::nullopt,
                                 goal_status::not_measured, ""};
                    const auto &a = r.table[c][s], &b = r.table[c][ref];
                    const double num = x.measure == goal_measure::throughput_ratio ? a.throughput.median
                                                                                   : a.cpu_per_million.median;
                    const double den = x.measure == goal_measure::throughput_ratio ? b.throughput.median
                                                                                   : b.cpu_per_million.median;
                    if (den > 0) judge(x, row, num / den);
                    else row.why = "the reference's median is zero";
                    out.push_back(row);
                }
        }
    }
    return out;
}

table goals_table(const goal_set& g, const std::vector<goal_row>& rows) {
    table t;
    t.key = "goals";
    t.title = "goals from " + g.file.string() + ": each against figures measured in this run";
    t.columns = {{"goal", "goal"},          {"measure", "measure", false, true}, {"cell", "cell"},
                 {"subject", "subject"},    {"reference", "reference"},      {"bound", "bound", true},
                 {"measured", "measured", true}, {"status", "status"},        {"why", "why not measured"}};
    std::size_t count[3] = {0, 0, 0};
    for (const auto& row : rows) {
        const goal& x = g.goals[row.goal];
        ++count[static_cast<int>(row.status)];
        t.add_row({datum::text(x.name), datum::text(to_string(x.measure)),
                   row.where ? datum::text(row.where->name()) : datum::none(), datum::text(row.subject),
                   row.reference.empty() ? datum::none() : datum::text(row.reference),
                   datum::number(x.bound, 6).as(bound_text(x)),
                   datum::optional_number(row.measured, 6).as(row.measured ? fixed(*row.measured, 3) : "-"),
                   datum::text(to_string(row.status)), datum::text(row.why)});
    }
    t.notes.push_back("goals: " + std::to_string(count[0]) + " met, " + std::to_string(count[1]) + " missed, " +
                      std::to_string(count[2]) + " not measured");
    return t;
}

bool any_missed(const std::vector<goal_row>& rows) {
    return std::any_of(rows.begin(), rows.end(), [](const goal_row& r) { return r.status == goal_status::missed; });
}

}  // namespace msgpool_bench
