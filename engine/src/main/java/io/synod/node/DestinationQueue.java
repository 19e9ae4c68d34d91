package io.synod.node;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Messages waiting to leave for one destination (a peer or a client): filled by the outbox during the duty cycle,
 * drained by a publisher after the log's sync. Records are {@code [int length][bytes]}, 8-byte aligned, appended at
 * the tail and consumed from the head; the buffer grows up to its capacity and is compacted when the tail reaches the
 * end. Bounded: when full the oldest messages are dropped and counted, as Paxos retransmits and a client retries.
 * <p>
 * The buffer starts at 64 KiB (or the capacity, if smaller) and doubles when a message does not fit, up to the
 * capacity. A client's queue asks the node's {@link EgressBudget} for each growth and gives its bytes back on
 * {@link #release()}; refused, it is full at the size it has.
 * <p>
 * Not Agrona's ExpandableRingBuffer: at its maximum capacity it can fail to find contiguous space for a large
 * message (IndexOutOfBoundsException in append, agrona PR #370); our messages go up to maxMessageLength.
 */
final class DestinationQueue
{
    private static final int LENGTH_FIELD = 4;
    private static final int ALIGNMENT = 8;
    private static final int INITIAL_CAPACITY = 64 * 1024;
    private static final UnsafeBuffer RELEASED = new UnsafeBuffer(new byte[0]);

    private final int maxCapacity;
    private final EgressBudget budget;
    private UnsafeBuffer buffer;
    private int capacity;
    private int head;
    private int tail;
    private long dropped;
    private long growthsRefused;

    DestinationQueue(final int maxCapacity)
    {
        this(maxCapacity, null);
    }

    /**
     * @param maxCapacity most bytes the queue holds.
     * @param budget      the node-wide budget its growth takes from, null for none (peer queues).
     */
    DestinationQueue(final int maxCapacity, final EgressBudget budget)
    {
        this.maxCapacity = maxCapacity;
        this.budget = budget;
        final int initial = Math.min(INITIAL_CAPACITY, maxCapacity);
        if (null == budget || budget.tryReserve(initial))
        {
            capacity = initial;
        }
        else
        {
            growthsRefused++;
        }
        buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity));
    }

    /**
     * @return whether a message of this length fits without dropping an older one.
     */
    boolean hasRoomFor(final int length)
    {
        return tail - head + BitUtil.align(LENGTH_FIELD + length, ALIGNMENT) <= maxCapacity;
    }

    /**
     * @return false if the message was larger than the whole queue and dropped.
     */
    boolean append(final DirectBuffer message, final int offset, final int length)
    {
        return append(message, offset, length, message, 0, 0);
    }

    /**
     * Append one message made of two parts (a peer message and its trailer).
     *
     * @return false if the message was larger than the whole queue and dropped.
     */
    boolean append(
        final DirectBuffer message,
        final int offset,
        final int messageLength,
        final DirectBuffer suffix,
        final int suffixOffset,
        final int suffixLength)
    {
        final int length = messageLength + suffixLength;
        final int recordLength = BitUtil.align(LENGTH_FIELD + length, ALIGNMENT);
        if (recordLength > maxCapacity)
        {
            dropped++;
            return false;
        }
        // A peer queue grows before it compacts, as it always has (fewer copies); a client queue, whose memory counts
        // against the node's budget, compacts first and grows only when what it holds does not fit.
        if (tail + recordLength > capacity && capacity < maxCapacity &&
            (null == budget || tail - head + recordLength > capacity))
        {
            grow(tail - head + recordLength);
        }
        if (recordLength > capacity)
        {
            dropped++; // growth refused, and larger than the whole queue as it is
            return false;
        }
        while (tail - head + recordLength > capacity)
        {
            head += BitUtil.align(LENGTH_FIELD + buffer.getInt(head), ALIGNMENT); // drop the oldest
            dropped++;
        }
        if (tail + recordLength > capacity)
        {
            compact();
        }
        buffer.putInt(tail, length);
        buffer.putBytes(tail + LENGTH_FIELD, message, offset, messageLength);
        if (suffixLength > 0)
        {
            buffer.putBytes(tail + LENGTH_FIELD + messageLength, suffix, suffixOffset, suffixLength);
        }
        tail += recordLength;
        return true;
    }

    /**
     * Double the buffer (at least to what is needed, at most the capacity), copying what it holds to its start, if
     * the budget allows; refused, the queue stays full at its size (counted).
     */
    private void grow(final int needed)
    {
        int newCapacity = Math.max(capacity * 2, INITIAL_CAPACITY);
        while (newCapacity < needed)
        {
            newCapacity *= 2;
        }
        newCapacity = Math.min(newCapacity, maxCapacity);
        if (null != budget && !budget.tryReserve(newCapacity - capacity))
        {
            growthsRefused++;
            return;
        }
        final UnsafeBuffer bigger = new UnsafeBuffer(ByteBuffer.allocateDirect(newCapacity));
        final int size = tail - head;
        if (size > 0)
        {
            bigger.putBytes(0, buffer, head, size);
        }
        BufferUtil.free(buffer); // now, not at some later GC: thousands of short-lived clients exhausted direct memory
        buffer = bigger;
        capacity = newCapacity;
        head = 0;
        tail = size;
    }

    /**
     * Give the capacity back to the budget: the queue's client is forgotten and the queue not used again.
     */
    void release()
    {
        if (null != budget && capacity > 0)
        {
            budget.release(capacity);
        }
        capacity = 0;
        clear();
        // Free the direct memory now rather than at some later GC: in a Connect storm a new client every millisecond
        // left a 64 KiB buffer each for the collector, and a node failed with OutOfMemoryError (direct buffer memory).
        // An empty heap buffer in its place makes a stray use fail a bounds check instead of touching freed memory.
        BufferUtil.free(buffer);
        buffer = RELEASED;
    }

    private void compact()
    {
        final int size = tail - head;
        if (size > 0)
        {
            buffer.putBytes(0, buffer, head, size);
        }
        head = 0;
        tail = size;
    }

    /**
     * Drain to a consumer that returns false to stop (back-pressure) and keep the rest.
     *
     * @return bytes consumed.
     */
    int drain(final ExpandableRingBuffer.MessageConsumer consumer)
    {
        final int start = head;
        while (head < tail)
        {
            final int length = buffer.getInt(head);
            if (!consumer.onMessage(buffer, head + LENGTH_FIELD, length, head))
            {
                break;
            }
            head += BitUtil.align(LENGTH_FIELD + length, ALIGNMENT);
        }
        final int consumed = head - start;
        if (head == tail)
        {
            head = 0;
            tail = 0;
        }
        return consumed;
    }

    boolean isEmpty()
    {
        return head == tail;
    }

    void clear()
    {
        head = 0;
        tail = 0;
    }

    /** @return times the budget refused this queue more capacity. */
    long growthsRefused()
    {
        return growthsRefused;
    }

    /** @return bytes of buffer the queue holds now. */
    int capacity()
    {
        return capacity;
    }

    /** @return messages dropped because the queue was full. */
    long dropped()
    {
        return dropped;
    }
}
