package io.synod.core;

import io.synod.codecs.AcceptDecoder;
import io.synod.codecs.PromiseDecoder;
import io.synod.codecs.SuccessDecoder;
import io.synod.log.LogEntry;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The entries group of a Promise, Accept or Success, read one way. SBE generates a decoder class per group with no
 * common type, so each walk over entries (checking checksums, accepting, merging phase 1 reports) would otherwise be
 * written once per message; it is written once against this adapter instead.
 * <p>
 * Each entry is seen as a log would record it: at {@link #slot()} under {@link #ballot()}. An Accept's entries go at
 * consecutive slots from its firstSlot under its ballot, a Success's are recorded chosen, a Promise's carry their own
 * slot and ballot. One adapter per message type, wrapped per message and reused: nothing is allocated.
 */
abstract class EntriesReader
{
    private final UnsafeBuffer payload = new UnsafeBuffer(0, 0);
    long slot;
    long ballot;

    /** @return entries in the group. */
    abstract int count();

    /** @return true if another entry follows. */
    abstract boolean hasNext();

    /** Step to the next entry; its fixed fields are then readable. */
    abstract void next();

    /** @return the entry's type code, unchecked. */
    abstract short entryTypeRaw();

    /** @return the entry's client session. */
    abstract long sessionId();

    /** @return the entry's client sequence. */
    abstract long sequence();

    /** @return the leader's clock when the entry was proposed. */
    abstract long timestamp();

    /** @return the checksum the sender computed; only meaningful from schema version 2. */
    abstract int checksum();

    /** @return the entry's payload length as sent, before the payload is read. */
    abstract int payloadLength();

    /** @return the block length of the entries as sent. */
    abstract int actingBlockLength();

    /** @return the block length of the entries in the current schema (checksum included). */
    abstract int sbeBlockLength();

    /** @return the message's name, for error messages. */
    abstract String messageName();

    /** Point a view at the entry's payload, moving past it. */
    abstract void wrapPayload(DirectBuffer view);

    /** Move past the entry's payload without reading it. */
    abstract void skipPayload();

    /** @return the slot the current entry is for. */
    final long slot()
    {
        return slot;
    }

    /** @return the ballot a log records the current entry under. */
    final long ballot()
    {
        return ballot;
    }

    /**
     * Point a log entry view at the current entry, its payload included (zero copy: valid while the message is). The
     * payload is read, so the walk moves past it.
     *
     * @param entry the view to wrap.
     * @return entry.
     */
    final LogEntry read(final LogEntry entry)
    {
        wrapPayload(payload);
        return entry.wrap(
            slot, ballot, (byte)entryTypeRaw(), sessionId(), sequence(), timestamp(), payload, 0, payload.capacity());
    }

    /** An Accept's entries: consecutive slots from its firstSlot, under its ballot. */
    static final class OfAccept extends EntriesReader
    {
        private AcceptDecoder.EntriesDecoder entries;

        OfAccept wrap(final AcceptDecoder accept)
        {
            entries = accept.entries();
            slot = accept.firstSlot() - 1;
            ballot = accept.ballot();
            return this;
        }

        int count()
        {
            return entries.count();
        }

        boolean hasNext()
        {
            return entries.hasNext();
        }

        void next()
        {
            entries.next();
            slot++;
        }

        short entryTypeRaw()
        {
            return entries.entryTypeRaw();
        }

        long sessionId()
        {
            return entries.sessionId();
        }

        long sequence()
        {
            return entries.sequence();
        }

        long timestamp()
        {
            return entries.timestamp();
        }

        int checksum()
        {
            return entries.checksum();
        }

        int payloadLength()
        {
            return entries.payloadLength();
        }

        int actingBlockLength()
        {
            return entries.actingBlockLength();
        }

        int sbeBlockLength()
        {
            return AcceptDecoder.EntriesDecoder.sbeBlockLength();
        }

        String messageName()
        {
            return "Accept";
        }

        void wrapPayload(final DirectBuffer view)
        {
            entries.wrapPayload(view);
        }

        void skipPayload()
        {
            entries.skipPayload();
        }
    }

    /** A Success's entries: consecutive slots from its firstSlot, chosen (recorded so by whoever takes them). */
    static final class OfSuccess extends EntriesReader
    {
        private SuccessDecoder.EntriesDecoder entries;

        OfSuccess wrap(final SuccessDecoder success)
        {
            entries = success.entries();
            slot = success.firstSlot() - 1;
            ballot = Ballot.CHOSEN;
            return this;
        }

        int count()
        {
            return entries.count();
        }

        boolean hasNext()
        {
            return entries.hasNext();
        }

        void next()
        {
            entries.next();
            slot++;
        }

        short entryTypeRaw()
        {
            return entries.entryTypeRaw();
        }

        long sessionId()
        {
            return entries.sessionId();
        }

        long sequence()
        {
            return entries.sequence();
        }

        long timestamp()
        {
            return entries.timestamp();
        }

        int checksum()
        {
            return entries.checksum();
        }

        int payloadLength()
        {
            return entries.payloadLength();
        }

        int actingBlockLength()
        {
            return entries.actingBlockLength();
        }

        int sbeBlockLength()
        {
            return SuccessDecoder.EntriesDecoder.sbeBlockLength();
        }

        String messageName()
        {
            return "Success";
        }

        void wrapPayload(final DirectBuffer view)
        {
            entries.wrapPayload(view);
        }

        void skipPayload()
        {
            entries.skipPayload();
        }
    }

    /** A Promise's entries: each names its slot and the ballot it was accepted under (chosen if known chosen). */
    static final class OfPromise extends EntriesReader
    {
        private PromiseDecoder.EntriesDecoder entries;

        OfPromise wrap(final PromiseDecoder promise)
        {
            entries = promise.entries();
            slot = -1;
            ballot = -1;
            return this;
        }

        int count()
        {
            return entries.count();
        }

        boolean hasNext()
        {
            return entries.hasNext();
        }

        void next()
        {
            entries.next();
            slot = entries.slot();
            ballot = entries.ballot();
        }

        short entryTypeRaw()
        {
            return entries.entryTypeRaw();
        }

        long sessionId()
        {
            return entries.sessionId();
        }

        long sequence()
        {
            return entries.sequence();
        }

        long timestamp()
        {
            return entries.timestamp();
        }

        int checksum()
        {
            return entries.checksum();
        }

        int payloadLength()
        {
            return entries.payloadLength();
        }

        int actingBlockLength()
        {
            return entries.actingBlockLength();
        }

        int sbeBlockLength()
        {
            return PromiseDecoder.EntriesDecoder.sbeBlockLength();
        }

        String messageName()
        {
            return "Promise";
        }

        void wrapPayload(final DirectBuffer view)
        {
            entries.wrapPayload(view);
        }

        void skipPayload()
        {
            entries.skipPayload();
        }
    }
}
