package io.synod.node;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
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
    private long clientsTimedOut;

    ClientRegistry(
        final Aeron aeron,
        final int termLength,
        final int queueCapacity,
        final long clientTimeoutNs,
        final ErrorHandler errorHandler)
    {
        this.aeron = aeron;
        this.termLength = termLength;
        this.queueCapacity = queueCapacity;
        this.clientTimeoutNs = clientTimeoutNs;
        this.errorHandler = errorHandler;
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
        final ClientEndpoint existing = clients.get(clientId);
        if (existing != null)
        {
            if (existing.channel.equals(channel) && existing.streamId == streamId)
            {
                existing.lastActivityNs = nowNs;
                return true;
            }
            remove(existing);
        }

        final long registrationId;
        try
        {
            final ChannelUri uri = ChannelUri.parse(channel);
            if (!"udp".equals(uri.media()) && !"ipc".equals(uri.media()))
            {
                throw new IllegalArgumentException("media must be udp or ipc");
            }
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
            return false;
        }
        clients.put(clientId, new ClientEndpoint(
            clientId, channel, streamId, aeron, registrationId, errorHandler, queueCapacity, nowNs));
        return true;
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
     * Forget clients silent and disconnected for longer than the timeout.
     */
    int closeTimedOut(final long nowNs)
    {
        int closed = 0;
        final Iterator<ClientEndpoint> iterator = clients.values().iterator();
        while (iterator.hasNext())
        {
            final ClientEndpoint client = iterator.next();
            if (!client.isConnected() && nowNs - client.lastActivityNs > clientTimeoutNs)
            {
                iterator.remove();
                client.close();
                clientsTimedOut++;
                closed++;
            }
        }
        return closed;
    }

    private void remove(final ClientEndpoint client)
    {
        clients.remove(client.clientId);
        client.close();
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

    public void close()
    {
        for (final ClientEndpoint client : clients.values())
        {
            client.close();
        }
        clients.clear();
    }
}
