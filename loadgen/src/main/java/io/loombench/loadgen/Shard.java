package io.loombench.loadgen;

import java.util.Locale;

/**
 * One generator's part of a run split over {@code count} generators (processes, usually on
 * separate hosts), so that together they make exactly the load one process would.
 *
 * <p>The run's connections are numbered {@code 0 .. C-1}, its global indexes. Shard {@code index}
 * takes those whose global index is congruent to {@code index} modulo {@code count}, so the shares
 * differ by at most one connection. Everything a connection does is derived from its global index
 * and the run's totals, never from the shard: its intended send times (the open model's
 * {@code C/R} spacing with connection {@code g} offset by {@code g/R}, or its Poisson stream, seeded
 * from the seed and {@code g}) and its place in the ramp-up. The union of the shards' schedules is
 * therefore the one-process schedule, send for send, and their rates add up to the run's rate
 * exactly: shard {@code i} offers {@code connections(C) * R / C}.
 *
 * @param index this shard's number, {@code 0 <= index < count}
 * @param count how many shards the run is split into, at least 1
 */
public record Shard(int index, int count) {
    /** The whole run in one process. */
    public static final Shard WHOLE = new Shard(0, 1);
    /** A golden-ratio increment, so that neighbouring shards' payload seeds share no bit pattern. */
    private static final long SEED_STRIDE = 0x9E3779B97F4A7C15L;

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "a shard is I/N with N at least 1 and I from 0 to N-1, was %d/%d", index, count));
        }
    }

    /** Reads {@code I/N}, as {@code --shard} takes it. */
    public static Shard parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("a shard is I/N (such as 0/3, the first of three), was '" + text + "'");
        }
        try {
            return new Shard(Integer.parseInt(text.substring(0, slash).strip()), Integer.parseInt(text.substring(slash + 1).strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a shard is I/N (such as 0/3, the first of three), was '" + text + "'");
        }
    }

    /** True for the whole run in one process. */
    public boolean whole() {
        return count == 1;
    }

    /** How many of a run's {@code total} connections are this shard's: {@code ceil((total - index) / count)}. */
    public int connections(int total) {
        return Math.max(0, (total - index + count - 1) / count);
    }

    /** The global index of this shard's {@code local}-th connection. */
    public int globalIndex(int local) {
        return index + local * count;
    }

    /** This shard's share of a count (such as {@code -n}) split as evenly as integers allow; the shares add up to {@code total}. */
    public long share(long total) {
        return total / count + (index < total % count ? 1 : 0);
    }

    /**
     * The seed of this shard's payload bytes: the run's seed for shard 0 (so one shard of one is
     * the unsharded run), a different one for each other shard.
     */
    public long payloadSeed(long runSeed) {
        return runSeed + index * SEED_STRIDE;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
