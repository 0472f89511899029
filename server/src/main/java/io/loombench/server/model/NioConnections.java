package io.loombench.server.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The connections of one event loop, for the timeout sweep, draining and closing. A list with
 * swap-removal: add and remove are O(1) and a sweep walks a dense array. Walks go from the end,
 * so a connection that closes during one moves an already visited one into its slot. Loop thread only.
 */
final class NioConnections {
    private final List<NioConnection> connections = new ArrayList<>();

    void add(NioConnection connection) {
        connection.index = connections.size();
        connections.add(connection);
    }

    void remove(NioConnection connection) {
        int index = connection.index;
        if (index < 0) {
            return;
        }
        NioConnection last = connections.remove(connections.size() - 1);
        if (last != connection) {
            connections.set(index, last);
            last.index = index;
        }
        connection.index = -1;
    }

    void checkDeadlines(long now) {
        for (int i = connections.size() - 1; i >= 0; i--) {
            connections.get(i).checkDeadline(now);
        }
    }

    void closeIdle() {
        for (int i = connections.size() - 1; i >= 0; i--) {
            connections.get(i).closeIfIdle();
        }
    }

    long heldBytes() {
        long sum = 0;
        for (NioConnection connection : connections) {
            sum += connection.heldBytes();
        }
        return sum;
    }

    void closeAll() {
        while (!connections.isEmpty()) {
            connections.get(connections.size() - 1).close();
        }
    }
}
