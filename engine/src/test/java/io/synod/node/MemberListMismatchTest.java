package io.synod.node;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nodes whose member lists differ never count towards each other's quorums (quorums of different lists need not
 * intersect): a peer whose list differs is refused, counted and reported naming both lists. Ports 27800-27999.
 */
class MemberListMismatchTest
{
    @Test
    void aNodeWithFiveMembersIsRefusedByTheOtherTwo()
    {
        final int basePort = 27800;
        try (TestCluster cluster = new TestCluster(basePort, 3, fiveMembersOnNode2(basePort, -1)))
        {
            final int leader = cluster.awaitLeader(5000);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < deadline)
            {
                assertTrue(cluster.nodes[2].role() != io.synod.Role.LEADER && cluster.nodes[2].leaderId() < 0,
                    "node 2, whose member list differs, took part in the cluster: " + cluster.describe());
                PeerAuthenticationTest.sleep(5);
            }
            assertTrue(leader != 2, "node 2 led: " + cluster.describe());
            awaitMismatchReported(cluster, basePort);
        }
    }

    @Test
    void nodesWithThreeDifferentMemberListsElectNoLeader()
    {
        final int basePort = 27900;
        try (TestCluster cluster = new TestCluster(basePort, 3, fiveMembersOnNode2(basePort, 0)))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < deadline)
            {
                assertTrue(cluster.leader() < 0,
                    "nodes with three different member lists elected a leader: " + cluster.describe());
                PeerAuthenticationTest.sleep(5);
            }
            awaitMismatchReported(cluster, basePort);
        }
    }

    /** Node 2 lists members 3 and 4 besides 0-2; node 1 names node wrongPortOf's peer port wrong (none if -1). */
    private static UnaryOperator<Context> fiveMembersOnNode2(final int basePort, final int wrongPortOf)
    {
        final String good = members(basePort, 3, -1);
        return (ctx) ->
        {
            if (ctx.nodeId() == 2)
            {
                return ctx.members(good + ",3=127.0.0.1:" + (basePort + 3) + ":" + (basePort + 53) +
                    ",4=127.0.0.1:" + (basePort + 4) + ":" + (basePort + 54));
            }
            if (ctx.nodeId() == 1 && wrongPortOf >= 0)
            {
                return ctx.members(members(basePort, 3, wrongPortOf));
            }
            return ctx.bootstrap(true); // a new cluster that forms without node 2 (refused)
        };
    }

    private static void awaitMismatchReported(final TestCluster cluster, final int basePort)
    {
        TestCluster.awaitTrue(() -> cluster.errors().stream().anyMatch((e) ->
            String.valueOf(e.getMessage()).contains("member list") &&
            String.valueOf(e.getMessage()).contains("4=127.0.0.1:" + (basePort + 4))), 5000,
            () -> "a member list mismatch reported naming node 2's list: " + cluster.errors());
        assertTrue(cluster.nodes[0].counters().peerMemberListMismatches() > 0, "counted");
    }

    /** Members as TestCluster names them, with one member's peer port off by 7 (none if wrongPortOf < 0). */
    static String members(final int basePort, final int size, final int wrongPortOf)
    {
        final StringBuilder members = new StringBuilder();
        for (int i = 0; i < size; i++)
        {
            members.append(i == 0 ? "" : ",").append(i).append("=127.0.0.1:")
                .append(basePort + i + (i == wrongPortOf ? 7 : 0)).append(':').append(basePort + 50 + i);
        }
        return members.toString();
    }
}
