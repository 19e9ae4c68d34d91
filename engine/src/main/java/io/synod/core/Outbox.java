package io.synod.core;

import org.agrona.DirectBuffer;

/**
 * How the core acts on the world: every message it sends goes through here, already SBE-encoded with its header.
 * <p>
 * The bytes are valid only during the call; implementations copy them. The runtime buffers what it is given and
 * publishes it after the duty cycle's log {@code sync()}, so nothing leaves a node before the durability policy is
 * met. Paxos tolerates loss, so an implementation may drop under pressure, but must count it, and should tell the core
 * about lost data ({@link PaxosNode#onPeerMessagesLost(int)}) so the leader sends it again at once. The runtime's
 * outbox drops no data at all as long as the core respects {@link #peerCapacity(int)}.
 */
public interface Outbox
{
    /**
     * @param nodeId the peer, never this node.
     * @param buffer holding the message.
     * @param offset of the message.
     * @param length of the message.
     */
    void sendToPeer(int nodeId, DirectBuffer buffer, int offset, int length);

    /**
     * How many more bytes of Accepts and Successes the peer can take now without anything waiting or being dropped:
     * the runtime's per-peer byte budget less what is queued or not yet sent. The leader replicates to a peer only
     * while a whole message fits, so the runtime's bounded queues never overflow with data.
     *
     * @param nodeId the peer, never this node.
     * @return bytes of messages that fit; 0 while the peer is unreachable.
     */
    default int peerCapacity(final int nodeId)
    {
        return Integer.MAX_VALUE;
    }

    /**
     * @param clientId the runtime's handle for the client the request came from.
     * @param buffer   holding the message.
     * @param offset   of the message.
     * @param length   of the message.
     */
    void sendToClient(long clientId, DirectBuffer buffer, int offset, int length);
}
