package io.synod.core;

import io.synod.log.LogEntry;
import io.synod.log.PaxosLog;
import org.agrona.ExpandableArrayBuffer;

/**
 * Entries an acceptor must keep while it replaces slots in the middle of its log.
 * <p>
 * The log is append-only, so replacing slot x means truncating from x. The entries after the replaced range were
 * accepted and may be the only trace of a value chosen under an older ballot; an acceptor must never forget an
 * accepted value except by accepting another in the same slot. So they are copied out before the truncation and
 * appended back, with their own ballots, after the replacement.
 */
final class DisplacedTail
{
    private static final int SLOT = 0;
    private static final int BALLOT = 8;
    private static final int SESSION_ID = 16;
    private static final int SEQUENCE = 24;
    private static final int TIMESTAMP = 32;
    private static final int LENGTH = 40;
    private static final int TYPE = 44;
    private static final int HEADER = 48;

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final LogEntry entry = new LogEntry();
    private int limit;
    private int count;

    /**
     * Copy out the entries in [fromSlot, log.nextSlot()).
     */
    void save(final PaxosLog log, final long fromSlot)
    {
        limit = 0;
        count = 0;
        for (long slot = fromSlot, end = log.nextSlot(); slot < end; slot++)
        {
            log.read(slot, entry);
            final int length = entry.payloadLength();
            buffer.putLong(limit + SLOT, slot);
            buffer.putLong(limit + BALLOT, entry.ballot());
            buffer.putLong(limit + SESSION_ID, entry.sessionId());
            buffer.putLong(limit + SEQUENCE, entry.sequence());
            buffer.putLong(limit + TIMESTAMP, entry.timestamp());
            buffer.putInt(limit + LENGTH, length);
            buffer.putByte(limit + TYPE, entry.type());
            buffer.putBytes(limit + HEADER, entry.payload(), 0, length);
            limit += HEADER + length;
            count++;
        }
    }

    /**
     * Append back the saved entries that follow the log's current end, then forget them.
     */
    void restore(final PaxosLog log)
    {
        int position = 0;
        for (int i = 0; i < count; i++)
        {
            final long slot = buffer.getLong(position + SLOT);
            final int length = buffer.getInt(position + LENGTH);
            if (slot == log.nextSlot())
            {
                log.append(
                    slot,
                    buffer.getLong(position + BALLOT),
                    buffer.getByte(position + TYPE),
                    buffer.getLong(position + SESSION_ID),
                    buffer.getLong(position + SEQUENCE),
                    buffer.getLong(position + TIMESTAMP),
                    buffer,
                    position + HEADER,
                    length);
            }
            position += HEADER + length;
        }
        limit = 0;
        count = 0;
    }

    /**
     * @return how many entries are saved.
     */
    int count()
    {
        return count;
    }
}
