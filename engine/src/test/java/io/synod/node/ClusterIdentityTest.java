package io.synod.node;

import io.synod.client.SynodClient;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client carries the cluster's identity: a node refuses a Connect naming another cluster id, and says which two,
 * so a client given another cluster's member addresses opens no session there, and is told so (ConnectRefused) at
 * once. 0 on either side is not checked. Over
 * real UDP with 3 nodes; UDP ports 28900-28952 (TestCluster bases 28900 and 28910).
 */
class ClusterIdentityTest
{
    @Test
    void aClientOfAnotherClusterIsRefusedNamingBothIds()
    {
        try (TestCluster cluster = new TestCluster(28900, 3, (ctx) -> ctx.clusterId(7)))
        {
            final int leader = cluster.awaitLeader(5000);
            // Told at once (the connect timeout is 10 s), naming both ids.
            final long startNs = System.nanoTime();
            final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> SynodClient.connect(
                cluster.clientContext().clusterId(8)).close());
            assertTrue(refused.getMessage().contains("it is for cluster 8") &&
                refused.getMessage().contains("this node is of cluster 7"), refused.getMessage());
            assertTrue(System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(8), "failed before the timeout");
            assertTrue(cluster.nodes[leader].counters().connectsRefused() > 0, "refusal counted");
            assertTrue(cluster.errors().stream().anyMatch((e) -> e.getMessage().contains("for cluster 8") &&
                e.getMessage().contains("this node is of cluster 7")), "the error names both: " + cluster.errors());

            final NodeCounters counters = cluster.nodes[leader].counters();
            TestCluster.awaitTrue(() -> counters.connectedClients() == 0, 10_000,
                () -> "the refused connection forgotten once told; clients " + counters.connectedClients());

            try (SynodClient right = SynodClient.connect(cluster.clientContext().clusterId(7));
                SynodClient unchecked = SynodClient.connect(cluster.clientContext().clusterId(0)))
            {
                ClusterIntegrationTest.sendAll(right, 0, 5);
                ClusterIntegrationTest.sendAll(unchecked, 0, 5);
            }
        }
    }

    @Test
    void aNodeWithoutAClusterIdChecksNoClient()
    {
        try (TestCluster cluster = new TestCluster(28910, 3))
        {
            cluster.awaitLeader(5000);
            try (SynodClient client = SynodClient.connect(cluster.clientContext().clusterId(8)))
            {
                ClusterIntegrationTest.sendAll(client, 0, 5);
            }
        }
    }
}
