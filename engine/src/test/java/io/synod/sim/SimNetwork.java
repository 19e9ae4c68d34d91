package io.synod.sim;

import org.agrona.DirectBuffer;

import java.util.PriorityQueue;
import java.util.Random;

/**
 * A simulated network between nodes and clients: every message is copied and delivered after a random delay, or
 * lost, or duplicated, or blocked by a partition (which may be asymmetric). Deterministic for a given Random.
 */
final class SimNetwork
{
    /** Addresses: nodes are their ids (0..), clients are CLIENT_BASE + client number. */
    static final int CLIENT_BASE = 1000;

    static final class Message implements Comparable<Message>
    {
        final long deliverAtNs;
        final long order;
        final int from;
        final int to;
        final byte[] bytes;

        Message(final long deliverAtNs, final long order, final int from, final int to, final byte[] bytes)
        {
            this.deliverAtNs = deliverAtNs;
            this.order = order;
            this.from = from;
            this.to = to;
            this.bytes = bytes;
        }

        public int compareTo(final Message other)
        {
            final int byTime = Long.compare(deliverAtNs, other.deliverAtNs);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }

    private final Random random;
    private final PriorityQueue<Message> inFlight = new PriorityQueue<>();
    private final boolean[][] blocked;
    private long order;
    private long nowNs;
    double lossRate;
    double duplicateRate;
    long minDelayNs = 20_000;
    long maxDelayNs = 200_000;
    long sent;
    long dropped;

    SimNetwork(final Random random, final int nodeCount)
    {
        this.random = random;
        this.blocked = new boolean[nodeCount][nodeCount];
    }

    void now(final long nowNs)
    {
        this.nowNs = nowNs;
    }

    void send(final int from, final int to, final DirectBuffer buffer, final int offset, final int length)
    {
        sent++;
        if (from < CLIENT_BASE && to < CLIENT_BASE && blocked[from][to])
        {
            dropped++;
            return;
        }
        if (random.nextDouble() < lossRate)
        {
            dropped++;
            return;
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        enqueue(from, to, bytes);
        if (random.nextDouble() < duplicateRate)
        {
            enqueue(from, to, bytes);
        }
    }

    private void enqueue(final int from, final int to, final byte[] bytes)
    {
        final long delay = minDelayNs + (long)(random.nextDouble() * (maxDelayNs - minDelayNs));
        inFlight.add(new Message(nowNs + delay, order++, from, to, bytes));
    }

    /**
     * @return the next message due by now, or null.
     */
    Message poll()
    {
        final Message head = inFlight.peek();
        if (head == null || head.deliverAtNs > nowNs)
        {
            return null;
        }
        return inFlight.poll();
    }

    void block(final int from, final int to, final boolean isBlocked)
    {
        blocked[from][to] = isBlocked;
    }

    boolean isBlocked(final int from, final int to)
    {
        return blocked[from][to];
    }

    void heal()
    {
        for (final boolean[] row : blocked)
        {
            java.util.Arrays.fill(row, false);
        }
        lossRate = 0;
        duplicateRate = 0;
        // Delays beyond the election timeout are a fault too: with them no leader is heard in time.
        minDelayNs = Math.min(minDelayNs, 50_000);
        maxDelayNs = Math.min(maxDelayNs, 300_000);
    }

    int inFlightCount()
    {
        return inFlight.size();
    }
}
