package io.synod.node;

import io.synod.client.CommandHandle;
import io.synod.client.ResponseListener;
import io.synod.client.SynodClient;
import io.synod.client.ResponseCode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three nodes in one JVM over real Aeron UDP on loopback, with a real client.
 */
class ClusterIntegrationTest
{
    static SynodClient client(final TestCluster cluster)
    {
        return SynodClient.connect(cluster.clientContext());
    }

    /**
     * Sends values from..to-1 pipelined, waits for all answers, and checks each was applied.
     */
    static void sendAll(final SynodClient client, final long from, final long to)
    {
        final UnsafeBuffer command = new UnsafeBuffer(new byte[32]);
        final long[] answered = { 0 };
        final ResponseListener listener = (sequence, code, slot, payload, offset, length) ->
        {
            assertTrue(code == ResponseCode.OK || code == ResponseCode.DUPLICATE, "sequence " + sequence + ": " + code);
            answered[0]++;
        };
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long next = from;
        while (answered[0] < to - from)
        {
            if (next < to)
            {
                command.putLong(0, next);
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
                throw new AssertionError("answers for " + (to - from) + " commands expected, got " + answered[0] +
                    "; " + client);
            }
        }
    }

    static long[] range(final long from, final long to)
    {
        final long[] values = new long[(int)(to - from)];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = from + i;
        }
        return values;
    }

    static void awaitApplied(final TestCluster cluster, final int node, final int count)
    {
        TestCluster.awaitTrue(() -> cluster.stateMachines[node].size() >= count, 10_000,
            () -> "node " + node + " to apply " + count + " commands: " + cluster.describe());
    }

    @Test
    void commandsAreAppliedInTheSameOrderOnAllNodes()
    {
        try (TestCluster cluster = new TestCluster(21200, 3); SynodClient client = client(cluster))
        {
            sendAll(client, 0, 500);
            for (int i = 0; i < 3; i++)
            {
                awaitApplied(cluster, i, 500);
                assertArrayEquals(range(0, 500), cluster.stateMachines[i].applied(), "node " + i);
            }
            final CommandHandle handle = client.send(new UnsafeBuffer(new byte[8]), 0, 8);
            assertEquals(ResponseCode.OK, handle.code(), handle.toString());
            assertEquals(501, new UnsafeBuffer(handle.response()).getLong(0), "response is the applied count");
            final int leader = cluster.leader();
            assertTrue(cluster.nodes[leader].metrics().histogram("commit").getTotalCount() > 0,
                cluster.nodes[leader].metrics().toString());
        }
    }

    @Test
    void clientContinuesAfterTheLeaderIsClosedWithNothingLostOrDuplicated()
    {
        try (TestCluster cluster = new TestCluster(21300, 3); SynodClient client = client(cluster))
        {
            sendAll(client, 0, 200);
            final int oldLeader = cluster.awaitLeader(5000);
            cluster.stop(oldLeader);
            final long stoppedNs = System.nanoTime();
            final int newLeader = cluster.awaitLeader(5000);
            final long electedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedNs);
            assertTrue(newLeader != oldLeader);
            assertTrue(electedMs < 2000, "new leader after " + electedMs + " ms, election timeout is " +
                TimeUnit.NANOSECONDS.toMillis(TestCluster.ELECTION_TIMEOUT_NS) + " ms");
            sendAll(client, 200, 400);
            for (int i = 0; i < 3; i++)
            {
                if (i != oldLeader)
                {
                    awaitApplied(cluster, i, 400);
                    assertArrayEquals(range(0, 400), cluster.stateMachines[i].applied(), "node " + i);
                }
            }
        }
    }

    @Test
    void followerRestartedFromItsLogCatchesUp()
    {
        try (TestCluster cluster = new TestCluster(21400, 3); SynodClient client = client(cluster))
        {
            sendAll(client, 0, 100);
            final int leader = cluster.awaitLeader(5000);
            final int follower = (leader + 1) % 3;
            awaitApplied(cluster, follower, 100);
            cluster.stop(follower);
            sendAll(client, 100, 300);
            cluster.start(follower);
            awaitApplied(cluster, follower, 300);
            assertArrayEquals(range(0, 300), cluster.stateMachines[follower].applied());
        }
    }

    @Test
    void wipedFollowerCatchesUpFromTheLeader()
    {
        try (TestCluster cluster = new TestCluster(21500, 3); SynodClient client = client(cluster))
        {
            sendAll(client, 0, 100);
            final int leader = cluster.awaitLeader(5000);
            final int follower = (leader + 2) % 3;
            cluster.stop(follower);
            cluster.wipe(follower);
            sendAll(client, 100, 200);
            cluster.start(follower);
            awaitApplied(cluster, follower, 200);
            assertArrayEquals(range(0, 200), cluster.stateMachines[follower].applied());
            TestCluster.awaitTrue(() -> cluster.nodes[follower].isVoting(), 5000,
                () -> "the wiped follower votes again after its rejoin: " + cluster.describe());
            assertEquals(cluster.stateMachines[leader].checksum(), cluster.stateMachines[follower].checksum());
        }
    }

    /**
     * Issue 7 section 3 over Aeron: node 0 down, commands acknowledged by nodes 1 and 2; node 1's log lost, node 2
     * stopped. Nodes 0 and 1 must not form a quorum; once node 2 is back, node 1 rejoins and nothing is lost.
     */
    @Test
    void nodeWithALostLogRejoinsInsteadOfFormingAQuorumWithoutTheHistory() throws InterruptedException
    {
        try (TestCluster cluster = new TestCluster(21800, 3); SynodClient client = client(cluster))
        {
            cluster.awaitLeader(5000);
            cluster.stop(0);
            sendAll(client, 0, 50);
            awaitApplied(cluster, 1, 50);
            awaitApplied(cluster, 2, 50);

            cluster.stop(1);
            cluster.wipe(1);
            cluster.stop(2);
            cluster.start(0);
            cluster.start(1);
            final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000);
            while (System.nanoTime() < until)
            {
                assertEquals(-1, cluster.leader(), "nodes 0 and 1 must not form a quorum: " + cluster.describe());
                Thread.sleep(5);
            }
            assertTrue(!cluster.nodes[1].isVoting(), "node 1 is a learner");

            cluster.start(2);
            TestCluster.awaitTrue(() -> cluster.nodes[1].isVoting(), 10_000,
                () -> "node 1 rejoins once node 2 answers: " + cluster.describe());
            sendAll(client, 50, 60);
            for (int i = 0; i < 3; i++)
            {
                awaitApplied(cluster, i, 60);
                assertArrayEquals(range(0, 60), cluster.stateMachines[i].applied(), "node " + i);
            }
        }
    }
}
