package io.synod.node;

import io.synod.log.InMemoryPaxosLog;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The health check a script calls ({@code SynodStat --health}), read from the counters in the Aeron directory, as
 * another process would. UDP ports 27200-27299.
 */
class NodeHealthTest
{
    @Test
    void everyNodeOfAClusterWithALeaderIsHealthy()
    {
        try (TestCluster cluster = new TestCluster(27200, 3))
        {
            cluster.awaitLeader(10_000);
            for (int id = 0; id < 3; id++)
            {
                final int node = id;
                TestCluster.awaitTrue(() -> NodeHealth.check(cluster.aeronDir, node, 1000).healthy(), 10_000,
                    () -> "node " + node + " healthy: " + NodeHealth.check(cluster.aeronDir, node, 1000).line());
            }
            // Read at the moment of the check: on a shared 2-core machine leadership may move meanwhile.
            TestCluster.awaitTrue(() ->
            {
                for (int id = 0; id < 3; id++)
                {
                    final String line = NodeHealth.check(cluster.aeronDir, id, 1000).line();
                    if (line.startsWith("healthy: node " + id + " leader leader=" + id + " ballot=") &&
                        line.contains(" lag "))
                    {
                        return true;
                    }
                }
                return false;
            }, 10_000, () -> "the leader healthy, reporting its peers' lag: " + NodeHealth.check(cluster.aeronDir,
                cluster.leader(), 1000).line());
        }
    }

    @Test
    void aNodeAloneKnowsNoLeaderAndIsUnhealthy()
    {
        final File dir = new File("target/health-test-" + System.nanoTime()).getAbsoluteFile();
        final Context context = new Context()
            .nodeId(1)
            .members("0=127.0.0.1:27210:27260,1=127.0.0.1:27211:27261,2=127.0.0.1:27212:27262")
            .bootstrap(true)
            .aeronDirectoryName(new File(dir, "aeron").getPath())
            .idleStrategy(new BackoffIdleStrategy())
            .electionTimeoutNs(TimeUnit.MILLISECONDS.toNanos(100))
            .termLength(1024 * 1024)
            .maxMessageLength(64 * 1024)
            .maxPayloadLength(1024)
            .stateMachine(new RecordingStateMachine());
        context.peers().clusterKey(TestCluster.CLUSTER_KEY).peerQueueCapacity(1024 * 1024);
        context.log().logFactory((ctx) -> new InMemoryPaxosLog(1024));
        try (SynodNode node = SynodNode.launch(context))
        {
            final NodeHealth.Result result = NodeHealth.check(node.context().aeronDirectory(), -1, 1000);
            assertFalse(result.healthy(), result.line());
            assertTrue(result.line().startsWith("unhealthy: node 1 knows no leader"), result.line());
        }
        finally
        {
            IoUtil.delete(dir, true);
        }
    }

    @Test
    void noDriverInTheDirectoryIsUnhealthy()
    {
        final NodeHealth.Result result = NodeHealth.check(new File("target/no-such-aeron-dir"), -1, 1000);
        assertFalse(result.healthy());
        assertTrue(result.line().contains("not running"), result.line());
    }
}
