package io.synod.node;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.ResponseDecoder;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.NanoClock;

import java.util.ArrayList;

/**
 * Turns the responses and redirects the core queued for clients into offers on each client's egress publication.
 * Back-pressure keeps the rest for the next cycle; so does an egress that has not connected yet (a new client). A
 * client whose egress was connected and is no longer loses the message (counted): it retries after failover.
 */
final class EgressPublisher implements ExpandableRingBuffer.MessageConsumer
{
    private final ArrayList<ClientEndpoint> queued = new ArrayList<>(64);
    private final RuntimeCounts counts;
    private final LatencyTracker tracker;
    private final NanoClock clock;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final ResponseDecoder response = new ResponseDecoder();
    private ClientEndpoint client;
    private boolean stalled;
    private long nowNs;

    EgressPublisher(final RuntimeCounts counts, final LatencyTracker tracker, final NanoClock clock)
    {
        this.counts = counts;
        this.tracker = tracker;
        this.clock = clock;
    }

    /**
     * Note that a client has messages queued.
     */
    void onQueued(final ClientEndpoint client)
    {
        if (!client.queuedForFlush)
        {
            client.queuedForFlush = true;
            queued.add(client);
        }
    }

    int flush()
    {
        final int size = queued.size();
        if (size == 0)
        {
            return 0;
        }
        nowNs = clock.nanoTime();
        int work = 0;
        for (int i = size - 1; i >= 0; i--)
        {
            client = queued.get(i);
            final ExclusivePublication publication = client.publication();
            if (null == publication)
            {
                if (client.failed())
                {
                    client.queue.clear(); // the driver refused the channel (reported): nobody to answer
                }
                // else the driver is still making the publication: the messages wait for the next cycle
            }
            else if (publication.isClosed())
            {
                client.queue.clear();
            }
            else
            {
                stalled = false;
                work += client.queue.drain(this);
            }
            if (client.queue.isEmpty())
            {
                client.queuedForFlush = false;
                client.overBudgetReported = false; // caught up: a later episode is reported again
                final int last = queued.size() - 1;
                queued.set(i, queued.get(last)); // unordered remove: order between clients does not matter
                queued.remove(last);
            }
        }
        client = null;
        return work;
    }

    public boolean onMessage(final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        final ExclusivePublication publication = client.publication();
        if (length > publication.maxMessageLength())
        {
            counts.clientMessagesDropped++;
            return true;
        }
        final long result = publication.offer(buffer, offset, length);
        if (result > 0)
        {
            client.everConnected = true;
            header.wrap(buffer, offset);
            if (header.templateId() == ResponseDecoder.TEMPLATE_ID)
            {
                response.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                tracker.onResponseSent(response.sessionId(), response.sequence(), nowNs);
            }
            return true;
        }
        if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
        {
            if (!stalled)
            {
                stalled = true;
                counts.backPressureEvents++;
            }
            return false;
        }
        if (result == Publication.NOT_CONNECTED && !client.everConnected)
        {
            // A new client's egress is still connecting: keep its first responses. Judged by whether it had ever
            // connected before this offer: asking isConnected() now could see it connect just after the offer
            // failed, and would drop the message at the very moment the client became reachable.
            client.isConnected();
            return false;
        }
        counts.clientMessagesDropped++;
        return true;
    }
}
