package io.synod.codecs;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every peer message of the released version 1, across versions: encoded by a version-1 node (the frozen codecs in
 * {@code io.synod.codecs.frozen.v1}) and read by the current decoders, whose version-2 fields read as their null
 * value; and encoded by a current node and read by a version-1 decoder, which knows the fields it knows and skips the
 * rest because the wire carries the block lengths (the root block's and each group entry's).
 * <p>
 * One thing a version-1 decoder cannot do: name an enum value added in version 2 ({@code EntryType.REJECTED}); its
 * generated {@code entryType()} throws and only {@code entryTypeRaw()} reads it (see
 * {@link #version1DecoderCannotNameEntryTypeRejected()}).
 */
class Version1PeerMessagesTest
{
    private static final long BALLOT = (7L << 16) | 2;
    private static final int CLUSTER_ID = 77;
    private static final int V2_CHECKSUM = 0x5EED_CAFE;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final io.synod.codecs.frozen.v1.MessageHeaderEncoder v1Header =
        new io.synod.codecs.frozen.v1.MessageHeaderEncoder();
    private final io.synod.codecs.frozen.v1.MessageHeaderDecoder v1HeaderDecoder =
        new io.synod.codecs.frozen.v1.MessageHeaderDecoder();

    @Test
    void heartbeatFromVersion1ReadsVotingAsNull()
    {
        final var old = new io.synod.codecs.frozen.v1.HeartbeatEncoder().wrapAndApplyHeader(buffer, 0, v1Header)
            .fromNodeId(2).clusterId(CLUSTER_ID).ballot(BALLOT).leaderNodeId(2)
            .isLeader(io.synod.codecs.frozen.v1.BooleanType.TRUE).commitIndex(40).nextSlot(45);

        final HeartbeatDecoder now = new HeartbeatDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
        assertEquals(1, headerDecoder.version());
        assertEquals(2, now.fromNodeId());
        assertEquals(CLUSTER_ID, now.clusterId());
        assertEquals(BALLOT, now.ballot());
        assertEquals(2, now.leaderNodeId());
        assertEquals(BooleanType.TRUE, now.isLeader());
        assertEquals(40, now.commitIndex());
        assertEquals(45, now.nextSlot());
        assertEquals(BooleanType.NULL_VAL, now.voting(), "absent in version 1: the node reads it as voting");
        assertEquals(old.limit(), now.limit());
    }

    @Test
    void heartbeatFromCurrentReadByVersion1()
    {
        final HeartbeatEncoder now = new HeartbeatEncoder().wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(1).clusterId(CLUSTER_ID).ballot(BALLOT).leaderNodeId(2).isLeader(BooleanType.FALSE)
            .commitIndex(40).nextSlot(45).voting(BooleanType.FALSE);

        final var old = new io.synod.codecs.frozen.v1.HeartbeatDecoder().wrapAndApplyHeader(buffer, 0, v1HeaderDecoder);
        assertEquals(MessageHeaderEncoder.SCHEMA_VERSION, v1HeaderDecoder.version());
        assertEquals(1, old.fromNodeId());
        assertEquals(CLUSTER_ID, old.clusterId());
        assertEquals(BALLOT, old.ballot());
        assertEquals(2, old.leaderNodeId());
        assertEquals(io.synod.codecs.frozen.v1.BooleanType.FALSE, old.isLeader());
        assertEquals(40, old.commitIndex());
        assertEquals(45, old.nextSlot());
        assertEquals(now.limit(), old.limit(), "the old decoder skips voting: the block length is on the wire");
    }

    @Test
    void prepareBothWays()
    {
        new io.synod.codecs.frozen.v1.PrepareEncoder().wrapAndApplyHeader(buffer, 0, v1Header)
            .fromNodeId(3).ballot(BALLOT).fromSlot(12).clusterId(CLUSTER_ID);
        final PrepareDecoder now = new PrepareDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
        assertEquals(3, now.fromNodeId());
        assertEquals(BALLOT, now.ballot());
        assertEquals(12, now.fromSlot());
        assertEquals(CLUSTER_ID, now.clusterId());

        new PrepareEncoder().wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(4).ballot(BALLOT + 1).fromSlot(13).clusterId(CLUSTER_ID + 1);
        final var old = new io.synod.codecs.frozen.v1.PrepareDecoder().wrapAndApplyHeader(buffer, 0, v1HeaderDecoder);
        assertEquals(4, old.fromNodeId());
        assertEquals(BALLOT + 1, old.ballot());
        assertEquals(13, old.fromSlot());
        assertEquals(CLUSTER_ID + 1, old.clusterId());
    }

    @Test
    void acceptedBothWays()
    {
        new io.synod.codecs.frozen.v1.AcceptedEncoder().wrapAndApplyHeader(buffer, 0, v1Header)
            .fromNodeId(1).ballot(BALLOT).lastSlot(99).commitIndex(90)
            .behind(io.synod.codecs.frozen.v1.BooleanType.TRUE).clusterId(CLUSTER_ID);
        final AcceptedDecoder now = new AcceptedDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
        assertEquals(1, now.fromNodeId());
        assertEquals(BALLOT, now.ballot());
        assertEquals(99, now.lastSlot());
        assertEquals(90, now.commitIndex());
        assertEquals(BooleanType.TRUE, now.behind());
        assertEquals(CLUSTER_ID, now.clusterId());

        new AcceptedEncoder().wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(2).ballot(BALLOT).lastSlot(100).commitIndex(91).behind(BooleanType.FALSE).clusterId(CLUSTER_ID);
        final var old = new io.synod.codecs.frozen.v1.AcceptedDecoder().wrapAndApplyHeader(buffer, 0, v1HeaderDecoder);
        assertEquals(2, old.fromNodeId());
        assertEquals(BALLOT, old.ballot());
        assertEquals(100, old.lastSlot());
        assertEquals(91, old.commitIndex());
        assertEquals(io.synod.codecs.frozen.v1.BooleanType.FALSE, old.behind());
        assertEquals(CLUSTER_ID, old.clusterId());
    }

    @Test
    void rejectedBothWays()
    {
        new io.synod.codecs.frozen.v1.RejectedEncoder().wrapAndApplyHeader(buffer, 0, v1Header)
            .fromNodeId(1).ballot(BALLOT).promisedBallot(BALLOT + 5).clusterId(CLUSTER_ID);
        final RejectedDecoder now = new RejectedDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
        assertEquals(1, now.fromNodeId());
        assertEquals(BALLOT, now.ballot());
        assertEquals(BALLOT + 5, now.promisedBallot());
        assertEquals(CLUSTER_ID, now.clusterId());

        new RejectedEncoder().wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(3).ballot(BALLOT).promisedBallot(BALLOT + 6).clusterId(CLUSTER_ID);
        final var old = new io.synod.codecs.frozen.v1.RejectedDecoder().wrapAndApplyHeader(buffer, 0, v1HeaderDecoder);
        assertEquals(3, old.fromNodeId());
        assertEquals(BALLOT, old.ballot());
        assertEquals(BALLOT + 6, old.promisedBallot());
        assertEquals(CLUSTER_ID, old.clusterId());
    }

    @Test
    void promiseFromVersion1ReadsChecksumsAsNull()
    {
        final var old = new io.synod.codecs.frozen.v1.PromiseEncoder().wrapAndApplyHeader(buffer, 0, v1Header)
            .fromNodeId(1).ballot(BALLOT).chunkFromSlot(10).commitIndex(9)
            .noMoreAccepted(io.synod.codecs.frozen.v1.BooleanType.TRUE).clusterId(CLUSTER_ID);
        final var oldEntries = old.entriesCount(2);
        oldEntries.next().slot(10).ballot(BALLOT).entryType(io.synod.codecs.frozen.v1.EntryType.COMMAND)
            .sessionId(3).sequence(1).timestamp(1000).putPayload(bytes("first"), 0, 5);
        oldEntries.next().slot(12).ballot(Long.MAX_VALUE).entryType(io.synod.codecs.frozen.v1.EntryType.NOOP)
            .sessionId(-1).sequence(0).timestamp(1001).putPayload(bytes(""), 0, 0);

        final PromiseDecoder now = new PromiseDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
        assertEquals(1, now.fromNodeId());
        assertEquals(BALLOT, now.ballot());
        assertEquals(10, now.chunkFromSlot());
        assertEquals(9, now.commitIndex());
        assertEquals(BooleanType.TRUE, now.noMoreAccepted());
        assertEquals(CLUSTER_ID, now.clusterId());
        final PromiseDecoder.EntriesDecoder entries = now.entries();
        assertEquals(2, entries.count());
        entries.next();
        assertEquals(10, entries.slot());
        assertEquals(BALLOT, entries.ballot());
        assertEquals(EntryType.COMMAND, entries.entryType());
        assertEquals(3, entries.sessionId());
        assertEquals(1, entries.sequence());
        assertEquals(1000, entries.timestamp());
        assertEquals(PromiseEncoder.EntriesEncoder.checksumNullValue(), entries.checksum());
        assertEquals("first", payload(entries.payloadLength(), entries::getPayload));
        entries.next();
        assertEquals(12, entries.slot());
        assertEquals(Long.MAX_VALUE, entries.ballot());
        assertEquals(EntryType.NOOP, entries.entryType());
        assertEquals(1001, entries.timestamp());
        assertEquals(PromiseEncoder.EntriesEncoder.checksumNullValue(), entries.checksum());
        assertEquals("", payload(entries.payloadLength(), entries::getPayload));
        assertEquals(old.limit(), now.limit());
    }

    @Test
    void promiseFromCurrentReadByVersion1()
    {
        final PromiseEncoder now = new PromiseEncoder().wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(2).ballot(BALLOT).chunkFromSlot(10).commitIndex(9).noMoreAccepted(BooleanType.FALSE)
            .clusterId(CLUSTER_ID);
        final PromiseEncoder.EntriesEncoder entries = now.entriesCount(2);
        entries.next().slot(10).ballot(BALLOT).entryType(EntryType.SESSION_OPEN).sessionId(-1).sequence(0)
            .timestamp(2000).checksum(V2_CHECKSUM).putPayload(bytes("open"), 0, 4);
        entries.next().slot(11).ballot(BALLOT).entryType(EntryType.SESSION_CLOSE).sessionId(10).sequence(2)
            .timestamp(2001).checksum(V2_CHECKSUM + 1).putPayload(bytes("close!"), 0, 6);

        final var old = new io.synod.codecs.frozen.v1.PromiseDecoder().wrapAndApplyHeader(buffer, 0, v1HeaderDecoder);
        assertEquals(2, old.fromNodeId());
        assertEquals(BALLOT, old.ballot());
        assertEquals(10, old.chunkFromSlot());
        assertEquals(9, old.commitIndex());
        assertEquals(io.synod.codecs.frozen.v1.BooleanType.FALSE, old.noMoreAccepted());
        assertEquals(CLUSTER_ID, old.clusterId());
        final var oldEntries = old.entries();
        assertEquals(2, oldEntries.count());
        oldEntries.next();
        assertEquals(10, oldEntries.slot());
        assertEquals(io.synod.codecs.frozen.v1.EntryType.SESSION_OPEN, oldEntries.entryType());
        assertEquals(2000, oldEntries.timestamp());
        assertEquals("open", payload(oldEntries.payloadLength(), oldEntries::getPayload));
        oldEntries.next();
        assertEquals(11, oldEntries.slot());
        assertEquals(io.synod.codecs.frozen.v1.EntryType.SESSION_CLOSE, oldEntries.entryType());
        assertEquals(10, oldEntries.sessionId());
        assertEquals(2, oldEntries.sequence());
        assertEquals(2001, oldEntries.timestamp());
        assertEquals("close!", payload(oldEntries.payloadLength(), oldEntries::getPayload), "checksum skipped");
        assertEquals(now.limit(), old.limit());
    }

    @Test
    void acceptFromVersion1ReadsChecksumsAsNull()
    {
        final var old = new io.synod.codecs.frozen.v1.AcceptEncoder().wrapAndApplyHeader(buffer, 0, v1Header)
            .fromNodeId(2).ballot(BALLOT).firstSlot(20).commitIndex(18).clusterId(CLUSTER_ID);
        final var oldEntries = old.entriesCount(2);
        oldEntries.next().entryType(io.synod.codecs.frozen.v1.EntryType.COMMAND).sessionId(5).sequence(7)
            .timestamp(3000).putPayload(bytes("buy 10"), 0, 6);
        oldEntries.next().entryType(io.synod.codecs.frozen.v1.EntryType.COMMAND).sessionId(5).sequence(8)
            .timestamp(3001).putPayload(bytes("sell 3"), 0, 6);

        final AcceptDecoder now = new AcceptDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
        assertEquals(2, now.fromNodeId());
        assertEquals(BALLOT, now.ballot());
        assertEquals(20, now.firstSlot());
        assertEquals(18, now.commitIndex());
        assertEquals(CLUSTER_ID, now.clusterId());
        final AcceptDecoder.EntriesDecoder entries = now.entries();
        assertEquals(2, entries.count());
        for (int i = 0; i < 2; i++)
        {
            entries.next();
            assertEquals(EntryType.COMMAND, entries.entryType());
            assertEquals(5, entries.sessionId());
            assertEquals(7 + i, entries.sequence());
            assertEquals(3000 + i, entries.timestamp());
            assertEquals(AcceptEncoder.EntriesEncoder.checksumNullValue(), entries.checksum());
            assertEquals(0 == i ? "buy 10" : "sell 3", payload(entries.payloadLength(), entries::getPayload));
        }
        assertEquals(old.limit(), now.limit());
    }

    @Test
    void acceptFromCurrentReadByVersion1()
    {
        final AcceptEncoder now = new AcceptEncoder().wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(2).ballot(BALLOT).firstSlot(20).commitIndex(18).clusterId(CLUSTER_ID);
        final AcceptEncoder.EntriesEncoder entries = now.entriesCount(2);
        entries.next().entryType(EntryType.COMMAND).sessionId(5).sequence(7).timestamp(3000).checksum(V2_CHECKSUM)
            .putPayload(bytes("buy 10"), 0, 6);
        entries.next().entryType(EntryType.NOOP).sessionId(-1).sequence(0).timestamp(3001).checksum(V2_CHECKSUM)
            .putPayload(bytes(""), 0, 0);

        final var old = new io.synod.codecs.frozen.v1.AcceptDecoder().wrapAndApplyHeader(buffer, 0, v1HeaderDecoder);
        assertEquals(2, old.fromNodeId());
        assertEquals(BALLOT, old.ballot());
        assertEquals(20, old.firstSlot());
        assertEquals(18, old.commitIndex());
        assertEquals(CLUSTER_ID, old.clusterId());
        final var oldEntries = old.entries();
        assertEquals(2, oldEntries.count());
        oldEntries.next();
        assertEquals(io.synod.codecs.frozen.v1.EntryType.COMMAND, oldEntries.entryType());
        assertEquals(5, oldEntries.sessionId());
        assertEquals(7, oldEntries.sequence());
        assertEquals(3000, oldEntries.timestamp());
        assertEquals("buy 10", payload(oldEntries.payloadLength(), oldEntries::getPayload));
        oldEntries.next();
        assertEquals(io.synod.codecs.frozen.v1.EntryType.NOOP, oldEntries.entryType());
        assertEquals(3001, oldEntries.timestamp());
        assertEquals("", payload(oldEntries.payloadLength(), oldEntries::getPayload));
        assertEquals(now.limit(), old.limit());
    }

    @Test
    void successFromVersion1ReadsChecksumsAsNull()
    {
        final var old = new io.synod.codecs.frozen.v1.SuccessEncoder().wrapAndApplyHeader(buffer, 0, v1Header)
            .fromNodeId(0).ballot(BALLOT).firstSlot(30).commitIndex(32).clusterId(CLUSTER_ID);
        old.entriesCount(1).next().entryType(io.synod.codecs.frozen.v1.EntryType.SESSION_OPEN).sessionId(-1)
            .sequence(0).timestamp(4000).putPayload(bytes("hello"), 0, 5);

        final SuccessDecoder now = new SuccessDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
        assertEquals(0, now.fromNodeId());
        assertEquals(BALLOT, now.ballot());
        assertEquals(30, now.firstSlot());
        assertEquals(32, now.commitIndex());
        assertEquals(CLUSTER_ID, now.clusterId());
        final SuccessDecoder.EntriesDecoder entries = now.entries();
        assertEquals(1, entries.count());
        entries.next();
        assertEquals(EntryType.SESSION_OPEN, entries.entryType());
        assertEquals(-1, entries.sessionId());
        assertEquals(0, entries.sequence());
        assertEquals(4000, entries.timestamp());
        assertEquals(SuccessEncoder.EntriesEncoder.checksumNullValue(), entries.checksum());
        assertEquals("hello", payload(entries.payloadLength(), entries::getPayload));
        assertEquals(old.limit(), now.limit());
    }

    @Test
    void successFromCurrentReadByVersion1()
    {
        final SuccessEncoder now = new SuccessEncoder().wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(0).ballot(BALLOT).firstSlot(30).commitIndex(32).clusterId(CLUSTER_ID);
        now.entriesCount(1).next().entryType(EntryType.COMMAND).sessionId(8).sequence(9).timestamp(4001)
            .checksum(V2_CHECKSUM).putPayload(bytes("x"), 0, 1);

        final var old = new io.synod.codecs.frozen.v1.SuccessDecoder().wrapAndApplyHeader(buffer, 0, v1HeaderDecoder);
        assertEquals(0, old.fromNodeId());
        assertEquals(BALLOT, old.ballot());
        assertEquals(30, old.firstSlot());
        assertEquals(32, old.commitIndex());
        assertEquals(CLUSTER_ID, old.clusterId());
        final var oldEntries = old.entries();
        assertEquals(1, oldEntries.count());
        oldEntries.next();
        assertEquals(io.synod.codecs.frozen.v1.EntryType.COMMAND, oldEntries.entryType());
        assertEquals(8, oldEntries.sessionId());
        assertEquals(9, oldEntries.sequence());
        assertEquals(4001, oldEntries.timestamp());
        assertEquals("x", payload(oldEntries.payloadLength(), oldEntries::getPayload));
        assertEquals(now.limit(), old.limit());
    }

    /**
     * Incompatible by nature, not by layout: an enum value added in version 2 has no name in version 1. The
     * version-1 decoder's {@code entryType()} throws; the raw value still reads, and the rest of the entry and the
     * message decode.
     */
    @Test
    void version1DecoderCannotNameEntryTypeRejected()
    {
        final AcceptEncoder now = new AcceptEncoder().wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(2).ballot(BALLOT).firstSlot(20).commitIndex(18).clusterId(CLUSTER_ID);
        now.entriesCount(1).next().entryType(EntryType.REJECTED).sessionId(5).sequence(7).timestamp(3000)
            .checksum(V2_CHECKSUM).putPayload(bytes("no"), 0, 2);

        final var old = new io.synod.codecs.frozen.v1.AcceptDecoder().wrapAndApplyHeader(buffer, 0, v1HeaderDecoder);
        final var oldEntries = old.entries();
        oldEntries.next();
        assertThrows(IllegalArgumentException.class, oldEntries::entryType);
        assertEquals(EntryType.REJECTED.value(), oldEntries.entryTypeRaw());
        assertEquals(7, oldEntries.sequence());
        assertEquals("no", payload(oldEntries.payloadLength(), oldEntries::getPayload));
        assertEquals(now.limit(), old.limit());
    }

    static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static String payload(final int length, final PayloadReader reader)
    {
        final byte[] bytes = new byte[length];
        reader.read(bytes, 0, length);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /**
     * The generated {@code getPayload(byte[], int, int)} of any version's decoder.
     */
    @FunctionalInterface
    interface PayloadReader
    {
        int read(byte[] dst, int dstOffset, int length);
    }
}
