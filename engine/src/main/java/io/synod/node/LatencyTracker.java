package io.synod.node;

import org.agrona.collections.Long2LongHashMap;

/**
 * Times commands through the leader without help from the core and without allocation: a command's receipt time is
 * kept by the slot it was proposed at (the log's next slot before the core saw it), to time commit when the commit
 * index passes that slot, and by its session and sequence, to time the response when it is handed to Aeron.
 */
final class LatencyTracker
{
    private static final long NONE = Long.MIN_VALUE;
    private static final int MAX_PENDING_RESPONSES = 1 << 16;

    private final NodeMetrics metrics;
    private final long[] receivedAtBySlot;
    private final long[] slotAt;
    private final int mask;
    private final Long2LongHashMap receivedByRequest = new Long2LongHashMap(MAX_PENDING_RESPONSES * 2, 0.65f, NONE);
    private long commitIndex;

    LatencyTracker(final NodeMetrics metrics, final int windowEntries)
    {
        this.metrics = metrics;
        final int capacity = Integer.highestOneBit(Math.max(1024, windowEntries - 1) * 2);
        receivedAtBySlot = new long[capacity];
        slotAt = new long[capacity];
        java.util.Arrays.fill(slotAt, -1);
        mask = capacity - 1;
    }

    static long key(final long sessionId, final long sequence)
    {
        return sessionId * 0x9E3779B97F4A7C15L + sequence;
    }

    void onCommandReceived(final long sessionId, final long sequence, final long nowNs)
    {
        if (receivedByRequest.size() >= MAX_PENDING_RESPONSES)
        {
            receivedByRequest.clear(); // requests never answered here (e.g. lost leadership): forget them
        }
        receivedByRequest.put(key(sessionId, sequence), nowNs);
    }

    void onProposed(final long slot, final long nowNs)
    {
        final int index = (int)(slot & mask);
        receivedAtBySlot[index] = nowNs;
        slotAt[index] = slot;
    }

    void onCommitIndex(final long newCommitIndex, final long nowNs)
    {
        if (newCommitIndex - commitIndex > mask)
        {
            commitIndex = newCommitIndex - mask - 1; // caught up from far behind: only the window can be timed
        }
        for (long slot = commitIndex; slot < newCommitIndex; slot++)
        {
            final int index = (int)(slot & mask);
            if (slotAt[index] == slot)
            {
                metrics.record(NodeMetrics.COMMIT, nowNs - receivedAtBySlot[index]);
                slotAt[index] = -1;
            }
        }
        commitIndex = Math.max(commitIndex, newCommitIndex);
    }

    void onResponseSent(final long sessionId, final long sequence, final long nowNs)
    {
        if (receivedByRequest.isEmpty())
        {
            return;
        }
        final long receivedNs = receivedByRequest.remove(key(sessionId, sequence));
        if (receivedNs != NONE)
        {
            metrics.record(NodeMetrics.RESPONSE, nowNs - receivedNs);
        }
    }

    void onBatch(final long commands)
    {
        if (commands > 0)
        {
            metrics.record(NodeMetrics.BATCH, commands);
        }
    }

    void onApply(final long durationNs)
    {
        metrics.record(NodeMetrics.APPLY, durationNs);
    }
}
