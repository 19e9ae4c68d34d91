package io.synod.node;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Turns the messages the core queued for peers into offers, per peer the control lane first, then the data lane,
 * each on its own exclusive publication (see {@link PeerLink}). Back-pressure keeps the rest of a lane's queue for the
 * next duty cycle. A message the publication cannot take at all (peer not connected, publication closed, too long)
 * is dropped and counted; for data the link is marked so the core sends it again.
 */
final class PeerPublisher
{
    private final PeerLink[] peers;
    private final RuntimeCounts counts;
    private final LaneConsumer control = new LaneConsumer(false);
    private final LaneConsumer data = new LaneConsumer(true);

    PeerPublisher(final PeerLink[] peers, final RuntimeCounts counts)
    {
        this.peers = peers;
        this.counts = counts;
    }

    /**
     * @return bytes of work done.
     */
    int flush()
    {
        int work = 0;
        for (final PeerLink peer : peers)
        {
            if (!peer.controlQueue.isEmpty())
            {
                work += control.drain(peer, peer.controlPublication, peer.controlQueue);
            }
            if (!peer.dataQueue.isEmpty())
            {
                work += data.drain(peer, peer.dataPublication, peer.dataQueue);
            }
        }
        return work;
    }

    private final class LaneConsumer implements ExpandableRingBuffer.MessageConsumer
    {
        private final boolean isData;
        private PeerLink peer;
        private ExclusivePublication publication;
        private boolean backPressured;

        LaneConsumer(final boolean isData)
        {
            this.isData = isData;
        }

        int drain(final PeerLink peer, final ExclusivePublication publication, final DestinationQueue queue)
        {
            this.peer = peer;
            this.publication = publication;
            backPressured = false;
            return queue.drain(this);
        }

        public boolean onMessage(
            final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
        {
            if (length > publication.maxMessageLength())
            {
                onDropped(length);
                return true;
            }
            final long result = publication.offer(buffer, offset, length);
            if (result > 0)
            {
                if (isData)
                {
                    peer.onDataDequeued(length);
                }
                return true;
            }
            if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
            {
                if (!backPressured)
                {
                    backPressured = true;
                    counts.backPressureEvents++;
                }
                return false;
            }
            onDropped(length); // NOT_CONNECTED, CLOSED, MAX_POSITION_EXCEEDED
            return true;
        }

        private void onDropped(final int length)
        {
            counts.peerMessagesDropped++;
            if (isData)
            {
                peer.onDataDequeued(length);
                peer.dataLost = true;
            }
        }
    }
}
