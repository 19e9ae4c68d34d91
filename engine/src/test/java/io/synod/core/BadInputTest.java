package io.synod.core;

import io.synod.codecs.MessageHeaderEncoder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input is counted and dropped with an error naming the cause; the node's state is unchanged.
 */
class BadInputTest
{
    private final TestNode node = new TestNode(0, 0, 1, 2);

    BadInputTest()
    {
        node.tick(0);
        node.wire.accept(1, Ballot.of(1, 1), 0, 0, "a").toPeer(node.node);
        node.outbox.clear();
    }

    @Test
    void unknownTemplateId()
    {
        node.wire.prepare(1, Ballot.of(2, 1), 0);
        node.wire.buffer().putShort(2, (short)999); // template id
        assertDroppedUnchanged("unknown template id 999");
    }

    @Test
    void wrongSchemaVersion()
    {
        node.wire.prepare(1, Ballot.of(2, 1), 0);
        node.wire.buffer().putShort(6, (short)99); // version
        assertDroppedUnchanged("unsupported schema version 99");
    }

    @Test
    void wrongSchemaId()
    {
        node.wire.prepare(1, Ballot.of(2, 1), 0);
        node.wire.buffer().putShort(4, (short)1); // schema id
        assertDroppedUnchanged("unknown schema id 1");
    }

    @Test
    void truncatedBuffer()
    {
        node.wire.accept(1, Ballot.of(1, 1), 1, 0, "bbbbbbbb");
        node.wire.length -= 5;
        assertDroppedUnchanged("truncated");
    }

    @Test
    void shorterThanAHeader()
    {
        node.wire.prepare(1, Ballot.of(2, 1), 0);
        node.wire.length = MessageHeaderEncoder.ENCODED_LENGTH - 1;
        assertDroppedUnchanged("shorter than the header");
    }

    @Test
    void slotBelowZero()
    {
        node.wire.accept(1, Ballot.of(1, 1), -5, 0, "x");
        assertDroppedUnchanged("firstSlot -5 is negative");
    }

    @Test
    void unknownNodeId()
    {
        node.wire.prepare(9, Ballot.of(2, 9), 0);
        assertDroppedUnchanged("unknown node id 9");
    }

    @Test
    void ballotOfAnotherNode()
    {
        node.wire.prepare(1, Ballot.of(2, 2), 0);
        assertDroppedUnchanged("does not belong to sender 1");
    }

    @Test
    void heartbeatOfAnotherCluster()
    {
        node.wire.heartbeat(1, 99, Ballot.of(5, 1), true, 1);
        assertDroppedUnchanged("cluster 99");
    }

    @Test
    void prepareOfAnotherClusterWithAMembersId()
    {
        node.wire.prepare(1, Ballot.of(9, 1), 0);
        node.wire.buffer().putInt(8 + io.synod.codecs.PrepareEncoder.clusterIdEncodingOffset(), 99);
        assertDroppedUnchanged("of cluster 99, this node is in cluster 7");
    }

    @Test
    void garbageClientRequestIsAnsweredMalformed()
    {
        node.wire.buffer().setMemory(0, 64, (byte)0x5A);
        node.node.onClientMessage(3, node.wire.buffer(), 0, 64);

        assertEquals(1, node.node.counters().malformedMessages());
        assertEquals(1, node.outbox.sent.size(), "the client is told");
    }

    private void assertDroppedUnchanged(final String cause)
    {
        final long promised = node.log.promisedBallot();
        final long nextSlot = node.log.nextSlot();
        final long commitIndex = node.log.commitIndex();

        node.wire.toPeer(node.node);

        assertEquals(1, node.node.counters().malformedMessages(), "counted");
        assertEquals(1, node.errors.size(), "reported");
        final String message = node.errors.get(0).getMessage();
        assertTrue(message.contains(cause), "error names the cause: expected '" + cause + "' in '" + message + "'");
        assertEquals(promised, node.log.promisedBallot());
        assertEquals(nextSlot, node.log.nextSlot());
        assertEquals(commitIndex, node.log.commitIndex());
        assertTrue(node.outbox.sent.isEmpty(), "no reply to a dropped message");

        node.wire.accept(1, Ballot.of(1, 1), 1, 0, "b").toPeer(node.node);
        assertEquals(2, node.log.nextSlot(), "still serving");
    }
}
