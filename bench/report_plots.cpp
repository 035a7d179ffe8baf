// bench/report_plots.cpp - gnuplot charts, PNG and SVG.
//
// For each capacity and message size swept, two charts against the thread
// shape (1x1, 2x2, ...): median throughput, and CPU seconds per million
// messages (= CPU microseconds per message), one line per system, msgpool
// systems solid and peers dashed, log-scale y.  The data (.dat) and the
// script (.gp) stay beside the images so a chart can be re-rendered or
// restyled by hand.
#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>

#include "report.hpp"

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
        if (ch == '"' || ch == '\\') q += '\\';
        q += ch;
    }
    return q + "\"";
}

struct chart {
    std::string file_stem, title, ylabel;
    double (*value)(const system_cell&);
};

}  // namespace

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
                                                std::to_string(bytes) + "-byte messages, " + r.info.cpu + " (" +
                                                std::to_string(r.info.hardware_threads) + " threads), run " + r.info.id)
              << " noenhanced\n"
              << "set xlabel 'producers x consumers'\nset ylabel " << gnuplot_string(ch.ylabel) << "\n"
              << "set logscale y\nset grid ytics mytics xtics\nset key outside right top noenhanced\n"
              << "set offsets 0.2, 0.2, 0, 0\n";
            std::string plot = "plot ";
            for (std::size_t s = 0; s < r.systems.size(); ++s) {
                const bool peer = !r.systems[s].is_msgpool();
                plot += (s ? ", \\\n     " : "") + gnuplot_string(dat) + " using " + std::to_string(s + 2) +
                        ":xtic(1) with linespoints lw 2 dt " + (peer ? "2" : "1") + " pt " + std::to_string(s % 13 + 1) +
                        " title " + gnuplot_string(r.systems[s].label());
            }
            const auto render = [&](const std::string& terminal, const std::string& ext) {
                const auto image = stem.string() + "." + ext;
                g << "set terminal " << terminal << "\nset output " << gnuplot_string(image) << "\n"
                  << plot << "\nunset output\n";
                out.files.push_back(image);
            };
            render(png + " size 1100,600 noenhanced", "png");
            render("svg size 1100,600 dynamic noenhanced", "svg");
            g.close();
            const std::string command = "gnuplot " + gnuplot_string(gp) + " 2>>" + gnuplot_string((plots / "gnuplot.log").string());
            if (std::system(command.c_str()) != 0) {
                out.note = "gnuplot failed; see " + (plots / "gnuplot.log").string();
                out.files.clear();
                return out;
            }
        }
    }
    return out;
}

}  // namespace msgpool_bench
