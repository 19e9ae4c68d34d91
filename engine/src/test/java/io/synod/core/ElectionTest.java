package io.synod.core;

import io.synod.codecs.PrepareDecoder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Election by heartbeats: the highest live node leads, and a healthy leader stays.
 */
class ElectionTest
{
    @Test
    void lowerNodeDoesNotStandWhileAHigherNodeIsLive()
    {
        final TestNode node = new TestNode(1, 0, 1, 2);
        node.standForElection();

        assertEquals(Role.FOLLOWER, node.node.role());
        assertTrue(node.outbox.take(PrepareDecoder.TEMPLATE_ID).isEmpty());
    }

    @Test
    void lowerNodeStandsWhenTheHigherNodeFallsSilent()
    {
        final TestNode node = new TestNode(1, 0, 1, 2);
        node.tick(0);
        final long timeout = node.node.config().electionTimeoutNs();
        for (int i = 0; i < 4; i++)
        {
            node.tick(timeout / 2);
            node.wire.heartbeat(0, TestNode.CLUSTER, 0, false, 0).toPeer(node.node); // only node 0 is heard
        }

        assertEquals(Role.CANDIDATE, node.node.role());
    }

    @Test
    void restartedHigherNodeFollowsTheLeaderItFinds()
    {
        final TestNode restarted = new TestNode(2, 0, 1, 2);
        restarted.tick(0);
        final long timeout = restarted.node.config().electionTimeoutNs();
        for (int i = 0; i < 6; i++)
        {
            restarted.tick(timeout / 2);
            restarted.wire.heartbeat(1, TestNode.CLUSTER, Ballot.of(3, 1), true, 0).toPeer(restarted.node);
            restarted.wire.heartbeat(0, TestNode.CLUSTER, Ballot.of(3, 1), false, 0).toPeer(restarted.node);
        }

        assertEquals(Role.FOLLOWER, restarted.node.role(), "sticky: a healthy leader is not deposed");
        assertEquals(1, restarted.node.leaderId());
    }

    @Test
    void isolatedNodeDoesNotStand()
    {
        final TestNode node = new TestNode(2, 0, 1, 2);
        node.tick(0);
        node.tick(10 * node.node.config().electionTimeoutNs());

        assertEquals(Role.FOLLOWER, node.node.role(), "hears no majority: its ballots would only disturb");
    }

    @Test
    void leaderThatHearsAHigherBallotStepsDown()
    {
        final TestNode leader = new TestNode(2, 0, 1, 2);
        leader.becomeLeaderWithEmptyPromisesFrom(0);
        assertEquals(Role.LEADER, leader.node.role());

        leader.wire.prepare(1, Ballot.of(Ballot.round(leader.node.ballot()) + 1, 1), 0).toPeer(leader.node);

        assertEquals(Role.FOLLOWER, leader.node.role());
    }
}
