package io.loombench.server;

import io.loombench.server.model.BlockingModel;
import io.loombench.server.model.ConcurrencyModel;
import io.loombench.server.model.EventLoopModel;
import io.loombench.server.model.ModelContext;
import io.loombench.server.model.PlatformThreadPool;

import java.util.concurrent.Executors;

/** The concurrency models on offer: the switch the whole comparison turns on. */
public enum Model {
    /** One virtual thread per connection, blocking I/O. */
    VIRTUAL {
        @Override
        public ConcurrencyModel create(ModelContext context) {
            return new BlockingModel(context,
                    Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("loombench-virtual-", 0).factory()));
        }
    },
    /**
     * A fixed pool of platform threads; a connection owns a thread for its lifetime and extra
     * connections wait in the pool's queue until a thread is free.
     */
    POOL {
        @Override
        public ConcurrencyModel create(ModelContext context) {
            return new BlockingModel(context, new PlatformThreadPool(context.config().poolThreads(), "loombench-pool-"));
        }
    },
    /** N selector loops with non-blocking channels; connections spread round-robin. */
    NIO {
        @Override
        public ConcurrencyModel create(ModelContext context) {
            return new EventLoopModel(context);
        }
    };

    public abstract ConcurrencyModel create(ModelContext context);
}
