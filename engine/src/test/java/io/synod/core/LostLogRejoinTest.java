package io.synod.core;

import io.synod.Role;
import io.synod.testing.InteractionCluster;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7 section 3, with the pure core: a node that lost its log must not vote until it is safe again.
 * <p>
 * Three nodes. Node 0 is down; 50 commands are acknowledged by nodes 1 and 2. Node 1's disk is lost (wiped as the
 * operator docs said), node 2 stops, node 0 comes back. Before the rejoin rule, nodes 0 and 1 formed a quorum with
 * no history and chose other commands in the acknowledged slots.
 */
class LostLogRejoinTest
{
    private static final int COMMANDS = 50;
    private static final long TIMEOUT = 2 * InteractionCluster.T;

    @Test
    void nodeThatLostItsLogDoesNotVoteUntilItHasCaughtUp()
    {
        final InteractionCluster cluster = InteractionCluster.fromZero(3, true);
        cluster.start(0);
        cluster.start(1);
        cluster.start(2);
        cluster.runUntil(() -> cluster.leader() == 2, 100 * TIMEOUT, "node 2 leads");
        cluster.stop(0);

        final long session = cluster.openSession(2);
        final Map<Long, String> acknowledged = new TreeMap<>();
        for (int i = 1; i <= COMMANDS; i++)
        {
            final String text = "cmd-" + i;
            final long slot = cluster.command(2, session, i, text, 100 * TIMEOUT);
            assertTrue(slot >= 0, "command " + i + " acknowledged");
            acknowledged.put(slot, text);
        }
        final int okBefore = cluster.okCount();

        cluster.stop(1);
        cluster.wipe(1);
        cluster.stop(2);
        cluster.start(0);
        cluster.start(1);
        cluster.runFor(50 * TIMEOUT);
        final long later = cluster.command(0, session, COMMANDS + 1, "lost-1", 10 * TIMEOUT);
        cluster.command(1, session, COMMANDS + 2, "lost-2", 10 * TIMEOUT);
        cluster.runFor(20 * TIMEOUT);

        assertEquals(-1, cluster.leader(), "nodes 0 and 1 must not form a quorum: " + cluster);
        assertEquals(-1, later);
        assertEquals(okBefore, cluster.okCount(), "nothing acknowledged while node 1 cannot vote");
        assertFalse(cluster.log(1).voting(), "node 1 is a learner");
        assertEquals(0, cluster.node(0).commitIndex(), "nothing chosen without node 2's history");
        assertEquals(0, cluster.node(1).commitIndex());

        cluster.start(2);
        cluster.runUntil(
            () -> cluster.log(1).voting() && cluster.applied(1).size() >= COMMANDS,
            200 * TIMEOUT,
            "node 1 rejoins, catches up and votes");
        cluster.runUntil(() -> cluster.applied(0).size() >= COMMANDS, 200 * TIMEOUT, "node 0 catches up");
        for (final Map.Entry<Long, String> entry : acknowledged.entrySet())
        {
            for (int id = 0; id < 3; id++)
            {
                assertEquals(entry.getValue(), cluster.applied(id).get(entry.getKey()),
                    "node " + id + " holds acknowledged " + entry.getValue() + " at slot " + entry.getKey());
            }
        }

        // Node 1 now votes with the whole history: nodes 0 and 1 can go on without node 2.
        cluster.stop(2);
        cluster.runUntil(() -> cluster.leader() >= 0, 200 * TIMEOUT, "nodes 0 and 1 elect a leader");
        final int leader = cluster.leader();
        final long slot = cluster.command(leader, session, COMMANDS + 1, "after", 100 * TIMEOUT);
        assertTrue(slot > ((TreeMap<Long, String>)acknowledged).lastKey(), "new command after the history: " + slot);
        for (final Map.Entry<Long, String> entry : acknowledged.entrySet())
        {
            assertEquals(entry.getValue(), cluster.applied(leader).get(entry.getKey()));
        }
    }

