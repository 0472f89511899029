package io.loombench.benchmarks.report;

import java.util.List;

/**
 * One part of a document (the report, the gate's table), written once and rendered as Markdown
 * and as HTML so that both say the same. Text may hold two inline marks: {@code **bold**} and
 * {@code `code`}; nothing else in it is markup.
 */
sealed interface Block {

    /** @param level 1 for the title, 2 for a section, 3 for a subsection */
    record Heading(int level, String text) implements Block {
    }

    record Paragraph(String text) implements Block {
    }

    record Bullets(List<String> items) implements Block {
        public Bullets {
            items = List.copyOf(items);
        }
    }

    /** @param rows each as many cells as there are columns */
    record Table(List<Column> columns, List<List<String>> rows) implements Block {
        public Table {
            columns = List.copyOf(columns);
            rows = rows.stream().map(List::copyOf).toList();
            for (List<String> row : rows) {
                if (row.size() != columns.size()) {
                    throw new IllegalArgumentException("a row of " + row.size() + " cells in a table of " + columns.size() + " columns");
                }
            }
        }
    }

    /** @param numeric right-aligned */
    record Column(String title, boolean numeric) {
        static Column text(String title) {
            return new Column(title, false);
        }

        static Column number(String title) {
            return new Column(title, true);
        }
    }

    /** A chart, beneath the charts directory in Markdown, inline in HTML. */
    record Figure(Chart chart) implements Block {
    }
}
