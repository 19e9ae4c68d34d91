package io.synod.core;

import io.synod.codecs.AcceptDecoder;
import io.synod.codecs.MessageHeaderDecoder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8 case 5, the core's side: the leader sends a peer data only while the runtime can take a whole message for
 * it ({@link Outbox#peerCapacity(int)}), and sends again from the peer's last acknowledged slot when the runtime
 * reports data for it lost.
 */
class PeerCapacityTest
{
    private static final int MAX_MESSAGE_LENGTH = 64 * 1024; // TestNode.config

    @Test
    void leaderSendsAPeerNoAcceptWhileItsRuntimeCannotTakeAWholeMessage()
    {
        final TestNode leader = new TestNode(2, 0, 1, 2);
        leader.becomeLeaderWithEmptyPromisesFrom(0);
        leader.outbox.clear();
        leader.outbox.capacity.put(1, MAX_MESSAGE_LENGTH - 1);

        leader.wire.sessionOpen(42).fromClient(leader.node, 100);
        leader.node.doWork();

        final List<Wire.Sent> accepts = leader.outbox.take(AcceptDecoder.TEMPLATE_ID);
        assertEquals(1, accepts.size(), "one Accept, to the peer with room");
        assertEquals(0, accepts.get(0).to);

        leader.outbox.capacity.put(1, MAX_MESSAGE_LENGTH);
        leader.node.doWork();
        final List<Wire.Sent> later = leader.outbox.take(AcceptDecoder.TEMPLATE_ID);
        assertEquals(1, later.size(), "room again: the peer gets what it missed");
        assertEquals(1, later.get(0).to);
        assertEquals(0, firstSlot(later.get(0)), "from the first slot it was never sent");
    }

    @Test
    void leaderSendsAgainFromTheLastAcknowledgedSlotWhenTheRuntimeLostDataForAPeer()
    {
        final TestNode leader = new TestNode(2, 0, 1, 2);
        leader.becomeLeaderWithEmptyPromisesFrom(0);
        leader.wire.sessionOpen(42).fromClient(leader.node, 100);
        leader.node.doWork();
        leader.wire.accepted(0, leader.node.ballot(), 0, 0).toPeer(leader.node);
        leader.wire.accepted(1, leader.node.ballot(), 0, 0).toPeer(leader.node);
        leader.node.doWork();
        leader.wire.command(0, 1, "a".getBytes()).fromClient(leader.node, 100);
        leader.node.doWork();
        leader.wire.command(0, 2, "b".getBytes()).fromClient(leader.node, 100);
        leader.node.doWork();
        leader.outbox.clear();

        leader.node.doWork();
        assertTrue(leader.outbox.take(AcceptDecoder.TEMPLATE_ID).isEmpty(), "everything was sent once already");

        leader.node.onPeerMessagesLost(1);
        leader.node.doWork();
        final List<Wire.Sent> resent = leader.outbox.take(AcceptDecoder.TEMPLATE_ID);
        assertEquals(1, resent.size(), "only to the peer whose data was lost");
        assertEquals(1, resent.get(0).to);
        assertEquals(1, firstSlot(resent.get(0)), "from the slot after its last acknowledged one");
    }

    private static long firstSlot(final Wire.Sent accept)
    {
        return new AcceptDecoder().wrap(accept.buffer, MessageHeaderDecoder.ENCODED_LENGTH,
            header(accept).blockLength(), header(accept).version()).firstSlot();
    }

    private static MessageHeaderDecoder header(final Wire.Sent message)
    {
        return new MessageHeaderDecoder().wrap(message.buffer, 0);
    }
}
