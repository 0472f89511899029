package io.loombench.server;

import io.loombench.server.model.BlockingModel;
import io.loombench.server.model.ConcurrencyModel;
import io.loombench.server.model.EventLoopModel;
import io.loombench.server.model.ModelContext;

import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

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
            AtomicInteger ids = new AtomicInteger();
            ThreadFactory platform = task -> new Thread(task, "loombench-pool-" + ids.getAndIncrement());
            return new BlockingModel(context, Executors.newFixedThreadPool(context.config().poolThreads(), platform));
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
