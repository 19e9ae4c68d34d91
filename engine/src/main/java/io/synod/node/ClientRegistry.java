package io.synod.node;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.synod.Configuration;
import org.agrona.ErrorHandler;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Iterator;

/**
 * The clients a node answers, keyed by client id (the Aeron session id of the client's ingress publication). A
 * client is added by its Connect message and forgotten when it has been silent and disconnected for the client
 * timeout.
 */
final class ClientRegistry implements AutoCloseable
{
    private final Long2ObjectHashMap<ClientEndpoint> clients = new Long2ObjectHashMap<>();
    private final Aeron aeron;
    private final int termLength;
    private final int queueCapacity;
    private final long clientTimeoutNs;
    private final ErrorHandler errorHandler;
    private final ConnectPolicy policy;
    private final EgressBudget budget;
    private long clientsTimedOut;
    private long challengesTimedOut;
    private int pendingConnects;
    private Authenticator authenticator = Authenticator.acceptAll();
    private RuntimeCounts counts = new RuntimeCounts();

    ClientRegistry(
        final Aeron aeron,
        final int termLength,
        final int queueCapacity,
        final long clientTimeoutNs,
        final ErrorHandler errorHandler)
    {
        this(aeron, termLength, queueCapacity, clientTimeoutNs, errorHandler, ConnectPolicy.OPEN,
            new EgressBudget(Long.MAX_VALUE, new RuntimeCounts()));
    }

    ClientRegistry(
        final Aeron aeron,
        final int termLength,
        final int queueCapacity,
        final long clientTimeoutNs,
        final ErrorHandler errorHandler,
        final ConnectPolicy policy,
        final EgressBudget budget)
    {
        this.budget = budget;
        this.aeron = aeron;
        this.termLength = termLength;
        this.queueCapacity = queueCapacity;
        this.clientTimeoutNs = clientTimeoutNs;
        this.errorHandler = errorHandler;
        this.policy = policy;
    }

    /**
     * @param authenticator told when a challenge ends unanswered (timed out, or its connection replaced or closed).
     * @param counts        where a challenge that timed out is counted as a refused Connect.
     */
    void authenticator(final Authenticator authenticator, final RuntimeCounts counts)
    {
        this.authenticator = authenticator;
        this.counts = counts;
    }

    ClientEndpoint get(final long clientId)
    {
        return clients.get(clientId);
    }

    /**
     * A Connect: make the egress publication, or keep the one made by an earlier identical Connect.
     *
     * @return false if the channel was refused.
     */
    boolean onConnect(final long clientId, final String channel, final int streamId, final long nowNs)
    {
        return null != onConnect(clientId, channel, streamId, null, nowNs);
    }

    /**
     * A Connect: check the channel against the policy and the caps, then make the egress publication, or keep the
     * one made by an earlier identical Connect.
     *
     * @param sourceHost the address the Connect came from, null if unknown.
     * @return the client, or null if refused (reported, naming the rule or the cap).
     */
    ClientEndpoint onConnect(
        final long clientId, final String channel, final int streamId, final String sourceHost, final long nowNs)
    {
        final ClientEndpoint existing = clients.get(clientId);
        if (existing != null)
        {
            if (existing.answersOn(channel, streamId))
            {
                existing.lastActivityNs = nowNs;
                return existing;
            }
            // One connection, one response channel. Replacing the client on each Connect that named another channel
            // let one sender make the leader add an egress publication per Connect, which the driver lingers on
            // (3,000+ publications and a node out of direct memory in the flood harness). A client that needs
            // another channel opens another connection; this one is forgotten once silent for clientTimeoutNs.
            errorHandler.onError(new IllegalArgumentException("Connect from client " + clientId + " refused: it " +
                "names response channel '" + channel + "' stream " + streamId + " but this connection answers on '" +
                existing.channel + "' stream " + existing.streamId + "; a connection's response channel cannot " +
                "change (open a new connection)"));
            return null;
        }
        if (clients.size() >= policy.maxClients)
        {
            errorHandler.onError(new IllegalArgumentException("Connect from client " + clientId + " refused: " +
                clients.size() + " clients registered, the cap maxClients (synod.max.clients) is " +
                policy.maxClients));
            return null;
        }
        if (pendingConnects >= policy.maxPendingConnects)
        {
            errorHandler.onError(new IllegalArgumentException("Connect from client " + clientId + " refused: " +
                pendingConnects + " clients have not connected their egress or answered their challenge yet, the " +
                "cap maxPendingConnects (synod.max.pending.connects) is " + policy.maxPendingConnects));
            return null;
        }

        final long registrationId;
        try
        {
            final ChannelUri uri = ChannelUri.parse(channel);
            if (!"udp".equals(uri.media()) && !"ipc".equals(uri.media()))
            {
                throw new IllegalArgumentException("media must be udp or ipc");
            }
            policy.check(uri, sourceHost);
            if (!uri.containsKey("term-length"))
            {
                uri.put("term-length", Integer.toString(termLength));
            }
            registrationId = aeron.asyncAddExclusivePublication(uri.toString(), streamId);
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(new IllegalArgumentException(
                "Connect from client " + clientId + " names an unusable response channel '" + channel + "' stream " +
                streamId + ": " + ex.getMessage()));
            return null;
        }
        final ClientEndpoint client = new ClientEndpoint(
            clientId, channel, streamId, aeron, registrationId, errorHandler, queueCapacity, budget, nowNs);
        clients.put(clientId, client);
        pendingConnects++;
        return client;
    }

