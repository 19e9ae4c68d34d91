package io.synod.node;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.ExpandableRingBuffer;

/**
 * Messages waiting to leave for one destination (a peer or a client): filled by the outbox during the duty cycle,
 * drained by a publisher after the log's sync. Records are {@code [int length][bytes]}, 8-byte aligned, appended at
 * the tail and consumed from the head; the buffer grows up to its capacity and is compacted when the tail reaches the
 * end. Bounded: when full the oldest messages are dropped and counted, as Paxos retransmits and a client retries.
 * <p>
 * Not Agrona's ExpandableRingBuffer: at its maximum capacity it can fail to find contiguous space for a large
 * message (IndexOutOfBoundsException in append, agrona PR #370); our messages go up to maxMessageLength.
 */
final class DestinationQueue
{
    private static final int LENGTH_FIELD = 4;
    private static final int ALIGNMENT = 8;
    private static final int INITIAL_CAPACITY = 64 * 1024;

    private final ExpandableDirectByteBuffer buffer;
    private final int maxCapacity;
    private int head;
    private int tail;
    private long dropped;

    DestinationQueue(final int maxCapacity)
    {
        this.maxCapacity = maxCapacity;
        this.buffer = new ExpandableDirectByteBuffer(Math.min(INITIAL_CAPACITY, maxCapacity));
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
        while (tail - head + recordLength > maxCapacity)
        {
            head += BitUtil.align(LENGTH_FIELD + buffer.getInt(head), ALIGNMENT); // drop the oldest
            dropped++;
        }
        if (tail + recordLength > maxCapacity)
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

    /** @return messages dropped because the queue was full. */
    long dropped()
    {
        return dropped;
    }
}
