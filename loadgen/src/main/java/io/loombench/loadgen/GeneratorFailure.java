package io.loombench.loadgen;

/**
 * The load generator itself failed during a run: one of its threads died (a bug in loadgen, or
 * its selector failing). The run is ended and no result is given, because one built without that
 * thread's connections would be a wrong number that looks right.
 */
public final class GeneratorFailure extends RuntimeException {
    /**
     * @param thread the thread that died
     * @param cause  what it died of
     */
    public GeneratorFailure(String thread, Throwable cause) {
        super("the load generator failed: its thread " + thread + " died of " + describe(cause)
                + "; the run was ended and its figures discarded", cause);
    }

    /** The exception's type and message, and where it was thrown, on one line. */
    private static String describe(Throwable cause) {
        String message = cause.getMessage() == null ? "" : ": " + cause.getMessage().lines().findFirst().orElse("");
        StackTraceElement[] trace = cause.getStackTrace();
        String where = trace.length == 0 ? "" : " (at " + trace[0] + ")";
        return cause.getClass().getName() + message + where;
    }
}
