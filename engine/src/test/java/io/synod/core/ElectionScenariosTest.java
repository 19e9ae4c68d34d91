package io.synod.core;

import io.synod.codecs.EntryType;
import io.synod.codecs.PrepareDecoder;
import io.synod.codecs.PromiseDecoder;
import io.synod.log.InMemoryPaxosLog;
import io.synod.testing.InteractionCluster;
import io.synod.testing.InteractionNetwork;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.synod.testing.InteractionCluster.T;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8, cases 1, 2, 3 and 8: elections that converge and leadership that stays put, each replayed on real cores
 * with the fault placed by the script. The election timeout is 2T.
 */
class ElectionScenariosTest
{
    private static final long TIMEOUT = 2 * T;
    private static final int ENTRIES = 3_000;
    private static final int PAYLOAD = 100;
    private static final int QUEUE_BYTES = 64 * 1024;

    /**
     * Case 1. Nodes 0 and 1 hold 3,000 chosen entries of 100 B, node 2 (the highest id) only 10. Each link carries at
     * most 64 KiB per duty cycle and drops the oldest beyond, as the runtime's bounded queue does. Before: node 2
     * stood (highest live id), asked for the whole log from slot 10, every Promise stream lost its first chunks,
     * every repeat too, node 2 never gave up, and nobody else stood: no leader.
     */
    @Test
    void farBehindHighestIdDoesNotBlockTheCluster()
    {
        final InteractionCluster cluster = InteractionCluster.fromZero(3, false);
        preload(cluster.log(0), ENTRIES);
        preload(cluster.log(1), ENTRIES);
        preload(cluster.log(2), 10);
        cluster.network().linkCapBytes(QUEUE_BYTES);
        for (int id = 0; id < 3; id++)
        {
            cluster.start(id);
        }

        cluster.runUntil(() -> cluster.leader() >= 0, 50 * TIMEOUT, "a leader with all three nodes up");
        final int leader = cluster.leader();
        assertNotEquals(2, leader, "the far-behind node does not lead");
        final long session = cluster.openSession(leader);
        assertTrue(cluster.command(leader, session, 1, "after", 50 * TIMEOUT) >= ENTRIES, "a command commits");
        for (int acceptor = 0; acceptor < 3; acceptor++)
        {
            for (int candidate = 0; candidate < 3; candidate++)
            {
                final InteractionNetwork network = cluster.network();
                final long promiseBytes = network.bytesSent(acceptor, candidate, PromiseDecoder.TEMPLATE_ID);
                final int prepares = Math.max(1, network.sent(candidate, acceptor, PrepareDecoder.TEMPLATE_ID));
                assertTrue(promiseBytes / prepares < QUEUE_BYTES, "Promise bytes per Prepare from " + acceptor +
                    " to " + candidate + ": " + promiseBytes + " for " + prepares + " Prepares");
            }
        }
        // Catch-up itself is paced by the leader's window (in entries, not bytes: issue 8 case 5); lift the cap here.
        cluster.network().linkCapBytes(Integer.MAX_VALUE);
        cluster.runUntil(() -> cluster.node(2).commitIndex() == cluster.node(leader).commitIndex(),
            400 * TIMEOUT, "the far-behind node catches up after the election");
    }

    /**
     * Case 1, the acceptor's side: a Prepare from a candidate behind the acceptor's commit index is refused (no
     * promise, no Promise stream of chosen entries); from a candidate at the commit index, it is promised.
     */
    @Test
    void acceptorRefusesACandidateBehindItsCommitIndex()
    {
        final TestNode acceptor = new TestNode(0, 0, 1, 2);
        preload(acceptor.log, 100);
        acceptor.tick(0);

        acceptor.wire.prepare(2, Ballot.of(5, 2), 10).toPeer(acceptor.node);
        assertTrue(acceptor.outbox.take(PromiseDecoder.TEMPLATE_ID).isEmpty(), "no Promise to a candidate behind");
        assertEquals(Ballot.of(1, 1), acceptor.log.promisedBallot(), "and no promise either");

        acceptor.wire.prepare(1, Ballot.of(5, 1), 100).toPeer(acceptor.node);
        assertEquals(1, acceptor.outbox.take(PromiseDecoder.TEMPLATE_ID).size());
        assertEquals(Ballot.of(5, 1), acceptor.log.promisedBallot());
    }

