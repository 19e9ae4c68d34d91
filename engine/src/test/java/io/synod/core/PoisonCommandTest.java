package io.synod.core;

import io.synod.Role;
import io.synod.ResponseWriter;
import io.synod.StateMachine;
import io.synod.StateMachineFailedException;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A command whose apply throws (issue 7, section 4), on the pure core driven as the runtime drives it. Before the
 * contract, the learner did not advance and re-applied the command every duty cycle, mutating state each time.
 */
class PoisonCommandTest
{
    /**
     * Applies text commands; "poison..." throws on the nodes the predicate names, after changing its state (as a
     * real state machine that fails half way would).
     */
    static final class PoisonableStateMachine implements StateMachine
    {
        final List<String> applied = new ArrayList<>();
        final int nodeId;
        final IntPredicate throwsOn;
        int poisonApplies;

        PoisonableStateMachine(final int nodeId, final IntPredicate throwsOn)
        {
            this.nodeId = nodeId;
            this.throwsOn = throwsOn;
        }

        public void apply(
            final long slot,
            final long timestamp,
            final DirectBuffer command,
            final int offset,
            final int length,
            final ResponseWriter response)
        {
            final String text = TestNode.text(command, offset, length);
            applied.add(text);
            if (text.startsWith("poison"))
            {
                poisonApplies++;
                if (throwsOn.test(nodeId))
                {
                    throw new IllegalStateException("cannot apply " + text);
                }
            }
            response.put(command, offset, length);
        }
    }

    private final List<PoisonableStateMachine> stateMachines = new ArrayList<>();

    private CoreCluster cluster(final int size, final IntPredicate throwsOn)
    {
        return new CoreCluster(size, (id) ->
        {
            final PoisonableStateMachine stateMachine = new PoisonableStateMachine(id, throwsOn);
            stateMachines.add(stateMachine);
            return stateMachine;
        });
    }

    @Test
    void throwingApplyIsCalledOnceAndNamesTheSlot()
    {
        final CoreCluster cluster = cluster(1, (id) -> true);
        cluster.awaitLeader();
        final long session = openSession(cluster, 0);
        cluster.toNode(0, cluster.wire().command(session, 1, "poison".getBytes()));
        final long poisonSlot = cluster.logs[0].nextSlot();
        cluster.cycles(100);

        assertEquals(1, stateMachines.get(0).poisonApplies, "apply is called once for the poison entry");
        final PaxosNode node = cluster.nodes[0];
        assertTrue(node.isFailed());
        final StateMachineFailedException failure = (StateMachineFailedException)node.failure();
        assertEquals(poisonSlot, failure.slot());
        assertEquals(session, failure.sessionId());
        assertEquals(1, failure.sequence());
        assertEquals("cannot apply poison", failure.getCause().getMessage());
        assertTrue(failure.getMessage().contains("slot " + poisonSlot + " (session " + session + ", sequence 1)"),
            failure.getMessage());
        assertEquals(poisonSlot, node.appliedIndex(), "the poison slot is not counted as applied");
        assertEquals(Role.FOLLOWER, node.role(), "a failed node does not lead");
        assertEquals(-1, node.leaderId());

        final long sent = cluster.sentCount[0];
        cluster.toNode(0, cluster.wire().command(session, 2, "more".getBytes()));
        cluster.cycles(100);
        assertEquals(sent, cluster.sentCount[0], "a failed node sends nothing: no heartbeat, no answer");
        assertEquals(poisonSlot + 1, cluster.logs[0].nextSlot(), "and proposes nothing");
    }

    @Test
    void deterministicPoisonStopsTheClusterWithoutTwoLeadersOrReapplying()
    {
        final CoreCluster cluster = cluster(3, (id) -> true);
        final int leader = cluster.awaitLeader();
        final long session = openSession(cluster, leader);
        cluster.toNode(leader, cluster.wire().command(session, 1, "good".getBytes()));
        cluster.cycles(20);
        cluster.toNode(leader, cluster.wire().command(session, 2, "poison".getBytes()));
        cluster.cycles(4000); // 1000 heartbeat intervals: many election timeouts

        for (final PoisonableStateMachine stateMachine : stateMachines)
        {
            assertTrue(stateMachine.poisonApplies <= 1,
                "node " + stateMachine.nodeId + " applied the poison " + stateMachine.poisonApplies + " times");
        }
        assertTrue(cluster.maxLeadersAtOnce <= 1, "never two leaders at once: " + cluster.maxLeadersAtOnce);
        assertTrue(cluster.nodes[leader].isFailed(), cluster.describe());
        assertEquals(2, ((StateMachineFailedException)cluster.nodes[leader].failure()).slot());
        int failed = 0;
        for (int i = 0; i < cluster.size; i++)
        {
            failed += cluster.nodes[i].isFailed() ? 1 : 0;
            assertTrue(cluster.nodes[i].role() != Role.LEADER, "the cluster stopped rather than diverge: " +
                cluster.describe());
        }
        assertTrue(failed >= 2, "a majority applied the poison and stopped: " + cluster.describe());
        for (int i = 0; i < cluster.size; i++)
        {
            assertEquals(List.of(), cluster.errors.get(i), "nothing escaped the core");
        }
    }

    @Test
    void nodeWhoseApplyAloneThrowsStopsAndTheOthersCarryOn()
    {
        final CoreCluster cluster = cluster(3, (id) -> id == 0);
        final int leader = cluster.awaitLeader();
        assertTrue(leader != 0, "node 0 is not the leader: the highest live id leads");
        final long session = openSession(cluster, leader);
        cluster.toNode(leader, cluster.wire().command(session, 1, "poison".getBytes()));
        cluster.cycles(200);
        cluster.toNode(cluster.awaitLeader(), cluster.wire().command(session, 2, "after".getBytes()));
        cluster.cycles(200);

        assertEquals(1, stateMachines.get(0).poisonApplies, "node 0 applied the poison once");
        assertTrue(cluster.nodes[0].isFailed());
        assertTrue(cluster.nodes[0].failure().getMessage().startsWith("node 0 failed: state machine apply threw at " +
            "slot 1 (session " + session + ", sequence 1)"), cluster.nodes[0].failure().getMessage());
        assertTrue(cluster.responses.contains("OK session=" + session + " sequence=2 slot=2 payload=after"),
            "the majority carries on: " + cluster.responses);
        assertEquals(List.of("poison", "after"), stateMachines.get(leader).applied);
    }

    static long openSession(final CoreCluster cluster, final int leader)
    {
        cluster.toNode(leader, cluster.wire().sessionOpen(5));
        cluster.cycles(20);
        for (final String response : cluster.responses)
        {
            if (response.startsWith("SESSION_OPENED"))
            {
                return Long.parseLong(response.split(" ")[1].substring("session=".length()));
            }
        }
        throw new AssertionError("no session opened: " + cluster.responses + " " + cluster.describe());
    }

}