    void onActivity(final long clientId, final long nowNs)
    {
        final ClientEndpoint client = clients.get(clientId);
        if (client != null)
        {
            client.lastActivityNs = nowNs;
        }
    }

    /**
     * Forget clients silent and disconnected for longer than the timeout, and refuse challenged clients whose
     * challenge is past its deadline (reported, and told to the authenticator).
     */
    int closeTimedOut(final long nowNs)
    {
        int closed = 0;
        int pending = 0;
        final Iterator<ClientEndpoint> iterator = clients.values().iterator();
        while (iterator.hasNext())
        {
            final ClientEndpoint client = iterator.next();
            final boolean connected = client.isConnected();
            final boolean challengeExpired = client.challengePending && nowNs - client.challengeDeadlineNs >= 0;
            // A refused client is kept until its ConnectRefused has left (or the client timeout passed).
            final boolean refusalDone = client.refused &&
                ((connected && client.queue.isEmpty()) || nowNs - client.lastActivityNs > clientTimeoutNs);
            if (refusalDone)
            {
                iterator.remove();
                client.close();
                closed++;
            }
            else if (challengeExpired || (!connected && nowNs - client.lastActivityNs > clientTimeoutNs))
            {
                iterator.remove();
                client.close();
                closed++;
                if (challengeExpired)
                {
                    challengesTimedOut++;
                    counts.connectsRefused++;
                    errorHandler.onError(new IllegalArgumentException("Connect from client " + client.clientId +
                        " refused: its challenge was not answered in time (challengeTimeoutNs, " +
                        Configuration.CHALLENGE_TIMEOUT_PROP + ")"));
                }
                else
                {
                    clientsTimedOut++;
                }
                endChallenge(client);
            }
            else if (isPending(client))
            {
                pending++;
            }
        }
        pendingConnects = pending; // recounted here (housekeeping), counted up by each Connect in between
        return closed;
    }

    /**
     * A client's queue could not grow within the node's egress budget: its oldest responses are being dropped, as
     * for any slow consumer. Said once until its queue is empty again (the reporter also bounds reports a second).
     */
    void onOverBudget(final ClientEndpoint client)
    {
        if (!client.overBudgetReported)
        {
            client.overBudgetReported = true;
            errorHandler.onError(new IllegalStateException("client " + client.clientId + " is a slow consumer over " +
                "the egress budget: its queue could not grow past " + client.queue.capacity() + " bytes, all client " +
                "queues hold " + budget.reserved() + " of maxEgressQueueBytes (synod.max.egress.queue.bytes) " +
                budget.maxBytes() + "; its oldest responses are dropped and it retries"));
        }
    }

    /**
     * Forget a client whose challenge response the authenticator refused.
     */
    void refuse(final ClientEndpoint client)
    {
        clients.remove(client.clientId);
        client.close();
        if (isPending(client))
        {
            pendingConnects--;
        }
    }

    /**
     * A client counts against maxPendingConnects until its egress connected and, if challenged, it answered; a refused
     * one until it is forgotten.
     */
    private static boolean isPending(final ClientEndpoint client)
    {
        return !client.everConnected || client.challengePending || client.refused;
    }

    private void endChallenge(final ClientEndpoint client)
    {
        if (client.challengePending)
        {
            client.challengePending = false;
            authenticator.onChallengeEnded(client.clientId);
        }
    }

    private void remove(final ClientEndpoint client)
    {
        clients.remove(client.clientId);
        client.close();
        endChallenge(client);
    }

    Long2ObjectHashMap<ClientEndpoint> clients()
    {
        return clients;
    }

    int size()
    {
        return clients.size();
    }

    long clientsTimedOut()
    {
        return clientsTimedOut;
    }

    /** @return challenged clients refused because they did not answer within the challenge timeout. */
    long challengesTimedOut()
    {
        return challengesTimedOut;
    }

    public void close()
    {
        for (final ClientEndpoint client : clients.values())
        {
            client.close();
        }
        clients.clear();
    }
}