    /**
     * Case 2. Node 2 hears nobody (0->2 and 1->2 cut) while everyone hears node 2. Before: nodes 0 and 1 deferred to
     * the live higher id, which never stood because it heard no majority: no leader, ever.
     */
    @Test
    void deafHighestIdDoesNotBlockElections()
    {
        final InteractionCluster cluster = InteractionCluster.fromZero(3, true);
        cluster.network().block(0, 2, true);
        cluster.network().block(1, 2, true);
        for (int id = 0; id < 3; id++)
        {
            cluster.start(id);
        }

        cluster.runUntil(() -> cluster.leader() >= 0, 20 * TIMEOUT, "a leader among nodes 0 and 1");
        final int leader = cluster.leader();
        assertNotEquals(2, leader);
        final long session = cluster.openSession(leader);
        assertTrue(cluster.command(leader, session, 1, "x", 20 * TIMEOUT) >= 0, "a command commits");
    }

    /**
     * Case 3. Link 1-2 cut both ways, node 0 connected to both, node 2 leading. Before: node 1 stood, node 0 promised
     * it, node 2 kept the LEADER role (any message counted as hearing a majority), then stood again, and so on:
     * hundreds of elections, few commits.
     */
    @Test
    void partialPartitionDoesNotMakeLeadershipFlap()
    {
        partialPartition(1, 2);
    }

    /**
     * Case 3 with the other follower cut off from the leader: link 0-2 cut, node 1 connected to both.
     */
    @Test
    void partialPartitionOfTheLowestIdDoesNotMakeLeadershipFlap()
    {
        partialPartition(0, 2);
    }

    private static void partialPartition(final int a, final int b)
    {
        final InteractionCluster cluster = InteractionCluster.fromZero(3, true);
        for (int id = 0; id < 3; id++)
        {
            cluster.start(id);
        }
        cluster.runUntil(() -> cluster.leader() == 2, 20 * TIMEOUT, "node 2 leads");
        final long session = cluster.openSession(2);
        final long electionsBefore = elections(cluster);

        cluster.network().partition(a, b, true);
        cluster.resetTwoLeaderSteps();
        int committed = 0;
        final int commands = 100;
        for (int sequence = 1; sequence <= commands; sequence++)
        {
            cluster.runFor(T);
            int leader = cluster.leader();
            for (int i = 0; leader < 0 && i < 40; i++)
            {
                cluster.step();
                leader = cluster.leader();
            }
            if (leader >= 0 && cluster.command(leader, session, sequence, "c" + sequence, 10 * TIMEOUT) >= 0)
            {
                committed++;
            }
        }

        final long elections = elections(cluster) - electionsBefore;
        assertTrue(elections <= 2, "at most one handover, got " + elections + " elections; " + cluster);
        assertTrue(committed >= commands - 2, "commands keep committing: " + committed + " of " + commands);
        assertTrue(cluster.twoLeaderSteps() <= 3 * TIMEOUT / InteractionCluster.STEP_NS,
            "two nodes LEADER at once for " + cluster.twoLeaderSteps() + " steps");
    }

