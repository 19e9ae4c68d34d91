package io.synod.runtime;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Messages waiting to leave for one destination (a peer or a client): filled by the outbox during the duty cycle,
 * drained by a publisher after the log's sync. Bounded: when full the oldest messages are dropped and counted, as
 * Paxos retransmits what matters and a client retries.
 */
final class DestinationQueue implements ExpandableRingBuffer.MessageConsumer
{
    private static final int INITIAL_CAPACITY = 64 * 1024;

    private final ExpandableRingBuffer ring;
    private long dropped;

    DestinationQueue(final int maxCapacity)
    {
        ring = new ExpandableRingBuffer(Math.min(INITIAL_CAPACITY, maxCapacity), maxCapacity, true);
    }

    /**
     * @return false if the message was larger than the whole queue and dropped.
     */
    boolean append(final DirectBuffer buffer, final int offset, final int length)
    {
        while (!ring.append(buffer, offset, length))
        {
            if (ring.isEmpty())
            {
                dropped++;
                return false;
            }
            ring.consume(this, 1); // drop the oldest
            dropped++;
        }
        return true;
    }

    /**
     * Drain to a consumer that returns false to stop (back-pressure) and keep the rest.
     *
     * @return bytes consumed.
     */
    int drain(final ExpandableRingBuffer.MessageConsumer consumer)
    {
        return ring.isEmpty() ? 0 : ring.consume(consumer, Integer.MAX_VALUE);
    }

    boolean isEmpty()
    {
        return ring.isEmpty();
    }

    void clear()
    {
        ring.reset(INITIAL_CAPACITY);
    }

    /** @return messages dropped because the queue was full. */
    long dropped()
    {
        return dropped;
    }

    /** Drops the oldest message. */
    public boolean onMessage(final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        return true;
    }
}
