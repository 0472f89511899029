package io.loombench.benchmarks.suite;

import io.loombench.benchmarks.ServerKind;

import java.util.ArrayList;
import java.util.List;

/** Reading the suite's tools' {@code -D} properties, with one-line errors that name the property. */
final class ToolOptions {
    private ToolOptions() {
    }

    /** A comma-separated list of positive whole numbers, such as {@code 64,1000}. */
    static List<Integer> counts(String property, String otherwise) {
        String text = System.getProperty(property, otherwise).strip();
        List<Integer> counts = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                int count = Integer.parseInt(part.strip());
                if (count < 1) {
                    throw new NumberFormatException();
                }
                counts.add(count);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(property + " must list positive whole numbers like 64,1000, was '" + text + "'");
            }
        }
        return counts;
    }

    /** A positive whole number. */
    static int count(String property, int otherwise) {
        List<Integer> counts = counts(property, Integer.toString(otherwise));
        if (counts.size() != 1) {
            throw new IllegalArgumentException(property + " must be one positive whole number, was '" + System.getProperty(property) + "'");
        }
        return counts.get(0);
    }

    /** A comma-separated list of servers, such as {@code virtual,nio,netty}. */
    static List<ServerKind> servers(String property, String otherwise) {
        String text = System.getProperty(property, otherwise).strip();
        List<ServerKind> servers = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                servers.add(ServerKind.of(part.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(property + " must list servers among virtual, pool, nio, netty, helidon, was '" + text + "'");
            }
        }
        return servers;
    }
}
