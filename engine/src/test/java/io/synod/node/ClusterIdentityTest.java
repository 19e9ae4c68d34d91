package io.synod.node;

import io.synod.client.SynodClient;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client carries the cluster's identity: a node refuses a Connect naming another cluster id, and says which two,
 * so a client given another cluster's member addresses opens no session there. 0 on either side is not checked. Over
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
            final RuntimeException refused = assertThrows(RuntimeException.class, () -> SynodClient.connect(
                cluster.clientContext().clusterId(8).connectTimeoutNs(TimeUnit.SECONDS.toNanos(2))).close());
            assertTrue(refused.getMessage().contains("cluster id 8"), refused.getMessage());
            assertTrue(cluster.nodes[leader].counters().connectsRefused() > 0, "refusal counted");
            assertTrue(cluster.errors().stream().anyMatch((e) -> e.getMessage().contains("for cluster 8") &&
                e.getMessage().contains("this node is of cluster 7")), "the error names both: " + cluster.errors());

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
