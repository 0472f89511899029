package io.loombench.loadgen.engine;

import io.loombench.loadgen.LoadError;
import io.loombench.loadgen.FileLimit;
import io.loombench.loadgen.LoadSpec;
import io.loombench.loadgen.LocalPorts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The warnings that say which local resource a run ran out of, and how to get more: ephemeral
 * ports (a local address has a few tens of thousands towards one target) and file descriptors
 * (one per connection). Running out is counted as its own error kind; this says it in words.
 */
final class ResourceWarnings {
    private ResourceWarnings() {
    }

    static List<String> of(LoadSpec spec, Map<LoadError, Long> errors) {
        List<String> warnings = new ArrayList<>();
        long ports = errors.getOrDefault(LoadError.LOCAL_PORTS, 0L);
        if (ports > 0) {
            boolean bound = !spec.bindAddresses().isEmpty();
            String from = bound ? "the " + spec.bindAddresses().size() + " --bind address(es)" : "the local address";
            String more = spec.target().getAddress().isLoopbackAddress()
                    ? (bound ? "add more 127.x.y.z addresses to --bind" : "--bind 127.0.0.2,127.0.0.3") + " (all of 127.0.0.0/8 is this machine's)"
                    : (bound ? "add more of this machine's addresses to --bind" : "--bind with more of this machine's addresses");
            warnings.add(String.format(Locale.ROOT, "%,d connection attempts found no free local port: %s had no ephemeral port left"
                    + " towards %s%s, closed connections holding theirs for a minute in TIME_WAIT; connect from more addresses,"
                    + " each with as many ports: %s", ports, from,
                    spec.target().getAddress().getHostAddress() + ":" + spec.target().getPort(), portRange(), more));
        }
        long files = errors.getOrDefault(LoadError.FILE_LIMIT, 0L);
        if (files > 0) {
            String limit = FileLimit.usage().map(usage -> String.format(Locale.ROOT, " of %,d", usage.limit())).orElse("");
            warnings.add(String.format(Locale.ROOT, "%,d sockets could not be created: the process reached its open-file limit%s;"
                    + " raise it (ulimit -n, or LimitNOFILE= for a service) or ask for fewer connections", files, limit));
        }
        return warnings;
    }

    /** " (ports 32768-60999, 28,232 per address: net.ipv4.ip_local_port_range)" where Linux tells, else nothing. */
    private static String portRange() {
        return LocalPorts.read().map(ports -> " (" + ports.describe() + ")").orElse("");
    }
}
