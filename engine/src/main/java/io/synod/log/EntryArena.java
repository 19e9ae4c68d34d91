package io.synod.log;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Log entries packed one after another in one growable heap buffer, each addressed by its position: the storage of
 * a candidate's phase 1 tally, which holds one batch of promises at a time. Records are aligned to 8 bytes; the buffer
 * grows by copying, so steady-state use with a stable size does not allocate. The in-memory log, which grows with
 * history, keeps the same records in chunks off the heap instead ({@link EntryChunks}).
 */
public final class EntryArena
{
    private static final int SLOT_OFFSET = 0;
    private static final int BALLOT_OFFSET = 8;
    private static final int SESSION_ID_OFFSET = 16;
    private static final int SEQUENCE_OFFSET = 24;
    private static final int TIMESTAMP_OFFSET = 32;
    private static final int LENGTH_OFFSET = 40;
    private static final int TYPE_OFFSET = 44;
    private static final int HEADER_LENGTH = 48;
    private static final int ALIGNMENT = 8;

    private final ExpandableArrayBuffer buffer;
    private int limit;

    /**
     * @param initialCapacity bytes reserved up front.
     */
    public EntryArena(final int initialCapacity)
    {
        buffer = new ExpandableArrayBuffer(Math.max(initialCapacity, 1024));
    }

    /**
     * Add an entry at the end.
     *
     * @return its position.
     */
    public int append(
        final long slot,
        final long ballot,
        final byte type,
        final long sessionId,
        final long sequence,
        final long timestamp,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final int position = limit;
        limit = position + write(buffer, position, slot, ballot, type, sessionId, sequence, timestamp,
            payload, payloadOffset, payloadLength);
        return position;
    }

    /**
     * Add a copy of the entry a view points at.
     *
     * @return its position.
     */
    public int append(final LogEntry entry)
    {
        return append(
            entry.slot(),
            entry.ballot(),
            entry.type(),
            entry.sessionId(),
            entry.sequence(),
            entry.timestamp(),
            entry.payload(),
            0,
            entry.payloadLength());
    }

    /**
     * Point a view at the entry at position (zero copy: valid until the arena is next written).
     */
    public void read(final int position, final LogEntry entry)
    {
        read(buffer, position, entry);
    }

    /**
     * @return the slot of the entry at position.
     */
    public long slotAt(final int position)
    {
        return buffer.getLong(position + SLOT_OFFSET);
    }

    /**
     * @return the ballot of the entry at position.
     */
    public long ballotAt(final int position)
    {
        return ballotAt(buffer, position);
    }

    /**
     * @return the position just after the entry at position.
     */
    public int next(final int position)
    {
        return position + recordLength(buffer.getInt(position + LENGTH_OFFSET));
    }

    /**
     * @return the position just after the last entry.
     */
    public int limit()
    {
        return limit;
    }

    /**
     * Drop the entries from position on.
     */
    public void truncate(final int position)
    {
        limit = position;
    }

    /**
     * Drop the entries below position, moving the rest to the start: positions shift down by the returned amount.
     *
     * @return how far positions moved.
     */
    public int compact(final int position)
    {
        final int live = limit - position;
        buffer.putBytes(0, buffer, position, live);
        limit = live;
        return position;
    }

    /**
     * @return bytes the arena holds now, used or not.
     */
    public int capacity()
    {
        return buffer.capacity();
    }

    /**
     * @return bytes an entry of this payload length takes, padding included.
     */
    static int recordLength(final int payloadLength)
    {
        return BitUtil.align(HEADER_LENGTH + payloadLength, ALIGNMENT);
    }

    /**
     * Write an entry at position in buffer (the record layout shared with {@link EntryChunks}).
     *
     * @return bytes written, padding included: {@link #recordLength(int)}.
     */
    static int write(
        final MutableDirectBuffer buffer,
        final int position,
        final long slot,
        final long ballot,
        final byte type,
        final long sessionId,
        final long sequence,
        final long timestamp,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        buffer.putLong(position + SLOT_OFFSET, slot);
        buffer.putLong(position + BALLOT_OFFSET, ballot);
        buffer.putLong(position + SESSION_ID_OFFSET, sessionId);
        buffer.putLong(position + SEQUENCE_OFFSET, sequence);
        buffer.putLong(position + TIMESTAMP_OFFSET, timestamp);
        buffer.putInt(position + LENGTH_OFFSET, payloadLength);
        buffer.putByte(position + TYPE_OFFSET, type);
        if (payloadLength > 0)
        {
            buffer.putBytes(position + HEADER_LENGTH, payload, payloadOffset, payloadLength);
        }
        return recordLength(payloadLength);
    }

    /**
     * Point a view at the entry at position in buffer (zero copy).
     */
    static void read(final DirectBuffer buffer, final int position, final LogEntry entry)
    {
        entry.wrap(
            buffer.getLong(position + SLOT_OFFSET),
            buffer.getLong(position + BALLOT_OFFSET),
            buffer.getByte(position + TYPE_OFFSET),
            buffer.getLong(position + SESSION_ID_OFFSET),
            buffer.getLong(position + SEQUENCE_OFFSET),
            buffer.getLong(position + TIMESTAMP_OFFSET),
            buffer,
            position + HEADER_LENGTH,
            buffer.getInt(position + LENGTH_OFFSET));
    }

    /**
     * @return the ballot of the entry at position in buffer.
     */
    static long ballotAt(final DirectBuffer buffer, final int position)
    {
        return buffer.getLong(position + BALLOT_OFFSET);
    }
}
