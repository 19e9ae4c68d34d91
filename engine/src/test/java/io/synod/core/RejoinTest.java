package io.synod.core;

import io.synod.Role;
import io.synod.codecs.AcceptedDecoder;
import io.synod.codecs.BooleanType;
import io.synod.codecs.HeartbeatDecoder;
import io.synod.codecs.PrepareDecoder;
import io.synod.codecs.PromiseDecoder;
import io.synod.codecs.RejectedDecoder;
import io.synod.codecs.RejoinQueryDecoder;
import io.synod.codecs.RejoinReplyDecoder;
import io.synod.log.InMemoryPaxosLog;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules of a learner: a node whose log was created empty without bootstrap (a lost or replaced disk) votes only
 * after every other member told it its promise and log end, and it caught up to the highest log end. One rule per
 * test; docs/protocol.md, "A node that lost its log", says why each is needed.
 */
class RejoinTest
{
    private static TestNode learner(final int nodeId)
    {
        return new TestNode(nodeId, TestNode.config(nodeId, 0, 1, 2), new InMemoryPaxosLog(1024));
    }

    /**
     * @return the nonce of the learner's current queries, after its first tick.
     */
    private static long nonce(final TestNode learner)
    {
        final List<Wire.Sent> queries = learner.outbox.take(RejoinQueryDecoder.TEMPLATE_ID);
        assertFalse(queries.isEmpty(), "the learner queries the others");
        return Wire.rejoinQuery(queries.get(0)).nonce();
    }

    @Test
    void emptyLogWithoutBootstrapStartsAsALearner()
    {
        final TestNode node = learner(1);
        assertFalse(node.log.voting());
    }

    @Test
    void bootstrapMakesAnEmptyLogVoteAtOnce()
    {
        final InMemoryPaxosLog log = new InMemoryPaxosLog(1024);
        final TestNode node = new TestNode(2, TestNode.config(2, 0, 1, 2).bootstrap(true), log);
        assertTrue(log.voting());

        node.becomeLeaderWithEmptyPromisesFrom(0);
        assertEquals(Role.LEADER, node.node.role(), "stands with a majority, no rejoin needed");
    }

    @Test
    void bootstrapDoesNotMakeALearnerWithStateVote()
    {
        final InMemoryPaxosLog log = new InMemoryPaxosLog(1024);
        log.promisedBallot(Ballot.of(3, 2)); // a learner that already raised its promise, then restarted
        new TestNode(1, TestNode.config(1, 0, 1, 2).bootstrap(true), log);
        assertFalse(log.voting(), "bootstrap applies to a pristine log only");
    }

    @Test
    void learnerQueriesEveryMemberThatHasNotAnsweredEachHeartbeat()
    {
        final TestNode node = learner(1);
        node.tick(0);
        final List<Wire.Sent> first = node.outbox.take(RejoinQueryDecoder.TEMPLATE_ID);
        assertEquals(2, first.size());
        final long nonce = Wire.rejoinQuery(first.get(0)).nonce();
        assertEquals(nonce, Wire.rejoinQuery(first.get(1)).nonce());

        node.wire.rejoinReply(0, nonce, 0, 0, 0).toPeer(node.node);
        node.wire.rejoinReply(2, nonce + 1, 0, 0, 0).toPeer(node.node); // another incarnation's: not an answer
        node.tick(TestNode.T);
        final List<Wire.Sent> second = node.outbox.take(RejoinQueryDecoder.TEMPLATE_ID);
        assertEquals(1, second.size());
        assertEquals(2, second.get(0).to);
        assertFalse(node.log.voting());
    }

    @Test
    void everyNodeAnswersAQueryWithItsDurablePromiseAndLogEnd()
    {
        final TestNode voter = new TestNode(2, 0, 1, 2);
        voter.log.promisedBallot(Ballot.of(4, 0));
        voter.wire.accept(0, Ballot.of(4, 0), 0, 1, "a", "b").toPeer(voter.node);
        voter.tick(0);
        voter.outbox.clear();

        voter.wire.rejoinQuery(1, 77).toPeer(voter.node);

        final List<Wire.Sent> replies = voter.outbox.take(RejoinReplyDecoder.TEMPLATE_ID);
        assertEquals(1, replies.size());
        final RejoinReplyDecoder reply = Wire.rejoinReply(replies.get(0));
        assertEquals(1, replies.get(0).to);
        assertEquals(77, reply.nonce());
        assertEquals(Ballot.of(4, 0), reply.promisedBallot());
        assertEquals(2, reply.nextSlot());
        assertEquals(1, reply.commitIndex());
        assertEquals(BooleanType.TRUE, reply.voting());
    }

