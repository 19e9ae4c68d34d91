package io.synod.node;

import io.synod.client.SynodClient;
import io.synod.codecs.ResponseCode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * requireSessionKey over real UDP with 3 nodes: a session open of a schema version 1 client (no session key) is
 * refused, counted and reported naming the setting when it is on, and leaves nothing in the log; accepted when it is
 * off (the default). UDP ports 28400-28599.
 */
class SessionKeyRequiredTest
{
    @Test
    void aKeylessOpenIsRefusedWhenKeysAreRequiredAndNothingOfItReachesTheLog()
    {
        try (TestCluster cluster = new TestCluster(28400, 3, (ctx) ->
        {
            ctx.admission().requireSessionKey(true);
            return ctx;
        }))
        {
            cluster.awaitLeader(5000);
            try (SynodClient upgraded = ClusterIntegrationTest.client(cluster))
            {
                ClusterIntegrationTest.sendAll(upgraded, 0, 5); // a client that sends keys is served
                final int leader = cluster.awaitLeader(5000); // the leader that served it: settled
                try (RawClient old = SessionSecurityTest.rawClient(cluster, leader))
                {
                    final long nextSlot = cluster.logs[leader].nextSlot();
                    old.sendSessionOpenVersion1(77);
                    final List<String> seen = old.drain(1500);
                    final NodeCounters counters = cluster.nodes[leader].counters();
                    assertEquals(List.of("0/77/" + ResponseCode.TOO_MANY_SESSIONS), seen, "refused, once; " +
                        cluster.describe() + ", unconnected " + counters.requestsUnconnected() + ", errors " +
                        cluster.errors());
                    assertEquals(nextSlot, cluster.logs[leader].nextSlot(), "nothing of the refused open in the log");
                    assertEquals(1, cluster.nodes[leader].counters().sessionOpensWithoutKey(), "counted");
                    assertTrue(cluster.errors().stream().anyMatch((e) -> e.getMessage().contains(
                        "synod.require.session.key")), "reported naming the setting: " + cluster.errors());
                }
                ClusterIntegrationTest.sendAll(upgraded, 5, 10);
            }
        }
    }

    @Test
    void aKeylessOpenIsAcceptedByDefault()
    {
        try (TestCluster cluster = new TestCluster(28500, 3))
        {
            cluster.awaitLeader(5000);
            try (SynodClient upgraded = ClusterIntegrationTest.client(cluster))
            {
                ClusterIntegrationTest.sendAll(upgraded, 0, 5);
            }
            final int leader = cluster.awaitLeader(5000); // the leader that served it: settled
            try (RawClient old = SessionSecurityTest.rawClient(cluster, leader))
            {
                old.sendSessionOpenVersion1(78);
                final List<String> seen = old.drain(1500);
                assertEquals(1, old.count(ResponseCode.SESSION_OPENED), "a version 1 client still opens: " + seen);
                assertEquals(0, cluster.nodes[leader].counters().sessionOpensWithoutKey());
            }
        }
    }
}
