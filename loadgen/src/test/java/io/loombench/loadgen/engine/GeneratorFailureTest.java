package io.loombench.loadgen.engine;

import io.loombench.common.Protocol;
import io.loombench.loadgen.GeneratorFailure;
import io.loombench.loadgen.LoadError;
import io.loombench.loadgen.LoadListener;
import io.loombench.loadgen.LoadProtocol;
import io.loombench.loadgen.LoadSpec;
import io.loombench.server.Model;
import io.loombench.server.Server;
import io.loombench.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bugs are loud: a worker thread that throws ends the run at once, and waiting for the run throws
 * a {@link GeneratorFailure} naming the thread and the exception, on one line, instead of
 * returning figures that lack that worker's connections.
 */
@Timeout(60)
class GeneratorFailureTest {

    @Test
    void aWorkerThatThrowsEndsTheRunWithAnErrorNamingTheFailure() throws Exception {
        try (Server server = Server.start(ServerConfig.builder().model(Model.NIO).protocol(Protocol.ECHO).port(0).build())) {
            LoadSpec spec = LoadSpec.builder(LoadProtocol.TCP_ECHO, server.address())
                    .connections(4).threads(2).duration(Duration.ofSeconds(30)).build();
            AtomicInteger answers = new AtomicInteger();
            CodecFactory echo = CodecFactory.of(spec);
            LoadRun run = LoadRun.start(spec, () -> new ThrowingAfter(echo.create(), answers, 500));
            long started = System.nanoTime();

            assertThatThrownBy(() -> run.await(LoadListener.NONE))
                    .isInstanceOf(GeneratorFailure.class)
                    .hasMessageStartingWith("the load generator failed: its thread loadgen-worker-")
                    .hasMessageContaining("java.lang.IllegalStateException: injected after 500 answers")
                    .hasMessageContaining("(at io.loombench.loadgen.engine.GeneratorFailureTest$ThrowingAfter.read(")
                    .hasMessageNotContaining("\n")
                    .hasRootCauseInstanceOf(IllegalStateException.class);
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).as("ended at once, not after 30 s").isLessThan(10);
            assertThat(run.openConnections()).as("every socket closed").isZero();
        }
    }

    /** Echo's codec, until the run has had {@code limit} answers: then a bug. */
    private record ThrowingAfter(StreamCodec codec, AtomicInteger answers, int limit) implements StreamCodec {
        @Override
        public int requestBytes() {
            return codec.requestBytes();
        }

        @Override
        public void putRequest(ByteBuffer out, long sequence, int offset, int n) {
            codec.putRequest(out, sequence, offset, n);
        }

        @Override
        public Read read(ByteBuffer in) {
            if (answers.get() >= limit) {
                throw new IllegalStateException("injected after " + limit + " answers");
            }
            Read read = codec.read(in);
            if (read == Read.ANSWER) {
                answers.incrementAndGet();
            }
            return read;
        }

        @Override
        public int status() {
            return codec.status();
        }

        @Override
        public LoadError failure() {
            return codec.failure();
        }

        @Override
        public boolean closeAfter() {
            return codec.closeAfter();
        }

        @Override
        public boolean endOfInput() {
            return codec.endOfInput();
        }

        @Override
        public void reset() {
            codec.reset();
        }
    }
}
