package io.synod.runtime;

import io.synod.core.Outbox;
import org.agrona.DirectBuffer;

/**
 * The core's outbox: copies each message into its destination's queue during the duty cycle. Nothing is published
 * here; {@link PeerPublisher} and {@link EgressPublisher} drain the queues after the log's sync (group commit).
 */
final class BufferedOutbox implements Outbox
{
    private final int[] peerIds;
    private final DestinationQueue[] peerQueues;
    private final ClientRegistry clients;
    private final EgressPublisher egressPublisher;
    private final RuntimeCounts counts;

    BufferedOutbox(
        final int[] peerIds,
        final DestinationQueue[] peerQueues,
        final ClientRegistry clients,
        final EgressPublisher egressPublisher,
        final RuntimeCounts counts)
    {
        this.peerIds = peerIds;
        this.peerQueues = peerQueues;
        this.clients = clients;
        this.egressPublisher = egressPublisher;
        this.counts = counts;
    }

    public void sendToPeer(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
    {
        for (int i = 0; i < peerIds.length; i++)
        {
            if (peerIds[i] == nodeId)
            {
                final DestinationQueue queue = peerQueues[i];
                final long droppedBefore = queue.dropped();
                queue.append(buffer, offset, length);
                counts.peerMessagesDropped += queue.dropped() - droppedBefore;
                return;
            }
        }
        counts.peerMessagesDropped++;
    }

    public void sendToClient(final long clientId, final DirectBuffer buffer, final int offset, final int length)
    {
        final ClientEndpoint client = clients.get(clientId);
        if (client == null)
        {
            counts.clientMessagesDropped++; // never sent Connect, or timed out: it will Connect again and retry
            return;
        }
        final DestinationQueue queue = client.queue;
        final long droppedBefore = queue.dropped();
        if (queue.append(buffer, offset, length))
        {
            egressPublisher.onQueued(client);
        }
        counts.clientMessagesDropped += queue.dropped() - droppedBefore;
    }
}
