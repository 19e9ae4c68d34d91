package io.synod.client;

import org.agrona.DirectBuffer;

/**
 * How a {@link ClientSession} reaches the cluster's members: the session encodes each message and hands its bytes
 * here, addressed by member index (the order of the member ids the session was made with). Egress goes the other
 * way: the transport passes every message a member sends to {@link ClientSession#onEgress}.
 */
public interface ClientTransport
{
    /**
     * Send one message to a member.
     *
     * @param memberIndex the member.
     * @param buffer      holding the encoded message, SBE header first.
     * @param offset      of the message.
     * @param length      of the message.
     * @return true if sent (or handed to the network); false if it could not go now (back pressure, not connected):
     * the session tries again on a later {@link ClientSession#doWork}.
     */
    boolean send(int memberIndex, DirectBuffer buffer, int offset, int length);

    /**
     * The session moved to another member (a failover, a redirect or a NewLeader event). A transport that introduces
     * itself to each member (the Aeron client's Connect) does so again: the member may have restarted and forgotten
     * it. The default does nothing.
     *
     * @param memberIndex the member the session now sends to.
     */
    default void onFailover(final int memberIndex)
    {
    }
}
