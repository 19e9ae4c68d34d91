package io.synod.node;

import io.aeron.ExclusivePublication;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.LogBufferDescriptor;
import io.aeron.protocol.DataHeaderFlyweight;
import org.agrona.DirectBuffer;

/**
 * Everything this node sends one peer, in two lanes, each a queue drained into its own exclusive publication (its own
 * Aeron stream, so its own term buffer, flow control and image at the peer, which polls it first):
 * <ul>
 *     <li><b>control</b>: heartbeats, Prepare, Promise, Rejected, rejoin queries and replies, Accepted: never waits
 *     behind data, here, in Aeron or in the peer's duty cycle;</li>
 *     <li><b>data</b>: Accept and Success, bounded by a byte budget: what is queued here plus what waits unsent in the
 *     publication never exceeds it (the publication's window is the budget, and the core replicates only while
 *     {@link #dataCapacity()} holds a whole message), so the queue never overflows with data.</li>
 * </ul>
 * Data the runtime could not deliver (peer not connected, publication closed) is counted and marks the link
 * {@link #dataLost}, and the agent tells the core, which sends it again from the peer's last acknowledged slot.
 */
final class PeerLink
{
    final int peerId;
    final ExclusivePublication controlPublication;
    final ExclusivePublication dataPublication;
    final DestinationQueue controlQueue;
    final DestinationQueue dataQueue;
    /** Data was dropped since the core was last told. */
    boolean dataLost;

    private final int dataBudget;
    private final int maxPayloadLength;
    // Bytes the queued data messages will take in the term buffer, framing included, as positions count them.
    private long queuedDataFrameBytes;

    PeerLink(
        final int peerId,
        final ExclusivePublication controlPublication,
        final ExclusivePublication dataPublication,
        final int queueCapacity,
        final int dataBudget)
    {
        this.peerId = peerId;
        this.controlPublication = controlPublication;
        this.dataPublication = dataPublication;
        this.controlQueue = new DestinationQueue(queueCapacity);
        this.dataQueue = new DestinationQueue(queueCapacity);
        this.dataBudget = dataBudget;
        this.maxPayloadLength = dataPublication.maxPayloadLength();
    }

    /**
     * @return bytes of data messages that fit in the budget now: nothing while the peer is not connected; otherwise
     * the publication's room (at most the budget, its window) less what is queued, framing headers and the trailer
     * deducted: what the core's next message may take.
     */
    int dataCapacity()
    {
        if (!dataPublication.isConnected())
        {
            return 0;
        }
        final long room = Math.min(dataPublication.positionLimit() - dataPublication.position(), dataBudget) -
            queuedDataFrameBytes;
        // A message of L bytes takes at most L + (L / maxPayload) headers + one last header and its alignment.
        final long capacity = room - (room / maxPayloadLength) * DataHeaderFlyweight.HEADER_LENGTH -
            DataHeaderFlyweight.HEADER_LENGTH - FrameDescriptor.FRAME_ALIGNMENT - PeerTrailer.LENGTH;
        return capacity <= 0 ? 0 : (int)Math.min(capacity, Integer.MAX_VALUE);
    }

    /**
     * Queue a data message followed by its trailer; one that does not fit (the core ignored the capacity) is refused
     * rather than dropping an older one, and reported as lost.
     *
     * @return false if refused.
     */
    boolean queueData(final DirectBuffer buffer, final int offset, final int length, final DirectBuffer trailer)
    {
        final int wireLength = length + PeerTrailer.LENGTH;
        if (!dataQueue.hasRoomFor(wireLength) ||
            !dataQueue.append(buffer, offset, length, trailer, 0, PeerTrailer.LENGTH))
        {
            dataLost = true;
            return false;
        }
        queuedDataFrameBytes += frameLength(wireLength);
        return true;
    }

    /**
     * A queued data message left the queue: offered, or dropped.
     */
    void onDataDequeued(final int length)
    {
        queuedDataFrameBytes -= frameLength(length);
    }

    private int frameLength(final int length)
    {
        return LogBufferDescriptor.computeFragmentedFrameLength(length, maxPayloadLength);
    }
}
