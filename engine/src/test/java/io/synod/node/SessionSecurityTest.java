package io.synod.node;

import io.synod.Configuration;
import io.synod.client.CommandHandle;
import io.synod.client.SynodClient;
import io.synod.codecs.ResponseCode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 over real UDP with 3 nodes: a sender that knows another client's session id cannot use, close or retry in
 * that session; one client cannot fill the session table; a command for a session that does not exist never reaches
 * the log. UDP ports 26300-26699.
 */
class SessionSecurityTest
{
    @Test
    void commandsInAnotherClientsSessionAreRefusedAndTheVictimsCommandIsApplied()
    {
        try (TestCluster cluster = new TestCluster(26400, 3))
        {
            final int leader = cluster.awaitLeader(5000);
            try (SynodClient victim = ClusterIntegrationTest.client(cluster);
                RawClient attacker = rawClient(cluster, leader))
            {
                ClusterIntegrationTest.sendAll(victim, 1000, 1005); // sequences 1..5
                final long sessionId = victim.sessionId();
                attacker.sendCommand(sessionId, 6, 8); // the victim's next sequence
                attacker.sendCommand(sessionId, 3, 8); // a retry of one the victim made
                final List<String> seen = attacker.drain(1500);
                assertFalse(seen.stream().anyMatch((text) -> text.endsWith("/OK")), "no OK for a forger: " + seen);
                assertEquals(2, attacker.count(ResponseCode.NOT_SESSION_OWNER), "refused with a clear code: " + seen);

                final UnsafeBuffer command = new UnsafeBuffer(new byte[8]);
                command.putLong(0, 1005);
                final CommandHandle handle = victim.send(command, 0, 8);
                assertEquals(io.synod.client.ResponseCode.OK, handle.code(), handle.toString());
                for (int node = 0; node < 3; node++)
                {
                    ClusterIntegrationTest.awaitApplied(cluster, node, 6);
                    assertEquals(6, cluster.stateMachines[node].size(), "only the victim's commands applied");
                    assertEquals(1005, cluster.stateMachines[node].applied()[5], "the victim's sixth command");
                }
                assertTrue(cluster.nodes[leader].counters().requestsNotOwner() >= 2, "refusals counted");
            }
        }
    }

    @Test
    void forgedSessionCloseDoesNotEndTheVictimsSession()
    {
        try (TestCluster cluster = new TestCluster(26500, 3))
        {
            final int leader = cluster.awaitLeader(5000);
            try (SynodClient victim = ClusterIntegrationTest.client(cluster);
                RawClient attacker = rawClient(cluster, leader))
            {
                ClusterIntegrationTest.sendAll(victim, 0, 5);
                attacker.sendSessionClose(victim.sessionId(), 6);
                final List<String> seen = attacker.drain(1000);
                assertEquals(1, attacker.count(ResponseCode.NOT_SESSION_OWNER), "refused: " + seen);
                ClusterIntegrationTest.sendAll(victim, 5, 20);
            }
        }
    }

    @Test
    void oneClientOpeningManySessionsLeavesRoomForOthers()
    {
        try (TestCluster cluster = new TestCluster(26600, 3, (ctx) -> ctx.maxSessions(400)))
        {
            final int leader = cluster.awaitLeader(5000);
            try (RawClient attacker = rawClient(cluster, leader))
            {
                for (int i = 1; i <= 400; i++)
                {
                    attacker.sendSessionOpen(i);
                }
                final List<String> seen = attacker.drain(3000);
                assertTrue(attacker.count(ResponseCode.SESSION_OPENED) <= Configuration.MAX_SESSIONS_PER_CLIENT_DEFAULT,
                    "one client opens at most its cap: " + attacker.count(ResponseCode.SESSION_OPENED));
                assertTrue(attacker.count(ResponseCode.TOO_MANY_SESSIONS) > 0, "the rest refused: " + seen.size());
                try (SynodClient legitimate = ClusterIntegrationTest.client(cluster))
                {
                    ClusterIntegrationTest.sendAll(legitimate, 0, 10);
                }
            }
        }
    }

    @Test
    void commandsForASessionThatDoesNotExistNeverReachTheLog()
    {
        try (TestCluster cluster = new TestCluster(26300, 3))
        {
            final int leader = cluster.awaitLeader(5000);
            try (SynodClient client = ClusterIntegrationTest.client(cluster);
                RawClient attacker = rawClient(cluster, leader))
            {
                ClusterIntegrationTest.sendAll(client, 0, 5);
                final long before = cluster.logs[leader].nextSlot();
                for (int i = 1; i <= 200; i++)
                {
                    attacker.sendCommand(999_999, i, 1024);
                }
                attacker.drain(1500);
                final long grown = cluster.logs[leader].nextSlot() - before;
                assertTrue(grown < 5, "log grew by " + grown + " slots for commands of a session never opened");
                assertTrue(attacker.count(ResponseCode.UNKNOWN_SESSION) >= 1, "answered: " + attacker.received);
                ClusterIntegrationTest.sendAll(client, 5, 10);
            }
        }
    }

    static RawClient rawClient(final TestCluster cluster, final int node)
    {
        final String ingress = cluster.nodes[node].context().member(node).ingressEndpoint();
        final RawClient raw = new RawClient(cluster.aeronDir.getAbsolutePath(), ingress);
        raw.sendConnect(raw.responseChannel, RawClient.RESPONSE_STREAM_ID);
        return raw;
    }
}
