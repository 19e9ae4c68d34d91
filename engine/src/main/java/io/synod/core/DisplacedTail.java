package io.synod.core;

import io.synod.log.LogEntry;
import io.synod.log.PaxosLog;
import io.synod.log.EntryArena;

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
    private final EntryArena saved = new EntryArena(4096);
    private final LogEntry entry = new LogEntry();
    private int count;

    /**
     * Copy out the entries in [fromSlot, log.nextSlot()).
     */
    void save(final PaxosLog log, final long fromSlot)
    {
        saved.truncate(0);
        count = 0;
        for (long slot = fromSlot, end = log.nextSlot(); slot < end; slot++)
        {
            log.read(slot, entry);
            saved.append(entry);
            count++;
        }
    }

    /**
     * Append back the saved entries that follow the log's current end, then forget them.
     */
    void restore(final PaxosLog log)
    {
        for (int position = 0, i = 0; i < count; i++, position = saved.next(position))
        {
            if (saved.slotAt(position) == log.nextSlot())
            {
                saved.read(position, entry);
                log.append(
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
        }
        saved.truncate(0);
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
