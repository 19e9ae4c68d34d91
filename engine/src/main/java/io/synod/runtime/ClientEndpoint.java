package io.synod.runtime;

import io.aeron.ExclusivePublication;

/**
 * What a node knows of one connected client: its egress publication (made from the client's Connect), the messages
 * waiting for it, and when it was last heard from.
 */
final class ClientEndpoint
{
    final long clientId;
    final String channel;
    final int streamId;
    final ExclusivePublication publication;
    final DestinationQueue queue;
    long lastActivityNs;
    boolean everConnected;
    boolean queuedForFlush;

    ClientEndpoint(
        final long clientId,
        final String channel,
        final int streamId,
        final ExclusivePublication publication,
        final int queueCapacity,
        final long nowNs)
    {
        this.clientId = clientId;
        this.channel = channel;
        this.streamId = streamId;
        this.publication = publication;
        this.queue = new DestinationQueue(queueCapacity);
        this.lastActivityNs = nowNs;
    }

    /** @return whether the client's egress is up now, remembering that it once was. */
    boolean isConnected()
    {
        final boolean connected = publication.isConnected();
        everConnected |= connected;
        return connected;
    }
}
