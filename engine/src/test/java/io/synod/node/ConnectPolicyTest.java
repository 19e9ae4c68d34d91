package io.synod.node;

import io.synod.client.SynodClient;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 over real UDP with 3 nodes: a Connect may only name a response channel the node's policy allows (UDP to
 * the sender's own address or loopback, a bounded term length), and the registered clients are capped. UDP ports
 * 26700-26799.
 */
class ConnectPolicyTest
{
    @Test
    void connectsNamingDisallowedChannelsOrBeyondTheCapAreRefusedAndCounted()
    {
        try (TestCluster cluster = new TestCluster(26700, 3,
            (ctx) ->
            {
                ctx.admission().maxClients(2).clientTimeoutNs(TimeUnit.MILLISECONDS.toNanos(1500));
                return ctx;
            }))
        {
            final int leader = cluster.awaitLeader(5000);
            final NodeCounters counters = cluster.nodes[leader].counters();
            final String ingress = cluster.nodes[leader].context().member(leader).ingressEndpoint();
            final String dir = cluster.aeronDir.getAbsolutePath();
            try (RawClient ipc = new RawClient(dir, ingress);
                RawClient elsewhere = new RawClient(dir, ingress);
                RawClient hugeTerm = new RawClient(dir, ingress);
                RawClient first = new RawClient(dir, ingress);
                RawClient second = new RawClient(dir, ingress);
                RawClient third = new RawClient(dir, ingress))
            {
                ipc.sendConnect("aeron:ipc", RawClient.RESPONSE_STREAM_ID);
                elsewhere.sendConnect("aeron:udp?endpoint=10.1.2.3:40000", RawClient.RESPONSE_STREAM_ID);
                hugeTerm.sendConnect(hugeTerm.responseChannel + "|term-length=1g", RawClient.RESPONSE_STREAM_ID);
                TestCluster.awaitTrue(() -> counters.connectsRefused() >= 3, 5000,
                    () -> "3 connects refused, counted " + counters.connectsRefused() + ", errors " + cluster.errors());
                assertEquals(0, counters.connectedClients(), "none of them registered");

                first.sendConnect(first.responseChannel, RawClient.RESPONSE_STREAM_ID);
                second.sendConnect(second.responseChannel, RawClient.RESPONSE_STREAM_ID);
                TestCluster.awaitTrue(() -> counters.connectedClients() == 2, 5000,
                    () -> "2 clients registered: " + counters.connectedClients());
                third.sendConnect(third.responseChannel, RawClient.RESPONSE_STREAM_ID);
                TestCluster.awaitTrue(() -> counters.connectsRefused() >= 4, 5000,
                    () -> "the third refused at the cap, counted " + counters.connectsRefused());
                assertEquals(2, counters.connectedClients(), "capped");
                assertTrue(cluster.errors().stream().anyMatch((e) -> e.getMessage().contains("maxClients")),
                    "the error names the cap: " + cluster.errors());
                assertTrue(cluster.errors().stream().anyMatch((e) -> e.getMessage().contains("ipc")),
                    "the error names the refused media: " + cluster.errors());
            }
            TestCluster.awaitTrue(() -> counters.connectedClients() == 0, 10_000,
                () -> "closed clients forgotten, still " + counters.connectedClients());
            try (SynodClient client = ClusterIntegrationTest.client(cluster))
            {
                ClusterIntegrationTest.sendAll(client, 0, 10);
            }
        }
    }

    /**
     * The flood harness's connects-forged phase: one connection sending Connects that each name another loopback
     * response channel made the leader replace its client every time, and the driver lingered on every replaced
     * publication (3,000+ publications, 1.3 GB RSS, a node out of direct memory). A connection's channel is fixed now.
     */
    @Test
    void connectsNamingNewChannelsFromOneConnectionAreRefusedAndMakeNoPublications()
    {
        try (TestCluster cluster = new TestCluster(26710, 3))
        {
            final int leader = cluster.awaitLeader(5000);
            final NodeCounters counters = cluster.nodes[leader].counters();
            final String ingress = cluster.nodes[leader].context().member(leader).ingressEndpoint();
            try (RawClient forger = new RawClient(cluster.aeronDir.getAbsolutePath(), ingress))
            {
                forger.sendConnect(forger.responseChannel, RawClient.RESPONSE_STREAM_ID);
                TestCluster.awaitTrue(() -> counters.connectedClients() == 1, 5000,
                    () -> "the forger's first Connect registered: " + counters.connectedClients());
                final long refusedBefore = counters.connectsRefused();
                for (int i = 0; i < 200; i++)
                {
                    forger.sendConnect("aeron:udp?endpoint=127.0.0.1:" + (41000 + i), RawClient.RESPONSE_STREAM_ID);
                }
                TestCluster.awaitTrue(() -> counters.connectsRefused() - refusedBefore >= 200, 10_000,
                    () -> "every channel change refused, counted " + (counters.connectsRefused() - refusedBefore));
                assertEquals(1, counters.connectedClients(), "still the one client");
                assertTrue(cluster.errors().stream().anyMatch((e) -> e.getMessage().contains("cannot change")),
                    "the error says why: " + cluster.errors());
                forger.sendSessionOpen(1);
                TestCluster.awaitTrue(() ->
                {
                    forger.drain(100);
                    return forger.count(io.synod.codecs.ResponseCode.SESSION_OPENED) == 1;
                }, 5000, () -> "its first channel still answers");
            }
        }
    }
}
