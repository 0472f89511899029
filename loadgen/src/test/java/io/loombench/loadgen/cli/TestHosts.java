package io.loombench.loadgen.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Separate hosts for a test: a server host and generator hosts, each with its own address. As
 * root, they are network namespaces joined by a bridge, addressed in 198.18.0.0/15 (RFC 2544's
 * range for benchmarking, which no real network routes); otherwise they are processes of this
 * machine, the generators binding distinct loopback addresses.
 */
sealed interface TestHosts extends AutoCloseable permits TestHosts.Namespaces, TestHosts.Loopback {

    /** What these hosts are, in a sentence for the test's output. */
    String description();

    /** The address the server binds and the generators load. */
    String serverAddress();

    /** The {@code --bind} options generator {@code i} needs, if any. */
    List<String> bindOptions(int generator);

    /** {@code command} as run on the server's host. */
    List<String> onServer(List<String> command);

    /** {@code command} as run on generator {@code i}'s host. */
    List<String> onGenerator(int generator, List<String> command);

    @Override
    void close();

    /**
     * Namespaces if this process may make them, loopback otherwise;
     * {@code -Dloombench.test.hosts=loopback} asks for loopback.
     */
    static TestHosts create(int generators) {
        if ("loopback".equals(System.getProperty("loombench.test.hosts"))) {
            return new Loopback("-Dloombench.test.hosts=loopback");
        }
        String why;
        try {
            return Namespaces.create(generators);
        } catch (IOException e) {
            why = e.getMessage();
        }
        return new Loopback(why);
    }

    /** Network namespaces on a bridge: {@code 198.18.0.1} the server, {@code 198.18.0.11} and up the generators. */
    record Namespaces(String prefix, int generators) implements TestHosts {

        static Namespaces create(int generators) throws IOException {
            if (!"root".equals(System.getProperty("user.name"))) {
                throw new IOException("not root");
            }
            // Names unique to this process, within the 15 characters an interface name may have.
            Namespaces hosts = new Namespaces("lb" + ProcessHandle.current().pid() % 100_000, generators);
            try {
                run("ip", "link", "add", hosts.bridge(), "type", "bridge");
                run("ip", "link", "set", hosts.bridge(), "up");
                hosts.addHost("s", "198.18.0.1");
                for (int i = 0; i < generators; i++) {
                    hosts.addHost("g" + i, generatorAddress(i));
                }
                return hosts;
            } catch (IOException e) {
                hosts.close();
                throw e;
            }
        }

        private static String generatorAddress(int i) {
            return "198.18.0." + (11 + i);
        }

        private String bridge() {
            return prefix + "br";
        }

        private String namespace(String host) {
            return prefix + host;
        }

        private void addHost(String host, String address) throws IOException {
            String namespace = namespace(host);
            String outside = prefix + host + "o";
            String inside = prefix + host + "i";
            run("ip", "netns", "add", namespace);
            run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside);
            run("ip", "link", "set", inside, "netns", namespace);
            run("ip", "link", "set", outside, "master", bridge(), "up");
            run("ip", "netns", "exec", namespace, "ip", "addr", "add", address + "/24", "dev", inside);
            run("ip", "netns", "exec", namespace, "ip", "link", "set", inside, "up");
            run("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up");
        }

        @Override
        public String description() {
            return "network namespaces " + namespace("s") + " (server, 198.18.0.1) and " + namespace("g0") + ".." + namespace("g" + (generators - 1))
                    + " (198.18.0.11..) on bridge " + bridge();
        }

        @Override
        public String serverAddress() {
            return "198.18.0.1";
        }

        @Override
        public List<String> bindOptions(int generator) {
            return List.of();
        }

        @Override
        public List<String> onServer(List<String> command) {
            return in(namespace("s"), command);
        }

        @Override
        public List<String> onGenerator(int generator, List<String> command) {
            return in(namespace("g" + generator), command);
        }

        private static List<String> in(String namespace, List<String> command) {
            List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
            wrapped.addAll(command);
            return wrapped;
        }

        /** Deleting a namespace deletes the veth end inside it, and with it its peer. */
        @Override
        public void close() {
            quietly("ip", "netns", "del", namespace("s"));
            for (int i = 0; i < generators; i++) {
                quietly("ip", "netns", "del", namespace("g" + i));
            }
            quietly("ip", "link", "del", bridge());
        }

        private static void run(String... command) throws IOException {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IOException(String.join(" ", command) + " did not finish in 10 s");
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + ": " + new String(process.getInputStream().readAllBytes()).strip());
            }
        }

        private static void quietly(String... command) {
            try {
                run(command);
            } catch (IOException e) {
                // Cleaning up what may not have been made.
            }
        }
    }

    /** Processes of this machine: the server on 127.0.0.1, generator {@code i} bound to {@code 127.0.0.(11 + i)}. */
    record Loopback(String why) implements TestHosts {
        @Override
        public String description() {
            return "separate processes on loopback, the generators bound to 127.0.0.11 and up (no network namespaces: " + why + ")";
        }

        @Override
        public String serverAddress() {
            return "127.0.0.1";
        }

        @Override
        public List<String> bindOptions(int generator) {
            return List.of("--bind", "127.0.0." + (11 + generator));
        }

        @Override
        public List<String> onServer(List<String> command) {
            return command;
        }

        @Override
        public List<String> onGenerator(int generator, List<String> command) {
            return command;
        }

        @Override
        public void close() {
        }
    }
}
