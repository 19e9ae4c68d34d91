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
}
