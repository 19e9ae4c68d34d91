package io.synod.core;

import io.synod.codecs.AcceptEncoder;
import io.synod.codecs.EntryType;
import io.synod.codecs.PromiseEncoder;
import io.synod.codecs.SuccessEncoder;
import io.synod.log.LogEntry;

/**
 * The entries group of a Promise, Accept or Success, written one way: the counterpart of {@link EntriesReader}, so
 * the loop that fills a batch from the log is written once. Each entry carries the checksum of the record a log makes
 * of it at its slot under {@link #recordedBallot}. One adapter per message type, wrapped per message and reused.
 */
abstract class EntriesWriter
{
    /**
     * @return bytes one entry takes besides its payload.
     */
    abstract int entryOverhead();

    /**
     * @param slot  of the entry.
     * @param entry as the sender's log holds it.
     * @return the ballot the receiver records the entry under.
     */
    abstract long recordedBallot(long slot, LogEntry entry);

    /**
     * Add an entry.
     *
     * @param slot           of the entry (a Promise names it; Accept and Success imply it).
     * @param recordedBallot from {@link #recordedBallot}.
     * @param entry          fields and payload.
     * @param checksum       of the record at slot under recordedBallot.
     */
    abstract void put(long slot, long recordedBallot, LogEntry entry, int checksum);

    /**
     * Set the group's count to the entries added.
     */
    abstract void finish();

    /** An Accept's entries: recorded under the Accept's ballot. */
    static final class OfAccept extends EntriesWriter
    {
        private static final int OVERHEAD =
            AcceptEncoder.EntriesEncoder.sbeBlockLength() + AcceptEncoder.EntriesEncoder.payloadHeaderLength();

        private AcceptEncoder.EntriesEncoder entries;
        private long ballot;

        OfAccept wrap(final AcceptEncoder.EntriesEncoder entries, final long ballot)
        {
            this.entries = entries;
            this.ballot = ballot;
            return this;
        }

        int entryOverhead()
        {
            return OVERHEAD;
        }

        long recordedBallot(final long slot, final LogEntry entry)
        {
            return ballot;
        }

        void put(final long slot, final long recordedBallot, final LogEntry entry, final int checksum)
        {
            entries.next()
                .entryType(EntryType.get(entry.type()))
                .sessionId(entry.sessionId())
                .sequence(entry.sequence())
                .timestamp(entry.timestamp())
                .checksum(checksum)
                .putPayload(entry.payload(), 0, entry.payloadLength());
        }

        void finish()
        {
            entries.resetCountToIndex();
        }
    }

    /** A Success's entries: recorded chosen. */
    static final class OfSuccess extends EntriesWriter
    {
        private static final int OVERHEAD =
            SuccessEncoder.EntriesEncoder.sbeBlockLength() + SuccessEncoder.EntriesEncoder.payloadHeaderLength();

        private SuccessEncoder.EntriesEncoder entries;

        OfSuccess wrap(final SuccessEncoder.EntriesEncoder entries)
        {
            this.entries = entries;
            return this;
        }

        int entryOverhead()
        {
            return OVERHEAD;
        }

        long recordedBallot(final long slot, final LogEntry entry)
        {
            return Ballot.CHOSEN;
        }

        void put(final long slot, final long recordedBallot, final LogEntry entry, final int checksum)
        {
            entries.next()
                .entryType(EntryType.get(entry.type()))
                .sessionId(entry.sessionId())
                .sequence(entry.sequence())
                .timestamp(entry.timestamp())
                .checksum(checksum)
                .putPayload(entry.payload(), 0, entry.payloadLength());
        }

        void finish()
        {
            entries.resetCountToIndex();
        }
    }

    /** A Promise's entries: each with its slot and the ballot it was accepted under (the tail holds no chosen slot). */
    static final class OfPromise extends EntriesWriter
    {
        private static final int OVERHEAD =
            PromiseEncoder.EntriesEncoder.sbeBlockLength() + PromiseEncoder.EntriesEncoder.payloadHeaderLength();

        private PromiseEncoder.EntriesEncoder entries;

        OfPromise wrap(final PromiseEncoder.EntriesEncoder entries)
        {
            this.entries = entries;
            return this;
        }

        int entryOverhead()
        {
            return OVERHEAD;
        }

        long recordedBallot(final long slot, final LogEntry entry)
        {
            return entry.ballot();
        }

        void put(final long slot, final long recordedBallot, final LogEntry entry, final int checksum)
        {
            entries.next()
                .slot(slot)
                .ballot(recordedBallot)
                .entryType(EntryType.get(entry.type()))
                .sessionId(entry.sessionId())
                .sequence(entry.sequence())
                .timestamp(entry.timestamp())
                .checksum(checksum)
                .putPayload(entry.payload(), 0, entry.payloadLength());
        }

        void finish()
        {
            entries.resetCountToIndex();
        }
    }
}
