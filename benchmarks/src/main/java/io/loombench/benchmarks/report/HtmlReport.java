package io.loombench.benchmarks.report;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders blocks as one standalone HTML page: a little CSS, the charts' SVG inline. The page is
 * well-formed XML as well (polyglot HTML), so XML tools can read it too.
 */
final class HtmlReport {

    private static final String CSS = """
            body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.45; }
            h1 { font-size: 1.6rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ccc; } h3 { margin-top: 1.6rem; }
            table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.88rem; }
            th, td { border: 1px solid #d0d0d0; padding: 0.25rem 0.5rem; vertical-align: top; }
            th { background: #f2f2f2; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            tr:nth-child(even) td { background: #fafafa; }
            code { background: #f2f2f2; padding: 0 0.2rem; border-radius: 3px; }
            figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; } figcaption { font-size: 0.88rem; color: #555; }
            """;
    private static final Pattern MARKS = Pattern.compile("\\*\\*(.+?)\\*\\*|`(.+?)`");

    private HtmlReport() {
    }

    static String render(String title, List<Block> blocks) {
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html lang=\"en\" xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<title>").append(escape(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        for (Block block : blocks) {
            switch (block) {
                case Block.Heading h -> out.append("<h").append(h.level()).append('>').append(inline(h.text()))
                        .append("</h").append(h.level()).append(">\n");
                case Block.Paragraph p -> out.append("<p>").append(inline(p.text())).append("</p>\n");
                case Block.Bullets b -> {
                    out.append("<ul>\n");
                    b.items().forEach(item -> out.append("<li>").append(inline(item)).append("</li>\n"));
                    out.append("</ul>\n");
                }
                case Block.Table t -> table(t, out);
                case Block.Figure f -> out.append("<figure>\n").append(f.chart().inlineSvg()).append("\n<figcaption>")
                        .append(inline(f.chart().title())).append("</figcaption>\n</figure>\n");
            }
        }
        return out.append("</body>\n</html>\n").toString();
    }

    private static void table(Block.Table table, StringBuilder out) {
        out.append("<table>\n<thead><tr>");
        table.columns().forEach(c -> out.append(c.numeric() ? "<th class=\"n\">" : "<th>").append(inline(c.title())).append("</th>"));
        out.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : table.rows()) {
            out.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                out.append(table.columns().get(i).numeric() ? "<td class=\"n\">" : "<td>").append(inline(row.get(i))).append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    /** Escapes the text and turns its two inline marks into elements. */
    static String inline(String text) {
        StringBuilder out = new StringBuilder();
        Matcher m = MARKS.matcher(text);
        int at = 0;
        while (m.find()) {
            out.append(escape(text.substring(at, m.start())));
            out.append(m.group(1) != null ? "<strong>" + escape(m.group(1)) + "</strong>" : "<code>" + escape(m.group(2)) + "</code>");
            at = m.end();
        }
        return out.append(escape(text.substring(at))).toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
