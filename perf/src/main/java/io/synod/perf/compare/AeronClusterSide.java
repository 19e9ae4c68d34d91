package io.synod.perf.compare;

import io.aeron.AeronCounters;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.TimeoutException;
import io.aeron.logbuffer.Header;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The yardstick's side of the comparison: the node processes' arguments ({@link AeronClusterNode}) and the load
 * client's target, an {@link AeronCluster} client on its own embedded driver. Each command carries its sequence in
 * its first 8 bytes; the echo service sends the command back, so the response names its command.
 */
final class AeronClusterSide implements LoadTarget, EgressListener
{
    static final String NAME = "aeron";
    static final int NODES = 3;

    private final MediaDriver driver;
    private final AeronCluster cluster;
    private final Responses responses;
    private final File dir;
    private long nextSequence = 1;
    private long newLeaders;

    private AeronClusterSide(final LoadOptions options, final File dir, final Responses responses)
    {
        this.responses = responses;
        this.dir = dir;
        final String aeronDir = new File(dir, "aeron-client").getPath();
        driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(aeronDir)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(Idle.of(options.idle))
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        AeronCluster connected = null;
        while (connected == null)
        {
            try
            {
                connected = AeronCluster.connect(new AeronCluster.Context()
                    .aeronDirectoryName(aeronDir)
                    .ingressChannel("aeron:udp")
                    .ingressEndpoints(ingressEndpoints(options.portBase))
                    .egressChannel("aeron:udp?endpoint=127.0.0.1:0")
                    .idleStrategy(Idle.of(options.idle))
                    .egressListener(this));
            }
            catch (final TimeoutException ex)
            {
                if (System.nanoTime() > deadline)
                {
                    driver.close();
                    throw ex; // the cluster never elected a leader
                }
            }
        }
        cluster = connected;
    }

    /** @return a connected client; retries until the nodes have elected a leader (at most 60 s). */
    static AeronClusterSide connect(final LoadOptions options, final File dir, final Responses responses)
    {
        return new AeronClusterSide(options, dir, responses);
    }

    /** @return the arguments of node {@code id}'s process. */
    static List<String> nodeArgs(final LoadOptions options, final File dir, final int id)
    {
        return new ArrayList<>(List.of(
            Integer.toString(id),
            clusterMembers(options.portBase),
            new File(dir, "node-" + id).getPath(),
            options.idle));
    }

    static String describe()
    {
        return "Aeron Cluster: per node one process with a ClusteredMediaDriver (driver SHARED: 1 thread; archive " +
            "SHARED: 1 thread, fileSyncLevel 0; consensus module: 1 thread) and a ClusteredServiceContainer " +
            "(1 thread) running an echo service; AeronCluster client, one session, on its own SHARED driver";
    }

    /** Ports per node: ingress, consensus, log, catchup, archive control. */
    static String clusterMembers(final int portBase)
    {
        final StringBuilder members = new StringBuilder();
        for (int i = 0; i < NODES; i++)
        {
            final int base = portBase + 200 + i * 10;
            members.append(i).append(",127.0.0.1:").append(base)
                .append(",127.0.0.1:").append(base + 1)
                .append(",127.0.0.1:").append(base + 2)
                .append(",127.0.0.1:").append(base + 3)
                .append(",127.0.0.1:").append(base + 4)
                .append(i < NODES - 1 ? "|" : "");
        }
        return members.toString();
    }

    /** @return the archive control port of node {@code id}, as in {@link #clusterMembers(int)}. */
    static int archivePort(final int portBase, final int id)
    {
        return portBase + 200 + id * 10 + 4;
    }

    private static String ingressEndpoints(final int portBase)
    {
        final StringBuilder endpoints = new StringBuilder();
        for (int i = 0; i < NODES; i++)
        {
            endpoints.append(i == 0 ? "" : ",").append(i).append("=127.0.0.1:").append(portBase + 200 + i * 10);
        }
        return endpoints.toString();
    }

    @Override
    public long offer(final UnsafeBuffer command)
    {
        command.putLong(0, nextSequence);
        if (cluster.offer(command, 0, command.capacity()) > 0)
        {
            return nextSequence++;
        }
        return 0;
    }

    @Override
    public int poll()
    {
        return cluster.pollEgress();
    }

    /**
     * Elections, as the nodes count them: every node goes through each election, so the most any node counted.
     * A client sees only the ones that changed the leader ({@link #clientNewLeaders()}).
     */
    @Override
    public long leaderChanges()
    {
        long max = 0;
        for (int id = 0; id < NODES; id++)
        {
            max = Math.max(max, CncCounters.read(new File(new File(dir, "node-" + id), "aeron"),
                AeronCounters.CLUSTER_ELECTION_COUNT_TYPE_ID, null));
        }
        return max;
    }

    @Override
    public long clientNewLeaders()
    {
        return newLeaders;
    }

    /** @return 0: the echo service answers every command it is given. */
    @Override
    public long failedResponses()
    {
        return 0;
    }

    @Override
    public void onMessage(
        final long clusterSessionId,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final Header header)
    {
        responses.onResponse(buffer.getLong(offset));
    }

    @Override
    public void onNewLeader(
        final long clusterSessionId,
        final long leadershipTermId,
        final int leaderMemberId,
        final String ingressEndpoints)
    {
        newLeaders++;
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(cluster, driver);
    }
}
