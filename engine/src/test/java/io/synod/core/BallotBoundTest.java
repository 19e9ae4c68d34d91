package io.synod.core;

import io.synod.Role;
import io.synod.codecs.PrepareDecoder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ballots are bounded and never wrap (issue 7, section 6). Reproduced before: one forged message with a ballot near
 * Long.MAX_VALUE made every node promise it, the next round wrapped negative, and no leader was ever elected again.
 */
class BallotBoundTest
{
    /** The bound, spelled out here so the test reads without the code under test. */
    private static final long MAX_ROUND = (1L << 46) - 1;
    /** Round 2^47 - 1: the next round, shifted by 16, wraps to Long.MIN_VALUE. */
    private static final long FORGED_ROUND = (1L << 47) - 1;

    private static long forged(final int nodeId)
    {
        return FORGED_ROUND << 16 | nodeId;
    }

    @Test
    void ballotOfRejectsRoundsBeyondTheBound()
    {
        assertThrows(IllegalArgumentException.class, () -> Ballot.of(MAX_ROUND + 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Ballot.of(FORGED_ROUND, 1));
        assertThrows(IllegalArgumentException.class, () -> Ballot.of(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> Ballot.of(1, Ballot.MAX_NODE_ID + 1));
    }

    @Test
    void edgeBallotExactlyAtTheBoundIsValidAndFarBelowChosen()
    {
        final long edge = Ballot.of(MAX_ROUND, Ballot.MAX_NODE_ID);
        assertEquals(MAX_ROUND, Ballot.round(edge));
        assertEquals(Ballot.MAX_NODE_ID, Ballot.nodeId(edge));
        assertEquals(Ballot.MAX, edge);
        assertTrue(edge > 0 && edge <= Ballot.CHOSEN >>> 1, "far below CHOSEN: " + edge);
        assertTrue((MAX_ROUND + 1) << 16 > 0, "even one round past the bound does not wrap");
    }

    @Test
    void forgedHugeBallotIsRefusedAndElectionsContinue()
    {
        final TestNode node = new TestNode(2, 0, 1, 2);
        node.tick(0);
        node.outbox.clear();

        node.wire.prepare(1, forged(1), 0).toPeer(node.node);

        assertEquals(1, node.node.counters().malformedMessages(), "counted");
        assertTrue(node.errors.get(0).getMessage().contains("beyond"), node.errors.get(0).getMessage());
        assertEquals(0, node.log.promisedBallot(), "nothing promised");
        assertTrue(node.outbox.sent.isEmpty(), "no reply");

        node.standForElection();
        final List<Wire.Sent> prepares = node.outbox.take(PrepareDecoder.TEMPLATE_ID);
        assertEquals(2, prepares.size(), "stands for election");
        final long ballot = Wire.prepare(prepares.get(0)).ballot();
        assertEquals(Ballot.of(1, 2), ballot, "the next round is 1, not a wrapped one");
        node.wire.promise(1, ballot, 0, 0).toPeer(node.node);
        node.node.doWork();
        assertEquals(Role.LEADER, node.node.role(), "a leader is elected");
    }

    @Test
    void hugeBallotIsRefusedInEveryMessageThatCarriesOne()
    {
        final long huge = forged(1);
        assertRefused(node -> node.wire.heartbeat(1, TestNode.CLUSTER, huge, true, 0));
        assertRefused(node -> node.wire.heartbeat(1, TestNode.CLUSTER, huge, false, 0));
        assertRefused(node -> node.wire.prepare(1, huge, 0));
        assertRefused(node -> node.wire.promise(1, huge, 0, 0));
        assertRefused(node -> node.wire.promise(1, Ballot.of(1, 2), 0, 0, Wire.Value.command(0, huge, "x")));
        assertRefused(node -> node.wire.accept(1, huge, 0, 0, "x"));
        assertRefused(node -> node.wire.accepted(1, huge, 0, 0));
        assertRefused(node -> node.wire.rejected(1, Ballot.of(1, 2), huge));
        assertRefused(node -> node.wire.rejected(1, huge, huge));
        assertRefused(node -> node.wire.success(1, huge, 0, 1, "x"));
    }

    @Test
    void chosenMarkerIsStillAllowedForPromiseEntries()
    {
        final TestNode node = new TestNode(2, 0, 1, 2);
        node.standForElection();
        node.outbox.clear();
        node.wire.promise(1, node.node.ballot(), 0, 1, Wire.Value.command(0, Ballot.CHOSEN, "x")).toPeer(node.node);
        node.node.doWork();

        assertEquals(0, node.node.counters().malformedMessages(), node.errors.toString());
        assertEquals(Role.LEADER, node.node.role());
    }

    @Test
    void edgeBallotAtTheBoundIsAcceptedOnTheWire()
    {
        final TestNode node = new TestNode(2, 0, 1, 2);
        node.tick(0);
        final long edge = MAX_ROUND << 16 | 1;

        node.wire.prepare(1, edge, 0).toPeer(node.node);

        assertEquals(0, node.node.counters().malformedMessages(), node.errors.toString());
        assertEquals(edge, node.log.promisedBallot());
    }

    @Test
    void nodeWhosePromiseIsAtTheBoundCannotStandAndSaysSoInsteadOfWrapping()
    {
        final TestNode node = new TestNode(2, 0, 1, 2);
        node.tick(0);
        node.wire.prepare(1, MAX_ROUND << 16 | 1, 0).toPeer(node.node);
        node.outbox.clear();

        node.standForElection();

        assertTrue(node.outbox.take(PrepareDecoder.TEMPLATE_ID).isEmpty(), "no Prepare beyond the bound");
        assertEquals(Role.FOLLOWER, node.node.role());
        assertTrue(node.node.ballot() > 0, "never wraps: " + node.node.ballot());
        assertEquals(1, node.errors.size(), "reported once per election timeout: " + node.errors);
        final String message = node.errors.get(0).getMessage();
        assertTrue(message.contains("cannot stand") && message.contains(String.valueOf(MAX_ROUND)), message);
    }

    @Test
    void nodeJustBelowTheBoundStandsAtTheBound()
    {
        final TestNode node = new TestNode(2, 0, 1, 2);
        node.tick(0);
        node.wire.prepare(1, (MAX_ROUND - 1) << 16 | 1, 0).toPeer(node.node);
        node.outbox.clear();

        node.standForElection();

        final List<Wire.Sent> prepares = node.outbox.take(PrepareDecoder.TEMPLATE_ID);
        assertEquals(2, prepares.size(), node.errors.toString());
        assertEquals(MAX_ROUND << 16 | 2, Wire.prepare(prepares.get(0)).ballot());
    }

    private static void assertRefused(final java.util.function.Consumer<TestNode> message)
    {
        final TestNode node = new TestNode(2, 0, 1, 2);
        node.standForElection();
        node.outbox.clear();
        final long promised = node.log.promisedBallot();
        final Role role = node.node.role();

        message.accept(node);
        node.wire.toPeer(node.node);

        assertEquals(1, node.node.counters().malformedMessages(), "counted: " + node.errors);
        assertTrue(node.errors.get(0).getMessage().contains("beyond"), node.errors.get(0).getMessage());
        assertEquals(promised, node.log.promisedBallot(), "promise unchanged");
        assertEquals(role, node.node.role(), "role unchanged");
        assertTrue(node.outbox.sent.isEmpty(), "no reply");
    }
}
