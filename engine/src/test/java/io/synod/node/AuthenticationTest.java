package io.synod.node;

import io.synod.client.SynodClient;
import io.synod.codecs.ResponseCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared-token authenticator over real UDP with 3 nodes: a client with a known token is served under its
 * principal; one without, or with a wrong token, is refused and counted; the per-principal session cap holds. UDP
 * ports 26800-26899. The leader is stopped at the end: the session survives failover.
 */
class AuthenticationTest
{
    private static final String ALICE_TOKEN = "alice-0123456789abcdef";
    private static final String BOB_TOKEN = "bob-0123456789abcdef";

    @Test
    void onlyClientsWithAKnownTokenAreServedAndEachPrincipalIsCapped()
    {
        try (TestCluster cluster = new TestCluster(26800, 3, (ctx) ->
        {
            ctx.admission()
                .authenticator(new TokenAuthenticator(Map.of("alice", ALICE_TOKEN, "bob", BOB_TOKEN)))
                .maxSessionsPerPrincipal(1);
            return ctx;
        }))
        {
            final int leader = cluster.awaitLeader(5000);
            final NodeCounters counters = cluster.nodes[leader].counters();
            try (SynodClient alice = SynodClient.connect(cluster.clientContext()
                .credentials(ALICE_TOKEN.getBytes(StandardCharsets.UTF_8))))
            {
                ClusterIntegrationTest.sendAll(alice, 0, 10);

                final RuntimeException secondOfAlice = assertThrows(RuntimeException.class, () -> SynodClient.connect(
                    cluster.clientContext().credentials(ALICE_TOKEN.getBytes(StandardCharsets.UTF_8))).close());
                assertTrue(secondOfAlice.getMessage().contains("TOO_MANY_SESSIONS"), secondOfAlice.toString());

                try (SynodClient bob = SynodClient.connect(cluster.clientContext()
                    .credentials(BOB_TOKEN.getBytes(StandardCharsets.UTF_8))))
                {
                    ClusterIntegrationTest.sendAll(bob, 10, 20);
                }

                final long refusedBefore = counters.connectsRefused();
                try (RawClient stranger = SessionSecurityTest.rawClient(cluster, leader))
                {
                    stranger.sendSessionOpen(1);
                    stranger.drain(1000);
                    assertEquals(0, stranger.count(ResponseCode.SESSION_OPENED), "no session without a token");
                    assertTrue(counters.connectsRefused() > refusedBefore, "refusal counted");
                    assertTrue(counters.requestsUnconnected() >= 1, "its request dropped and counted");
                }
                ClusterIntegrationTest.sendAll(alice, 20, 30);

                // Failover: the new leader authenticates alice again and finds the same principal and key.
                final long session = alice.sessionId();
                cluster.stop(leader);
                ClusterIntegrationTest.sendAll(alice, 30, 40);
                assertEquals(session, alice.sessionId(), "the same session after the leader changed");
            }
        }
    }
}
