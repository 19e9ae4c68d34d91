package io.synod.node;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterSmokeTest
{
    @Test
    void electsOneLeader()
    {
        try (TestCluster cluster = new TestCluster(21100, 3))
        {
            final int leader = cluster.awaitLeader(5000);
            assertTrue(leader >= 0);
            TestCluster.awaitTrue(
                () -> cluster.nodes[0].leaderId() == leader && cluster.nodes[1].leaderId() == leader &&
                cluster.nodes[2].leaderId() == leader, 5000, () -> "all follow " + leader + ": " + cluster.describe());
            System.out.println(cluster.describe());
        }
    }
}
