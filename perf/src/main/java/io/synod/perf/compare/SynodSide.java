package io.synod.perf.compare;

import io.synod.client.ClientContext;
import io.synod.client.ResponseListener;
import io.synod.client.SynodClient;
import io.synod.client.ResponseCode;
import io.synod.node.SynodNodeMain;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Everything Synod-specific in the comparison (the only class importing Synod): the node processes' arguments
 * ({@link SynodNodeMain}, mapped log with durability NONE, embedded SHARED driver) and the load client's target
 * ({@link SynodClient}, one session).
 */
public final class SynodSide implements LoadTarget
{
    /** The system's name on the command line. */
    public static final String NAME = "synod";
    private static final int NODES = 3;

    private final File dir;
    private final SynodClient client;
    private final ResponseListener listener;
    private long responsesNotOk;

    private SynodSide(final LoadOptions options, final File dir, final Responses responses)
    {
        this.dir = dir;
        this.listener = (final long sequence, final ResponseCode code, final long slot, final DirectBuffer payload,
            final int offset, final int length) ->
        {
            if (code != ResponseCode.OK)
            {
                responsesNotOk++;
            }
            responses.onResponse(sequence);
        };
        client = SynodClient.connect(new ClientContext()
            .members(members(options.portBase))
            .aeronDirectoryName(new File(dir, "aeron-client").getPath())
            .egressChannel("aeron:udp?endpoint=127.0.0.1:0")
            .maxPayloadLength(Math.max(1024, options.messageLength))
            .maxOutstanding(maxOutstanding(options))
            .idleStrategyName(options.idle)
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(60)));
    }

    /** @return a connected client; the nodes must be starting or up. */
    public static SynodSide connect(final LoadOptions options, final File dir, final Responses responses)
    {
        return new SynodSide(options, dir, responses);
    }

    /** @return the main class of a node process. */
    public static Class<?> nodeMain()
    {
        return NodeMain.class;
    }

    /** @return the arguments of node {@code id}'s process. */
    public static List<String> nodeArgs(final LoadOptions options, final File dir, final int id)
    {
        return new ArrayList<>(List.of(
            "--node.id=" + id,
            "--members=" + members(options.portBase),
            "--cluster.key.file=" + clusterKeyFile(dir),
            "--aeron.dir=" + aeronDir(dir, id),
            "--log.dir=" + new File(dir, "log-" + id),
            "--log.durability=NONE",
            "--idle.strategy=" + options.idle,
            "--driver.threading.mode=" + options.synodDriver,
            "--max.payload.length=" + Math.max(1024, options.messageLength),
            "--max.session.window=" + Math.max(1024, maxOutstanding(options)),
            "--status.interval.ms=0"));
    }

    /**
     * The nodes' shared cluster key (peer authentication is on by default), made once per run in a file so it stays
     * out of the process list.
     */
    private static String clusterKeyFile(final File dir)
    {
        final File file = new File(dir, "cluster.key");
        if (!file.exists())
        {
            try
            {
                dir.mkdirs();
                java.nio.file.Files.writeString(file.toPath(), io.synod.node.ClusterKey.generate());
            }
            catch (final java.io.IOException ex)
            {
                throw new java.io.UncheckedIOException(ex);
            }
        }
        return file.getAbsolutePath();
    }

    /** @return the Synod setup in words, for the printed configuration. */
    public static String describe(final String driverThreading)
    {
        return "Synod: SynodNodeMain per node (" + ("INVOKER".equalsIgnoreCase(driverThreading) ?
            "embedded INVOKER driver run by the node agent: 1 thread" :
            "embedded " + driverThreading + " driver: 1 thread; node agent: 1 thread") + "), mapped log " +
            "durability NONE, peers authenticated (HMAC-SHA256 cluster key), heartbeat and election timeout at " +
            "their defaults; SynodClient, one session";
    }

    @Override
    public long offer(final UnsafeBuffer command)
    {
        final long sequence = client.offer(command, 0, command.capacity(), listener);
        return Math.max(0, sequence);
    }

    @Override
    public int poll()
    {
        return client.poll();
    }

    @Override
    public long leaderChanges()
    {
        long sum = 0;
        for (int id = 0; id < NODES; id++)
        {
            final long started = CncCounters.read(aeronDir(dir, id), CncCounters.ANY_TYPE,
                "synod node " + id + " elections started");
            sum += Math.max(0, started);
        }
        return sum;
    }

    @Override
    public long clientNewLeaders()
    {
        return client.newLeaders();
    }

    @Override
    public long failedResponses()
    {
        return responsesNotOk;
    }

    @Override
    public void close()
    {
        client.close();
    }

    /** @return node {@code id}'s Aeron directory (its counters) under the run's directory. */
    public static File aeronDir(final File dir, final int id)
    {
        return new File(dir, "aeron-" + id);
    }

    /** @return node {@code id}'s client ingress endpoint, host:port. */
    public static String ingressEndpoint(final int portBase, final int id)
    {
        return "127.0.0.1:" + (portBase + 150 + id);
    }

    private static String members(final int portBase)
    {
        final StringBuilder members = new StringBuilder();
        for (int i = 0; i < NODES; i++)
        {
            members.append(i == 0 ? "" : ",").append(i).append("=127.0.0.1:").append(portBase + 100 + i).append(':')
                .append(portBase + 150 + i);
        }
        return members.toString();
    }

    /** The client keeps as many outstanding as any phase needs; the nodes keep a response for each. */
    private static int maxOutstanding(final LoadOptions options)
    {
        int max = options.maxOutstanding;
        for (final int window : options.windows)
        {
            max = Math.max(max, window);
        }
        return max;
    }

    /** A Synod node process that also exits when the harness is gone. */
    static final class NodeMain
    {
        private NodeMain()
        {
        }

        /**
         * @param args {@link SynodNodeMain}'s.
         * @throws Exception if the node cannot start.
         */
        public static void main(final String[] args) throws Exception
        {
            ChildProcesses.exitWithParent();
            SynodNodeMain.main(args);
        }
    }
}
