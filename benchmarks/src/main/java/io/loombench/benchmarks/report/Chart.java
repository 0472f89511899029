package io.loombench.benchmarks.report;

import java.util.List;

/**
 * One rendered chart.
 *
 * @param section where in the report's charts it belongs
 * @param name    file name without {@code .svg}, unique in a report; also the prefix of its SVG ids
 * @param title   what it shows, in words
 * @param caption what was left out of it and why, or empty
 * @param series  the legend's names, in legend order
 * @param svg     a standalone SVG document
 */
record Chart(Section section, String name, String title, String caption, List<String> series, String svg) {

    /** The report's chart sections, in report order. */
    enum Section {
        THROUGHPUT, LATENCY, CAPACITY, COST
    }

    Chart {
        series = List.copyOf(series);
    }

    String fileName() {
        return name + ".svg";
    }

    /** The SVG without its XML declaration, to sit inside an HTML page. */
    String inlineSvg() {
        return svg.replaceFirst("^<\\?xml[^>]*\\?>\\s*", "");
    }
}
