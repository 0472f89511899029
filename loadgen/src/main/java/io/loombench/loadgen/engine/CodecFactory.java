package io.loombench.loadgen.engine;

import io.loombench.loadgen.LoadProtocol;
import io.loombench.loadgen.LoadSpec;

/** Makes the codec of each TCP connection of a run, one per connection. */
@FunctionalInterface
interface CodecFactory {
    StreamCodec create();

    /** The spec's own: HTTP's response reader, or echo's byte-for-byte check (UDP connections never ask). */
    static CodecFactory of(LoadSpec spec) {
        if (spec.protocol() == LoadProtocol.HTTP) {
            byte[] request = spec.http().encode();
            boolean noBodies = spec.http().expectsNoResponseBody();
            return () -> new HttpResponseReader(request, noBodies);
        }
        Payload payload = new Payload(spec.shard().payloadSeed(spec.seed()));
        int size = spec.payloadBytes();
        return () -> new EchoCodec(payload, size);
    }
}
