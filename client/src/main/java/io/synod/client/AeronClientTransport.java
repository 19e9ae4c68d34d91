package io.synod.client;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.exceptions.TimeoutException;
import io.synod.ClusterMember;
import io.synod.codecs.ChallengeDecoder;
import io.synod.codecs.ChallengeResponseEncoder;
import io.synod.codecs.ConnectEncoder;
import io.synod.codecs.ConnectRefusedDecoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.MessageHeaderEncoder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;

/**
 * A {@link ClientSession}'s transport over Aeron: the embedded media driver (if configured), one ingress publication
 * per member, one egress subscription per member (stream {@code egressStreamId + memberIndex}, so a message's stream
 * names its sender), and the Connect that tells each member where to answer, sent once its publication connects,
 * refreshed every second, and again after the session moves to it (it may have restarted and forgotten the client).
 * Nothing is sent to a member before its Connect: {@link #send} returns false, and the session tries again.
 * <p>
 * A member whose authenticator challenges the Connect sends a Challenge; the transport answers it with the
 * {@link ChallengeHandler}'s credentials (a ChallengeResponse) and never hands it to the session. With a handler set,
 * nothing else goes to a member whose ingress (re)connected until its challenge is answered or a response timeout
 * passed without one, so that the first request is not dropped by a node still waiting for the answer.
 */
final class AeronClientTransport implements ClientTransport, AutoCloseable
{
    private static final long CONNECT_REFRESH_NS = TimeUnit.SECONDS.toNanos(1);
    private static final int FRAGMENT_LIMIT = 64;
    /** Longest answer a node takes (4 times its longest challenge). */
    private static final int MAX_CHALLENGE_RESPONSE_LENGTH = 4096;

    private final ClientContext ctx;
    private final AutoCloseable driver;
    private final Aeron aeron;
    private final AgentInvoker conductor;
    private final ExclusivePublication[] ingress;
    private final Subscription[] egress;
    private final String[] responseChannels;
    private final FragmentAssembler[] assemblers;
    private final boolean[] connectSent;
    private final long[] connectSentNs;
    private final UnsafeBuffer connectBuffer = new UnsafeBuffer(new byte[4096]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ConnectEncoder connectEncoder = new ConnectEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ChallengeDecoder challengeDecoder = new ChallengeDecoder();
    private final ChallengeResponseEncoder challengeResponseEncoder = new ChallengeResponseEncoder();
    private final UnsafeBuffer challengeView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer challengeResponseBuffer = new UnsafeBuffer(new byte[8192]);
    private final boolean[] ingressUp;
    private final boolean[] challengeAnswered;
    private final long[] awaitChallengeUntilNs;
    private final byte[][] challengeResponses;
    private final long[] challengeCorrelationIds;
    private final ConnectRefusedDecoder connectRefused = new ConnectRefusedDecoder();
    private String refusal;
    private ClientSession session;
    private long nowNs;

    /**
     * Launch the driver if embedded, connect to it, add the publications and subscriptions, and wait (up to the
     * connect timeout) until every egress subscription has its port.
     */
    AeronClientTransport(final ClientContext ctx, final NanoClock clock, final IdleStrategy idleStrategy)
    {
        this.ctx = ctx;
        final ClusterMember[] members = ctx.clusterMembers();
        final int n = members.length;
        ingress = new ExclusivePublication[n];
        egress = new Subscription[n];
        responseChannels = new String[n];
        assemblers = new FragmentAssembler[n];
        connectSent = new boolean[n];
        connectSentNs = new long[n];
        ingressUp = new boolean[n];
        challengeAnswered = new boolean[n];
        awaitChallengeUntilNs = new long[n];
        challengeResponses = new byte[n][];
        challengeCorrelationIds = new long[n];
        AutoCloseable driver = null;
        Aeron aeron = null;
        try
        {
            if (ctx.embeddedDriver())
            {
                EmbeddedMediaDriver.requireOnClassPath(AeronClientTransport.class.getClassLoader());
                driver = EmbeddedMediaDriver.launch(ctx);
            }
            aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(ctx.aeronDirectoryName())
                .useConductorAgentInvoker(true)
                .errorHandler(ctx.errorHandler())
                .clientName("synod-client"));
            this.conductor = aeron.conductorAgentInvoker();
            for (int i = 0; i < n; i++)
            {
                final int memberIndex = i;
                ingress[i] = aeron.addExclusivePublication(
                    ClusterMember.udpChannel(members[i].ingressEndpoint(), ctx.termLength()), ctx.ingressStreamId());
                egress[i] = aeron.addSubscription(ctx.egressChannel(), ctx.egressStreamId() + i);
                assemblers[i] = new FragmentAssembler((buffer, offset, length, header) ->
                    onEgress(memberIndex, buffer, offset, length));
            }
            final long deadlineNs = clock.nanoTime() + ctx.connectTimeoutNs();
            for (int i = 0; i < n; i++)
            {
                while ((responseChannels[i] = egress[i].tryResolveChannelEndpointPort()) == null)
                {
                    if (clock.nanoTime() > deadlineNs)
                    {
                        throw new TimeoutException("egress channel " + ctx.egressChannel() + " did not bind");
                    }
                    idleStrategy.idle(conductor.invoke());
                }
            }
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(aeron, driver);
            throw ex;
        }
        this.driver = driver;
        this.aeron = aeron;
    }

