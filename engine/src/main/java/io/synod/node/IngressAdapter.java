package io.synod.node;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.synod.codecs.ChallengeResponseDecoder;
import io.synod.codecs.CommandDecoder;
import io.synod.codecs.ConnectDecoder;
import io.synod.codecs.ConnectRefusedEncoder;
import io.synod.codecs.MessageHeaderEncoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.ResponseCode;
import io.synod.codecs.SessionOpenDecoder;
import io.aeron.Image;
import io.synod.core.Outbox;
import io.synod.core.PaxosNode;
import io.synod.Configuration;
import io.synod.Role;
import io.synod.log.PaxosLog;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Turns reassembled client messages into calls: Connect is the runtime's (it makes the client's egress publication);
 * SessionOpen, Command and SessionClose go to the core, which answers through the outbox. The client id is the Aeron
 * session id of the client's ingress publication, so every message from one client names the same id.
 */
final class IngressAdapter implements FragmentHandler
{
    private static final int MAX_CHANNEL_LENGTH = 4096;

    private final PaxosNode core;
    private final PaxosLog log;
    private final ClientRegistry clients;
    private final LatencyTracker tracker;
    private final RuntimeCounts counts;
    private final ErrorHandler errorHandler;
    private final Authenticator authenticator;
    private final int maxSessionsPerClient;
    private final boolean requireSessionKey;
    private final UnsafeBuffer credentials = new UnsafeBuffer(0, 0);
    private final SessionOpenDecoder sessionOpen = new SessionOpenDecoder();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final ConnectDecoder connect = new ConnectDecoder();
    private final CommandDecoder command = new CommandDecoder();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private long nowNs;
    private long commandsProposed;
    private LeaderAnnouncer leaderAnnouncer;
    private ChallengeRound challenges;
    private int clusterId;
    private Outbox outbox;
    private final UnsafeBuffer refusalBuffer = new UnsafeBuffer(new byte[1024]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ConnectRefusedEncoder connectRefused = new ConnectRefusedEncoder();

    IngressAdapter(
        final PaxosNode core,
        final PaxosLog log,
        final ClientRegistry clients,
        final LatencyTracker tracker,
        final RuntimeCounts counts,
        final ErrorHandler errorHandler)
    {
        this(core, log, clients, tracker, counts, errorHandler, Authenticator.acceptAll(), Integer.MAX_VALUE, false);
    }

    IngressAdapter(
        final PaxosNode core,
        final PaxosLog log,
        final ClientRegistry clients,
        final LatencyTracker tracker,
        final RuntimeCounts counts,
        final ErrorHandler errorHandler,
        final Authenticator authenticator,
        final int maxSessionsPerClient,
        final boolean requireSessionKey)
    {
        this.requireSessionKey = requireSessionKey;
        this.authenticator = authenticator;
        this.maxSessionsPerClient = maxSessionsPerClient;
        this.core = core;
        this.log = log;
        this.clients = clients;
        this.tracker = tracker;
        this.counts = counts;
        this.errorHandler = errorHandler;
    }

    /**
     * @param leaderAnnouncer answers each Connect with the leader this node knows.
     */
    void leaderAnnouncer(final LeaderAnnouncer leaderAnnouncer)
    {
        this.leaderAnnouncer = leaderAnnouncer;
    }

    /**
     * @param clusterId this node's cluster id: a Connect naming another (both not 0) is refused.
     * @param outbox    carries the ConnectRefused that tells such a client why.
     */
    void clusterId(final int clusterId, final Outbox outbox)
    {
        this.clusterId = clusterId;
        this.outbox = outbox;
    }

    /**
     * @param challenges the authenticator's challenge round; without it no Connect is challenged.
     */
    void challenges(final ChallengeRound challenges)
    {
        this.challenges = challenges;
    }

    void nowNs(final long nowNs)
    {
        this.nowNs = nowNs;
    }

    /**
     * @return commands proposed since the last call: this cycle's batch.
     */
    long takeCommandsProposed()
    {
        final long proposed = commandsProposed;
        commandsProposed = 0;
        return proposed;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header aeronHeader)
    {
        final long clientId = aeronHeader.sessionId();
        if (length >= MessageHeaderDecoder.ENCODED_LENGTH)
        {
            header.wrap(buffer, offset);
            if (header.schemaId() == MessageHeaderDecoder.SCHEMA_ID)
            {
                final int templateId = header.templateId();
                if (templateId == ConnectDecoder.TEMPLATE_ID)
                {
                    onConnect(clientId, buffer, offset, length, aeronHeader);
                    return;
                }
                final ClientEndpoint client = clients.get(clientId);
                if (null == client)
                {
                    // Not connected, or refused: no one to answer, and nothing it sends reaches the core.
                    counts.requestsUnconnected++;
                    return;
                }
                if (!client.admitted() || templateId == ChallengeResponseDecoder.TEMPLATE_ID)
                {
                    onChallengeResponse(client, templateId, buffer, offset, length);
                    return;
                }
                client.lastActivityNs = nowNs;
                if (templateId == CommandDecoder.TEMPLATE_ID && core.role() == Role.LEADER)
                {
                    onCommandAsLeader(clientId, client.principalId, buffer, offset, length);
                    return;
                }
                if (templateId == SessionOpenDecoder.TEMPLATE_ID && !admitsSessionOpen(client, buffer, offset, length))
                {
                    return;
                }
                core.onClientMessage(clientId, client.principalId, buffer, offset, length);
                return;
            }
        }
        core.onClientMessage(clientId, buffer, offset, length); // the core reports and counts what is malformed
    }

    /**
     * A connection opens at most maxSessionsPerClient sessions on a leader (a retry of the same open counts once):
     * one client cannot fill the session table. Anonymous clients are bounded only so; authenticated ones also per
     * principal.
     */
    private boolean admitsSessionOpen(
        final ClientEndpoint client, final DirectBuffer buffer, final int offset, final int length)
    {
        final int blockLength = header.blockLength();
        if (core.role() != Role.LEADER ||
            length < MessageHeaderDecoder.ENCODED_LENGTH + blockLength || blockLength < Long.BYTES)
        {
            return true; // redirected, or malformed: the core answers and proposes nothing
        }
        sessionOpen.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, blockLength, header.version());
        final long correlationId = sessionOpen.correlationId();
        if (requireSessionKey && sessionOpen.sessionKey() == SessionOpenDecoder.sessionKeyNullValue())
        {
            counts.sessionOpensWithoutKey++;
            errorHandler.onError(new IllegalArgumentException("SessionOpen from client " + client.clientId +
                " refused: it carries no session key (schema version " + header.version() + "; clients before " +
                "version 2 have none) and requireSessionKey (" + Configuration.REQUIRE_SESSION_KEY_PROP +
                ") is on: upgrade the client, or turn the setting off"));
            core.refuseClient(client.clientId, 0, correlationId, ResponseCode.TOO_MANY_SESSIONS);
            return false;
        }
        if (client.sessionOpens > 0 && correlationId == client.lastOpenCorrelationId)
        {
            return true; // a retry of the same open is not another session
        }
        if (client.sessionOpens < maxSessionsPerClient)
        {
            client.sessionOpens++;
            client.lastOpenCorrelationId = correlationId;
            return true;
        }
        counts.sessionOpensOverClientCap++;
        core.refuseClient(client.clientId, 0, correlationId, ResponseCode.TOO_MANY_SESSIONS);
        return false;
    }