    @Test
    void learnerIgnoresPrepare()
    {
        final TestNode node = learner(1);
        node.tick(0);
        node.outbox.clear();

        node.wire.prepare(2, Ballot.of(5, 2), 0).toPeer(node.node);

        assertTrue(node.outbox.take(PromiseDecoder.TEMPLATE_ID).isEmpty(), "no Promise from a learner");
        assertTrue(node.outbox.take(RejectedDecoder.TEMPLATE_ID).isEmpty(), "no Rejected either");
        assertEquals(0, node.log.promisedBallot());
    }

    @Test
    void learnersAcceptedNeverCountsBeyondItsCommitIndex()
    {
        final TestNode node = learner(1);
        node.tick(0);
        node.outbox.clear();
        final long ballot = Ballot.of(5, 2);

        node.wire.accept(2, ballot, 0, 0, "a", "b", "c").toPeer(node.node);

        assertEquals(3, node.log.nextSlot(), "a learner stores what it is sent");
        AcceptedDecoder accepted = Wire.accepted(node.outbox.take(AcceptedDecoder.TEMPLATE_ID).get(0));
        assertEquals(-1, accepted.lastSlot(), "but its Accepted is no vote");

        node.wire.accept(2, ballot, 3, 2, "d").toPeer(node.node);

        accepted = Wire.accepted(node.outbox.take(AcceptedDecoder.TEMPLATE_ID).get(0));
        assertEquals(2, node.node.commitIndex());
        assertEquals(1, accepted.lastSlot(), "only slots known chosen");
    }

    @Test
    void learnerNeverStandsForElection()
    {
        final TestNode node = learner(2);
        node.standForElection();
        node.tick(10 * node.node.config().electionTimeoutNs());

        assertEquals(Role.FOLLOWER, node.node.role());
        assertTrue(node.outbox.take(PrepareDecoder.TEMPLATE_ID).isEmpty());
    }

    @Test
    void learnersHeartbeatSaysItDoesNotVote()
    {
        final TestNode node = learner(1);
        node.tick(0);

        final List<Wire.Sent> heartbeats = node.outbox.take(HeartbeatDecoder.TEMPLATE_ID);
        assertFalse(heartbeats.isEmpty());
        assertEquals(BooleanType.FALSE, Wire.heartbeat(heartbeats.get(0)).voting());
    }

    @Test
    void nobodyDefersToALearner()
    {
        final TestNode node = new TestNode(1, 0, 1, 2);
        node.tick(0);
        final long timeout = node.node.config().electionTimeoutNs();
        for (int i = 0; i < 4; i++)
        {
            node.tick(timeout / 2);
            node.wire.heartbeat(0, 0, 0, true).toPeer(node.node);
            node.wire.heartbeat(2, 0, 0, false).toPeer(node.node); // live, higher id, but a learner
        }

        assertEquals(Role.CANDIDATE, node.node.role(), "node 2 is a learner: node 1 stands");
    }

    @Test
    void versionOneHeartbeatIsReadAndCountsAsVoting()
    {
        final TestNode node = new TestNode(1, 0, 1, 2);
        node.tick(0);
        final long timeout = node.node.config().electionTimeoutNs();
        for (int i = 0; i < 4; i++)
        {
            node.tick(timeout / 2);
            node.wire.heartbeat(0, 0, 0, true).toPeer(node.node);
            // A node of the previous version: its heartbeat block ends before the voting field.
            node.wire.heartbeat(2, TestNode.CLUSTER, 0, false, 0);
            new io.synod.codecs.MessageHeaderEncoder().wrap(node.wire.buffer(), 0)
                .blockLength(HeartbeatDecoder.votingEncodingOffset())
                .version(1);
            node.wire.length = io.synod.codecs.MessageHeaderEncoder.ENCODED_LENGTH +
                HeartbeatDecoder.votingEncodingOffset();
            node.wire.toPeer(node.node);
        }

        assertTrue(node.errors.isEmpty(), node.errors.toString());
        assertEquals(Role.FOLLOWER, node.node.role(), "node 2 runs the old version: it votes, node 1 defers");
    }

