package io.synod.runtime;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Turns the messages the core queued for peers into offers on one exclusive publication per peer. Back-pressure
 * keeps the rest of a peer's queue for the next duty cycle; a peer that is not connected loses the message (counted),
 * as Paxos retransmits.
 */
final class PeerPublisher implements ExpandableRingBuffer.MessageConsumer
{
    private final ExclusivePublication[] publications;
    private final DestinationQueue[] queues;
    private final RuntimeCounts counts;
    private ExclusivePublication publication;
    private boolean backPressured;

    PeerPublisher(final ExclusivePublication[] publications, final DestinationQueue[] queues, final RuntimeCounts counts)
    {
        this.publications = publications;
        this.queues = queues;
        this.counts = counts;
    }

    /**
     * @return messages or bytes of work done.
     */
    int flush()
    {
        int work = 0;
        for (int i = 0; i < queues.length; i++)
        {
            final DestinationQueue queue = queues[i];
            if (queue != null && !queue.isEmpty())
            {
                publication = publications[i];
                backPressured = false;
                work += queue.drain(this);
            }
        }
        return work;
    }

    public boolean onMessage(final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        if (length > publication.maxMessageLength())
        {
            counts.peerMessagesDropped++;
            return true;
        }
        final long result = publication.offer(buffer, offset, length);
        if (result > 0)
        {
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
        counts.peerMessagesDropped++; // NOT_CONNECTED, CLOSED, MAX_POSITION_EXCEEDED
        return true;
    }
}
