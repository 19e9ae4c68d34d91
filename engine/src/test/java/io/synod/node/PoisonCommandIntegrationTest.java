package io.synod.node;

import io.synod.client.ResponseListener;
import io.synod.ResponseWriter;
import io.synod.StateMachine;
import io.synod.StateMachineFailedException;
import io.synod.client.SynodClient;
import io.synod.Role;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A command whose apply throws, over real Aeron UDP with three nodes (issue 7, section 4). Before the contract the
 * command was re-applied every duty cycle, a stuck leader kept reporting LEADER beside the next one, and the client
 * failed over until it gave up.
 */
class PoisonCommandIntegrationTest
{
    static final long POISON = 666;

    /**
     * Wraps the cluster's recording state machine; a command holding {@link #POISON} throws after being counted.
     */
    static final class Poisoning implements StateMachine
    {
        final StateMachine delegate;
        final boolean throwsOnPoison;
        final AtomicInteger poisonApplies = new AtomicInteger();

        Poisoning(final StateMachine delegate, final boolean throwsOnPoison)
        {
            this.delegate = delegate;
            this.throwsOnPoison = throwsOnPoison;
        }

        public void apply(
            final long slot,
            final long timestamp,
            final DirectBuffer command,
            final int offset,
            final int length,
            final ResponseWriter response)
        {
            if (length >= 8 && command.getLong(offset) == POISON)
            {
                poisonApplies.incrementAndGet();
                if (throwsOnPoison)
                {
                    throw new IllegalStateException("poison command");
                }
            }
            delegate.apply(slot, timestamp, command, offset, length, response);
        }
    }

    private final Poisoning[] poisoning = new Poisoning[3];

    @Test
    void poisonCommandIsAppliedOnceAndNeverLeavesTwoLeaders()
    {
        try (TestCluster cluster = new TestCluster(23740, 3,
            (ctx) -> ctx.stateMachine(poisoning[ctx.nodeId()] = new Poisoning(ctx.stateMachine(), true))))
        {
            cluster.awaitLeader(5000);
            try (SynodClient client = ClusterIntegrationTest.client(cluster))
            {
                ClusterIntegrationTest.sendAll(client, 0, 10);
                final UnsafeBuffer command = new UnsafeBuffer(new byte[32]);
                command.putLong(0, POISON);
                final ResponseListener ignored = (sequence, code, slot, payload, offset, length) -> {};
                client.offer(command, 0, command.capacity(), ignored);

                int maxLeaders = 0;
                final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (System.nanoTime() < end)
                {
                    client.poll();
                    int leaders = 0;
                    for (int i = 0; i < cluster.size; i++)
                    {
                        if (cluster.nodes[i].role() == Role.LEADER)
                        {
                            leaders++;
                        }
                    }
                    maxLeaders = Math.max(maxLeaders, leaders);
                    Thread.onSpinWait();
                }

                final StringBuilder seen = new StringBuilder("poison applies per node:");
                boolean reapplied = false;
                for (int i = 0; i < cluster.size; i++)
                {
                    seen.append(' ').append(poisoning[i].poisonApplies.get());
                    reapplied |= poisoning[i].poisonApplies.get() > 1;
                }
                seen.append("; most nodes reporting LEADER at once: ").append(maxLeaders).append("; ")
                    .append(cluster.describe());
                assertTrue(!reapplied && maxLeaders <= 1, seen.toString());

                int failed = 0;
                for (int i = 0; i < cluster.size; i++)
                {
                    final SynodNode node = cluster.nodes[i];
                    if (node.isFailed())
                    {
                        failed++;
                        final StateMachineFailedException cause = (StateMachineFailedException)node.failureCause();
                        assertEquals(11, cause.sequence(), "the poison is the session's 11th command");
                        assertEquals(client.sessionId(), cause.sessionId());
                        assertTrue(cause.getMessage().startsWith("node " + i + " failed: state machine apply threw " +
                            "at slot " + cause.slot() + " (session " + client.sessionId() + ", sequence 11)"),
                            cause.getMessage());
                        assertEquals(1, node.counters().failed());
                        assertTrue(cluster.errors().contains(cause), "reported to the error handler");
                    }
                    assertNotEquals(Role.LEADER, node.role(), "the cluster stopped: " + cluster.describe());
                }
                assertTrue(failed >= 2, "a majority applied the poison and stopped: " + cluster.describe());
            }
        }
    }

    @Test
    void nodeWhosePoisonAloneThrowsStopsAndTheOthersCarryOn()
    {
        try (TestCluster cluster = new TestCluster(23760, 3,
            (ctx) -> ctx.stateMachine(poisoning[ctx.nodeId()] = new Poisoning(ctx.stateMachine(), ctx.nodeId() == 0))))
        {
            cluster.awaitLeader(5000);
            try (SynodClient client = ClusterIntegrationTest.client(cluster))
            {
                ClusterIntegrationTest.sendAll(client, 0, 10);
                ClusterIntegrationTest.sendAll(client, POISON, POISON + 1);
                TestCluster.awaitTrue(() -> cluster.nodes[0].isFailed(), 5000, () -> "node 0 failed: " +
                    cluster.describe());
                ClusterIntegrationTest.sendAll(client, 20, 40);

                assertEquals(1, poisoning[0].poisonApplies.get(), "node 0 applied the poison once");
                assertEquals(11, ((StateMachineFailedException)cluster.nodes[0].failureCause()).sequence());
                assertEquals(Role.FOLLOWER, cluster.nodes[0].role());
                assertEquals(1, cluster.nodes[0].counters().failed());
                assertEquals(0, cluster.nodes[1].counters().failed());
                final int leader = cluster.leader();
                assertTrue(leader == 1 || leader == 2, cluster.describe());
                assertEquals(31, cluster.stateMachines[leader].size(),
                    "the majority carries on, the poison applied there");
            }
        }
    }
}