    /**
     * Case 8. Node 1 leads; node 2 is a follower. Node 1 crashes; at the same moment node 2's outgoing frames start
     * being dropped (it hears everyone, nobody hears it). Node 1 restarts and leads again with node 0. Before: node 2
     * stood with a ballot above node 1's new one, stayed a candidate for the whole outage (the leader's heartbeats
     * were below its promise) and at the heal its repeated Prepare took leadership back.
     */
    @Test
    void nodeThatCannotBeHeardDoesNotStandOrTakeLeadershipBack()
    {
        final InteractionCluster cluster = InteractionCluster.fromZero(3, true);
        cluster.start(0);
        cluster.start(1);
        cluster.runUntil(() -> cluster.leader() == 1, 20 * TIMEOUT, "node 1 leads");
        cluster.start(2);
        cluster.runFor(5 * TIMEOUT);
        assertEquals(1, cluster.leader(), "sticky: the higher id that started later follows");

        cluster.stop(1);
        cluster.network().block(2, 0, true);
        cluster.network().block(2, 1, true);
        cluster.runFor(10 * TIMEOUT);
        cluster.start(1);
        cluster.runUntil(() -> cluster.leader() == 1, 30 * TIMEOUT, "node 1 leads again");
        final long session = cluster.openSession(1);
        final long node2Elections = cluster.node(2).counters().electionsStarted();
        cluster.runFor(20 * TIMEOUT);
        assertEquals(node2Elections, cluster.node(2).counters().electionsStarted(),
            "a node nobody hears does not stand while a leader leads");

        cluster.network().block(2, 0, false);
        cluster.network().block(2, 1, false);
        final long electionsAtHeal = elections(cluster);
        cluster.runFor(50 * TIMEOUT);
        assertEquals(1, cluster.leader(), "leadership stays where it is at the heal; " + cluster);
        assertEquals(electionsAtHeal, elections(cluster), "no election at the heal");
        assertTrue(cluster.command(1, session, 1, "after heal", 10 * TIMEOUT) >= 0);
    }

    /**
     * Case 8, restarts. Node 2 restarts while node 1 leads, and for its first three election timeouts hears only
     * node 0 (node 1's publication to it is not connected yet). Before: node 2 heard no leader, heard a majority, was
     * the highest live id, stood, and node 0 promised it: a healthy leader deposed by a restart.
     */
    @Test
    void restartedNodeDoesNotDeposeAHealthyLeader()
    {
        final InteractionCluster cluster = InteractionCluster.fromZero(3, true);
        cluster.start(0);
        cluster.start(1);
        cluster.runUntil(() -> cluster.leader() == 1, 20 * TIMEOUT, "node 1 leads");
        final long session = cluster.openSession(1);

        for (int restart = 0; restart < 3; restart++)
        {
            cluster.network().block(1, 2, true);
            cluster.start(2);
            cluster.runFor(3 * TIMEOUT);
            cluster.network().block(1, 2, false);
            cluster.runFor(5 * TIMEOUT);
            assertEquals(1, cluster.leader(), "restart " + restart + ": the leader stays; " + cluster);
            assertEquals(0, cluster.node(2).counters().electionsStarted(), "the restarted node does not stand");
            assertTrue(cluster.command(1, session, restart + 1, "r" + restart, 10 * TIMEOUT) >= 0);
            cluster.stop(2);
            cluster.runFor(2 * TIMEOUT);
        }
        assertEquals(1, cluster.node(1).counters().leadershipsWon(), "one leadership throughout");
    }

    private static long elections(final InteractionCluster cluster)
    {
        long elections = 0;
        for (int id = 0; id < 3; id++)
        {
            if (cluster.node(id) != null)
            {
                elections += cluster.node(id).counters().electionsStarted();
            }
        }
        return elections;
    }

    /**
     * Fill a log with chosen no-ops of PAYLOAD bytes, voting, as a node that took part in a long run has.
     */
    private static void preload(final InMemoryPaxosLog log, final int entries)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD]);
        for (int slot = 0; slot < entries; slot++)
        {
            log.append(slot, Ballot.CHOSEN, (byte)EntryType.NOOP.value(), 0, 0, slot, payload, 0, PAYLOAD);
        }
        log.commitIndex(entries);
        log.promisedBallot(Ballot.of(1, 1));
        log.voting(true);
        log.sync();
    }
}
