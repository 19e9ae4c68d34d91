package io.synod.client;

import io.synod.codecs.CommandEncoder;
import io.synod.codecs.MessageHeaderEncoder;
import io.synod.codecs.SessionCloseEncoder;
import io.synod.codecs.SessionOpenEncoder;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Turns a {@link ClientSession}'s requests into SBE messages in one reused buffer and hands them to the transport.
 * Every method returns the transport's answer: false if the message could not go now (back pressure), which the
 * session surfaces by trying again, never swallows.
 */
final class SessionPublisher
{
    private final ClientTransport transport;
    private final UnsafeBuffer buffer;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final SessionOpenEncoder sessionOpenEncoder = new SessionOpenEncoder();
    private final CommandEncoder commandEncoder = new CommandEncoder();
    private final SessionCloseEncoder sessionCloseEncoder = new SessionCloseEncoder();

    private final java.util.function.LongSupplier keys;
    private long keyCorrelationId = Long.MIN_VALUE;
    private long sessionKey;

    SessionPublisher(final ClientTransport transport, final int maxPayloadLength)
    {
        this(transport, maxPayloadLength, new java.security.SecureRandom()::nextLong);
    }

    /**
     * @param keys draws each session's key: unguessable in production (SecureRandom), fixed in tests if need be.
     */
    SessionPublisher(
        final ClientTransport transport, final int maxPayloadLength, final java.util.function.LongSupplier keys)
    {
        this.transport = transport;
        this.keys = keys;
        this.buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(Math.max(4096, maxPayloadLength + 128), 64));
    }

    /**
     * A new open (new correlation id) draws a new session key; a retry of the same open keeps it, as the first may
     * have been applied and the session then has that key.
     */
    boolean sessionOpen(final int memberIndex, final long correlationId, final int window)
    {
        if (correlationId != keyCorrelationId)
        {
            keyCorrelationId = correlationId;
            sessionKey = keys.getAsLong();
        }
        sessionOpenEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(correlationId)
            .window(window)
            .sessionKey(sessionKey);
        return transport.send(
            memberIndex, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + sessionOpenEncoder.encodedLength());
    }

    boolean command(
        final int memberIndex, final long sessionId, final long sequence, final DirectBuffer payload, final int length)
    {
        commandEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .sessionId(sessionId)
            .sequence(sequence)
            .sessionKey(sessionKey)
            .putPayload(payload, 0, length);
        return transport.send(
            memberIndex, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + commandEncoder.encodedLength());
    }

    boolean sessionClose(final int memberIndex, final long sessionId, final long nextSequence)
    {
        sessionCloseEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .sessionId(sessionId)
            .sequence(nextSequence)
            .sessionKey(sessionKey);
        return transport.send(
            memberIndex, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + sessionCloseEncoder.encodedLength());
    }
}