    /**
     * Rule F: node 0 promised node 2's ballot P, then lost its disk. Node 1, cut off from node 2 all along, never
     * heard of P and would stand with a lower ballot; were node 0 to forget P, it would promise that ballot, and nodes
     * 0 and 1 would choose one value in slot 0 while node 2 goes on choosing another with node 0 under P.
     */
    @Test
    void learnerRaisesItsPromiseSoThatAForgottenPromiseStillFencesLowerBallots()
    {
        final InteractionCluster cluster = InteractionCluster.fromZero(3, true);
        cluster.network().partition(1, 0, true);
        cluster.network().partition(1, 2, true);
        cluster.start(0);
        cluster.start(1);
        cluster.start(2);
        cluster.runUntil(() -> cluster.leader() == 2, 100 * TIMEOUT, "node 2 leads with node 0");
        final long promised = cluster.node(2).ballot();
        assertEquals(promised, cluster.log(0).promisedBallot());

        cluster.stop(0);
        cluster.wipe(0);
        cluster.start(0);
        cluster.network().partition(1, 0, false);
        cluster.runUntil(() -> cluster.log(0).voting(), 100 * TIMEOUT, "node 0 rejoins");
        // Node 0 stops hearing node 2 for a while: it no longer keeps node 2's lease, so node 1 can stand.
        cluster.network().block(2, 0, true);
        cluster.runUntil(
            () -> cluster.node(1).role() == Role.LEADER, 100 * TIMEOUT, "node 1 leads with node 0, cut from node 2");
        cluster.network().block(2, 0, false);

        cluster.sendSessionOpen(1, 100);
        cluster.sendSessionOpen(2, 200);
        cluster.runFor(50 * TIMEOUT);
        cluster.sendSessionOpen(1, 101);
        cluster.sendSessionOpen(2, 201);
        cluster.runFor(50 * TIMEOUT);

        assertFalse(cluster.sessionsOpened().isEmpty(), "some open was acknowledged: " + cluster);
        assertTrue(cluster.log(0).promisedBallot() >= promised, "the fence: node 2's promise, replied");
    }

    @Test
    void brandNewClusterFormsWhenEveryMemberStartsAsALearner()
    {
        final InteractionCluster cluster = InteractionCluster.fromZero(3, false);
        for (int id = 0; id < 3; id++)
        {
            cluster.start(id);
            assertFalse(cluster.log(id).voting(), "an empty log without bootstrap starts as a learner");
        }
        cluster.runUntil(() -> cluster.leader() >= 0, 100 * TIMEOUT, "a leader is elected");
        for (int id = 0; id < 3; id++)
        {
            assertTrue(cluster.log(id).voting(), "every reply said nextSlot 0: node " + id + " votes");
        }
        final long session = cluster.openSession(cluster.leader());
        assertTrue(cluster.command(cluster.leader(), session, 1, "first", 100 * TIMEOUT) >= 0);
    }

    @Test
    void brandNewClusterWithoutBootstrapWaitsForEveryMember()
    {
        final InteractionCluster cluster = InteractionCluster.fromZero(3, false);
        cluster.start(1);
        cluster.start(2);
        cluster.runFor(50 * TIMEOUT);

        assertEquals(-1, cluster.leader(), "a learner needs every other member's answer");
        cluster.start(0);
        cluster.runUntil(() -> cluster.leader() >= 0, 100 * TIMEOUT, "a leader once all are up");
    }

    @Test
    void brandNewClusterWithBootstrapFormsWithAMajority()
    {
        final InteractionCluster cluster = InteractionCluster.fromZero(3, true);
        cluster.start(1);
        cluster.start(2);
        assertTrue(cluster.log(1).voting() && cluster.log(2).voting(), "bootstrap: empty logs vote at once");

        cluster.runUntil(() -> cluster.leader() == 2, 100 * TIMEOUT, "nodes 1 and 2 elect node 2");
    }
}
