package io.loombench.common;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** The one-line error policy of {@link Cli#run}: which errors point at --help, typos, enum values. */
class CliRunTest {

    enum Color { RED, DARK_BLUE }

    @Command(name = "paint", mixinStandardHelpOptions = true)
    static final class Paint implements Callable<Integer> {
        @Option(names = "--color", defaultValue = "red")
        Color color;

        @Option(names = "--target")
        String target = "wall";

        @Override
        public Integer call() {
            if (target.equals("unknown")) {
                throw new Cli.InputFailure("cannot reach unknown: no such host");
            }
            if (target.equals("bad")) {
                throw new IllegalArgumentException("--target must not be bad");
            }
            return color == Color.DARK_BLUE ? 7 : Cli.OK;
        }
    }

    private record Run(int code, String err) {
    }

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        int code = Cli.run(new Paint(), new PrintWriter(err, true), args);
        return new Run(code, err.toString().strip());
    }

    @Test
    void enumValuesAreReadInAnyCaseAndListedInLowercase() {
        assertThat(run("--color", "dark_blue").code()).isEqualTo(7);
        assertThat(run("--color", "DARK_BLUE").code()).isEqualTo(7);
        Run bad = run("--color", "green");
        assertThat(bad.code()).isEqualTo(Cli.USAGE);
        assertThat(bad.err()).contains("expected one of red, dark_blue, was 'green'").endsWith("(see --help)")
                .doesNotContain("RED").doesNotContain("\n");
    }

    @Test
    void aTypoGetsTheNearestOptionSuggested() {
        Run typo = run("--colr", "red");
        assertThat(typo.code()).isEqualTo(Cli.USAGE);
        assertThat(typo.err()).isEqualTo("paint: Unknown option: '--colr'; did you mean --color? (see --help)");
        Run two = run("--colr", "red", "--targt", "x");
        assertThat(two.err()).startsWith("paint: Unknown options: '--colr', '--targt'; did you mean ").endsWith("(see --help)");
    }

    @Command(name = "studio", subcommands = {Paint.class, Sketch.class})
    static final class Studio {
    }

    @Command(name = "sketch", hidden = true)
    static final class Sketch implements Callable<Integer> {
        @Override
        public Integer call() {
            return Cli.OK;
        }
    }

    @Test
    void anUnknownCommandIsCalledOneWithTheVisibleCommandsListed() {
        StringWriter err = new StringWriter();
        int code = Cli.run(new Studio(), new PrintWriter(err, true), "sculpt");
        assertThat(code).isEqualTo(Cli.USAGE);
        assertThat(err.toString().strip()).isEqualTo("studio: unknown command 'sculpt'; the commands are paint (see --help)");
    }

    @Test
    void onlyUsageErrorsPointAtTheHelp() {
        Run usage = run("--target", "bad");
        assertThat(usage.code()).isEqualTo(Cli.USAGE);
        assertThat(usage.err()).isEqualTo("paint: --target must not be bad (see --help)");
        Run input = run("--target", "unknown");
        assertThat(input.code()).isEqualTo(Cli.USAGE);
        assertThat(input.err()).isEqualTo("paint: cannot reach unknown: no such host");
    }
}
