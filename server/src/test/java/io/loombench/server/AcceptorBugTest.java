package io.loombench.server;

import io.loombench.server.model.ConcurrencyModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.loombench.server.TestSupport.assertClosedByServer;
import static io.loombench.server.TestSupport.await;
import static io.loombench.server.TestSupport.connect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model whose {@code serve} throws is a bug the acceptor survives: counted as
 * {@link ServerError#HANDLER_BUG}, that connection closed and finished, and the next connection
 * handed over as usual.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AcceptorBugTest {

    /** Throws for the first connection, keeps the others. */
    private static final class FirstServeThrows implements ConcurrencyModel {
        final List<SocketChannel> served = new CopyOnWriteArrayList<>();
        private boolean thrown;

        @Override
        public void serve(SocketChannel channel) {
            if (!thrown) {
                thrown = true;
                throw new IllegalStateException("injected bug in serve");
            }
            served.add(channel);
        }

        @Override
        public void drain() {
            // Not part of this test: the server is never shut down gracefully here.
        }

        @Override
        public void close() throws InterruptedException {
            for (SocketChannel channel : served) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // The test is over.
                }
            }
        }
    }

    @Test
    void aModelThatThrowsInServeCostsOneConnectionNotTheAcceptor() throws Exception {
        ServerCounters counters = new ServerCounters();
        FirstServeThrows model = new FirstServeThrows();
        ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        InetSocketAddress address = (InetSocketAddress) listener.getLocalAddress();
        Acceptor acceptor = new Acceptor(listener, model, counters, 10);
        acceptor.start();
        try (Socket first = connect(address)) {
            assertClosedByServer(first);
            try (Socket second = connect(address)) {
                await("the second connection handed to the model", () -> model.served.size() == 1);
            }
            assertThat(counters.snapshot().errors(ServerError.HANDLER_BUG)).isEqualTo(1);
            assertThat(counters.active()).as("the first finished, the second held by the model").isEqualTo(1);
        } finally {
            acceptor.stop();
            model.close();
        }
    }
}
