package io.synod.log;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A reusable view of one log entry. The payload is a window onto the log's own memory (zero copy), valid until the
 * log is next written or truncated.
 */
public final class LogEntry
{
    private final UnsafeBuffer payload = new UnsafeBuffer(0, 0);
    private long slot;
    private long ballot;
    private byte type;
    private long sessionId;
    private long sequence;
    private long timestamp;

    /**
     * Point the view at an entry. Called by log implementations.
     *
     * @param slot          of the entry.
     * @param ballot        it was accepted under.
     * @param type          entry type code.
     * @param sessionId     client session or 0.
     * @param sequence      client sequence or 0.
     * @param timestamp     leader clock at proposal.
     * @param buffer        holding the payload.
     * @param payloadOffset of the payload in buffer.
     * @param payloadLength of the payload.
     * @return this.
     */
    public LogEntry wrap(
        final long slot,
        final long ballot,
        final byte type,
        final long sessionId,
        final long sequence,
        final long timestamp,
        final DirectBuffer buffer,
        final int payloadOffset,
        final int payloadLength)
    {
        this.slot = slot;
        this.ballot = ballot;
        this.type = type;
        this.sessionId = sessionId;
        this.sequence = sequence;
        this.timestamp = timestamp;
        if (payloadLength == 0)
        {
            payload.wrap(buffer, 0, 0);
        }
        else
        {
            payload.wrap(buffer, payloadOffset, payloadLength);
        }
        return this;
    }

    /** @return the slot. */
    public long slot()
    {
        return slot;
    }

    /** @return the ballot the entry was accepted under. */
    public long ballot()
    {
        return ballot;
    }

    /** @return the entry type code, see {@code io.synod.codecs.EntryType}. */
    public byte type()
    {
        return type;
    }

    /** @return the client session id, 0 for none. */
    public long sessionId()
    {
        return sessionId;
    }

    /** @return the client sequence, 0 for none. */
    public long sequence()
    {
        return sequence;
    }

    /** @return the leader's clock when the entry was proposed. */
    public long timestamp()
    {
        return timestamp;
    }

    /** @return the payload: offset 0, capacity = length. */
    public DirectBuffer payload()
    {
        return payload;
    }

    /** @return the payload length in bytes. */
    public int payloadLength()
    {
        return payload.capacity();
    }

    public String toString()
    {
        return "LogEntry{slot=" + slot + ", ballot=" + ballot + ", type=" + type + ", sessionId=" + sessionId +
            ", sequence=" + sequence + ", timestamp=" + timestamp + ", length=" + payload.capacity() + '}';
    }
}
