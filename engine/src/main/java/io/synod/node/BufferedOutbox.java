package io.synod.node;

import io.synod.codecs.AcceptDecoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.SuccessDecoder;
import io.synod.core.Outbox;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The core's outbox: copies each message into its destination's queue during the duty cycle. Nothing is published
 * here; {@link PeerPublisher} and {@link EgressPublisher} drain the queues after the log's sync (group commit). A peer
 * message goes to the data lane of its {@link PeerLink} if it is an Accept or a Success, to the control lane otherwise,
 * followed by its {@link PeerTrailer} (member list hash and MAC), made once here so a retry after back-pressure costs
 * nothing more. The core sends one message to each peer in turn (heartbeats, an Accept for peers at the same slot):
 * the outbox keeps a copy of the last message it sealed and reuses its trailer when the next one has the same bytes,
 * so a leader computes one MAC per broadcast rather than one per peer (a copy and a compare cost a tenth of a MAC).
 */
final class BufferedOutbox implements Outbox
{
    private final PeerLink[] peers;
    private final ClientRegistry clients;
    private final EgressPublisher egressPublisher;
    private final RuntimeCounts counts;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final PeerTrailer trailer;
    private final UnsafeBuffer trailerBuffer = new UnsafeBuffer(new byte[PeerTrailer.LENGTH]);
    private final UnsafeBuffer lastSealed;
    private int lastSealedLength = -1;
    private long seals;

    BufferedOutbox(
        final PeerLink[] peers,
        final ClientRegistry clients,
        final EgressPublisher egressPublisher,
        final RuntimeCounts counts,
        final PeerTrailer trailer,
        final int maxMessageLength)
    {
        this.trailer = trailer;
        this.lastSealed = new UnsafeBuffer(new byte[trailer.authenticates() ? maxMessageLength : 0]);
        this.peers = peers;
        this.clients = clients;
        this.egressPublisher = egressPublisher;
        this.counts = counts;
    }

    public void sendToPeer(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
    {
        final PeerLink peer = peer(nodeId);
        if (peer == null)
        {
            counts.peerMessagesDropped++;
            return;
        }
        seal(buffer, offset, length);
        if (isData(buffer, offset, length))
        {
            if (!peer.queueData(buffer, offset, length, trailerBuffer))
            {
                counts.peerMessagesDropped++;
            }
            return;
        }
        // Control messages are small and few, except Promise chunks; if they ever fill the queue the oldest go
        // (counted) and the core's timers repeat them: heartbeats, Prepare (and so Promise), Accepts (and so Accepted).
        final DestinationQueue queue = peer.controlQueue;
        final long droppedBefore = queue.dropped();
        queue.append(buffer, offset, length, trailerBuffer, 0, PeerTrailer.LENGTH);
        counts.peerMessagesDropped += queue.dropped() - droppedBefore;
    }

    /**
     * Make the trailer of a message in {@link #trailerBuffer}, unless it is the last one sealed.
     */
    private void seal(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length == lastSealedLength && sameBytes(buffer, offset, length))
        {
            return;
        }
        trailer.seal(buffer, offset, length, trailerBuffer);
        seals++;
        if (length <= lastSealed.capacity())
        {
            lastSealed.putBytes(0, buffer, offset, length);
            lastSealedLength = length;
        }
        else
        {
            lastSealedLength = -1;
        }
    }

    private boolean sameBytes(final DirectBuffer buffer, final int offset, final int length)
    {
        int i = 0;
        for (; i <= length - Long.BYTES; i += Long.BYTES)
        {
            if (buffer.getLong(offset + i) != lastSealed.getLong(i))
            {
                return false;
            }
        }
        for (; i < length; i++)
        {
            if (buffer.getByte(offset + i) != lastSealed.getByte(i))
            {
                return false;
            }
        }
        return true;
    }

    /** @return trailers computed (messages sealed rather than reusing the last trailer). */
    long seals()
    {
        return seals;
    }

    public int peerCapacity(final int nodeId)
    {
        final PeerLink peer = peer(nodeId);
        return peer != null ? peer.dataCapacity() : 0;
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
        final long refusedBefore = queue.growthsRefused();
        if (queue.append(buffer, offset, length))
        {
            egressPublisher.onQueued(client);
        }
        counts.clientMessagesDropped += queue.dropped() - droppedBefore;
        if (queue.growthsRefused() != refusedBefore)
        {
            clients.onOverBudget(client);
        }
    }

    private PeerLink peer(final int nodeId)
    {
        for (final PeerLink peer : peers)
        {
            if (peer.peerId == nodeId)
            {
                return peer;
            }
        }
        return null;
    }

    private boolean isData(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return false;
        }
        final int templateId = header.wrap(buffer, offset).templateId();
        return templateId == AcceptDecoder.TEMPLATE_ID || templateId == SuccessDecoder.TEMPLATE_ID;
    }
}
