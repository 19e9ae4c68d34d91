package io.synod.core;

import io.synod.Role;
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
    void leaderThatHearsAHigherPromiseInAHeartbeatStepsDown()
    {
        final TestNode leader = new TestNode(2, 0, 1, 2);
        leader.becomeLeaderWithEmptyPromisesFrom(0);
        assertEquals(Role.LEADER, leader.node.role());

        final long higher = Ballot.of(Ballot.round(leader.node.ballot()) + 1, 1);
        leader.wire.heartbeatFollowing(0, higher, 1, 0).toPeer(leader.node);

        assertEquals(Role.FOLLOWER, leader.node.role(), "node 0 promised a higher ballot: this one cannot win");
    }

    @Test
    void leaderWithItsLeaseRefusesAPrepare()
    {
        final TestNode leader = new TestNode(2, 0, 1, 2);
        leader.becomeLeaderWithEmptyPromisesFrom(0);
        final long ballot = leader.node.ballot();

        leader.wire.prepare(1, Ballot.of(Ballot.round(ballot) + 1, 1), 0).toPeer(leader.node);

        assertEquals(Role.LEADER, leader.node.role(), "acknowledged by a majority within the election timeout");
        assertEquals(ballot, leader.log.promisedBallot(), "no promise to the candidate");
        assertEquals(1, leader.node.counters().preparesRefused());
    }

    @Test
    void leaderWithoutAcknowledgementsPromisesAHigherBallotAndStepsDown()
    {
        final TestNode leader = new TestNode(2, 0, 1, 2);
        leader.becomeLeaderWithEmptyPromisesFrom(0);
        leader.tick(leader.node.config().electionTimeoutNs()); // nobody acknowledged: the lease is gone

        leader.wire.prepare(1, Ballot.of(Ballot.round(leader.node.ballot()) + 1, 1), 0).toPeer(leader.node);

        assertEquals(Role.FOLLOWER, leader.node.role());
    }

    @Test
    void followerOfALiveLeaderRefusesAPrepare()
    {
        final TestNode follower = new TestNode(0, 0, 1, 2);
        follower.tick(0);
        follower.wire.heartbeat(2, TestNode.CLUSTER, Ballot.of(1, 2), true, 0).toPeer(follower.node);

        follower.wire.prepare(1, Ballot.of(2, 1), 0).toPeer(follower.node);

        assertEquals(0, follower.log.promisedBallot(), "keeps the lease of the leader it hears: no promise");
        assertTrue(follower.outbox.take(io.synod.codecs.PromiseDecoder.TEMPLATE_ID).isEmpty());
    }

    @Test
    void candidateGivesUpAfterBoundedPrepares()
    {
        final TestNode node = new TestNode(2, 0, 1, 2);
        node.standForElection();
        assertEquals(Role.CANDIDATE, node.node.role());
        final long timeout = node.node.config().electionTimeoutNs();
        for (int i = 0; i < Proposer.MAX_PREPARE_REPEATS + 1; i++)
        {
            node.hearFollowers();
            node.tick(timeout);
        }

        assertEquals(Role.FOLLOWER, node.node.role(), "no majority of promises: let another node stand");
        assertEquals(1, node.node.counters().candidaciesAbandoned());
        assertEquals(0, node.log.promisedBallot(), "a failed candidacy leaves no promise behind");
    }

    @Test
    void deafNodeIsNotDeferredTo()
    {
        final TestNode node = new TestNode(1, 0, 1, 2);
        node.tick(0);
        final long timeout = node.node.config().electionTimeoutNs();
        for (int i = 0; i < 4; i++)
        {
            node.tick(timeout / 2);
            node.wire.heartbeat(0, TestNode.CLUSTER, 0, false, 0).toPeer(node.node);
            node.wire.heartbeat(2, TestNode.CLUSTER, 0, false, 0).toPeer(node.node);
            new io.synod.codecs.HeartbeatEncoder()
                .wrap(node.wire.buffer(), io.synod.codecs.MessageHeaderEncoder.ENCODED_LENGTH)
                .hearsMajority(io.synod.codecs.BooleanType.FALSE).heardMembers(1L << 2);
            node.wire.toPeer(node.node); // node 2 again, now saying it hears nobody
        }

        assertEquals(Role.CANDIDATE, node.node.role(), "node 2 hears nobody: it cannot win, so node 1 stands");
    }

    @Test
    void farBehindHigherIdIsNotDeferredTo()
    {
        final TestNode node = new TestNode(1, 0, 1, 2);
        node.tick(0);
        final long timeout = node.node.config().electionTimeoutNs();
        node.log.append(0, Ballot.CHOSEN, (byte)0, 0, 0, 0, new org.agrona.concurrent.UnsafeBuffer(new byte[0]), 0, 0);
        node.log.commitIndex(1);
        for (int i = 0; i < 4; i++)
        {
            node.tick(timeout / 2);
            node.wire.heartbeat(0, TestNode.CLUSTER, 0, false, 0).toPeer(node.node);
            node.wire.heartbeat(2, TestNode.CLUSTER, 0, false, 0).toPeer(node.node); // commit index 0: behind
        }

        assertEquals(Role.CANDIDATE, node.node.role(), "the most up-to-date node stands, not the highest id");
    }

    /**
     * A candidate promises its own ballot only when it wins, so until then it must still fence a learner that may
     * have forgotten a promise to it (rule F): its RejoinReply reports the candidacy ballot.
     */
    @Test
    void candidateReportsItsBallotToARejoiningLearner()
    {
        final TestNode node = new TestNode(2, 0, 1, 2);
        node.standForElection();
        assertEquals(Role.CANDIDATE, node.node.role());
        assertEquals(0, node.log.promisedBallot(), "not promised until it wins");

        node.wire.rejoinQuery(0, 42).toPeer(node.node);

        final java.util.List<Wire.Sent> replies =
            node.outbox.take(io.synod.codecs.RejoinReplyDecoder.TEMPLATE_ID);
        assertEquals(1, replies.size());
        assertEquals(node.node.ballot(), Wire.rejoinReply(replies.get(0)).promisedBallot());
    }
}
