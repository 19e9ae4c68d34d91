package io.synod.core;

import io.synod.codecs.AcceptDecoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.PromiseDecoder;
import io.synod.codecs.SuccessDecoder;
import io.synod.log.EntryChecksum;
import io.synod.log.InMemoryPaxosLog;
import io.synod.log.LogEntry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The entries adapters: what {@link EntriesWriter} puts in a Promise, Accept or Success, {@link EntriesReader} reads
 * back as the entry a log records, at the slot and under the ballot the message gives it, with the checksum of that
 * record.
 */
class EntriesAdapterTest
{
    private static final long OLD_BALLOT = Ballot.of(1, 1);
    private static final long BALLOT = Ballot.of(2, 1);
    private static final int PEER = 2;

    private final InMemoryPaxosLog log = new InMemoryPaxosLog(1024, 64, true);
    private final Wire.RecordingOutbox outbox = new Wire.RecordingOutbox();
    private final OutboundMessages out =
        new OutboundMessages(outbox, new CoreConfig().nodeId(1).memberIds(1, 2, 3).conclude(), new int[] {2, 3});
    private final EntryChecksum checksum = new EntryChecksum();
    private final LogEntry entry = new LogEntry();
    private final LogEntry expected = new LogEntry();

    EntriesAdapterTest()
    {
        for (int slot = 0; slot < 4; slot++)
        {
            final byte[] text = ("value " + slot).getBytes(StandardCharsets.US_ASCII);
            log.append(slot, OLD_BALLOT, (byte)1, 7, slot + 1, 100 + slot, new UnsafeBuffer(text), 0, text.length);
        }
        log.commitIndex(2);
    }

    @Test
    void anAcceptsEntriesAreReadAtConsecutiveSlotsUnderItsBallot()
    {
        out.encodeAccept(BALLOT, log, 1, 4, 2);
        out.sendEncoded(PEER);
        final AcceptDecoder accept = decode(new AcceptDecoder());

        final EntriesReader entries = new EntriesReader.OfAccept().wrap(accept);

        assertEquals(3, entries.count());
        assertEntries(entries, 1, 4, BALLOT, BALLOT);
    }

    @Test
    void aSuccesssEntriesAreReadChosen()
    {
        out.encodeSuccess(BALLOT, log, 0, 2, 2);
        out.sendEncoded(PEER);
        final SuccessDecoder success = decode(new SuccessDecoder());

        final EntriesReader entries = new EntriesReader.OfSuccess().wrap(success);

        assertEquals(2, entries.count());
        assertEntries(entries, 0, 2, Ballot.CHOSEN, Ballot.CHOSEN);
    }

    @Test
    void aPromisesEntriesCarryTheirSlotAndBallot()
    {
        out.promise(PEER, BALLOT, log, 2, 2);
        final PromiseDecoder promise = decode(new PromiseDecoder());

        final EntriesReader entries = new EntriesReader.OfPromise().wrap(promise);

        assertEquals(2, entries.count(), "the tail from the commit index: chosen slots are never sent");
        assertEntries(entries, 2, 4, OLD_BALLOT, OLD_BALLOT);
    }

    @Test
    void aBatchStopsWhereTheNextEntryWouldNotFitAndTheReaderSeesOnlyWhatWasSent()
    {
        final OutboundMessages small = new OutboundMessages(
            outbox,
            new CoreConfig().nodeId(1).memberIds(1, 2, 3).maxPayloadLength(32).maxMessageLength(160).conclude(),
            new int[] {2});
        small.encodeAccept(BALLOT, log, 1, 4, 2);
        small.sendEncoded(PEER);
        assertEquals(3, small.encodedNextSlot(), "two entries of 40 bytes fit after 44 bytes of header, not three");

        final EntriesReader entries = new EntriesReader.OfAccept().wrap(decode(new AcceptDecoder()));
        assertEquals(2, entries.count());
        assertEntries(entries, 1, 3, BALLOT, BALLOT);
    }

    /**
     * Entries from fromSlot to before toSlot, recorded under chosenBallot below the log's commit index and under
     * ballot from it, each equal to the log's and with the checksum of that record.
     */
    private void assertEntries(
        final EntriesReader entries, final long fromSlot, final long toSlot, final long chosenBallot, final long ballot)
    {
        for (long slot = fromSlot; slot < toSlot; slot++)
        {
            assertTrue(entries.hasNext(), "an entry for slot " + slot);
            entries.next();
            final long recordedBallot = slot < log.commitIndex() ? chosenBallot : ballot;
            assertEquals(slot, entries.slot());
            assertEquals(recordedBallot, entries.ballot());
            final int sent = entries.checksum();
            entries.read(entry);
            log.read(slot, expected);
            assertEquals(slot, entry.slot());
            assertEquals(recordedBallot, entry.ballot());
            assertEquals(expected.type(), entry.type());
            assertEquals(expected.sessionId(), entry.sessionId());
            assertEquals(expected.sequence(), entry.sequence());
            assertEquals(expected.timestamp(), entry.timestamp());
            assertEquals(text(expected), text(entry));
            assertEquals(checksum.compute(slot, recordedBallot, expected), sent, "the checksum of the record made");
            assertEquals(checksum.compute(entry), sent);
        }
        assertFalse(entries.hasNext());
    }

    private <T> T decode(final T decoder)
    {
        final List<Wire.Sent> sent = outbox.sent;
        assertEquals(1, sent.size());
        final Wire.Sent message = sent.remove(0);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(message.buffer, 0);
        final int at = MessageHeaderDecoder.ENCODED_LENGTH;
        if (decoder instanceof AcceptDecoder)
        {
            ((AcceptDecoder)decoder).wrap(message.buffer, at, header.blockLength(), header.version());
        }
        else if (decoder instanceof SuccessDecoder)
        {
            ((SuccessDecoder)decoder).wrap(message.buffer, at, header.blockLength(), header.version());
        }
        else
        {
            ((PromiseDecoder)decoder).wrap(message.buffer, at, header.blockLength(), header.version());
        }
        return decoder;
    }

    private static String text(final LogEntry entry)
    {
        final byte[] bytes = new byte[entry.payloadLength()];
        entry.payload().getBytes(0, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