    /**
     * @param session takes what members send; set once, before the first {@link #poll}.
     */
    void session(final ClientSession session)
    {
        this.session = session;
    }

    /**
     * Run Aeron's conductor, hand egress to the session, and send or refresh Connects.
     *
     * @param nowNs now, passed to the session with each message.
     * @return amount of work done, 0 if none.
     */
    int poll(final long nowNs)
    {
        int work = conductor.invoke();
        this.nowNs = nowNs;
        for (int i = 0; i < egress.length; i++)
        {
            work += egress[i].poll(assemblers[i], FRAGMENT_LIMIT);
        }
        for (int i = 0; i < ingress.length; i++)
        {
            if (ingress[i].isConnected())
            {
                if (!ingressUp[i])
                {
                    ingressUp[i] = true; // a new connection: the member challenges it afresh, if at all
                    challengeAnswered[i] = false;
                    awaitChallengeUntilNs[i] = nowNs + ctx.responseTimeoutNs();
                }
                if (!connectSent[i] || nowNs - connectSentNs[i] > CONNECT_REFRESH_NS)
                {
                    sendConnect(i, nowNs);
                }
                if (null != challengeResponses[i])
                {
                    sendChallengeResponse(i);
                }
            }
            else
            {
                connectSent[i] = false;
                ingressUp[i] = false;
                challengeResponses[i] = null;
            }
        }
        return work;
    }

    public boolean send(final int memberIndex, final DirectBuffer buffer, final int offset, final int length)
    {
        if (null != ctx.challengeHandler() && !challengeAnswered[memberIndex] &&
            nowNs - awaitChallengeUntilNs[memberIndex] < 0)
        {
            return false; // the member may be about to challenge this connection: a request now would be dropped
        }
        return connectSent[memberIndex] && ingress[memberIndex].offer(buffer, offset, length) > 0;
    }

