package io.synod.node;

import io.synod.client.ResponseListener;
import io.synod.client.SynodClient;
import io.synod.client.ResponseCode;
import io.synod.Role;
import io.synod.log.MappedLogConfig;
import io.synod.log.MappedPaxosLog;
import io.synod.log.SystemCommands;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node whose log file system fills stops (fail-stop, as etcd does on a WAL write failure) instead of staying up,
 * stuck, and heartbeating (issue 7, section 6). Three nodes over Aeron on loopback; node 2 (the highest id, so the
 * leader) logs to a tmpfs of a few hundred KiB mounted for the test, so it needs root and mount.
 * <p>
 * Before the fix the leader's append threw on every command, the agent reported it and carried on: it kept
 * heartbeating as leader, so the others never stood, and the cluster served nothing again.
 */
class LogDiskFullFailStopTest
{
    private static final int SEGMENT = 256 * 1024;
    static final int COMMAND = 1000;
    private static final int FULL_NODE = 2;

    @TempDir
    Path dir;

    private Path mountPoint;
    private boolean mounted;

    @BeforeEach
    void mountSmallFileSystem() throws Exception
    {
        assumeRoot();
        mountPoint = Files.createDirectory(dir.resolve("mnt"));
        // Room for two segments and the metadata file; the third segment does not fit.
        final SystemCommands.Result result = SystemCommands.run(
            "mount", "-t", "tmpfs", "-o", "size=600k", "synod-failstop-test", mountPoint.toString());
        org.junit.jupiter.api.Assumptions.assumeTrue(result.ok(), "cannot mount a tmpfs here: " + result.output());
        mounted = true;
    }

    private static void assumeRoot()
    {
        org.junit.jupiter.api.Assumptions.assumeTrue(SystemCommands.isRoot(), "needs root to mount a small tmpfs");
    }

    @AfterEach
    void unmount()
    {
        if (mounted)
        {
            final SystemCommands.Result result = SystemCommands.run("umount", mountPoint.toString());
            assertTrue(result.ok(), "umount failed: " + result.output());
        }
    }

    @Test
    void nodeWhoseLogFillsStopsAndTheOthersServeWithNothingAcknowledgedLost()
    {
        final Path logDir = mountPoint.resolve("log");
        try (TestCluster cluster = new TestCluster(24600, 3, ctx ->
        {
            if (ctx.nodeId() == FULL_NODE)
            {
                ctx.log().logFactory(c -> MappedPaxosLog.open(
                    new MappedLogConfig().directory(logDir).segmentLength(SEGMENT).maxPayloadLength(1024)));
            }
            return ctx;
        });
            SynodClient client = client(cluster))
        {
            makeLeader(cluster, FULL_NODE);

            // Three segments' worth of commands: the full node fails part way.
            final int commands = 3 * SEGMENT / COMMAND;
            final LongHashSet acknowledged = sendAll(client, 0, commands);
            assertEquals(commands, acknowledged.size(), "every command answered OK");

            final io.synod.node.SynodNode full = cluster.nodes[FULL_NODE];
            assertTrue(full.isFailed(), "the node whose disk filled is FAILED: " + cluster.describe());
            final Throwable cause = full.failureCause();
            assertNotNull(cause);
            final String message = String.valueOf(cause.getMessage()) + " / " + cause.getCause();
            assertTrue(message.contains("segment-") && message.contains(SEGMENT + " bytes"),
                "the cause names the file and size: " + message);
            assertEquals(1, full.counters().failed(), "the failed counter shows it");
            assertTrue(cluster.errors().stream().anyMatch(e -> e instanceof NodeFailedException),
                "reported to the error handler: " + cluster.errors());

            // It sends nothing any more: the others elected a leader although it had been a sticky, healthy leader.
            final int newLeader = cluster.awaitLeader(5_000);
            assertTrue(newLeader != FULL_NODE, cluster.describe());
            final long failedCommitIndex = full.commitIndex();
            final long failedElections = full.counters().electionsStarted();

            // The other two keep serving, and hold every acknowledged command exactly once, in the same order.
            final LongHashSet more = sendAll(client, commands, commands + 200);
            acknowledged.addAll(more);
            assertNothingLost(cluster, FULL_NODE, acknowledged);
            assertEquals(cluster.stateMachines[0].checksum(), cluster.stateMachines[1].checksum(), "same state");
            assertEquals(failedCommitIndex, full.commitIndex(), "the failed node does no more work");
            assertEquals(failedElections, full.counters().electionsStarted(), "and never stands");
            assertTrue(full.isFailed());
            assertTrue(cluster.nodes[newLeader].role() == Role.LEADER);
        }
    }

    static SynodClient client(final TestCluster cluster)
    {
        return SynodClient.connect(cluster.clientContext().termLength(1024 * 1024));
    }

    /**
     * The other nodes hold every acknowledged command exactly once, in the same order.
     */
    static void assertNothingLost(final TestCluster cluster, final int failed, final LongHashSet acknowledged)
    {
        for (int node = 0; node < cluster.size; node++)
        {
            if (node == failed)
            {
                continue;
            }
            final int n = node;
            TestCluster.awaitTrue(() -> cluster.stateMachines[n].size() >= acknowledged.size(), 10_000,
                () -> "node " + n + " to apply " + acknowledged.size() + ": " + cluster.describe());
            final long[] applied = cluster.stateMachines[n].applied();
            final LongHashSet seen = new LongHashSet();
            for (final long value : applied)
            {
                assertTrue(seen.add(value), "node " + n + " applied " + value + " twice");
            }
            for (final long value : acknowledged)
            {
                assertTrue(seen.contains(value), "node " + n + " lost acknowledged command " + value);
            }
        }
    }

    /**
     * Leadership is sticky, so the first node up may lead; stopping it makes the highest live node stand. The stopped
     * node restarts from its (in-memory) log as a follower.
     */
    static void makeLeader(final TestCluster cluster, final int node)
    {
        int leader = cluster.awaitLeader(10_000);
        for (int attempt = 0; attempt < 3 && leader != node; attempt++)
        {
            cluster.stop(leader);
            final int stopped = leader;
            TestCluster.awaitTrue(() -> cluster.leader() >= 0 && cluster.leader() != stopped, 10_000,
                () -> "a new leader after stopping " + stopped + ": " + cluster.describe());
            leader = cluster.leader();
            cluster.start(stopped);
        }
        assertEquals(node, leader, cluster.describe());
    }

    /**
     * Send values from..to-1 pipelined, fail over as the client does, and return the values answered OK.
     */
    static LongHashSet sendAll(final SynodClient client, final long from, final long to)
    {
        final UnsafeBuffer command = new UnsafeBuffer(new byte[COMMAND]);
        final LongHashSet acknowledged = new LongHashSet();
        final long[] answered = { 0 };
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long next = from;
        while (answered[0] < to - from)
        {
            if (next < to)
            {
                final long value = next;
                final ResponseListener listener = (sequence, code, slot, payload, offset, length) ->
                {
                    assertTrue(code == ResponseCode.OK || code == ResponseCode.DUPLICATE,
                        "command " + value + ": " + code);
                    acknowledged.add(value);
                    answered[0]++;
                };
                command.putLong(0, next);
                if (client.offer(command, 0, command.capacity(), listener) != SynodClient.WINDOW_FULL)
                {
                    next++;
                }
            }
            if (client.poll() == 0)
            {
                Thread.onSpinWait();
            }
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("answers for " + (to - from) + " commands expected, got " + answered[0] +
                    "; " + client);
            }
        }
        return acknowledged;
    }
}
