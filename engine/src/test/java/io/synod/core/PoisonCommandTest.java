package io.synod.core;

import io.synod.ResponseWriter;
import io.synod.StateMachine;
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
        assertTrue(errorsOf(cluster, 0).contains("slot " + poisonSlot), "names the slot: " + errorsOf(cluster, 0));
        assertEquals(poisonSlot, cluster.nodes[0].appliedIndex(), "the poison slot is not counted as applied");
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
        assertTrue(errorsOf(cluster, leader).contains("slot 2"), "names the slot: " + errorsOf(cluster, leader));
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

    static String errorsOf(final CoreCluster cluster, final int nodeId)
    {
        final StringBuilder s = new StringBuilder();
        for (final Throwable error : cluster.errors.get(nodeId))
        {
            s.append(error).append('\n');
        }
        return s.toString();
    }
}