    private void onEgress(final int memberIndex, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length >= MessageHeaderDecoder.ENCODED_LENGTH)
        {
            headerDecoder.wrap(buffer, offset);
            if (headerDecoder.schemaId() == MessageHeaderDecoder.SCHEMA_ID &&
                headerDecoder.templateId() == ChallengeDecoder.TEMPLATE_ID)
            {
                onChallenge(memberIndex, buffer, offset, length);
                return;
            }
            if (headerDecoder.schemaId() == MessageHeaderDecoder.SCHEMA_ID &&
                headerDecoder.templateId() == ConnectRefusedDecoder.TEMPLATE_ID)
            {
                onConnectRefused(memberIndex, buffer, offset, length);
                return;
            }
        }
        session.onEgress(memberIndex, buffer, offset, length, nowNs);
    }

    /**
     * A member challenged this client's Connect: answer with the handler's credentials (once per challenge, so the
     * allocation of the copy is the connection's, not the hot path's).
     */
    private void onChallenge(final int memberIndex, final DirectBuffer buffer, final int offset, final int length)
    {
        final int memberId = ctx.clusterMembers()[memberIndex].id();
        final byte[] challenge;
        try
        {
            challengeView.wrap(buffer, offset, length);
            challengeDecoder.wrapAndApplyHeader(challengeView, 0, headerDecoder);
            challengeCorrelationIds[memberIndex] = challengeDecoder.correlationId();
            challenge = new byte[challengeDecoder.challengeLength()];
            challengeDecoder.getChallenge(challenge, 0, challenge.length);
        }
        catch (final IndexOutOfBoundsException ex)
        {
            ctx.errorHandler().onError(new IllegalStateException(
                "member " + memberId + " sent a Challenge truncated at " + length + " bytes"));
            return;
        }
        final ChallengeHandler handler = ctx.challengeHandler();
        if (null == handler)
        {
            ctx.errorHandler().onError(new IllegalStateException("member " + memberId + " challenged this client's " +
                "Connect, but ClientContext.challengeHandler is not set: the member will refuse the client"));
            return;
        }
        final byte[] response = handler.onChallenge(memberId, challenge);
        if (null != response && response.length > MAX_CHALLENGE_RESPONSE_LENGTH)
        {
            ctx.errorHandler().onError(new IllegalStateException("ChallengeHandler answered member " + memberId +
                " with " + response.length + " bytes, more than " + MAX_CHALLENGE_RESPONSE_LENGTH + ": not sent"));
        }
        else if (null != response)
        {
            challengeResponses[memberIndex] = response;
            sendChallengeResponse(memberIndex);
        }
    }

    /**
     * @return why a member last refused this client's Connect (ConnectRefused), or null if none did.
     */
    String refusal()
    {
        return refusal;
    }

    private void onConnectRefused(final int memberIndex, final DirectBuffer buffer, final int offset, final int length)
    {
        final int memberId = ctx.clusterMembers()[memberIndex].id();
        try
        {
            challengeView.wrap(buffer, offset, length);
            connectRefused.wrapAndApplyHeader(challengeView, 0, headerDecoder);
            final int clusterId = connectRefused.clusterId();
            refusal = "member " + memberId + " (cluster " + clusterId + ") refused this client: " +
                connectRefused.reason();
        }
        catch (final IndexOutOfBoundsException ex)
        {
            refusal = "member " + memberId + " refused this client (its ConnectRefused truncated at " + length +
                " bytes)";
        }
        ctx.errorHandler().onError(new IllegalStateException(refusal));
    }

    private void sendChallengeResponse(final int memberIndex)
    {
        final byte[] response = challengeResponses[memberIndex];
        challengeResponseEncoder.wrapAndApplyHeader(challengeResponseBuffer, 0, headerEncoder)
            .correlationId(challengeCorrelationIds[memberIndex])
            .putCredentials(response, 0, response.length);
        if (ingress[memberIndex].offer(challengeResponseBuffer, 0,
            MessageHeaderEncoder.ENCODED_LENGTH + challengeResponseEncoder.encodedLength()) > 0)
        {
            challengeResponses[memberIndex] = null;
            challengeAnswered[memberIndex] = true; // requests may follow: the member reads them after the answer
        }
    }

    public void onFailover(final int memberIndex)
    {
        connectSent[memberIndex] = false; // it may have restarted and forgotten us
    }

    private void sendConnect(final int memberIndex, final long nowNs)
    {
        connectEncoder.wrapAndApplyHeader(connectBuffer, 0, headerEncoder)
            .correlationId(nowNs)
            .responseStreamId(ctx.egressStreamId() + memberIndex)
            .clusterId(ctx.clusterId())
            .responseChannel(responseChannels[memberIndex]);
        final byte[] credentials = ctx.credentials();
        connectEncoder.putCredentials(credentials, 0, credentials.length);
        if (ingress[memberIndex].offer(
            connectBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + connectEncoder.encodedLength()) > 0)
        {
            connectSent[memberIndex] = true;
            connectSentNs[memberIndex] = nowNs;
        }
    }

    public void close()
    {
        CloseHelper.quietCloseAll(aeron, driver);
    }
}
