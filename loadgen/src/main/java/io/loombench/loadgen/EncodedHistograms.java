package io.loombench.loadgen;

import org.HdrHistogram.Histogram;

/**
 * An interval's three latency histograms (response, service, send lag), kept in
 * {@link LatencyHistograms}' compressed encoding: a second's histogram takes a kilobyte or two
 * this way, where the histogram itself, sized for an hour's values, takes hundreds.
 */
public record EncodedHistograms(byte[] response, byte[] service, byte[] sendLag) {
    /** Three empty histograms. */
    public static final EncodedHistograms EMPTY = new EncodedHistograms(new byte[0], new byte[0], new byte[0]);

    /** Encodes the three; the histograms are not changed. */
    public static EncodedHistograms of(Histogram response, Histogram service, Histogram sendLag) {
        return new EncodedHistograms(LatencyHistograms.encode(response), LatencyHistograms.encode(service),
                LatencyHistograms.encode(sendLag));
    }

    /** True when all three are empty. */
    public boolean empty() {
        return response.length == 0 && service.length == 0 && sendLag.length == 0;
    }

    public Histogram decodedResponse() {
        return LatencyHistograms.decode(response);
    }

    public Histogram decodedService() {
        return LatencyHistograms.decode(service);
    }

    public Histogram decodedSendLag() {
        return LatencyHistograms.decode(sendLag);
    }
}
