package io.synod.node;

import io.synod.codecs.MessageHeaderEncoder;
import io.synod.codecs.NewLeaderEncoder;
import io.synod.core.Outbox;
import io.synod.core.PaxosNode;
import io.synod.Role;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Tells clients who leads (a NewLeader event, as Aeron Cluster's new-leader event), so that a client follows a new
 * leader as soon as it takes over instead of waiting out its response timeout:
 * <ul>
 *     <li>a node that takes over (role LEADER under a ballot not yet announced) tells every connected client;</li>
 *     <li>every node answers a client's Connect with the leader it is or follows, so a client that opens a session or
 *     reconnects goes straight to the leader instead of trying members in order.</li>
 * </ul>
 * Events are advice: a client orders them by ballot, and a stale one costs at most a redirect or a timeout.
 */
final class LeaderAnnouncer
{
    private final PaxosNode core;
    private final ClientRegistry clients;
    private final Outbox outbox;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final NewLeaderEncoder newLeader = new NewLeaderEncoder();
    private long announcedBallot = -1;

    LeaderAnnouncer(final PaxosNode core, final ClientRegistry clients, final Outbox outbox)
    {
        this.core = core;
        this.clients = clients;
        this.outbox = outbox;
    }

    /**
     * After the core's duty cycle: if this node took over since the last call, tell every connected client.
     *
     * @return how many clients were told.
     */
    int afterDutyCycle()
    {
        if (core.role() != Role.LEADER || core.ballot() == announcedBallot)
        {
            return 0;
        }
        announcedBallot = core.ballot();
        final int length = encode(core.nodeId(), announcedBallot);
        int told = 0;
        final Long2ObjectHashMap<ClientEndpoint>.ValueIterator endpoints = clients.clients().values().iterator();
        while (endpoints.hasNext())
        {
            final ClientEndpoint client = endpoints.next();
            if (client.admitted()) // a challenged client hears who leads once it is accepted
            {
                outbox.sendToClient(client.clientId, buffer, 0, length);
                told++;
            }
        }
        return told;
    }

    /**
     * A client connected (or refreshed its Connect): name the leader this node is or follows.
     */
    void onConnect(final long clientId)
    {
        final int leaderId = core.leaderId();
        if (leaderId < 0)
        {
            return; // an election is under way: the winner will tell it
        }
        // The leader's own ballot, not this node's promise: a promise to a candidate that may lose would outrank the
        // winner's announcement at the client.
        outbox.sendToClient(clientId, buffer, 0, encode(leaderId, core.leaderBallot()));
    }

    private int encode(final int leaderId, final long ballot)
    {
        newLeader.wrapAndApplyHeader(buffer, 0, header).leaderNodeId(leaderId).ballot(ballot);
        return MessageHeaderEncoder.ENCODED_LENGTH + newLeader.encodedLength();
    }
}
