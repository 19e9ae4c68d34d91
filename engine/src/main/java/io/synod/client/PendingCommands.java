package io.synod.client;

import io.synod.codecs.ResponseCode;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The commands of a session sent and not yet answered, by sequence, in a ring of {@code capacity} (a power of two).
 * Each keeps a copy of its payload so it can be resent, unchanged and with the same sequence, after a failover.
 * Buffers are reused: no allocation once each slot has grown to the commands' size.
 */
final class PendingCommands
{
    /** Deadline of a command the application waits for as long as it takes. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private final UnsafeBuffer emptyPayload = new UnsafeBuffer(new byte[0]);
    private final int mask;
    private final ExpandableDirectByteBuffer[] payloads;
    private final int[] lengths;
    private final long[] offeredNs;
    private final long[] deadlineNs;
    private final ResponseListener[] listeners;
    private long nextDeadlineNs = NO_DEADLINE;
    private long commandsGivenUp;

    /**
     * @param capacity most commands outstanding, a power of two.
     */
    PendingCommands(final int capacity)
    {
        mask = capacity - 1;
        payloads = new ExpandableDirectByteBuffer[capacity];
        lengths = new int[capacity];
        offeredNs = new long[capacity];
        deadlineNs = new long[capacity];
        listeners = new ResponseListener[capacity];
        for (int i = 0; i < capacity; i++)
        {
            payloads[i] = new ExpandableDirectByteBuffer(64);
        }
    }

    /** @return how many commands the ring holds at most. */
    public int capacity()
    {
        return mask + 1;
    }

    /**
     * Keep a command.
     *
     * @param sequence its sequence.
     * @param buffer   holding the payload.
     * @param offset   of the payload.
     * @param length   of the payload.
     * @param listener to tell the outcome.
     * @param nowNs    when offered, for end-to-end latency.
     * @param deadline   when the application gives up waiting ({@link Long#MAX_VALUE}: never).
     */
    public void put(
        final long sequence,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final ResponseListener listener,
        final long nowNs,
        final long deadline)
    {
        final int index = (int)(sequence & mask);
        payloads[index].putBytes(0, buffer, offset, length);
        lengths[index] = length;
        offeredNs[index] = nowNs;
        deadlineNs[index] = deadline;
        listeners[index] = listener;
        if (deadline < nextDeadlineNs && null != listener)
        {
            nextDeadlineNs = deadline;
        }
    }

    /** @return the payload of the command with this sequence. */
    public DirectBuffer payload(final long sequence)
    {
        return payloads[(int)(sequence & mask)];
    }

    /** @return the payload length of the command with this sequence. */
    public int length(final long sequence)
    {
        return lengths[(int)(sequence & mask)];
    }

    /** @return when the command with this sequence was offered. */
    public long offeredNs(final long sequence)
    {
        return offeredNs[(int)(sequence & mask)];
    }

    /** @return the earliest deadline of a command whose listener still waits, {@link #NO_DEADLINE} if none. */
    public long nextDeadlineNs()
    {
        return nextDeadlineNs;
    }

    /** @return commands told TIMED_OUT while outstanding. */
    public long commandsGivenUp()
    {
        return commandsGivenUp;
    }

    /**
     * Tell TIMED_OUT to the listener of every command in [from, to) whose deadline passed, and forget the listener:
     * the command itself stays (it is still sent until answered). Scans the range, so call it only once
     * {@link #nextDeadlineNs()} has passed.
     *
     * @return how many were told.
     */
    public int giveUp(final long from, final long to, final long nowNs)
    {
        int givenUp = 0;
        long next = NO_DEADLINE;
        for (long s = from; s < to; s++)
        {
            final int index = (int)(s & mask);
            final ResponseListener listener = listeners[index];
            if (null == listener)
            {
                continue;
            }
            if (deadlineNs[index] > nowNs)
            {
                next = Math.min(next, deadlineNs[index]);
                continue;
            }
            listeners[index] = null;
            givenUp++;
            commandsGivenUp++;
            listener.onResponse(s, ResponseCode.TIMED_OUT, -1, emptyPayload, 0, 0);
        }
        nextDeadlineNs = next;
        return givenUp;
    }

    /**
     * Forget the command with this sequence.
     *
     * @return its listener.
     */
    public ResponseListener remove(final long sequence)
    {
        final int index = (int)(sequence & mask);
        final ResponseListener listener = listeners[index];
        listeners[index] = null;
        return listener;
    }
}
