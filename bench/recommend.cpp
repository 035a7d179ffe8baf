// bench/recommend.cpp - the candidates, the two winners and the answer (see
// recommend.hpp).
#include "recommend.hpp"

#include <cstdio>

#include "report.hpp"
#include "runner.hpp"

namespace msgpool_bench {
namespace {

std::optional<idle_measure> idle_of(const results& r, const sweep_plan& plan, const std::optional<std::size_t>& s,
                                    double seconds) {
    if (!s) return std::nullopt;
    const cell& where = r.cells[0];
    idle_config config;
    config.queue = queue_config{where.capacity, 1, where.consumers};
    config.window = std::chrono::duration<double>(seconds);
    if (plan.progress) std::fprintf(stderr, "blocked readers: %s\n", r.systems[*s].name.c_str());
    return runner(plan.in_process, plan.run_limit).idle(r.systems[*s], config, "blocked readers: " + r.systems[*s].name);
}

void answer(std::ostream& out, const results& r, const char* title, const char* meaning, const standing& s,
            const std::optional<idle_measure>& idle) {
    out << "\n" << title << " (" << meaning << "):\n";
    if (!s.leader) {
        out << "  no candidate measured\n";
        return;
    }
    const system& sys = r.systems[*s.leader];
    const auto& sc = r.table[0][*s.leader];
    if (s.clear_lead())
        out << "  fastest: " << sys.label() << "\n";
    else
        out << "  highest median, but not a clear winner: " << sys.label() << "\n";
    out << "    " << mmps(sc.throughput.median) << " M msg/s (" << mmps(sc.throughput.min) << ".."
        << mmps(sc.throughput.max) << " over " << sc.runs << " runs), " << fixed(sc.cpu_per_million.median, 3)
        << " CPU s per million messages\n";
    out << "    " << describe_standing(r, 0, s) << "\n";
    if (idle)
        out << "    readers blocked on the empty pool used " << fixed(idle->cpu_share(), 3) << " cores over "
            << fixed(idle->window_seconds, 2) << " s\n";
    const std::string alias = sys.aliases.empty() ? std::string() : "msgpool::" + sys.aliases.front() + "<T>";
    out << "  use: " << (alias.empty() ? sys.type_name : alias) << "\n";
    if (!alias.empty() && !sys.type_name.empty()) out << "       (the same as " << sys.type_name << ")\n";
}

}  // namespace

std::vector<system> recommend_candidates(const std::vector<system>& registry) {
    std::vector<system> out;
    for (const auto& s : registry)
        if (s.is_msgpool() && !s.is_form()) out.push_back(s);
    return out;
}

recommendation recommend(const results& r, const sweep_plan& plan, std::size_t asked_bytes, double idle_seconds) {
    recommendation rec;
    rec.asked_bytes = asked_bytes;
    rec.blocking = rank_cell(r, 0, is_blocking_candidate);
    rec.spinning = rank_cell(r, 0, is_spinning_candidate);
    rec.blocking_idle = idle_of(r, plan, rec.blocking.leader, idle_seconds);
    rec.spinning_idle = idle_of(r, plan, rec.spinning.leader, idle_seconds);
    return rec;
}

void write_recommendation(std::ostream& out, const results& r, const recommendation& rec) {
    const cell& where = r.cells[0];
    out << "\n== recommendation for " << where.producers << " producers x " << where.consumers
        << " consumers, capacity " << where.capacity << ", " << rec.asked_bytes << "-byte messages";
    if (rec.asked_bytes != where.message_bytes) out << " (measured as " << where.message_bytes << "-byte messages)";
    out << " ==\n"
        << "on " << r.info.cpu << ", " << r.info.hardware_threads << " hardware threads; " << r.systems.size()
        << " candidates, median of " << r.repetitions << " runs of " << r.messages
        << " messages each, interleaved, every run in a fresh process\n";
    answer(out, r, "blocking", "waiting threads sleep in the kernel and cost no CPU", rec.blocking, rec.blocking_idle);
    answer(out, r, "spinning", "wait::spin: a waiting thread keeps its core busy; worth it only with a core per thread",
           rec.spinning, rec.spinning_idle);
    out << "\nA lead counts only when the two min..max ranges do not overlap; more repetitions (--reps) narrow "
           "the ranges.  T is your message type.\n";
}

}  // namespace msgpool_bench
