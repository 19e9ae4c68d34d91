package io.synod.node;

import io.synod.codecs.ChallengeEncoder;
import io.synod.codecs.ChallengeResponseDecoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.MessageHeaderEncoder;
import io.synod.core.Outbox;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.security.SecureRandom;

/**
 * The optional challenge round of client authentication, as Aeron Cluster's: asks the {@link Authenticator} for a
 * challenge, sends it to the client (a Challenge message on the client's egress, queued until the egress connects),
 * and decodes the client's ChallengeResponse. The decisions (accept, refuse, time out) are the caller's and the
 * registry's. Buffers, codecs and the random source are made once: a round allocates nothing of its own.
 */
final class ChallengeRound
{
    private static final int MESSAGE_CAPACITY = MessageHeaderEncoder.ENCODED_LENGTH + ChallengeEncoder.BLOCK_LENGTH +
        ChallengeEncoder.challengeHeaderLength() + Authenticator.MAX_CHALLENGE_LENGTH;

    private final Authenticator authenticator;
    private final Outbox outbox;
    private final long timeoutNs;
    private final UnsafeBuffer challenge = new UnsafeBuffer(new byte[Authenticator.MAX_CHALLENGE_LENGTH]);
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[MESSAGE_CAPACITY]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ChallengeEncoder encoder = new ChallengeEncoder();
    private final ChallengeResponseDecoder decoder = new ChallengeResponseDecoder();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer response = new UnsafeBuffer(0, 0);
    private final SecureRandom random = new SecureRandom();
    private String refusal;

    /**
     * @param authenticator decides.
     * @param outbox        carries the Challenge to the client.
     * @param timeoutNs     how long a challenged client has to answer.
     */
    ChallengeRound(final Authenticator authenticator, final Outbox outbox, final long timeoutNs)
    {
        this.authenticator = authenticator;
        this.outbox = outbox;
        this.timeoutNs = timeoutNs;
    }

    /**
     * Ask the authenticator whether to challenge this Connect.
     *
     * @return bytes of challenge (above 0: challenge), 0 to decide with {@link Authenticator#authenticate}, below 0
     * to refuse.
     */
    int ask(final long clientId, final DirectBuffer credentials, final int credentialsLength)
    {
        final int length = authenticator.challenge(clientId, credentials, credentialsLength, challenge);
        return Math.min(length, Authenticator.MAX_CHALLENGE_LENGTH);
    }

    /**
     * Mark the client challenged (nothing but its answer is taken from it now) and queue the challenge last asked for.
     */
    void start(final ClientEndpoint client, final int challengeLength, final long nowNs)
    {
        client.challengePending = true;
        client.challengeAccepted = false;
        client.principal = Authenticator.ANONYMOUS;
        client.principalId = 0;
        client.challengeId = random.nextLong();
        client.challengeDeadlineNs = nowNs + timeoutNs;
        encoder.wrapAndApplyHeader(message, 0, headerEncoder)
            .correlationId(client.challengeId)
            .putChallenge(challenge, 0, challengeLength);
        outbox.sendToClient(client.clientId, message, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /**
     * A ChallengeResponse from a client whose challenge is pending.
     *
     * @param header the message's header, already read.
     * @return the principal if the authenticator accepted; null if it refused, or if the message was not an answer to
     * this client's challenge ({@link #refusal()} says why, and then the round goes on).
     */
    String onResponse(
        final ClientEndpoint client,
        final MessageHeaderDecoder header,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        refusal = null;
        final int responseLength;
        try
        {
            view.wrap(buffer, offset, length); // bounds-checked: a truncated message fails here, not beyond it
            decoder.wrapAndApplyHeader(view, 0, header);
            if (decoder.correlationId() != client.challengeId)
            {
                refusal = "answers another challenge";
                return null;
            }
            responseLength = decoder.credentialsLength();
            if (responseLength > Authenticator.MAX_CHALLENGE_LENGTH * 4)
            {
                refusal = "credentials of " + responseLength + " bytes";
                return null;
            }
            decoder.wrapCredentials(response);
        }
        catch (final IndexOutOfBoundsException ex)
        {
            refusal = "truncated at " + length + " bytes";
            return null;
        }
        client.challengePending = false; // the round ends here, whatever the authenticator says
        final String principal = authenticator.onChallengeResponse(client.clientId, response, responseLength);
        client.challengeAccepted = null != principal;
        return principal;
    }

    /**
     * @return why the last {@link #onResponse} was not an answer at all, or null if it was one (accepted or refused).
     */
    String refusal()
    {
        return refusal;
    }
}
