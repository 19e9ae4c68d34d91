package io.synod.client;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.exceptions.TimeoutException;
import io.synod.ClusterMember;
import io.synod.codecs.ConnectEncoder;
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
 */
final class AeronClientTransport implements ClientTransport, AutoCloseable
{
    private static final long CONNECT_REFRESH_NS = TimeUnit.SECONDS.toNanos(1);
    private static final int FRAGMENT_LIMIT = 64;

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
                    session.onEgress(memberIndex, buffer, offset, length, nowNs));
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
                if (!connectSent[i] || nowNs - connectSentNs[i] > CONNECT_REFRESH_NS)
                {
                    sendConnect(i, nowNs);
                }
            }
            else
            {
                connectSent[i] = false;
            }
        }
        return work;
    }

    public boolean send(final int memberIndex, final DirectBuffer buffer, final int offset, final int length)
    {
        return connectSent[memberIndex] && ingress[memberIndex].offer(buffer, offset, length) > 0;
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
