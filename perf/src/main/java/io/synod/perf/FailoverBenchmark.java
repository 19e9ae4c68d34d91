package io.synod.perf;

import io.aeron.CncFileDescriptor;
import io.synod.client.ClientContext;
import io.synod.client.ResponseListener;
import io.synod.client.SynodClient;
import io.synod.node.NodeCounters;
import io.synod.node.SynodNodeMain;
import org.HdrHistogram.Histogram;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Leadership under load and across failovers, with three node processes (each {@link SynodNodeMain} with its embedded
 * driver and a mapped log) and a client in this process:
 * <ol>
 *     <li><b>steady</b>: closed loop with a window of commands for a while; counts elections and the gaps of 50 ms or
 *     more between two responses (issue 8's goal: none of either);</li>
 *     <li><b>failover</b>: the client sends a command every millisecond; the leader (found by its role counter) is
 *     SIGKILLed, and the time from the kill to the response to the first command offered after it is recorded (that
 *     command can only be committed by the next leader); the node is restarted on its log and given time to catch
 *     up; repeated.</li>
 * </ol>
 * Prints the configuration, then the figures. Not a test: it asserts nothing.
 * <pre>
 * java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -cp perf/target/synod-benchmarks.jar \
 *     io.synod.perf.FailoverBenchmark [--window=1024] [--steady.seconds=60]
 *     [--kills=20] [--idle=backoff] [--dir=/dev/shm/synod-failover]
 * </pre>
 */
public final class FailoverBenchmark
{
    private static final int BASE_PORT = 25100;
    private static final int NODES = 3;
    private static final long GAP_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private final int window;
    private final long steadyNs;
    private final int kills;
    private final String idle;
    private final String segmentLength;
    private final File dir;
    private final Process[] processes = new Process[NODES];
    private final int[] starts = new int[NODES];
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[32]);
    private long lastResponseNs;
    private long responses;
    private long gapsOver50ms;
    private long maxGapNs;
    private long lastOfferedSequence;
    private long killSequence = Long.MAX_VALUE;
    private long firstAfterKillNs;
    private final ResponseListener listener = (sequence, code, slot, payload, offset, length) -> onResponse(sequence);

    private FailoverBenchmark(final String[] args)
    {
        window = Integer.parseInt(option(args, "window", "1024"));
        steadyNs = TimeUnit.SECONDS.toNanos(Long.parseLong(option(args, "steady.seconds", "60")));
        kills = Integer.parseInt(option(args, "kills", "20"));
        idle = option(args, "idle", "backoff");
        segmentLength = option(args, "segment.length", Integer.toString(64 * 1024 * 1024));
        final String shm = Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : System.getProperty("java.io.tmpdir");
        dir = new File(option(args, "dir", shm + "/synod-failover-" + ProcessHandle.current().pid()));
    }

    private static String option(final String[] args, final String name, final String defaultValue)
    {
        for (final String arg : args)
        {
            if (arg.startsWith("--" + name + "="))
            {
                return arg.substring(name.length() + 3);
            }
            if ("--help".equals(arg) || "-h".equals(arg))
            {
                System.out.println("usage: FailoverBenchmark [--window=1024] [--steady.seconds=60] [--kills=20] " +
                    "[--idle=backoff|yielding|sleeping] [--segment.length=67108864] " +
                    "[--dir=<directory for logs and Aeron>]");
                System.exit(0);
            }
        }
        return defaultValue;
    }

    /**
     * @param args see the class comment.
     * @throws Exception if a process cannot be started or signalled.
     */
    public static void main(final String[] args) throws Exception
    {
        new FailoverBenchmark(args).run();
    }

    private void run() throws Exception
    {
        System.out.printf("config: %d node processes (embedded SHARED driver, idle %s, mapped log NONE in %s, " +
            "segments of %s bytes), heartbeat 10 ms, election timeout 100 ms, 32-byte commands, client idle backoff, " +
            "%d cores%n", NODES, idle, dir, segmentLength, Runtime.getRuntime().availableProcessors());
        if (!dir.mkdirs() && !dir.isDirectory())
        {
            throw new IOException("cannot create " + dir);
        }
        try
        {
            for (int i = 0; i < NODES; i++)
            {
                start(i);
            }
            try (SynodClient client = SynodClient.connect(new ClientContext()
                .members(members())
                .aeronDirectoryName(new File(dir, "aeron-client").getPath())
                .egressChannel("aeron:udp?endpoint=127.0.0.1:0")
                .maxPayloadLength(1024)
                .maxOutstanding(Math.max(window, 16))
                .idleStrategy(new BackoffIdleStrategy())
                .connectTimeoutNs(TimeUnit.SECONDS.toNanos(60))))
            {
                steady(client);
                failovers(client);
            }
        }
        finally
        {
            for (final Process process : processes)
            {
                if (process != null)
                {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            IoUtil.delete(dir, true);
        }
    }

    private void steady(final SynodClient client)
    {
        final long electionsBefore = elections();
        resetGaps();
        final long end = System.nanoTime() + steadyNs;
        while (System.nanoTime() < end)
        {
            if (client.outstanding() < window)
            {
                offer(client);
            }
            if (client.poll() == 0)
            {
                Thread.onSpinWait();
            }
        }
        final long elections = elections() - electionsBefore;
        System.out.printf("steady: closed loop, window %d, %d s: %,d responses (%,d/s), %d gaps >= 50 ms, " +
            "longest gap %.1f ms, %d elections%n", window, TimeUnit.NANOSECONDS.toSeconds(steadyNs), responses,
            responses * 1_000_000_000L / steadyNs, gapsOver50ms, maxGapNs / 1e6, elections);
    }

    private void failovers(final SynodClient client) throws Exception
    {
        final Histogram gaps = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        for (int kill = 0; kill < kills; kill++)
        {
            sendAtOnePerMs(client, TimeUnit.MILLISECONDS.toNanos(500)); // steady before the kill
            final int leader = leader();
            if (leader < 0)
            {
                System.out.printf("kill %d: no leader found in the nodes' counters; skipped%n", kill + 1);
                continue;
            }
            // Commands offered from now on can only be committed by the next leader. The clock starts at the signal:
            // waitFor() returns only once the process is gone, tens of milliseconds later for a large mapped log.
            killSequence = lastOfferedSequence;
            firstAfterKillNs = 0;
            final long killedAt = System.nanoTime();
            processes[leader].destroyForcibly().waitFor();
            final long deadline = killedAt + TimeUnit.SECONDS.toNanos(30);
            while (firstAfterKillNs == 0 && System.nanoTime() < deadline)
            {
                sendAtOnePerMs(client, TimeUnit.MILLISECONDS.toNanos(1));
            }
            killSequence = Long.MAX_VALUE;
            final long gap = (firstAfterKillNs == 0 ? deadline : firstAfterKillNs) - killedAt;
            gaps.recordValue(Math.max(1, gap));
            System.out.printf("kill %d: node %d SIGKILLed; first command offered after the kill committed %.1f ms " +
                "after it%n", kill + 1, leader, gap / 1e6);
            start(leader);
            awaitCaughtUp(client, leader);
        }
        System.out.printf("failover: %d leader kills, time from the kill to the first command committed after it: " +
            "p50 %.1f ms, max %.1f ms " +
            "(goal: under 3 election timeouts = 300 ms)%n",
            kills, gaps.getValueAtPercentile(50) / 1e6, gaps.getMaxValue() / 1e6);
    }

    /**
     * The restarted node recovers its log, applies it again (there are no snapshots yet) and catches up from the
     * leader: wait for that, so that every kill hits a healthy cluster of three.
     */
    private void awaitCaughtUp(final SynodClient client, final int restarted)
    {
        final long start = System.nanoTime();
        final long deadline = start + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline)
        {
            sendAtOnePerMs(client, TimeUnit.MILLISECONDS.toNanos(200));
            final int leader = leader();
            final long leaderApplied = leader >= 0 ? counter(leader, "applied index") : -1;
            final long applied = counter(restarted, "applied index");
            if (leader >= 0 && applied >= 0 && leaderApplied - applied < 1_000)
            {
                final double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("        node %d caught up in %.1f s%n", restarted, seconds);
                return;
            }
        }
        System.out.printf("        node %d did not catch up within 120 s%n", restarted);
    }

    private void sendAtOnePerMs(final SynodClient client, final long durationNs)
    {
        final long end = System.nanoTime() + durationNs;
        long nextSendNs = System.nanoTime();
        while (System.nanoTime() < end)
        {
            if (System.nanoTime() >= nextSendNs && client.outstanding() < 16)
            {
                offer(client);
                nextSendNs += TimeUnit.MILLISECONDS.toNanos(1);
            }
            if (client.poll() == 0)
            {
                Thread.onSpinWait();
            }
        }
    }

    private void offer(final SynodClient client)
    {
        command.putLong(0, responses);
        final long sequence = client.offer(command, 0, command.capacity(), listener);
        if (sequence > 0)
        {
            lastOfferedSequence = sequence;
        }
    }

    private void onResponse(final long sequence)
    {
        final long now = System.nanoTime();
        if (sequence > killSequence && firstAfterKillNs == 0)
        {
            firstAfterKillNs = now;
        }
        if (lastResponseNs != 0)
        {
            final long gap = now - lastResponseNs;
            if (gap >= GAP_NS)
            {
                gapsOver50ms++;
            }
            maxGapNs = Math.max(maxGapNs, gap);
        }
        lastResponseNs = now;
        responses++;
    }

    private void resetGaps()
    {
        responses = 0;
        gapsOver50ms = 0;
        maxGapNs = 0;
        lastResponseNs = 0;
    }

    private String members()
    {
        final StringBuilder members = new StringBuilder();
        for (int i = 0; i < NODES; i++)
        {
            members.append(i == 0 ? "" : ",").append(i).append("=127.0.0.1:").append(BASE_PORT + i).append(':')
                .append(BASE_PORT + 50 + i);
        }
        return members.toString();
    }

    private File aeronDir(final int id)
    {
        return new File(dir, "aeron-" + id + "-" + starts[id]);
    }

    private void start(final int id) throws IOException
    {
        starts[id]++;
        final List<String> command = new ArrayList<>(Arrays.asList(
            ProcessHandle.current().info().command().orElse("java"),
            "-cp", System.getProperty("java.class.path"),
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "-Xmx512m",
            SynodNodeMain.class.getName(),
            "--node.id=" + id,
            "--members=" + members(),
            "--cluster.key.file=" + clusterKeyFile(),
            "--aeron.dir=" + aeronDir(id),
            "--log.dir=" + new File(dir, "log-" + id),
            "--idle.strategy=" + idle,
            "--log.segment.length=" + segmentLength,
            "--max.payload.length=1024",
            "--status.interval.ms=60000"));
        processes[id] = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(dir, "node-" + id + ".log")))
            .start();
    }

    /** Sum of the "elections started" counters of the live nodes' current incarnations. */
    private long elections()
    {
        long sum = 0;
        for (int id = 0; id < NODES; id++)
        {
            sum += Math.max(0, counter(id, "elections started"));
        }
        return sum;
    }

    /** @return the node whose role counter says LEADER (2), -1 if none does. */
    private int leader()
    {
        for (int id = 0; id < NODES; id++)
        {
            if (counter(id, "role (0 follower, 1 candidate, 2 leader)") == 2)
            {
                return id;
            }
        }
        return -1;
    }

    /**
     * @return the value of the node's Synod counter with that label (after "synod node N "), -1 if the node is down.
     */
    private long counter(final int id, final String name)
    {
        final File cnc = new File(aeronDir(id), CncFileDescriptor.CNC_FILE);
        if (!processes[id].isAlive() || cnc.length() < CncFileDescriptor.END_OF_METADATA_OFFSET)
        {
            return -1; // down, or its driver is still creating the file
        }
        final MappedByteBuffer buffer;
        try
        {
            buffer = IoUtil.mapExistingFile(cnc, "cnc");
        }
        catch (final RuntimeException ex)
        {
            return -1; // the node went down meanwhile
        }
        try
        {
            final org.agrona.DirectBuffer metaData = CncFileDescriptor.createMetaDataBuffer(buffer);
            final CountersReader counters = new CountersReader(
                CncFileDescriptor.createCountersMetaDataBuffer(buffer, metaData),
                CncFileDescriptor.createCountersValuesBuffer(buffer, metaData));
            final String label = "synod node " + id + " " + name;
            final long[] found = {-1};
            counters.forEach((counterId, typeId, keyBuffer, counterLabel) ->
            {
                if (typeId >= NodeCounters.TYPE_ID_BASE && counterLabel.equals(label))
                {
                    found[0] = counters.getCounterValue(counterId);
                }
            });
            return found[0];
        }
        catch (final RuntimeException ex)
        {
            return -1; // a driver still laying out its file
        }
        finally
        {
            IoUtil.unmap(buffer);
        }
    }

    /**
     * A cluster key shared by the node processes, in a file (a flag would show the key in the process list).
     */
    private String clusterKeyFile() throws IOException
    {
        final File file = new File(dir, "cluster.key");
        if (!file.exists())
        {
            dir.mkdirs();
            Files.write(file.toPath(), io.synod.node.ClusterKey.generate().getBytes(
                java.nio.charset.StandardCharsets.US_ASCII));
        }
        return file.getAbsolutePath();
    }
}
