package io.loombench.loadgen.cli;

import io.loombench.loadgen.IntervalStats;
import io.loombench.loadgen.LoadListener;

import java.io.PrintStream;
import java.util.Locale;

/** The line printed on stderr each second while a run goes on. */
final class Progress implements LoadListener {
    private final PrintStream err;

    Progress(PrintStream err) {
        this.err = err;
    }

    @Override
    public void onInterval(IntervalStats interval) {
        boolean measured = interval.response().getTotalCount() > 0;
        err.println(String.format(Locale.ROOT, "[%6.1fs] %-9s %,11.0f req/s  p50 %s  p99 %s  errors %,d  open %,d",
                interval.elapsedSeconds(), interval.phase().name().toLowerCase(Locale.ROOT), interval.rate(),
                measured ? millis(interval.response().getValueAtPercentile(50)) : "    -    ",
                measured ? millis(interval.response().getValueAtPercentile(99)) : "    -    ",
                interval.errors(), interval.openConnections()));
    }

    private static String millis(long micros) {
        return String.format(Locale.ROOT, "%6.3fms", micros / 1000.0);
    }
}
