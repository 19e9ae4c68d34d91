package io.synod.core;

import io.synod.Role;
import io.synod.codecs.AcceptDecoder;
import io.synod.codecs.EntryType;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.PrepareDecoder;
import io.synod.codecs.RejectedDecoder;
import io.synod.codecs.ResponseDecoder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proposer, as the Paxos lecture tells it.
 */
class ProposerTest
{
    @Test
    void highestLiveNodeSendsOnePrepareForTheWholeTailAfterTheElectionTimeout()
    {
        final TestNode candidate = new TestNode(2, 0, 1, 2);
        candidate.tick(0);
        candidate.tick(TestNode.T);
        candidate.hearFollowers();
        assertTrue(candidate.outbox.take(PrepareDecoder.TEMPLATE_ID).isEmpty(), "no Prepare before the timeout");

        candidate.tick(candidate.node.config().electionTimeoutNs() - TestNode.T);

        final List<Wire.Sent> prepares = candidate.outbox.take(PrepareDecoder.TEMPLATE_ID);
        assertEquals(2, prepares.size(), "one Prepare to each peer");
        final PrepareDecoder prepare = Wire.prepare(prepares.get(0));
        assertEquals(0, prepare.fromSlot(), "from its first unchosen slot");
        assertEquals(2, Ballot.nodeId(prepare.ballot()));
        assertEquals(Role.CANDIDATE, candidate.node.role());
    }

    @Test
    void newLeaderFindsAnAcceptedValueAndKeepsIt()
    {
        final TestNode candidate = new TestNode(2, 0, 1, 2);
        candidate.standForElection();
        final long ballot = candidate.node.ballot();

        // Acceptor 0 accepted "x" in slot 0 under an older ballot of node 1: it may have been chosen.
        candidate.wire.promise(0, ballot, 0, 0, Wire.Value.command(0, Ballot.of(1, 1), "x")).toPeer(candidate.node);
        candidate.node.doWork();

        assertEquals(Role.LEADER, candidate.node.role());
        final AcceptDecoder accept = firstAccept(candidate);
        assertEquals(ballot, accept.ballot(), "re-proposed under the new ballot");
        assertEquals(0, accept.firstSlot());
        final AcceptDecoder.EntriesDecoder entries = accept.entries();
        assertEquals(1, entries.count());
        entries.next();
        assertEquals(EntryType.COMMAND, entries.entryType());
        assertEquals("x", Wire.payload(entries), "the value found, not a new one");
    }

    @Test
    void newLeaderTakesTheValueOfTheHighestBallotAmongPromises()
    {
        final TestNode candidate = new TestNode(4, 0, 1, 2, 3, 4);
        candidate.standForElection();
        final long ballot = candidate.node.ballot();

        candidate.wire.promise(0, ballot, 0, 0, Wire.Value.command(0, Ballot.of(1, 1), "old")).toPeer(candidate.node);
        candidate.wire.promise(1, ballot, 0, 0, Wire.Value.command(0, Ballot.of(2, 3), "new")).toPeer(candidate.node);
        candidate.node.doWork();

        final AcceptDecoder.EntriesDecoder entries = firstAccept(candidate).entries();
        entries.next();
        assertEquals("new", Wire.payload(entries));
    }

    @Test
    void gapBetweenAcceptedSlotsIsFilledWithANoOp()
    {
        final TestNode candidate = new TestNode(2, 0, 1, 2);
        candidate.standForElection();
        final long ballot = candidate.node.ballot();

        // Slot 1 was accepted somewhere, slot 0 by no acceptor of this majority: nothing can have been chosen there.
        candidate.wire.promise(0, ballot, 0, 0, Wire.Value.command(1, Ballot.of(1, 1), "y")).toPeer(candidate.node);
        candidate.node.doWork();

        final AcceptDecoder.EntriesDecoder entries = firstAccept(candidate).entries();
        assertEquals(2, entries.count());
        entries.next();
        assertEquals(EntryType.NOOP, entries.entryType(), "slot 0 filled with a no-op");
        entries.skipPayload();
        entries.next();
        assertEquals("y", Wire.payload(entries));
    }

    @Test
    void staleLeaderIsRejectedAndStepsDown()
    {
        final TestNode leader = new TestNode(2, 0, 1, 2);
        leader.becomeLeaderWithEmptyPromisesFrom(0);
        final long ballot = leader.node.ballot();

        leader.wire.rejected(1, ballot, Ballot.of(Ballot.round(ballot) + 1, 1)).toPeer(leader.node);

        assertEquals(Role.FOLLOWER, leader.node.role());
        assertEquals(1, leader.node.counters().stepDowns());
    }

    @Test
    void acceptorRejectsAnAcceptBelowItsPromise()
    {
        final TestNode acceptor = new TestNode(0, 0, 1, 2);
        acceptor.tick(0);
        acceptor.wire.prepare(2, Ballot.of(5, 2), 0).toPeer(acceptor.node);
        acceptor.outbox.clear();

        acceptor.wire.accept(1, Ballot.of(3, 1), 0, 0, "late").toPeer(acceptor.node);

        final List<Wire.Sent> rejections = acceptor.outbox.take(RejectedDecoder.TEMPLATE_ID);
        assertEquals(1, rejections.size());
        assertEquals(Ballot.of(5, 2), Wire.rejected(rejections.get(0)).promisedBallot(), "carries the promise");
        assertEquals(0, acceptor.log.nextSlot(), "nothing written");
    }

    @Test
    void commandIsChosenWhenAMajorityAcceptsAndTheLeaderAnswersAfterApplying()
    {
        final TestNode leader = new TestNode(2, 0, 1, 2);
        leader.becomeLeaderWithEmptyPromisesFrom(0);
        leader.wire.sessionOpen(42).fromClient(leader.node, 100);
        leader.node.doWork();
        leader.wire.accepted(0, leader.node.ballot(), 0, 0).toPeer(leader.node);
        leader.node.doWork();
        assertEquals(1, leader.node.sessionCount(), "session open applied");
        leader.outbox.clear();

        leader.wire.command(0, 1, "hello".getBytes()).fromClient(leader.node, 100);
        leader.node.doWork();
        assertTrue(leader.applied.isEmpty(), "not chosen yet: only the leader holds it");

        leader.wire.accepted(1, leader.node.ballot(), 1, 0).toPeer(leader.node);
        leader.node.doWork();

        assertEquals(List.of("hello"), leader.applied);
        assertEquals(2, leader.node.commitIndex());
        final List<Wire.Sent> responses = leader.outbox.take(ResponseDecoder.TEMPLATE_ID);
        assertEquals(1, responses.size());
        assertEquals(100, responses.get(0).to);
    }

    private static AcceptDecoder firstAccept(final TestNode node)
    {
        final List<Wire.Sent> accepts = node.outbox.take(AcceptDecoder.TEMPLATE_ID);
        assertTrue(!accepts.isEmpty(), "an Accept was sent");
        return Wire.decode(accepts.get(0), header -> new AcceptDecoder().wrap(
            accepts.get(0).buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version()));
    }
}
