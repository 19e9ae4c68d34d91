package io.synod.client;

import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;

/**
 * A session's window: the commands offered and not yet answered, sequences {@link #oldest()} to {@link #next()}
 * (exclusive), in a ring of {@code capacity} (a power of two). Those before {@link #nextToSend()} were sent to the
 * member in use. Each keeps a copy of its payload so it can be resent, unchanged and with the same sequence, after a
 * failover. Buffers are reused: no allocation once each slot has grown to the commands' size.
 */
final class PendingCommands
{
    /** Deadline of a command the application waits for as long as it takes. */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    private final UnsafeBuffer emptyPayload = new UnsafeBuffer(new byte[0]);
    private final Histogram latency = new Histogram(1, TimeUnit.SECONDS.toNanos(60), 3);
    private final int mask;
    private final ExpandableDirectByteBuffer[] payloads;
    private final int[] lengths;
    private final long[] offeredNs;
    private final long[] deadlineNs;
    private final ResponseListener[] listeners;
    private long oldest = 1;
    private long next = 1;
    private long nextToSend = 1;
    private long nextDeadlineNs = NO_DEADLINE;
    private long commandsGivenUp;
    private long resends;

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
    int capacity()
    {
        return mask + 1;
    }

    /** @return the oldest unanswered sequence ({@link #next()} if none). */
    long oldest()
    {
        return oldest;
    }

    /** @return the sequence the next command gets. */
    long next()
    {
        return next;
    }

    /** @return the next sequence to send to the member in use. */
    long nextToSend()
    {
        return nextToSend;
    }

    /** @return commands offered and not yet answered. */
    int outstanding()
    {
        return (int)(next - oldest);
    }

    /** @return whether the sequence is offered and not yet answered. */
    boolean isOutstanding(final long sequence)
    {
        return sequence >= oldest && sequence < next;
    }

    /**
     * Keep a command under the next sequence.
     *
     * @param buffer   holding the payload.
     * @param offset   of the payload.
     * @param length   of the payload.
     * @param listener to tell the outcome.
     * @param nowNs    when offered, for end-to-end latency.
     * @param deadline when the application gives up waiting ({@link #NO_DEADLINE}: never).
     * @return its sequence.
     */
    long add(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final ResponseListener listener,
        final long nowNs,
        final long deadline)
    {
        final long sequence = next++;
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
        return sequence;
    }

    /** @return the payload of the command with this sequence. */
    DirectBuffer payload(final long sequence)
    {
        return payloads[(int)(sequence & mask)];
    }

    /** @return the payload length of the command with this sequence. */
    int length(final long sequence)
    {
        return lengths[(int)(sequence & mask)];
    }

    /** The command at {@link #nextToSend()} went out. */
    void sent()
    {
        nextToSend++;
    }

    /**
     * Send again from this sequence on (counted as resends if they were sent already).
     *
     * @param sequence at least {@link #oldest()}.
     */
    void resendFrom(final long sequence)
    {
        if (sequence < nextToSend)
        {
            resends += nextToSend - sequence;
            nextToSend = sequence;
        }
    }

    /** @return the earliest deadline of a command whose listener still waits, {@link #NO_DEADLINE} if none. */
    long nextDeadlineNs()
    {
        return nextDeadlineNs;
    }

    /** @return commands told TIMED_OUT while outstanding. */
    long commandsGivenUp()
    {
        return commandsGivenUp;
    }

    /** @return commands sent again. */
    long resends()
    {
        return resends;
    }

    /** @return end-to-end latency of every answered command (offer to answer), in ns. */
    Histogram latency()
    {
        return latency;
    }

    /**
     * Tell TIMED_OUT to the listener of every outstanding command whose deadline passed, and forget the listener:
     * the command itself stays (it is still sent until answered). Scans the window, so call it only once
     * {@link #nextDeadlineNs()} has passed.
     *
     * @return how many were told.
     */
    int giveUp(final long nowNs)
    {
        int givenUp = 0;
        long nextDeadline = NO_DEADLINE;
        for (long s = oldest; s < next; s++)
        {
            final int index = (int)(s & mask);
            final ResponseListener listener = listeners[index];
            if (null == listener)
            {
                continue;
            }
            if (deadlineNs[index] > nowNs)
            {
                nextDeadline = Math.min(nextDeadline, deadlineNs[index]);
                continue;
            }
            listeners[index] = null;
            givenUp++;
            commandsGivenUp++;
            listener.onResponse(s, ResponseCode.TIMED_OUT, -1, emptyPayload, 0, 0);
        }
        nextDeadlineNs = nextDeadline;
        return givenUp;
    }

    /**
     * The answer for an outstanding sequence: it and every earlier one leave the window. The session applies in
     * sequence order, so everything before an applied sequence was applied too; their answers were lost with a
     * failover, and they are told DUPLICATE with slot -1.
     *
     * @return false if the sequence was not outstanding (answered already: a retry's second answer).
     */
    boolean complete(
        final long sequence,
        final ResponseCode code,
        final long slot,
        final DirectBuffer payload,
        final int length,
        final long nowNs)
    {
        if (!isOutstanding(sequence))
        {
            return false;
        }
        while (oldest <= sequence)
        {
            final long s = oldest++;
            if (nextToSend < oldest)
            {
                nextToSend = oldest;
            }
            final int index = (int)(s & mask);
            latency.recordValue(Math.min(Math.max(1, nowNs - offeredNs[index]), latency.getHighestTrackableValue()));
            final ResponseListener listener = listeners[index];
            listeners[index] = null;
            if (listener != null)
            {
                if (s == sequence)
                {
                    listener.onResponse(s, code, slot, payload, 0, length);
                }
                else
                {
                    listener.onResponse(s, ResponseCode.DUPLICATE, -1, emptyPayload, 0, 0);
                }
            }
        }
        return true;
    }

    /**
     * The session ended: tell every outstanding command's listener the code, and empty the window.
     */
    void failAll(final ResponseCode code)
    {
        while (oldest < next)
        {
            final int index = (int)(oldest++ & mask);
            final ResponseListener listener = listeners[index];
            listeners[index] = null;
            if (listener != null)
            {
                listener.onResponse(oldest - 1, code, -1, emptyPayload, 0, 0);
            }
        }
        nextToSend = oldest;
    }

    public String toString()
    {
        return "oldest=" + oldest + ", next=" + next + ", nextToSend=" + nextToSend + ", resends=" + resends;
    }
}
