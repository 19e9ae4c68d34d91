package io.synod.testing;

import io.synod.codecs.CommandEncoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.MessageHeaderEncoder;
import io.synod.codecs.ResponseCode;
import io.synod.codecs.ResponseDecoder;
import io.synod.codecs.SessionOpenEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The one client of an {@link InteractionCluster}: it encodes SessionOpen and Command, and keeps what the nodes
 * answered (the session it opened last, OK count, every SESSION_OPENED). No protocol of its own: no retries, no
 * redirects; a script or test says where each request goes.
 */
final class ScriptClient
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 * 1024]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ResponseDecoder response = new ResponseDecoder();
    private final List<byte[]> responses = new ArrayList<>();
    private final TreeMap<Long, Long> opened = new TreeMap<>();
    private long session = -1;
    private long sequence;
    private long correlationIds;
    private int okCount;

    /** @return a SessionOpen with the next correlation id. */
    byte[] sessionOpen(final int window)
    {
        return sessionOpen(++correlationIds, window);
    }

    byte[] sessionOpen(final long correlationId, final int window)
    {
        final SessionOpenEncoder encoder = new SessionOpenEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId).window(window);
        return copy(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /**
     * @param sessionId the session, or -1 for the one opened last.
     * @param q         the command's sequence, or -1 for the next one.
     * @return the Command.
     */
    byte[] command(final long sessionId, final long q, final String text)
    {
        final long s = sessionId < 0 ? Math.max(session, 0) : sessionId;
        final long n = q < 0 ? ++sequence : q;
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        final CommandEncoder encoder = new CommandEncoder().wrapAndApplyHeader(buffer, 0, header)
            .sessionId(s).sequence(n).putPayload(bytes, 0, bytes.length);
        return copy(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private byte[] copy(final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    /**
     * A message from a node.
     *
     * @throws AssertionError if two different opens were acknowledged at the same slot.
     */
    void onMessage(final byte[] bytes)
    {
        if (!wrap(bytes))
        {
            return;
        }
        responses.add(bytes);
        if (response.code() == ResponseCode.OK)
        {
            okCount++;
        }
        if (response.code() == ResponseCode.SESSION_OPENED)
        {
            session = response.sessionId();
            sequence = 0;
            final Long previous = opened.put(response.sessionId(), response.sequence());
            if (previous != null && previous != response.sequence())
            {
                throw new AssertionError("slot " + response.sessionId() + " acknowledged for open " + previous +
                    " and for open " + response.sequence());
            }
        }
    }

    private boolean wrap(final byte[] bytes)
    {
        final UnsafeBuffer message = new UnsafeBuffer(bytes);
        headerDecoder.wrap(message, 0);
        if (headerDecoder.templateId() != ResponseDecoder.TEMPLATE_ID)
        {
            return false;
        }
        response.wrap(message, MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(),
            headerDecoder.version());
        return true;
    }

    /**
     * Take the first response received for a request, forgetting every response before it.
     *
     * @param sessionId the command's session (ignored for a SESSION_OPENED, whose sequence is the correlation id).
     * @return the response, wrapped, or null if none arrived yet.
     */
    ResponseDecoder take(final long sessionId, final long q)
    {
        for (final byte[] bytes : responses)
        {
            wrap(bytes);
            if (response.sequence() == q &&
                (response.sessionId() == sessionId || response.code() == ResponseCode.SESSION_OPENED))
            {
                responses.clear();
                wrap(bytes);
                return response;
            }
        }
        return null;
    }

    int okCount()
    {
        return okCount;
    }

    TreeMap<Long, Long> sessionsOpened()
    {
        return opened;
    }
}
