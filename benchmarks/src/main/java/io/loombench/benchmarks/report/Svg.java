package io.loombench.benchmarks.report;

import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.VectorGraphicsEncoder.VectorGraphicsFormat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns an XChart chart into the SVG the report keeps, through XChart's VectorGraphics2D encoder. */
final class Svg {

    private static final Pattern DOCTYPE = Pattern.compile("<!DOCTYPE[^>]*>\\s*");
    private static final Pattern CLIP_ID = Pattern.compile("\\bclip\\d+\\b");
    private static final Pattern SVG_START = Pattern.compile("<svg\\b[^>]*>");
    // Coordinates come with up to 15 decimals; 2 are a hundredth of a pixel and halve the file.
    private static final Pattern LONG_DECIMALS = Pattern.compile("(\\d\\.\\d{2})\\d+");

    private Svg() {
    }

    /**
     * @param id     prefix for the SVG's element ids, so that several charts can share one HTML page
     * @param title  the SVG's {@code <title>}
     * @param series named in its {@code <desc>}: XChart draws text as outlines, so this is the only
     *               place a search or a screen reader finds them
     */
    static String render(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, String id, String title, List<String> series) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        String svg = out.toString(StandardCharsets.UTF_8);
        // The DOCTYPE names an external DTD that XML parsers would fetch from w3.org; SVG 2 has none.
        svg = DOCTYPE.matcher(svg).replaceFirst("");
        svg = renumberClips(svg, id);
        svg = LONG_DECIMALS.matcher(svg).replaceAll("$1");
        Matcher start = SVG_START.matcher(svg);
        if (!start.find()) {
            throw new IllegalStateException("the SVG encoder wrote no <svg> element");
        }
        String meta = "\n  <title>" + HtmlReport.escape(title) + "</title>\n  <desc>"
                + HtmlReport.escape("series: " + String.join(", ", series)) + "</desc>";
        return svg.substring(0, start.end()) + meta + svg.substring(start.end());
    }

    /** Clip path ids in order of appearance, {@code <id>-clip1, <id>-clip2, ...}: unique across charts and the same in every run. */
    private static String renumberClips(String svg, String id) {
        Map<String, String> names = new LinkedHashMap<>();
        Matcher m = CLIP_ID.matcher(svg);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = names.computeIfAbsent(m.group(), k -> id + "-clip" + (names.size() + 1));
            m.appendReplacement(out, Matcher.quoteReplacement(name));
        }
        m.appendTail(out);
        return out.toString();
    }
}
