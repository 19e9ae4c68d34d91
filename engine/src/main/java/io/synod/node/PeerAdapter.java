package io.synod.node;

import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.synod.core.PaxosNode;
import org.agrona.DirectBuffer;

/**
 * Turns reassembled peer messages into calls on the core, which decodes, checks and counts them, once
 * {@link PeerAdmission} has checked their trailer (cluster key, member list) and removed it.
 */
final class PeerAdapter implements FragmentHandler
{
    private final PaxosNode core;
    private final PeerAdmission admission;
    private Subscription subscription;

    PeerAdapter(final PaxosNode core, final PeerAdmission admission)
    {
        this.core = core;
        this.admission = admission;
    }

    /**
     * @param subscription the subscription this adapter's fragments come from: names senders in reports.
     */
    void subscription(final Subscription subscription)
    {
        this.subscription = subscription;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final int messageLength = admission.admit(buffer, offset, length, header, subscription);
        if (messageLength >= 0)
        {
            core.onPeerMessage(buffer, offset, messageLength);
        }
    }
}
