package io.synod.node;

/**
 * Times commands through the leader without help from the core and without allocation: a command's receipt time is
 * kept by the slot it was proposed at (the log's next slot before the core saw it), to time commit when the commit
 * index passes that slot, and by its session and sequence, to time the response when it is handed to Aeron.
 * <p>
 * Receipt times by request live in a direct-mapped table, not a hash map: a session's consecutive sequences fall in
 * consecutive cells (a few cache lines for a whole window, where a hash map's scattered probes and removal's
 * compaction took a sixth of the leader's samples at window 1024), and a cell another request took over is simply
 * not timed. The histogram is a sample of the responses, exact for one session with a window up to the table size.
 */
final class LatencyTracker
{
    private static final long NONE = Long.MIN_VALUE;
    private static final int REQUEST_CELLS = 1 << 14;

    private final NodeMetrics metrics;
    private final long[] receivedAtBySlot;
    private final long[] slotAt;
    private final int mask;
    private final long[] requestKeys = new long[REQUEST_CELLS];
    private final long[] requestReceivedNs = new long[REQUEST_CELLS];
    private long commitIndex;

    LatencyTracker(final NodeMetrics metrics, final int windowEntries)
    {
        this.metrics = metrics;
        final int capacity = Integer.highestOneBit(Math.max(1024, windowEntries - 1) * 2);
        receivedAtBySlot = new long[capacity];
        slotAt = new long[capacity];
        java.util.Arrays.fill(slotAt, -1);
        java.util.Arrays.fill(requestKeys, NONE);
        mask = capacity - 1;
    }

    static long key(final long sessionId, final long sequence)
    {
        return sessionId * 0x9E3779B97F4A7C15L + sequence;
    }

    void onCommandReceived(final long sessionId, final long sequence, final long nowNs)
    {
        final long key = key(sessionId, sequence);
        final int cell = (int)key & (REQUEST_CELLS - 1);
        requestKeys[cell] = key;
        requestReceivedNs[cell] = nowNs;
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
        final long key = key(sessionId, sequence);
        final int cell = (int)key & (REQUEST_CELLS - 1);
        if (requestKeys[cell] == key)
        {
            requestKeys[cell] = NONE;
            metrics.record(NodeMetrics.RESPONSE, nowNs - requestReceivedNs[cell]);
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
