package io.loombench.benchmarks.report;

import java.util.List;
import java.util.stream.Collectors;

/** Renders blocks as GitHub-flavoured Markdown; figures point at {@code charts/<name>.svg}. */
final class MarkdownReport {

    private MarkdownReport() {
    }

    static String render(List<Block> blocks) {
        StringBuilder out = new StringBuilder();
        for (Block block : blocks) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            switch (block) {
                case Block.Heading h -> out.append("#".repeat(h.level())).append(' ').append(h.text()).append('\n');
                case Block.Paragraph p -> out.append(p.text()).append('\n');
                case Block.Bullets b -> b.items().forEach(item -> out.append("- ").append(item).append('\n'));
                case Block.Table t -> table(t, out);
                case Block.Figure f -> out.append("![").append(f.chart().title()).append("](")
                        .append(Charts.DIR).append('/').append(f.chart().fileName()).append(")\n");
            }
        }
        return out.toString();
    }

    private static void table(Block.Table table, StringBuilder out) {
        out.append(row(table.columns().stream().map(Block.Column::title).toList()));
        out.append(table.columns().stream().map(c -> c.numeric() ? "---:" : "---")
                .collect(Collectors.joining("|", "|", "|\n")));
        table.rows().forEach(r -> out.append(row(r)));
    }

    private static String row(List<String> cells) {
        // A pipe inside a cell would end it.
        return cells.stream().map(c -> c.replace("|", "\\|")).collect(Collectors.joining(" | ", "| ", " |\n"));
    }
}
