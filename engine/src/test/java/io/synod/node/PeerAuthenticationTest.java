package io.synod.node;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.synod.client.SynodClient;
import io.synod.codecs.AcceptedEncoder;
import io.synod.codecs.BooleanType;
import io.synod.codecs.EntryType;
import io.synod.codecs.MessageHeaderEncoder;
import io.synod.codecs.SuccessEncoder;
import io.synod.core.Ballot;
import io.synod.log.EntryChecksum;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Peer messages from whoever can send UDP to a node's peer port, without the cluster key, never reach the core.
 * Ports 27500-27799.
 */
class PeerAuthenticationTest
{
    private static final int FORGED_ENTRIES = 50_000;

    @Test
    void aForgedSuccessDoesNotMoveAFollowersCommitIndex()
    {
        try (TestCluster cluster = new TestCluster(27500, 3))
        {
            final int leader = cluster.awaitLeader(5000);
            final int follower = (leader + 1) % 3;
            try (SynodClient client = ClusterIntegrationTest.client(cluster))
            {
                ClusterIntegrationTest.sendAll(client, 0, 20);
            }
            final long leaderCommit = cluster.nodes[leader].commitIndex();
            TestCluster.awaitTrue(() -> cluster.nodes[follower].commitIndex() == leaderCommit, 5000,
                () -> "follower caught up: " + cluster.describe());

            final long ballot = cluster.nodes[leader].counters().ballot();
            final long firstSlot = cluster.nodes[follower].commitIndex();
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4 * 1024 * 1024]);
            final SuccessEncoder success = new SuccessEncoder()
                .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
                .fromNodeId(leader).ballot(ballot).firstSlot(firstSlot).commitIndex(firstSlot + FORGED_ENTRIES)
                .clusterId(cluster.nodes[leader].context().clusterId());
            final SuccessEncoder.EntriesEncoder entries = success.entriesCount(FORGED_ENTRIES);
            final EntryChecksum checksum = new EntryChecksum();
            for (int i = 0; i < FORGED_ENTRIES; i++)
            {
                entries.next().entryType(EntryType.NOOP).sessionId(0).sequence(0).timestamp(0)
                    .checksum(checksum.compute(firstSlot + i, Ballot.CHOSEN, (byte)EntryType.NOOP.value(), 0, 0, 0,
                        buffer, 0, 0))
                    .putPayload(buffer, 0, 0);
            }
            forge(cluster, follower, cluster.nodes[follower].context().peers().peerStreamId(), buffer,
                MessageHeaderEncoder.ENCODED_LENGTH + success.encodedLength());

            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000);
            while (System.nanoTime() < deadline)
            {
                // Past every other node's (leadership may move on a loaded machine; the commit index never jumps).
                final long others = Math.max(cluster.nodes[leader].commitIndex(),
                    cluster.nodes[(follower + 1) % 3].commitIndex());
                assertTrue(cluster.nodes[follower].commitIndex() <= others,
                    "a forged Success moved the follower's commit index past the leader's: " + cluster.describe());
                Thread.onSpinWait();
            }
            try (SynodClient client = ClusterIntegrationTest.client(cluster))
            {
                ClusterIntegrationTest.sendAll(client, 20, 40);
            }
            for (int node = 0; node < 3; node++)
            {
                ClusterIntegrationTest.awaitApplied(cluster, node, 40);
            }
            for (int node = 1; node < 3; node++)
            {
                assertArrayEquals(cluster.stateMachines[0].applied(), cluster.stateMachines[node].applied(),
                    "node " + node + " applied what node 0 applied: " + cluster.describe());
            }
            assertForgeryReported(cluster, follower);
        }
    }

    @Test
    void aForgedAcceptedDoesNotCountTowardsTheLeadersMajority()
    {
        // A long election timeout: the leader keeps leading for a while with both followers gone.
        try (TestCluster cluster = new TestCluster(27600, 3,
            (ctx) -> ctx.electionTimeoutNs(TimeUnit.MILLISECONDS.toNanos(1500))))
        {
            final int leader = cluster.awaitLeader(15_000);
            final int follower = (leader + 1) % 3;
            try (SynodClient client = ClusterIntegrationTest.client(cluster))
            {
                ClusterIntegrationTest.sendAll(client, 0, 5);
            }
            final long ballot = cluster.nodes[leader].counters().ballot();
            final int clusterId = cluster.nodes[leader].context().clusterId();
            final String ingress = cluster.nodes[leader].context().member(leader).ingressEndpoint();
            cluster.stop(follower);
            cluster.stop((leader + 2) % 3);
            final long commitBefore = cluster.nodes[leader].commitIndex();
            try (RawClient raw = new RawClient(cluster.aeronDir.getAbsolutePath(), ingress))
            {
                raw.sendConnect(raw.responseChannel, RawClient.RESPONSE_STREAM_ID);
                raw.sendSessionOpen(42); // a log entry the leader cannot have chosen alone
                final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
                final AcceptedEncoder accepted = new AcceptedEncoder()
                    .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
                    .fromNodeId(follower).ballot(ballot).lastSlot(Long.MAX_VALUE / 2).commitIndex(0)
                    .behind(BooleanType.FALSE).clusterId(clusterId);
                final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
                while (System.nanoTime() < deadline)
                {
                    forge(cluster, leader, cluster.nodes[leader].context().peers().peerControlStreamId(), buffer,
                        MessageHeaderEncoder.ENCODED_LENGTH + accepted.encodedLength());
                    assertTrue(cluster.nodes[leader].commitIndex() == commitBefore,
                        "a forged Accepted made a majority: the leader alone chose up to " +
                        cluster.nodes[leader].commitIndex() + ", was " + commitBefore + ": " + cluster.describe());
                    sleep(20);
                }
            }
            assertForgeryReported(cluster, leader);
        }
    }

    @Test
    void aNodeWithAnotherClusterKeyIsRefusedAndNeverCounted()
    {
        try (TestCluster cluster = new TestCluster(27700, 3, (ctx) ->
        {
            if (ctx.nodeId() == 2)
            {
                ctx.peers().clusterKey(ClusterKey.generate());
                return ctx;
            }
            return ctx.bootstrap(true);
        }))
        {
            final int leader = cluster.awaitLeader(5000);
            assertTrue(leader != 2, "node 2 led: " + cluster.describe());
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() < deadline)
            {
                assertTrue(cluster.nodes[2].leaderId() < 0, "node 2 followed: " + cluster.describe());
                sleep(5);
            }
            assertForgeryReported(cluster, leader);
            try (SynodClient client = ClusterIntegrationTest.client(cluster))
            {
                ClusterIntegrationTest.sendAll(client, 0, 20);
            }
            assertTrue(cluster.stateMachines[2].size() == 0, "node 2 applied nothing: " + cluster.describe());
        }
    }

    /** Sends bytes to a node's peer endpoint on a stream, as anyone on the network can. */
    static void forge(
        final TestCluster cluster, final int to, final int streamId, final UnsafeBuffer buffer, final int length)
    {
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(cluster.aeronDir.getAbsolutePath()));
            ExclusivePublication publication = aeron.addExclusivePublication(
                "aeron:udp?endpoint=" + cluster.nodes[to].context().member(to).peerEndpoint() + "|term-length=16m",
                streamId))
        {
            TestCluster.awaitTrue(publication::isConnected, 5000, () -> "forger connected to node " + to);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (publication.offer(buffer, 0, length) < 0)
            {
                assertTrue(System.nanoTime() < deadline, "could not offer the forged message");
                Thread.onSpinWait();
            }
            // Let the driver send it before the publication closes.
            final long sent = publication.position();
            TestCluster.awaitTrue(() -> publication.positionLimit() >= sent, 5000, () -> "forged message sent");
            sleep(50);
        }
    }

    private static void assertForgeryReported(final TestCluster cluster, final int node)
    {
        TestCluster.awaitTrue(() -> cluster.errors().stream()
            .anyMatch((e) -> String.valueOf(e.getMessage()).contains("not authenticated")), 5000,
            () -> "the forged message reported by node " + node + ": " + cluster.errors());
        assertTrue(cluster.nodes[node].counters().peerMessagesNotAuthenticated() > 0, "counted");
    }

    static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
