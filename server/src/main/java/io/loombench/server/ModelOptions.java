package io.loombench.server;

import io.loombench.server.model.BlockingModel;
import io.loombench.server.model.ConcurrencyModel;
import io.loombench.server.model.EventLoopModel;
import io.loombench.server.model.ModelContext;
import io.loombench.server.model.PlatformThreadPool;
import io.loombench.server.udp.DatagramHandling;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The chosen concurrency model with the settings only it reads, one record per model. Each record
 * makes its model: {@link #connections} for TCP, {@link #datagrams} for UDP, where a shared
 * {@link io.loombench.server.udp.DatagramReceiver} takes the datagrams in and the model only says
 * who answers them.
 */
public sealed interface ModelOptions permits ModelOptions.Blocking, ModelOptions.Nio {

    /** The model's name, as {@code --model} spells it. */
    Model model();

    /** The model serving TCP connections; it owns its threads from now on. */
    ConcurrencyModel connections(ModelContext context);

    /** Who answers the datagrams of a UDP server; the strategy owns its threads from now on. */
    DatagramHandling datagrams();

    /**
     * The models of blocking I/O, which differ only in the threads that block: a connection (or a
     * datagram) is served by a task of the executor the model makes.
     */
    sealed interface Blocking extends ModelOptions permits Virtual, Pool {
        /** A new executor of this model's threads; whoever asked owns it. */
        ExecutorService newExecutor();

        @Override
        default ConcurrencyModel connections(ModelContext context) {
            return new BlockingModel(context, newExecutor());
        }

        @Override
        default DatagramHandling datagrams() {
            return new DatagramHandling.OnExecutor(newExecutor());
        }
    }

    /** One virtual thread per connection (and per datagram), blocking I/O. Nothing to set. */
    record Virtual() implements Blocking {
        @Override
        public Model model() {
            return Model.VIRTUAL;
        }

        @Override
        public ExecutorService newExecutor() {
            return Executors.newVirtualThreadPerTaskExecutor();
        }
    }

    /**
     * A fixed pool of platform threads; a connection owns a thread for its lifetime, and
     * connections beyond the pool wait in its queue.
     *
     * @param threads platform threads in the pool (default {@value #DEFAULT_THREADS}, the usual servlet default)
     */
    record Pool(int threads) implements Blocking {
        public static final int DEFAULT_THREADS = 200;

        public Pool {
            if (threads <= 0) {
                throw new IllegalArgumentException("pool threads must be positive, was " + threads);
            }
        }

        @Override
        public Model model() {
            return Model.POOL;
        }

        @Override
        public ExecutorService newExecutor() {
            return new PlatformThreadPool(threads, "loombench-pool-");
        }
    }

    /**
     * Selector loops with non-blocking channels, connections spread round-robin over them. A UDP
     * server answers on the one loop that receives, so {@code loops} applies to TCP only.
     *
     * @param loops selector threads (default: available processors)
     */
    record Nio(int loops) implements ModelOptions {
        public Nio {
            if (loops <= 0) {
                throw new IllegalArgumentException("event loops must be positive, was " + loops);
            }
        }

        @Override
        public Model model() {
            return Model.NIO;
        }

        @Override
        public ConcurrencyModel connections(ModelContext context) {
            return new EventLoopModel(context, loops);
        }

        @Override
        public DatagramHandling datagrams() {
            return new DatagramHandling.OnReceivingLoop();
        }
    }
}
