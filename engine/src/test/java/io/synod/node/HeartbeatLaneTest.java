package io.synod.node;

import io.synod.client.ClientContext;
import io.synod.client.ResponseListener;
import io.synod.client.SynodClient;
import io.synod.client.ResponseCode;
import io.synod.Role;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 8 case 5 over real Aeron UDP: a follower stops reading (a GC pause, a slow disk) while the leader replicates
 * megabytes. Before the fix the leader queued Accepts for it without bound (16 per cycle, resent from the last
 * acknowledged slot every heartbeat), its bounded queue dropped the oldest protocol messages, and the follower, once
 * back, read megabytes of Accepts before the first heartbeat behind them, so it stood for election against a healthy
 * leader. Each node runs on a thread of this test (agent invoker), so the follower's pause is exact: it reads nothing
 * and ticks nothing while paused. No timing assertion: only counters and roles.
 */
class HeartbeatLaneTest
{
    private static final int PAYLOAD = 8 * 1024;
    private static final int COMMANDS = 600; // ~5 MiB, more than the peer queue, the publication and the image hold

    private static final class NodeRunner extends Thread
    {
        private final SynodNode node;
        private volatile boolean paused;
        private volatile boolean parked;
        private volatile boolean running = true;

        NodeRunner(final SynodNode node)
        {
            super("test-node-" + node.nodeId());
            this.node = node;
        }

        public void run()
        {
            final IdleStrategy idle = new BackoffIdleStrategy();
            while (running)
            {
                if (paused)
                {
                    parked = true;
                    idle.idle(0);
                    continue;
                }
                parked = false;
                idle.idle(node.invoker().invoke());
            }
        }

        void pause()
        {
            paused = true;
            TestCluster.awaitTrue(() -> parked, 5_000, () -> "node " + node.nodeId() + " to stop its duty cycle");
        }

        void finish() throws InterruptedException
        {
            running = false; // a flag, never an interrupt (see SteadyStateAllocationTest)
            join();
        }
    }

    @Test
    void pausedFollowerHearsHeartbeatsBeforeQueuedAcceptsAndNothingIsDropped() throws Exception
    {
        try (TestCluster cluster = new TestCluster(22600, 3, (ctx) ->
        {
            ctx.peers().peerQueueCapacity(4 * 1024 * 1024);
            return ctx.useAgentInvoker(true).maxPayloadLength(PAYLOAD);
        }))
        {
            final NodeRunner[] runners = new NodeRunner[cluster.size];
            for (int i = 0; i < runners.length; i++)
            {
                runners[i] = new NodeRunner(cluster.nodes[i]);
                runners[i].start();
            }
            try (SynodClient client = SynodClient.connect(new ClientContext()
                .members(cluster.members())
                .embeddedDriver(false)
                .aeronDirectoryName(cluster.aeronDir.getAbsolutePath())
                .egressChannel("aeron:udp?endpoint=127.0.0.1:0")
                .termLength(256 * 1024)
                .maxPayloadLength(PAYLOAD)
                .idleStrategy(new BackoffIdleStrategy())
                .responseTimeoutNs(TimeUnit.SECONDS.toNanos(2))
                .connectTimeoutNs(TimeUnit.SECONDS.toNanos(10))))
            {
                final int leader = cluster.awaitLeader(5_000);
                final int follower = (leader + 1) % cluster.size;
                ClusterIntegrationTest.sendAll(client, 0, 10); // every node has joined and follows
                ClusterIntegrationTest.awaitApplied(cluster, follower, 10);
                final long electionsBefore = cluster.nodes[follower].counters().electionsStarted();
                final long[] droppedBefore = new long[cluster.size]; // peers not yet connected at start count too
                for (int i = 0; i < cluster.size; i++)
                {
                    droppedBefore[i] = cluster.nodes[i].counters().peerMessagesDropped();
                }

                runners[follower].pause();
                sendLarge(client, COMMANDS);
                final long commitIndex = cluster.nodes[leader].commitIndex();
                runners[follower].paused = false;

                TestCluster.awaitTrue(() -> cluster.nodes[follower].commitIndex() >= commitIndex, 30_000,
                    () -> "node " + follower + " to catch up to " + commitIndex + ": " + cluster.describe());
                assertEquals(electionsBefore, cluster.nodes[follower].counters().electionsStarted(),
                    "the paused follower stood for election: it read Accepts before the leader's heartbeats; " +
                    cluster.describe());
                assertEquals(Role.LEADER, cluster.nodes[leader].role(), cluster.describe());
                final StringBuilder dropped = new StringBuilder();
                long droppedTotal = 0;
                for (int i = 0; i < cluster.size; i++)
                {
                    final long count = cluster.nodes[i].counters().peerMessagesDropped() - droppedBefore[i];
                    dropped.append(" node ").append(i).append(": ").append(count);
                    droppedTotal += count;
                }
                assertEquals(0, droppedTotal, "peer messages dropped:" + dropped + "; " + cluster.describe());
            }
            finally
            {
                for (final NodeRunner runner : runners)
                {
                    runner.finish();
                }
            }
        }
    }

    private static void sendLarge(final SynodClient client, final int count)
    {
        final UnsafeBuffer command = new UnsafeBuffer(new byte[PAYLOAD]);
        final long[] answered = { 0 };
        final ResponseListener listener = (sequence, code, slot, payload, offset, length) ->
        {
            if (code != ResponseCode.OK && code != ResponseCode.DUPLICATE)
            {
                throw new AssertionError("sequence " + sequence + ": " + code);
            }
            answered[0]++;
        };
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int next = 0;
        while (answered[0] < count)
        {
            if (next < count)
            {
                command.putLong(0, 1_000_000 + next);
                if (client.offer(command, 0, command.capacity(), listener) != SynodClient.WINDOW_FULL)
                {
                    next++;
                }
            }
            if (client.poll() == 0)
            {
                Thread.onSpinWait();
            }
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError(count + " answers expected, got " + answered[0] + "; " + client);
            }
        }
    }
}
