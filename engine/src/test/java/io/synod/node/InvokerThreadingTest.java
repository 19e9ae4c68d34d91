package io.synod.node;

import io.aeron.driver.ThreadingMode;
import io.synod.client.SynodClient;
import org.agrona.IoUtil;
import org.junit.jupiter.api.Test;

import java.io.File;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded driver in INVOKER mode runs inside the node agent's duty cycle: a node is one thread, elects, commits
 * and serves clients over real UDP, and a restarted node catches up. UDP ports 27400-27499.
 */
class InvokerThreadingTest
{
    @Test
    void nodesWhoseDriverRunsOnTheirOwnThreadServeClients()
    {
        final File root = new File(System.getProperty("java.io.tmpdir"), "synod-invoker-" + System.nanoTime());
        try (TestCluster cluster = new TestCluster(27400, 3, (ctx) -> ctx
            .embeddedDriver(true)
            .threadingMode(ThreadingMode.INVOKER)
            .aeronDirectoryName(new File(root, "node-" + ctx.nodeId()).getAbsolutePath())))
        {
            final int leader = cluster.awaitLeader(5000);
            for (final Thread thread : Thread.getAllStackTraces().keySet())
            {
                assertFalse(thread.getName().contains(root.getName()), "no driver thread of its own: " + thread);
            }
            assertTrue(cluster.nodes[leader].describeRuntime().contains("embedded INVOKER"),
                cluster.nodes[leader].describeRuntime());
            try (SynodClient client = ClusterIntegrationTest.client(cluster))
            {
                ClusterIntegrationTest.sendAll(client, 0, 500);
                final int follower = (leader + 1) % 3;
                cluster.stop(follower);
                ClusterIntegrationTest.sendAll(client, 500, 700);
                cluster.start(follower);
                ClusterIntegrationTest.sendAll(client, 700, 800);
                for (int node = 0; node < 3; node++)
                {
                    ClusterIntegrationTest.awaitApplied(cluster, node, 800);
                }
                assertEquals(800, cluster.stateMachines[leader].size(), cluster.describe());
            }
            assertTrue(cluster.errors().isEmpty(), "no errors: " + cluster.errors());
        }
        finally
        {
            IoUtil.delete(root, true);
        }
    }
}
