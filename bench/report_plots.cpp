// bench/report_plots.cpp - gnuplot charts, PNG and SVG.
//
// For each capacity and message size swept, two charts against the thread
// shape (1x1, 2x2, ...): median throughput, and CPU seconds per million
// messages (= CPU microseconds per message), one line per system, msgpool
// systems solid and peers dashed, log-scale y.  The data (.dat) and the
// script (.gp) stay beside the images so a chart can be re-rendered or
// restyled by hand.
//
// write_latency_plots (--latency): per mode and cell, the percentile
// distribution of each system: latency (log y) against 1 / (1 - p) (log x,
// labelled 50%, 90%, 99%, ...), as HdrHistogram's plots draw it; one-way
// has one panel per offered load.
//
// write_ranked_chart (--recommend): the one cell as ranked horizontal bars,
// the blocking candidates in one panel and the spinning ones in the other,
// fastest at the top; a bar is the median throughput, its whisker the
// min..max over the repetitions.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>

#include "latency_run.hpp"
#include "report.hpp"
#include "standing.hpp"

namespace msgpool_bench {
namespace {

bool have_gnuplot() { return std::system("command -v gnuplot >/dev/null 2>&1") == 0; }

/// pngcairo when this gnuplot has it (gnuplot-nox does), else the libgd png.
std::string png_terminal() {
    return std::system("gnuplot -e 'set terminal pngcairo' >/dev/null 2>&1") == 0 ? "pngcairo" : "png";
}

std::string gnuplot_string(const std::string& s) {
    std::string q = "\"";
    for (char ch : s) {
        if (ch == '\n') {  // a line break in a title
            q += "\\n";
            continue;
        }
        if (ch == '"' || ch == '\\') q += '\\';
        q += ch;
    }
    return q + "\"";
}

/// Line style per system, so that a chart with many systems stays readable:
/// a composition's colour says its claim policy, its dash pattern its wait
/// policy, its point shape its storage policy; peers are grey-to-orange
/// dash-dot lines with crosses; the default composition is drawn thicker.
class styles {
public:
    std::string of(const system& s) {
        if (!s.is_msgpool()) {
            static const char* peer_colours[] = {"#000000", "#7f7f7f", "#ff7f0e", "#bcbd22", "#17becf", "#e377c2"};
            const std::size_t i = peers_++;
            return "lc rgb '" + std::string(peer_colours[i % 6]) + "' dt 4 lw 1.5 pt " + std::to_string(1 + i % 4 * 2);
        }
        static const char* claim_colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b"};
        static const int wait_dashes[] = {1, 2, 3, 5};
        static const int storage_points[] = {7, 5, 9, 11};
        const auto parts = split(s.name);
        const std::size_t c = index(claims_, parts.size() == 3 ? parts[0] : s.name);
        const std::size_t w = index(waits_, parts.size() == 3 ? parts[1] : "");
        const std::size_t st = index(storages_, parts.size() == 3 ? parts[2] : "");
        return "lc rgb '" + std::string(claim_colours[c % 5]) + "' dt " + std::to_string(wait_dashes[w % 4]) +
               " pt " + std::to_string(storage_points[st % 4]) + (s.is_default ? " lw 3.5" : " lw 2");
    }

private:
    static std::vector<std::string> split(const std::string& name) {
        std::vector<std::string> out(1);
        for (char ch : name) {
            if (ch == '+')
                out.emplace_back();
            else
                out.back().push_back(ch);
        }
        return out;
    }
    static std::size_t index(std::vector<std::string>& seen, const std::string& key) {
        for (std::size_t i = 0; i < seen.size(); ++i)
            if (seen[i] == key) return i;
        seen.push_back(key);
        return seen.size() - 1;
    }
    std::vector<std::string> claims_, waits_, storages_;
    std::size_t peers_ = 0;
};

struct chart {
    std::string file_stem, title, ylabel;
    double (*value)(const system_cell&);
};

/// Runs gnuplot on `gp`; false (and `out` says why) when it fails.
bool run_gnuplot(const std::filesystem::path& plots, const std::string& gp, plot_outcome& out) {
    const std::string command =
        "gnuplot " + gnuplot_string(gp) + " 2>>" + gnuplot_string((plots / "gnuplot.log").string());
    if (std::system(command.c_str()) == 0) return true;
    out.note = "gnuplot failed; see " + (plots / "gnuplot.log").string();
    out.files.clear();
    return false;
}

}  // namespace

plot_outcome write_ranked_chart(const std::filesystem::path& dir, const results& r, std::size_t cell_index) {
    plot_outcome out;
    if (!have_gnuplot()) {
        out.note = "gnuplot is not installed: no chart (apt-get install gnuplot-nox)";
        return out;
    }
    const auto plots = dir / "plots";
    std::filesystem::create_directories(plots);
    const cell& c = r.cells.at(cell_index);
    const std::string stem =
        (plots / ("ranked_" + c.shape() + "_" + shape_group(c.capacity, c.message_bytes))).string();

    struct panel {
        const char* file;
        const char* title;
        const char* colour;
        bool (*candidate)(const system&);
        std::vector<std::size_t> ranked;  // by falling median
    };
    panel panels[] = {
        {"blocking", "blocking: waiting threads sleep in the kernel", "#1f77b4", &is_blocking_candidate, {}},
        {"spinning",
         "spinning (wait::spin): a waiting thread keeps its core busy",
         "#ff7f0e",
         &is_spinning_candidate,
         {}},
    };
    std::size_t rows = 0, drawn = 0;
    double top = 0;  // one x range for both panels, so that their bars compare
    for (auto& p : panels) {
        for (std::size_t s = 0; s < r.systems.size(); ++s)
            if (p.candidate(r.systems[s]) && r.table[cell_index][s].runs) p.ranked.push_back(s);
        std::stable_sort(p.ranked.begin(), p.ranked.end(), [&](std::size_t a, std::size_t b) {
            return r.table[cell_index][a].throughput.median > r.table[cell_index][b].throughput.median;
        });
        rows += p.ranked.size();
        drawn += !p.ranked.empty();
        std::ofstream d(stem + "_" + p.file + ".dat");
        d << "# rank\tmedian\tmin\tmax\tsystem (million messages per second)\n";
        for (std::size_t i = 0; i < p.ranked.size(); ++i) {
            const auto& t = r.table[cell_index][p.ranked[i]].throughput;
            top = std::max(top, t.max / 1e6);
            d << i << '\t' << fixed(t.median / 1e6, 6) << '\t' << fixed(t.min / 1e6, 6) << '\t' << fixed(t.max / 1e6, 6)
              << '\t' << r.systems[p.ranked[i]].label() << "\n";
        }
    }
    if (drawn == 0) {
        out.note = "no msgpool composition measured: no chart";
        return out;
    }

    const std::string gp = stem + ".gp";
    std::ofstream g(gp);
    const int height = static_cast<int>(160 + 90 * drawn + 26 * rows);
    std::string body =
        "set multiplot layout " + std::to_string(drawn) + ",1 title " +
        gnuplot_string("ranked: " + std::to_string(c.producers) + " producers x " + std::to_string(c.consumers) +
                       " consumers" + ", capacity " + std::to_string(c.capacity) + ", " +
                       std::to_string(c.message_bytes) + "-byte messages; median of " + std::to_string(r.repetitions) +
                       " runs, whiskers min..max\n" + r.info.cpu + ", " + std::to_string(r.info.hardware_threads) +
                       " hardware threads; run " + r.info.id) +
        " noenhanced\n";
    for (const auto& p : panels) {
        if (p.ranked.empty()) continue;
        const std::string dat = gnuplot_string(stem + "_" + p.file + ".dat");
        body += "set title " + gnuplot_string(p.title) + " noenhanced\n" + "set yrange [" +
                std::to_string(p.ranked.size()) + " - 0.5:-0.5]\n" + "plot " + dat +
                " using 2:1:(0):2:($1-0.35):($1+0.35):ytic(5) with boxxyerror fs solid 0.7 lc rgb '" + p.colour +
                "' notitle, \\\n     " + dat + " using 2:1:3:4 with xerrorbars pt 7 ps 0.5 lc rgb 'black' notitle\n";
    }
    body += "unset multiplot\n";
    g << "# msgpool-bench run " << r.info.id << "\n"
      << "set datafile separator '\\t'\n"
      << "set xlabel 'million messages per second'\nset xrange [0:" << fixed(top * 1.05, 3) << "]\nset grid xtics\n"
      << "set ytics nomirror noenhanced\nset key off\n";
    const auto render = [&](const std::string& terminal, const std::string& ext) {
        const auto image = stem + "." + ext;
        g << "set terminal " << terminal << "\nset output " << gnuplot_string(image) << "\n"
          << body << "unset output\n";
        out.files.push_back(image);
    };
    const std::string size = " size 1100," + std::to_string(height);
    render(png_terminal() + size + " noenhanced", "png");
    render("svg" + size + " dynamic noenhanced", "svg");
    g.close();
    run_gnuplot(plots, gp, out);
    return out;
}

plot_outcome write_plots(const std::filesystem::path& dir, const results& r) {
    plot_outcome out;
    if (!have_gnuplot()) {
        out.note = "gnuplot is not installed: no plots (apt-get install gnuplot-nox)";
        return out;
    }
    const std::string png = png_terminal();
    const auto plots = dir / "plots";
    std::filesystem::create_directories(plots);

    // Cells grouped by (capacity, message size), in sweep order of shapes.
    std::map<std::pair<std::size_t, std::size_t>, std::vector<std::size_t>> groups;
    for (std::size_t c = 0; c < r.cells.size(); ++c)
        groups[{r.cells[c].capacity, r.cells[c].message_bytes}].push_back(c);

    const chart charts[] = {
        {"throughput", "throughput", "million messages per second (median)",
         [](const system_cell& sc) { return sc.throughput.median / 1e6; }},
        {"cpu", "CPU per message", "CPU seconds per million messages (median)",
         [](const system_cell& sc) { return sc.cpu_per_million.median; }},
    };

    for (const auto& [key, cells] : groups) {
        const auto [capacity, bytes] = key;
        const std::string group = shape_group(capacity, bytes);
        for (const auto& ch : charts) {
            const auto stem = plots / (ch.file_stem + "_" + group);
            const auto dat = stem.string() + ".dat", gp = stem.string() + ".gp";
            {
                std::ofstream d(dat);
                d << "# shape";
                for (const auto& s : r.systems) d << " | " << s.name;
                d << "\n";
                for (std::size_t c : cells) {
                    d << r.cells[c].shape();
                    for (std::size_t s = 0; s < r.systems.size(); ++s) {
                        const auto& sc = r.table[c][s];
                        d << ' ' << (sc.runs ? fixed(ch.value(sc), 6) : "?");
                    }
                    d << "\n";
                }
            }
            std::ofstream g(gp);
            g << "# msgpool-bench run " << r.info.id << "\n"
              << "set datafile missing '?'\n"
              << "set title " << gnuplot_string(ch.title + ": capacity " + std::to_string(capacity) + ", " +
                                                std::to_string(bytes) + "-byte messages, median of " +
                                                std::to_string(r.repetitions) + "\n" + r.info.cpu + ", " +
                                                std::to_string(r.info.hardware_threads) + " hardware threads; run " +
                                                r.info.id)
              << " noenhanced\n"
              << "set xlabel 'producers x consumers'\nset ylabel " << gnuplot_string(ch.ylabel) << "\n"
              << "set logscale y\nset grid ytics mytics xtics\nset key outside right top noenhanced\n"
              << "set offsets 0.2, 0.2, 0, 0\n";
            std::string plot = "plot ";
            styles style;
            for (std::size_t s = 0; s < r.systems.size(); ++s)
                plot += (s ? ", \\\n     " : "") + gnuplot_string(dat) + " using " + std::to_string(s + 2) +
                        ":xtic(1) with linespoints " + style.of(r.systems[s]) + " ps 1.2 title " +
                        gnuplot_string(r.systems[s].label());
            const auto render = [&](const std::string& terminal, const std::string& ext) {
                const auto image = stem.string() + "." + ext;
                g << "set terminal " << terminal << "\nset output " << gnuplot_string(image) << "\n"
                  << plot << "\nunset output\n";
                out.files.push_back(image);
            };
            render(png + " size 1200,650 noenhanced", "png");
            render("svg size 1200,650 dynamic noenhanced", "svg");
            g.close();
            if (!run_gnuplot(plots, gp, out)) return out;
        }
    }
    return out;
}

}  // namespace msgpool_bench

