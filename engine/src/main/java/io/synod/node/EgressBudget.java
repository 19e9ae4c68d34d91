package io.synod.node;

/**
 * The node-wide bound on memory held by client queues ({@code maxEgressQueueBytes}): each client's
 * {@link DestinationQueue} grows lazily up to {@code egressQueueCapacity}, and every byte of capacity it takes is
 * reserved here first and given back when the client is forgotten. A queue refused growth is full at the size it has:
 * its oldest responses are dropped, as for any slow consumer, and the client retries.
 * <p>
 * Node thread only: two longs, no lock, no allocation.
 */
final class EgressBudget
{
    private final long maxBytes;
    private final RuntimeCounts counts;
    private long reserved;

    /**
     * @param maxBytes most bytes of capacity all client queues together may hold.
     * @param counts   where the bytes held and the refusals are counted for the node's counters.
     */
    EgressBudget(final long maxBytes, final RuntimeCounts counts)
    {
        this.maxBytes = maxBytes;
        this.counts = counts;
    }

    /**
     * @param bytes more capacity one queue wants.
     * @return true if reserved; false (counted) if it would take the queues past the budget.
     */
    boolean tryReserve(final int bytes)
    {
        if (reserved + bytes > maxBytes)
        {
            counts.egressGrowthsRefused++;
            return false;
        }
        reserved += bytes;
        counts.egressQueueBytes = reserved;
        return true;
    }

    /**
     * @param bytes capacity a queue gave back (its client was forgotten).
     */
    void release(final int bytes)
    {
        reserved -= bytes;
        counts.egressQueueBytes = reserved;
    }

    /** @return bytes of capacity the client queues hold now. */
    long reserved()
    {
        return reserved;
    }

    /** @return the budget. */
    long maxBytes()
    {
        return maxBytes;
    }
}
