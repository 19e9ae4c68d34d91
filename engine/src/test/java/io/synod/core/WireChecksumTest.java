package io.synod.core;

import io.synod.Role;
import io.synod.codecs.AcceptDecoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.PromiseDecoder;
import io.synod.log.EntryChecksum;
import io.synod.log.LogEntry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Entries carry a checksum on the wire (issue 7, section 5): a payload damaged in transit that still has a valid
 * structure is counted, reported with its slot and dropped whole, and nothing reaches the log.
 */
class WireChecksumTest
{
    @Test
    void acceptWithOneFlippedPayloadByteIsDroppedAndTheLogUnchanged()
    {
        final TestNode node = follower();
        node.wire.accept(1, Ballot.of(1, 1), 1, 0, "bbbbbbbb", "cccccccc").corrupt("cccccccc");

        assertDroppedUnchanged(node, "slot 2");

        node.wire.accept(1, Ballot.of(1, 1), 1, 0, "bbbbbbbb", "cccccccc").toPeer(node.node);
        assertEquals(3, node.log.nextSlot(), "the clean message passes");
        assertEquals(1, node.node.counters().malformedMessages(), "only the damaged one counted");
    }

    @Test
    void successWithOneFlippedPayloadByteIsDroppedAndTheLogUnchanged()
    {
        final TestNode node = follower();
        node.wire.success(1, Ballot.of(1, 1), 1, 3, "chosen-1", "chosen-2").corrupt("chosen-2");

        assertDroppedUnchanged(node, "slot 2");

        node.wire.success(1, Ballot.of(1, 1), 1, 3, "chosen-1", "chosen-2").toPeer(node.node);
        assertEquals(3, node.log.commitIndex(), "the clean message passes");
        final LogEntry entry = new LogEntry();
        node.log.read(2, entry);
        assertEquals("chosen-2", TestNode.text(entry.payload(), 0, entry.payloadLength()));
    }

    @Test
    void promiseWithOneFlippedPayloadByteIsDroppedAndLeadershipWaits()
    {
        final TestNode node = new TestNode(2, 0, 1, 2);
        node.standForElection();
        node.outbox.clear();
        final long ballot = node.node.ballot();
        final Wire.Value value = Wire.Value.command(0, Ballot.of(1, 1), "reported");
        node.wire.promise(1, ballot, 0, 0, value).corrupt("reported").toPeer(node.node);
        node.node.doWork();

        assertEquals(1, node.node.counters().malformedMessages(), "counted");
        final String message = node.errors.get(0).getMessage();
        assertTrue(message.contains("checksum") && message.contains("slot 0"), message);
        assertEquals(Role.CANDIDATE, node.node.role(), "the damaged report does not count");
        assertEquals(0, node.log.nextSlot());

        node.wire.promise(1, ballot, 0, 0, value).toPeer(node.node);
        node.node.doWork();
        assertEquals(Role.LEADER, node.node.role(), "the clean message passes");
        final LogEntry entry = new LogEntry();
        node.log.read(0, entry);
        assertEquals("reported", TestNode.text(entry.payload(), 0, entry.payloadLength()));
    }

    @Test
    void damagedEntryFieldOtherThanThePayloadIsCaughtToo()
    {
        final TestNode node = follower();
        node.wire.accept(1, Ballot.of(1, 1), 1, 0, "bbbbbbbb");
        final int sessionIdOffset = MessageHeaderDecoder.ENCODED_LENGTH + AcceptDecoder.BLOCK_LENGTH + 4 +
            AcceptDecoder.EntriesDecoder.sessionIdEncodingOffset();
        node.wire.buffer().putLong(sessionIdOffset, 42);

        assertDroppedUnchanged(node, "slot 1");
    }

    @Test
    void leaderSendsTheLogRecordChecksumOfEveryEntry()
    {
        final TestNode leader = new TestNode(2, 0, 1, 2);
        leader.becomeLeaderWithEmptyPromisesFrom(1);
        leader.outbox.clear();
        leader.wire.sessionOpen(1).fromClient(leader.node, 1);
        leader.node.doWork();

        final List<Wire.Sent> accepts = leader.outbox.take(AcceptDecoder.TEMPLATE_ID);
        assertFalse(accepts.isEmpty());
        final AcceptDecoder accept = Wire.decode(accepts.get(0), header -> new AcceptDecoder().wrap(
            accepts.get(0).buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version()));
        final EntryChecksum checksum = new EntryChecksum();
        final LogEntry entry = new LogEntry();
        long slot = accept.firstSlot();
        final AcceptDecoder.EntriesDecoder entries = accept.entries();
        while (entries.hasNext())
        {
            entries.next();
            leader.log.read(slot, entry);
            assertEquals(checksum.compute(entry), entries.checksum(), "slot " + slot);
            entries.skipPayload();
            slot++;
        }
    }

    @Test
    void promiseReportsTheChecksumOfTheBallotItStates()
    {
        final TestNode acceptor = follower();
        acceptor.wire.accept(1, Ballot.of(1, 1), 1, 1, "bbbbbbbb").toPeer(acceptor.node);
        acceptor.outbox.clear();
        // From the acceptor's commit index: a candidate behind it is refused, and chosen slots are never reported.
        acceptor.wire.prepare(1, Ballot.of(2, 1), 1).toPeer(acceptor.node);

        final List<Wire.Sent> promises = acceptor.outbox.take(PromiseDecoder.TEMPLATE_ID);
        final PromiseDecoder promise = Wire.promise(promises.get(0));
        final PromiseDecoder.EntriesDecoder entries = promise.entries();
        final EntryChecksum checksum = new EntryChecksum();
        final UnsafeBuffer payload = new UnsafeBuffer(0, 0);
        int count = 0;
        while (entries.hasNext())
        {
            entries.next();
            final long slot = entries.slot();
            final long ballot = entries.ballot();
            final byte type = (byte)entries.entryTypeRaw();
            final int sent = entries.checksum();
            entries.wrapPayload(payload);
            assertEquals(checksum.compute(slot, ballot, type, 0, 0, 0, payload, 0, payload.capacity()), sent);
            count++;
        }
        assertEquals(1, count, "slot 1 under its ballot");
    }

    private static TestNode follower()
    {
        final TestNode node = new TestNode(0, 0, 1, 2);
        node.tick(0);
        node.wire.accept(1, Ballot.of(1, 1), 0, 0, "a").toPeer(node.node);
        node.outbox.clear();
        return node;
    }

    private static void assertDroppedUnchanged(final TestNode node, final String slot)
    {
        final long promised = node.log.promisedBallot();
        final long nextSlot = node.log.nextSlot();
        final long commitIndex = node.log.commitIndex();
        final LogEntry entry = new LogEntry();
        node.log.read(nextSlot - 1, entry);
        final String last = TestNode.text(entry.payload(), 0, entry.payloadLength());

        node.wire.toPeer(node.node);

        assertEquals(1, node.node.counters().malformedMessages(), "counted");
        assertEquals(1, node.errors.size(), "reported");
        final String message = node.errors.get(0).getMessage();
        assertTrue(message.contains("checksum") && message.contains(slot),
            "error names the cause and " + slot + ": " + message);
        assertEquals(promised, node.log.promisedBallot());
        assertEquals(nextSlot, node.log.nextSlot());
        assertEquals(commitIndex, node.log.commitIndex());
        node.log.read(nextSlot - 1, entry);
        assertEquals(last, TestNode.text(entry.payload(), 0, entry.payloadLength()));
        assertTrue(node.outbox.sent.isEmpty(), "no reply to a dropped message");
    }
}