namespace msgpool_bench {

plot_outcome write_latency_plots(const std::filesystem::path& dir, const latency_results& r) {
    plot_outcome out;
    if (!have_gnuplot()) {
        out.note = "gnuplot is not installed: no latency plots (apt-get install gnuplot-nox)";
        return out;
    }
    const auto plots = dir / "plots";
    std::filesystem::create_directories(plots);
    const std::string png = png_terminal();
    const auto& info = r.throughput.info;

    // Charts in order of first appearance: (mode, cell); panels: loads.
    struct chart_rows {
        latency_mode mode;
        cell where;
        std::vector<std::optional<double>> loads;
    };
    std::vector<chart_rows> charts;
    for (const auto& x : r.rows) {
        if (x.system == futex_floor_name) continue;  // drawn in the wake-up chart of its run
        auto at = std::find_if(charts.begin(), charts.end(), [&](const chart_rows& c) {
            return c.mode == x.mode && c.where.name() == x.where.name();
        });
        if (at == charts.end()) at = charts.insert(charts.end(), chart_rows{x.mode, x.where, {}});
        if (std::find(at->loads.begin(), at->loads.end(), x.load) == at->loads.end()) at->loads.push_back(x.load);
    }
    for (const auto& ch : charts) {
        std::string mode = to_string(ch.mode);
        std::replace(mode.begin(), mode.end(), ' ', '_');
        std::replace(mode.begin(), mode.end(), '-', '_');
        const std::string stem = (plots / ("latency_" + mode + "_" + ch.where.shape() + "_" +
                                           shape_group(ch.where.capacity, ch.where.message_bytes)))
                                     .string();
        std::string body = "set multiplot layout 1," + std::to_string(ch.loads.size()) + " title " +
                           gnuplot_string(std::string(to_string(ch.mode)) + " latency, " + ch.where.name() +
                                          ": percentile distribution\n" + info.cpu + ", " +
                                          std::to_string(info.hardware_threads) + " hardware threads; run " + info.id) +
                           " noenhanced\n";
        for (std::size_t l = 0; l < ch.loads.size(); ++l) {
            std::vector<const latency_row*> rows;
            for (const auto& x : r.rows)
                if (x.mode == ch.mode && x.load == ch.loads[l] && x.measure.latency.count() &&
                    (x.where.name() == ch.where.name() || (ch.mode == latency_mode::wake_up && x.system == futex_floor_name)))
                    rows.push_back(&x);
            const std::string dat = stem + (ch.loads[l] ? "_load" + fixed(100 * *ch.loads[l], 0) : "") + ".dat";
            {
                std::ofstream d(dat);
                d << "# 1/(1-p) | percentile | microseconds per system:";
                for (const auto* x : rows) d << " | " << x->system;
                d << "\n";
                // Points at p = 1 - 10^(-k/20), up to what each system's sample count resolves.
                for (int k = 0;; ++k) {
                    const double x_axis = std::pow(10.0, k / 20.0);
                    bool any = false;
                    std::string line = fixed(x_axis, 3) + " " + fixed(100 * (1 - 1 / x_axis), 5);
                    for (const auto* x : rows) {
                        const auto& h = x->measure.latency;
                        const bool resolved = x_axis <= static_cast<double>(h.count());
                        any |= resolved;
                        line += " " + (resolved ? fixed(h.percentile(100 * (1 - 1 / x_axis)) / 1e3, 3) : "?");
                    }
                    if (!any) break;
                    d << line << "\n";
                }
            }
            const std::string title = ch.loads[l] ? "offered load " + fixed(100 * *ch.loads[l], 0) + "% of own throughput"
                                                  : std::string(to_string(ch.mode));
            body += "set title " + gnuplot_string(title) + " noenhanced\nplot ";
            styles style;
            for (std::size_t i = 0; i < rows.size(); ++i) {
                const auto sys = std::find_if(r.systems.begin(), r.systems.end(),
                                              [&](const system& s) { return s.name == rows[i]->system; });
                const std::string how = sys == r.systems.end() ? "lc rgb '#000000' dt 1 lw 3"  // the floor
                                                               : style.of(*sys);
                body += (i ? ", \\\n     " : "") + gnuplot_string(dat) + " using 1:" + std::to_string(i + 3) +
                        " with linespoints " + how + " ps 0.6 title " +
                        gnuplot_string(sys == r.systems.end() ? rows[i]->system : sys->label());
            }
            body += "\n";
        }
        body += "unset multiplot\n";
        std::ofstream g(stem + ".gp");
        g << "# msgpool-bench run " << info.id << "\n"
          << "set datafile missing '?'\nset logscale xy\nset grid xtics ytics mytics\n"
          << "set xtics ('50%%' 2, '90%%' 10, '99%%' 100, '99.9%%' 1000, '99.99%%' 1e4, '99.999%%' 1e5, '99.9999%%' 1e6)\n"
          << "set xlabel 'percentile'\nset ylabel 'microseconds'\nset key bottom right noenhanced font ',8'\n";
        const int width = 200 + 560 * static_cast<int>(ch.loads.size());
        const auto render = [&](const std::string& terminal, const std::string& ext) {
            const auto image = stem + "." + ext;
            g << "set terminal " << terminal << "\nset output " << gnuplot_string(image) << "\n" << body
              << "unset output\n";
            out.files.push_back(image);
        };
        render(png + " size " + std::to_string(width) + ",650 noenhanced", "png");
        render("svg size " + std::to_string(width) + ",650 dynamic noenhanced", "svg");
        g.close();
        if (!run_gnuplot(plots, stem + ".gp", out)) return out;
    }
    return out;
}

}  // namespace msgpool_bench