    @Test
    void rejoinMessagesWithImpossibleFieldsAreDropped()
    {
        final TestNode node = learner(1);
        node.tick(0);
        final long nonce = nonce(node);
        node.wire.rejoinReply(0, nonce, 0, -1, 0).toPeer(node.node);
        node.wire.rejoinReply(5, nonce, 0, 0, 0).toPeer(node.node);
        node.wire.rejoinQuery(1, 3).toPeer(node.node);

        assertEquals(3, node.errors.size(), node.errors.toString());
        node.wire.rejoinReply(0, nonce, 0, 0, 0).toPeer(node.node);
        node.wire.rejoinReply(2, nonce, 0, 0, 0).toPeer(node.node);
        node.node.doWork();
        assertTrue(node.log.voting(), "the well-formed replies count");
    }

    @Test
    void votingHigherNodeStillBlocksLowerOnes()
    {
        final TestNode node = new TestNode(1, 0, 1, 2);
        node.tick(0);
        final long timeout = node.node.config().electionTimeoutNs();
        for (int i = 0; i < 4; i++)
        {
            node.tick(timeout / 2);
            node.wire.heartbeat(0, 0, 0, true).toPeer(node.node);
            node.wire.heartbeat(2, 0, 0, true).toPeer(node.node);
        }

        assertEquals(Role.FOLLOWER, node.node.role());
    }

    @Test
    void learnerRaisesItsPromiseToTheHighestOnceEveryMemberAnswered()
    {
        final TestNode node = learner(1);
        node.tick(0);
        final long nonce = nonce(node);

        node.wire.rejoinReply(0, nonce, Ballot.of(9, 2), 4, 4).toPeer(node.node);
        assertEquals(0, node.log.promisedBallot(), "not before every member answered");
        node.wire.rejoinReply(2, nonce, Ballot.of(7, 2), 5, 3).toPeer(node.node);
        node.node.doWork();

        assertEquals(Ballot.of(9, 2), node.log.promisedBallot(), "the fence: the highest promise replied");
        assertFalse(node.log.voting(), "not caught up to slot 5 yet");

        node.wire.accept(2, Ballot.of(7, 2), 0, 0, "a").toPeer(node.node);
        final List<Wire.Sent> rejected = node.outbox.take(RejectedDecoder.TEMPLATE_ID);
        assertEquals(1, rejected.size(), "a ballot below the fence is refused");
        assertEquals(0, node.log.nextSlot());
    }

    @Test
    void learnerVotesOnlyOnceItsCommitIndexReachesTheHighestLogEnd()
    {
        final TestNode node = learner(1);
        node.tick(0);
        final long nonce = nonce(node);
        final long ballot = Ballot.of(3, 2);
        node.wire.rejoinReply(0, nonce, Ballot.of(2, 0), 2, 2).toPeer(node.node);
        node.wire.rejoinReply(2, nonce, ballot, 4, 3).toPeer(node.node);
        node.node.doWork();
        assertFalse(node.log.voting());

        node.wire.success(2, ballot, 0, 3, "a", "b", "c").toPeer(node.node);
        node.node.doWork();
        assertEquals(3, node.node.commitIndex());
        assertFalse(node.log.voting(), "commit index 3 is below the highest log end 4");

        node.wire.accept(2, ballot, 3, 4, "d").toPeer(node.node);
        node.node.doWork();
        assertEquals(4, node.node.commitIndex());
        assertTrue(node.log.voting(), "caught up: votes");

        node.outbox.clear();
        node.wire.prepare(2, Ballot.of(4, 2), 4).toPeer(node.node);
        assertEquals(1, node.outbox.take(PromiseDecoder.TEMPLATE_ID).size(), "a voter promises");
    }

    @Test
    void singleNodeClusterVotesAtOnce()
    {
        final TestNode node = new TestNode(0, TestNode.config(0, 0), new InMemoryPaxosLog(1024));
        node.tick(0);
        assertTrue(node.log.voting(), "no other member to ask");
    }
}
