package io.synod.codecs;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.synod.codecs.Version1PeerMessagesTest.bytes;
import static io.synod.codecs.Version1PeerMessagesTest.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every client message and the log record header of the released version 1, across versions, as
 * {@link Version1PeerMessagesTest} does for peer messages: a version-1 client's requests read by a current node
 * (SessionOpen's window reads as null, which the node takes as a window of 1), and a current node's responses read by
 * a version-1 client. A version-1 client cannot name the response codes added in version 2
 * ({@link #version1DecoderCannotNameResponseCodeRejected()}).
 */
class Version1ClientMessagesTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final io.synod.codecs.frozen.v1.MessageHeaderEncoder v1Header =
        new io.synod.codecs.frozen.v1.MessageHeaderEncoder();
    private final io.synod.codecs.frozen.v1.MessageHeaderDecoder v1HeaderDecoder =
        new io.synod.codecs.frozen.v1.MessageHeaderDecoder();

    @Test
    void connectBothWays()
    {
        final var old = new io.synod.codecs.frozen.v1.ConnectEncoder().wrapAndApplyHeader(buffer, 0, v1Header)
            .correlationId(42).responseStreamId(1001).responseChannel("aeron:udp?endpoint=localhost:20121");
        final ConnectDecoder now = new ConnectDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
        assertEquals(42, now.correlationId());
        assertEquals(1001, now.responseStreamId());
        assertEquals(ConnectDecoder.clusterIdNullValue(), now.clusterId(), "absent in version 1: not checked");
        assertEquals("aeron:udp?endpoint=localhost:20121", now.responseChannel());
        assertEquals(old.limit(), now.limit());

        final ConnectEncoder current = new ConnectEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(43).responseStreamId(1002).clusterId(7).responseChannel("aeron:ipc");
        final var oldDecoder = new io.synod.codecs.frozen.v1.ConnectDecoder()
            .wrapAndApplyHeader(buffer, 0, v1HeaderDecoder);
        assertEquals(43, oldDecoder.correlationId());
        assertEquals(1002, oldDecoder.responseStreamId());
        assertEquals("aeron:ipc", oldDecoder.responseChannel());
        assertEquals(current.limit(), oldDecoder.limit());
    }

    @Test
    void sessionOpenFromVersion1ReadsWindowAsNull()
    {
        new io.synod.codecs.frozen.v1.SessionOpenEncoder().wrapAndApplyHeader(buffer, 0, v1Header).correlationId(7);
        final SessionOpenDecoder now = new SessionOpenDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
        assertEquals(7, now.correlationId());
        assertEquals(SessionOpenDecoder.windowNullValue(), now.window(), "absent in version 1: the node grants 1");
    }

    @Test
    void sessionOpenFromCurrentReadByVersion1()
    {
        new SessionOpenEncoder().wrapAndApplyHeader(buffer, 0, header).correlationId(8).window(16);
        final var old = new io.synod.codecs.frozen.v1.SessionOpenDecoder()
            .wrapAndApplyHeader(buffer, 0, v1HeaderDecoder);
        assertEquals(8, old.correlationId());
        assertEquals(SessionOpenEncoder.BLOCK_LENGTH, v1HeaderDecoder.blockLength(), "the window is past v1's block");
    }

    @Test
    void commandBothWays()
    {
        final var old = new io.synod.codecs.frozen.v1.CommandEncoder().wrapAndApplyHeader(buffer, 0, v1Header)
            .sessionId(11).sequence(3).putPayload(bytes("put k v"), 0, 7);
        final CommandDecoder now = new CommandDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
        assertEquals(11, now.sessionId());
        assertEquals(3, now.sequence());
        assertEquals("put k v", payload(now.payloadLength(), now::getPayload));
        assertEquals(old.limit(), now.limit());

        final CommandEncoder current = new CommandEncoder().wrapAndApplyHeader(buffer, 0, header)
            .sessionId(12).sequence(4).putPayload(bytes("get k"), 0, 5);
        final var oldDecoder = new io.synod.codecs.frozen.v1.CommandDecoder()
            .wrapAndApplyHeader(buffer, 0, v1HeaderDecoder);
        assertEquals(12, oldDecoder.sessionId());
        assertEquals(4, oldDecoder.sequence());
        assertEquals("get k", payload(oldDecoder.payloadLength(), oldDecoder::getPayload));
        assertEquals(current.limit(), oldDecoder.limit());
    }

    @Test
    void responseBothWays()
    {
        final var old = new io.synod.codecs.frozen.v1.ResponseEncoder().wrapAndApplyHeader(buffer, 0, v1Header)
            .sessionId(11).sequence(3).code(io.synod.codecs.frozen.v1.ResponseCode.TOO_MANY_SESSIONS).slot(-1)
            .putPayload(bytes("full"), 0, 4);
        final ResponseDecoder now = new ResponseDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
        assertEquals(11, now.sessionId());
        assertEquals(3, now.sequence());
        assertEquals(ResponseCode.TOO_MANY_SESSIONS, now.code());
        assertEquals(-1, now.slot());
        assertEquals("full", payload(now.payloadLength(), now::getPayload));
        assertEquals(old.limit(), now.limit());

        final ResponseEncoder current = new ResponseEncoder().wrapAndApplyHeader(buffer, 0, header)
            .sessionId(12).sequence(4).code(ResponseCode.OK).slot(77).putPayload(bytes("v"), 0, 1);
        final var oldDecoder = new io.synod.codecs.frozen.v1.ResponseDecoder()
            .wrapAndApplyHeader(buffer, 0, v1HeaderDecoder);
        assertEquals(12, oldDecoder.sessionId());
        assertEquals(4, oldDecoder.sequence());
        assertEquals(io.synod.codecs.frozen.v1.ResponseCode.OK, oldDecoder.code());
        assertEquals(77, oldDecoder.slot());
        assertEquals("v", payload(oldDecoder.payloadLength(), oldDecoder::getPayload));
        assertEquals(current.limit(), oldDecoder.limit());
    }

    /**
     * Incompatible by nature: REJECTED (and TIMED_OUT, which never leaves a client) have no name in version 1. A
     * version-1 client's {@code code()} throws on a REJECTED response; {@code codeRaw()} reads 10.
     */
    @Test
    void version1DecoderCannotNameResponseCodeRejected()
    {
        new ResponseEncoder().wrapAndApplyHeader(buffer, 0, header)
            .sessionId(12).sequence(5).code(ResponseCode.REJECTED).slot(-1).putPayload(bytes("why"), 0, 3);
        final var old = new io.synod.codecs.frozen.v1.ResponseDecoder().wrapAndApplyHeader(buffer, 0, v1HeaderDecoder);
        assertThrows(IllegalArgumentException.class, old::code);
        assertEquals(ResponseCode.REJECTED.value(), old.codeRaw());
        assertEquals(5, old.sequence());
        assertEquals("why", payload(old.payloadLength(), old::getPayload));
    }

    @Test
    void redirectBothWays()
    {
        new io.synod.codecs.frozen.v1.RedirectEncoder().wrapAndApplyHeader(buffer, 0, v1Header)
            .sessionId(11).sequence(3).leaderNodeId(2);
        final RedirectDecoder now = new RedirectDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
        assertEquals(11, now.sessionId());
        assertEquals(3, now.sequence());
        assertEquals(2, now.leaderNodeId());

        new RedirectEncoder().wrapAndApplyHeader(buffer, 0, header).sessionId(12).sequence(4).leaderNodeId(-1);
        final var old = new io.synod.codecs.frozen.v1.RedirectDecoder().wrapAndApplyHeader(buffer, 0, v1HeaderDecoder);
        assertEquals(12, old.sessionId());
        assertEquals(4, old.sequence());
        assertEquals(-1, old.leaderNodeId());
    }

    @Test
    void sessionCloseBothWays()
    {
        new io.synod.codecs.frozen.v1.SessionCloseEncoder().wrapAndApplyHeader(buffer, 0, v1Header)
            .sessionId(11).sequence(9);
        final SessionCloseDecoder now = new SessionCloseDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
        assertEquals(11, now.sessionId());
        assertEquals(9, now.sequence());

        new SessionCloseEncoder().wrapAndApplyHeader(buffer, 0, header).sessionId(12).sequence(10);
        final var old = new io.synod.codecs.frozen.v1.SessionCloseDecoder()
            .wrapAndApplyHeader(buffer, 0, v1HeaderDecoder);
        assertEquals(12, old.sessionId());
        assertEquals(10, old.sequence());
    }

    /**
     * The log record header is written without a message header and read back with the reader's own block length
     * and version, so its layout can never change: a version-1 log must read as it was written, and does.
     */
    @Test
    void logRecordHeaderLayoutUnchanged()
    {
        assertEquals(
            io.synod.codecs.frozen.v1.LogRecordHeaderEncoder.BLOCK_LENGTH, LogRecordHeaderEncoder.BLOCK_LENGTH);

        new io.synod.codecs.frozen.v1.LogRecordHeaderEncoder().wrap(buffer, 0)
            .slot(5).ballot(Long.MAX_VALUE).sessionId(3).sequence(2).timestamp(999).payloadLength(12)
            .checksum(0x1234_5678).entryType(io.synod.codecs.frozen.v1.EntryType.SESSION_CLOSE);
        final LogRecordHeaderDecoder now = new LogRecordHeaderDecoder()
            .wrap(buffer, 0, LogRecordHeaderDecoder.BLOCK_LENGTH, LogRecordHeaderDecoder.SCHEMA_VERSION);
        assertEquals(5, now.slot());
        assertEquals(Long.MAX_VALUE, now.ballot());
        assertEquals(3, now.sessionId());
        assertEquals(2, now.sequence());
        assertEquals(999, now.timestamp());
        assertEquals(12, now.payloadLength());
        assertEquals(0x1234_5678, now.checksum());
        assertEquals(EntryType.SESSION_CLOSE, now.entryType());

        new LogRecordHeaderEncoder().wrap(buffer, 0)
            .slot(6).ballot(7).sessionId(8).sequence(9).timestamp(10).payloadLength(11).checksum(12)
            .entryType(EntryType.COMMAND);
        final var old = new io.synod.codecs.frozen.v1.LogRecordHeaderDecoder().wrap(buffer, 0,
            io.synod.codecs.frozen.v1.LogRecordHeaderDecoder.BLOCK_LENGTH,
            io.synod.codecs.frozen.v1.LogRecordHeaderDecoder.SCHEMA_VERSION);
        assertEquals(6, old.slot());
        assertEquals(7, old.ballot());
        assertEquals(8, old.sessionId());
        assertEquals(9, old.sequence());
        assertEquals(10, old.timestamp());
        assertEquals(11, old.payloadLength());
        assertEquals(12, old.checksum());
        assertEquals(io.synod.codecs.frozen.v1.EntryType.COMMAND, old.entryType());
    }
}