    private void onCommandAsLeader(
        final long clientId, final long principalId, final DirectBuffer buffer, final int offset, final int length)
    {
        final long nextSlot = log.nextSlot();
        final int blockLength = header.blockLength();
        if (length >= MessageHeaderDecoder.ENCODED_LENGTH + blockLength && blockLength >= CommandDecoder.BLOCK_LENGTH)
        {
            command.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, blockLength, header.version());
            tracker.onCommandReceived(command.sessionId(), command.sequence(), nowNs);
        }
        core.onClientMessage(clientId, principalId, buffer, offset, length);
        if (log.nextSlot() == nextSlot + 1)
        {
            tracker.onProposed(nextSlot, nowNs);
            commandsProposed++;
        }
    }

    private void onConnect(
        final long clientId, final DirectBuffer buffer, final int offset, final int length, final Header aeronHeader)
    {
        final String channel;
        final int streamId;
        final int clientsClusterId;
        final int credentialsLength;
        try
        {
            view.wrap(buffer, offset, length); // bounds-checked: a truncated Connect fails here, not beyond it
            connect.wrapAndApplyHeader(view, 0, header);
            streamId = connect.responseStreamId();
            clientsClusterId = connect.clusterId();
            final int channelLength = connect.responseChannelLength();
            if (channelLength <= 0 || channelLength > MAX_CHANNEL_LENGTH)
            {
                malformed("Connect from client " + clientId + ": response channel length " + channelLength +
                    " outside [1, " + MAX_CHANNEL_LENGTH + "]");
                return;
            }
            channel = connect.responseChannel();
            // A Connect that ends after its channel (version 1, or an encoder that left the field out) has none.
            credentialsLength = connect.limit() >= length ? 0 : connect.credentialsLength();
            if (credentialsLength > MAX_CHANNEL_LENGTH)
            {
                malformed("Connect from client " + clientId + ": credentials length " + credentialsLength +
                    " above " + MAX_CHANNEL_LENGTH);
                return;
            }
            if (credentialsLength > 0)
            {
                connect.wrapCredentials(credentials);
            }
        }
        catch (final IndexOutOfBoundsException ex)
        {
            malformed("Connect from client " + clientId + " truncated at " + length + " bytes");
            return;
        }
        if (streamId == 0)
        {
            malformed("Connect from client " + clientId + ": response stream id 0");
            return;
        }
        if (clusterId != 0 && clientsClusterId != 0 && clientsClusterId != ConnectDecoder.clusterIdNullValue() &&
            clientsClusterId != clusterId)
        {
            refuseOtherCluster(clientId, clientsClusterId, channel, streamId, aeronHeader);
            return;
        }
        final ClientEndpoint existing = clients.get(clientId);
        if (null != existing && existing.answersOn(channel, streamId) &&
            (existing.challengePending || existing.challengeAccepted))
        {
            // The client's periodic refresh: a challenge already sent or passed is not started again.
            existing.lastActivityNs = nowNs;
            if (existing.challengeAccepted && null != leaderAnnouncer)
            {
                leaderAnnouncer.onConnect(clientId);
            }
            return;
        }
        final int challengeLength = null == challenges ? 0 : challenges.ask(clientId, credentials, credentialsLength);
        if (challengeLength > 0)
        {
            startChallenge(clientId, channel, streamId, aeronHeader, challengeLength);
            return;
        }
        final String principal = challengeLength < 0 ? null :
            authenticator.authenticate(clientId, credentials, credentialsLength);
        if (null == principal)
        {
            counts.connectsRefused++;
            errorHandler.onError(new IllegalArgumentException(
                "Connect from client " + clientId + " refused by the authenticator"));
            return;
        }
        final ClientEndpoint client = clients.onConnect(clientId, channel, streamId, sourceHost(aeronHeader), nowNs);
        if (null == client)
        {
            counts.connectsRefused++;
        }
        else if (!principal.equals(client.principal) && client.sessionOpens > 0)
        {
            counts.connectsRefused++; // one connection, one principal: it may not change once it opened sessions
            errorHandler.onError(new IllegalArgumentException("Connect from client " + clientId + " as " + principal +
                " refused: the connection is " + client.principal));
        }
        else
        {
            client.principal = principal;
            client.principalId = principalId(principal);
            if (null != leaderAnnouncer)
            {
                leaderAnnouncer.onConnect(clientId); // queued until the client's egress publication connects
            }
        }
    }

    /**
     * A client of another cluster: refused, reported, and told why (a ConnectRefused on an egress publication made
     * under the connect policy and caps, forgotten once the message has left), so that it fails at once naming both
     * ids instead of timing out. A refresh of a connection already told is not told again.
     */
    private void refuseOtherCluster(
        final long clientId,
        final int clientsClusterId,
        final String channel,
        final int streamId,
        final Header aeronHeader)
    {
        final ClientEndpoint existing = clients.get(clientId);
        if (null != existing && existing.refused && existing.answersOn(channel, streamId))
        {
            return;
        }
        counts.connectsRefused++;
        final String reason = "it is for cluster " + clientsClusterId + " (the client's " +
            Configuration.CLUSTER_ID_PROP + "), this node is of cluster " + clusterId + ": a client pointed at " +
            "another cluster's members?";
        errorHandler.onError(new IllegalArgumentException("Connect from client " + clientId + " refused: " + reason));
        final ClientEndpoint client = clients.onConnect(clientId, channel, streamId, sourceHost(aeronHeader), nowNs);
        if (null == client || null == outbox)
        {
            return;
        }
        client.refused = true;
        client.challengeAccepted = false;
        if (client.challengePending)
        {
            client.challengePending = false;
            authenticator.onChallengeEnded(clientId);
        }
        connectRefused.wrapAndApplyHeader(refusalBuffer, 0, headerEncoder).clusterId(clusterId).reason(reason);
        outbox.sendToClient(clientId, refusalBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH +
            connectRefused.encodedLength());
    }

    private void startChallenge(
        final long clientId,
        final String channel,
        final int streamId,
        final Header aeronHeader,
        final int challengeLength)
    {
        final ClientEndpoint client = clients.onConnect(clientId, channel, streamId, sourceHost(aeronHeader), nowNs);
        if (null == client || client.sessionOpens > 0)
        {
            // Refused by the connect policy or a cap (reported there), or a connection that already opened sessions
            // under a principal decided without a challenge: it may not become another one.
            counts.connectsRefused++;
            authenticator.onChallengeEnded(clientId);
            return;
        }
        challenges.start(client, challengeLength, nowNs);
    }

    /**
     * A message from a challenged client (only its ChallengeResponse is taken), or a ChallengeResponse from any.
     */
    private void onChallengeResponse(
        final ClientEndpoint client,
        final int templateId,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        if (templateId != ChallengeResponseDecoder.TEMPLATE_ID || client.admitted())
        {
            // A request before the answer, or an answer where no challenge is pending: not from whom it should be.
            counts.requestsUnconnected++;
            return;
        }
        final String principal = challenges.onResponse(client, header, buffer, offset, length);
        if (null != principal)
        {
            client.lastActivityNs = nowNs;
            client.principal = principal;
            client.principalId = principalId(principal);
            if (null != leaderAnnouncer)
            {
                leaderAnnouncer.onConnect(client.clientId);
            }
            return;
        }
        final String refusal = challenges.refusal();
        if (null != refusal)
        {
            counts.requestsUnconnected++; // not an answer to this round: it goes on until answered or timed out
            errorHandler.onError(new IllegalArgumentException(
                "ChallengeResponse from client " + client.clientId + " dropped: " + refusal));
            return;
        }
        counts.connectsRefused++;
        clients.refuse(client);
        errorHandler.onError(new IllegalArgumentException(
            "Connect from client " + client.clientId + " refused by the authenticator after its challenge"));
    }

    /**
     * @return the principal as the core's 64-bit id: 0 for anonymous, else a hash of its UTF-8 bytes that every node
     * computes alike (FNV-1a, 64-bit; principals come from the operator's authenticator, not from the sender).
     */
    static long principalId(final String principal)
    {
        if (principal.isEmpty())
        {
            return PaxosNode.ANONYMOUS_PRINCIPAL;
        }
        long hash = 0xcbf29ce484222325L;
        for (final byte b : principal.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash == PaxosNode.ANONYMOUS_PRINCIPAL ? 1 : hash;
    }

    private static String sourceHost(final Header aeronHeader)
    {
        final Object context = aeronHeader.context();
        return context instanceof Image ? ConnectPolicy.host(((Image)context).sourceIdentity()) : null;
    }

    private void malformed(final String message)
    {
        counts.malformedMessages++;
        errorHandler.onError(new IllegalArgumentException(message));
    }
}
