package io.synod.node;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.synod.codecs.ChallengeDecoder;
import io.synod.codecs.ChallengeResponseEncoder;
import io.synod.codecs.CommandEncoder;
import io.synod.codecs.ConnectEncoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.MessageHeaderEncoder;
import io.synod.codecs.ResponseCode;
import io.synod.codecs.ResponseDecoder;
import io.synod.codecs.SessionCloseEncoder;
import io.synod.codecs.SessionOpenEncoder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes arbitrary bytes to a node's ingress, and reads its responses: for bad-input tests.
 */
final class RawClient implements AutoCloseable
{
    static final int RESPONSE_STREAM_ID = 9900;

    final Aeron aeron;
    final ExclusivePublication publication;
    final Subscription responses;
    final String responseChannel;
    final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8192]);
    final MessageHeaderEncoder header = new MessageHeaderEncoder();
    final List<String> received = new ArrayList<>();

    RawClient(final String aeronDir, final String ingressEndpoint)
    {
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir));
        publication = aeron.addExclusivePublication("aeron:udp?endpoint=" + ingressEndpoint, 7302);
        responses = aeron.addSubscription("aeron:udp?endpoint=127.0.0.1:0", RESPONSE_STREAM_ID);
        String resolved;
        while ((resolved = responses.tryResolveChannelEndpointPort()) == null)
        {
            Thread.onSpinWait();
        }
        responseChannel = resolved;
        TestCluster.awaitTrue(publication::isConnected, 5000, () -> "raw client connected to " + ingressEndpoint);
    }

    void send(final DirectBuffer bytes, final int offset, final int length)
    {
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (publication.offer(bytes, offset, length) < 0)
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("could not offer to ingress");
            }
            Thread.onSpinWait();
        }
    }

    void sendConnect(final String channel, final int streamId)
    {
        final ConnectEncoder connect = new ConnectEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(1).responseStreamId(streamId).responseChannel(channel);
        send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + connect.encodedLength());
    }

    int connectLength(final String channel)
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + new ConnectEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(1).responseStreamId(RESPONSE_STREAM_ID).responseChannel(channel).encodedLength();
    }

    void sendSessionOpen(final long correlationId)
    {
        final SessionOpenEncoder open = new SessionOpenEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId).window(1);
        send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + open.encodedLength());
    }

    /**
     * A SessionOpen as a client of schema version 1 sends it: version 1 in the header, the version-1 block (the
     * correlation id only), so no window and no session key.
     */
    void sendSessionOpenVersion1(final long correlationId)
    {
        header.wrap(buffer, 0)
            .blockLength(Long.BYTES)
            .templateId(SessionOpenEncoder.TEMPLATE_ID)
            .schemaId(SessionOpenEncoder.SCHEMA_ID)
            .version(1);
        buffer.putLong(MessageHeaderEncoder.ENCODED_LENGTH, correlationId, java.nio.ByteOrder.LITTLE_ENDIAN);
        send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + Long.BYTES);
    }

    void sendCommand(final long sessionId, final long sequence, final int payloadLength)
    {
        final CommandEncoder command = new CommandEncoder().wrapAndApplyHeader(buffer, 0, header)
            .sessionId(sessionId).sequence(sequence)
            .putPayload(new UnsafeBuffer(new byte[payloadLength]), 0, payloadLength);
        send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + command.encodedLength());
    }

    void sendSessionClose(final long sessionId, final long sequence)
    {
        final SessionCloseEncoder close = new SessionCloseEncoder().wrapAndApplyHeader(buffer, 0, header)
            .sessionId(sessionId).sequence(sequence);
        send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + close.encodedLength());
    }

    /**
     * Read responses for the given time, adding each to {@link #received} as "sessionId/sequence/code".
     *
     * @return all responses received so far.
     */
    List<String> drain(final long millis)
    {
        final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
        final ResponseDecoder response = new ResponseDecoder();
        final long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline)
        {
            final int fragments = responses.poll((buffer, offset, length, h) ->
            {
                headerDecoder.wrap(buffer, offset);
                if (headerDecoder.templateId() == ResponseDecoder.TEMPLATE_ID)
                {
                    response.wrapAndApplyHeader(buffer, offset, headerDecoder);
                    received.add(response.sessionId() + "/" + response.sequence() + "/" + response.code());
                }
            }, 100);
            if (fragments == 0)
            {
                Thread.onSpinWait();
            }
        }
        return received;
    }

    /**
     * @return how many responses received so far carry the code.
     */
    long count(final ResponseCode code)
    {
        return received.stream().filter((text) -> text.endsWith("/" + code)).count();
    }

    /**
     * Wait for a response with the given code, sending the request again (as any client does on silence) up to
     * twice more if none came within 2 s; return "sessionId/sequence/code".
     */
    String awaitResponse(final ResponseCode code, final Runnable request)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return awaitResponse(code, 2000);
            }
            catch (final AssertionError ex)
            {
                if (attempt == 3)
                {
                    throw new AssertionError("no " + code + " response after 3 requests: " + ex.getMessage(), ex);
                }
                request.run();
            }
        }
    }

    /**
     * Wait for a response with the given code and return "sessionId/sequence/code".
     */
    String awaitResponse(final ResponseCode code)
    {
        return awaitResponse(code, 5000);
    }

    private String awaitResponse(final ResponseCode code, final long timeoutMs)
    {
        final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
        final ResponseDecoder response = new ResponseDecoder();
        final String[] found = { null };
        TestCluster.awaitTrue(() ->
        {
            responses.poll((buffer, offset, length, h) ->
            {
                headerDecoder.wrap(buffer, offset);
                if (headerDecoder.templateId() == ResponseDecoder.TEMPLATE_ID)
                {
                    response.wrapAndApplyHeader(buffer, offset, headerDecoder);
                    final String text = response.sessionId() + "/" + response.sequence() + "/" + response.code();
                    received.add(text);
                    if (response.code() == code && found[0] == null)
                    {
                        found[0] = text;
                    }
                }
            }, 10);
            return found[0] != null;
        }, timeoutMs, () -> "a " + code + " response; received " + received);
        return found[0];
    }

    void sendConnect(final String channel, final int streamId, final byte[] credentials)
    {
        final ConnectEncoder connect = new ConnectEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(1).responseStreamId(streamId).responseChannel(channel)
            .putCredentials(credentials, 0, credentials.length);
        send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + connect.encodedLength());
    }

    void sendChallengeResponse(final long correlationId, final byte[] credentials)
    {
        final ChallengeResponseEncoder answer = new ChallengeResponseEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId).putCredentials(credentials, 0, credentials.length);
        send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + answer.encodedLength());
    }

    /** A Challenge a node sent: its correlation id and bytes. */
    record Challenge(long correlationId, byte[] bytes)
    {
    }

    /**
     * Wait for a Challenge on the response channel (other messages are read and ignored).
     */
    Challenge awaitChallenge(final long timeoutMs)
    {
        final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
        final ChallengeDecoder challenge = new ChallengeDecoder();
        final Challenge[] found = { null };
        TestCluster.awaitTrue(() ->
        {
            responses.poll((buffer, offset, length, h) ->
            {
                headerDecoder.wrap(buffer, offset);
                if (headerDecoder.templateId() == ChallengeDecoder.TEMPLATE_ID && found[0] == null)
                {
                    challenge.wrapAndApplyHeader(buffer, offset, headerDecoder);
                    final long correlationId = challenge.correlationId();
                    final byte[] bytes = new byte[challenge.challengeLength()];
                    challenge.getChallenge(bytes, 0, bytes.length);
                    found[0] = new Challenge(correlationId, bytes);
                }
            }, 10);
            return found[0] != null;
        }, timeoutMs, () -> "a Challenge on " + responseChannel);
        return found[0];
    }

    public void close()
    {
        CloseHelper.close(aeron);
    }
}
