package io.synod.node;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.synod.core.PaxosNode;
import org.agrona.DirectBuffer;

/**
 * Turns reassembled peer messages into calls on the core, which decodes, checks and counts them.
 */
final class PeerAdapter implements FragmentHandler
{
    private final PaxosNode core;

    PeerAdapter(final PaxosNode core)
    {
        this.core = core;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        core.onPeerMessage(buffer, offset, length);
    }
}
