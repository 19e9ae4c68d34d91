package io.synod.node;

import io.synod.client.ClientContext;
import org.agrona.IoUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Node processes for the process-level fault tests: each node a separate JVM ({@link SynodNodeMain}) with its own
 * embedded driver and a memory-mapped log, applying commands with {@link AppliedFileStateMachine} so the test can read
 * what each node applied. {@link #close()} stops every process it started and deletes the directory.
 * <p>
 * The ports are leased ({@link PortLease}) for the life of this object: a run of the same test from another clone
 * waits instead of sharing them.
 */
final class NodeProcesses implements AutoCloseable
{
    private static final String FOREIGN = "foreign";

    private final int basePort;
    private final int nodes;
    private final File dir;
    private boolean keepDirectory;
    private final Process[] processes;
    private final int[] starts;
    private final PortLease ports;
    private final long runId = ThreadLocalRandom.current().nextLong();

    NodeProcesses(final String name, final int basePort, final int nodes)
    {
        this.basePort = basePort;
        this.nodes = nodes;
        this.dir = new File("target/" + name + "-" + System.nanoTime()).getAbsoluteFile();
        this.processes = new Process[nodes];
        this.starts = new int[nodes];
        // Before anything starts: another run of this test (another clone's build) must not share the ports.
        this.ports = PortLease.acquire(basePort, ports(basePort, nodes), PortLease.DEFAULT_WAIT_NS);
        if (!dir.mkdirs())
        {
            ports.close();
            throw new IllegalStateException("cannot create " + dir);
        }
    }

    /**
     * @return every port the nodes bind: each member's peer port and ingress port (see {@link #members()}).
     */
    static int[] ports(final int basePort, final int nodes)
    {
        final int[] ports = new int[2 * nodes];
        for (int i = 0; i < nodes; i++)
        {
            ports[2 * i] = basePort + i;
            ports[2 * i + 1] = basePort + 50 + i;
        }
        return ports;
    }

    String members()
    {
        final StringBuilder members = new StringBuilder();
        for (int i = 0; i < nodes; i++)
        {
            members.append(i == 0 ? "" : ",").append(i).append("=127.0.0.1:").append(basePort + i).append(':')
                .append(basePort + 50 + i);
        }
        return members.toString();
    }

    File dir()
    {
        return dir;
    }

    File logDir(final int id)
    {
        return new File(dir, "log-" + id);
    }

    private File appliedFile(final int id)
    {
        return new File(dir, "applied-" + id + ".txt");
    }

    void start(final int id) throws IOException
    {
        final List<String> command = new ArrayList<>(Arrays.asList(
            ProcessHandle.current().info().command().orElse("java"),
            "-cp", System.getProperty("java.class.path"),
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Dsynod.test.applied.file=" + appliedFile(id),
            "-Dsynod.test.run.id=" + runId,
            SynodNodeMain.class.getName(),
            "--node.id=" + id,
            "--members=" + members(),
            "--cluster.key.file=" + clusterKeyFile(),
            "--aeron.dir=" + new File(dir, "aeron-" + id + "-" + starts[id]),
            "--log.dir=" + logDir(id),
            "--log.segment.length=" + (4 * 1024 * 1024),
            "--idle.strategy=backoff",
            "--heartbeat.interval.ns=" + TimeUnit.MILLISECONDS.toNanos(10),
            "--election.timeout.ns=" + TimeUnit.MILLISECONDS.toNanos(150),
            "--term.length=" + (1024 * 1024),
            "--max.message.length=" + (64 * 1024),
            "--max.payload.length=1024",
            "--peer.queue.capacity=" + (1024 * 1024),
            "--egress.queue.capacity=" + (64 * 1024),
            "--state.machine=" + AppliedFileStateMachine.class.getName(),
            "--status.interval.ms=1000"));
        processes[id] = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(dir, "node-" + id + ".log")))
            .start();
        starts[id]++;
    }

    /**
     * Mark a command buffer as this run's: its bytes 8 to 15 hold the run id, so a node applying a command of another
     * run's client (one that shares the ports) says so.
     *
     * @param command the test's command buffer, at least 16 bytes; the value goes in bytes 0 to 7.
     */
    void stamp(final MutableDirectBuffer command)
    {
        command.putLong(AppliedFileStateMachine.RUN_ID_OFFSET, runId);
    }

    Process process(final int id)
    {
        return processes[id];
    }

    void kill(final int id) throws InterruptedException
    {
        processes[id].destroyForcibly().waitFor();
    }

    void signal(final int id, final String signal) throws Exception
    {
        final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(processes[id].pid())).start();
        final int exit = kill.waitFor();
        if (exit != 0)
        {
            // The node is gone on its own: its log says why (it is deleted with the directory at close).
            System.err.println("node " + id + " is not running (" + processes[id] + "); its output:\n" +
                Files.readString(new File(dir, "node-" + id + ".log").toPath()));
        }
        assertEquals(0, exit, "kill -" + signal + " " + processes[id].pid());
    }

    /** Empty a node's log directory, as an operator replacing a lost or corrupt disk would. */
    void wipeLog(final int id)
    {
        IoUtil.delete(logDir(id), false);
    }

    /**
     * @return the values (first 8 bytes of each command) the node's current incarnation applied, in order.
     */
    long[] applied(final int id)
    {
        try
        {
            return Files.readAllLines(appliedFile(id).toPath()).stream()
                .filter((line) -> !line.isEmpty() && !line.startsWith(FOREIGN)).mapToLong(Long::parseLong).toArray();
        }
        catch (final IOException ex)
        {
            return new long[0];
        }
    }

    /**
     * @return the first command of another test run's client the node's current incarnation applied, or null.
     */
    private String foreign(final int id)
    {
        try
        {
            return Files.readAllLines(appliedFile(id).toPath()).stream()
                .filter((line) -> line.startsWith(FOREIGN)).findFirst().orElse(null);
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    /**
     * Wait until every node applied at least the acknowledged commands and all applied the same sequence, then check
     * it: the same values in the same order everywhere, each sent, none twice, every acknowledged one present.
     *
     * @param acknowledged values whose command was acknowledged.
     * @param sent         values sent are 0 to sent - 1.
     */
    void awaitSameAppliedEverywhere(final LongHashSet acknowledged, final long sent)
    {
        TestCluster.awaitTrue(() ->
        {
            final int length = applied(0).length;
            for (int i = 0; i < nodes; i++)
            {
                if (applied(i).length < acknowledged.size() || applied(i).length != length)
                {
                    return false;
                }
            }
            return true;
        }, 30_000, () -> "all nodes to apply the " + acknowledged.size() + " acknowledged commands, applied " +
            appliedCounts());

        try
        {
            checkSameApplied(acknowledged, sent);
        }
        catch (final AssertionError ex)
        {
            // Keep the evidence: applied files and node output stay for the post-mortem.
            keepDirectory = true;
            System.err.println("kept " + dir + " for the post-mortem: " + ex.getMessage());
            throw ex;
        }
    }

    private void checkSameApplied(final LongHashSet acknowledged, final long sent)
    {
        for (int i = 0; i < nodes; i++)
        {
            final String foreign = foreign(i);
            assertTrue(foreign == null, "node " + i + " applied a command of another test run's client (" + foreign +
                "): a run on the same ports, not a fault of this cluster");
        }
        final long[] reference = applied(0);
        for (int i = 0; i < nodes; i++)
        {
            final long[] values = applied(i);
            assertTrue(Arrays.equals(reference, values), "node " + i + " applied a different sequence");
            final LongHashSet seen = new LongHashSet();
            for (final long value : values)
            {
                assertTrue(value >= 0 && value < sent, "node " + i + " applied " + value + " never sent");
                assertTrue(seen.add(value), "node " + i + " applied " + value + " twice, at positions " +
                    indexOf(values, value) + " and " + lastIndexOf(values, value) + " of " + values.length);
            }
            for (final long value : acknowledged)
            {
                assertTrue(seen.contains(value), "node " + i + " lost acknowledged " + value);
            }
        }
    }

    private static int indexOf(final long[] values, final long value)
    {
        for (int i = 0; i < values.length; i++)
        {
            if (values[i] == value)
            {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(final long[] values, final long value)
    {
        for (int i = values.length - 1; i >= 0; i--)
        {
            if (values[i] == value)
            {
                return i;
            }
        }
        return -1;
    }

    private String appliedCounts()
    {
        final StringBuilder counts = new StringBuilder();
        for (int i = 0; i < nodes; i++)
        {
            counts.append(i == 0 ? "" : "/").append(applied(i).length);
        }
        return counts.toString();
    }

    ClientContext clientContext()
    {
        return new ClientContext()
            .members(members())
            .aeronDirectoryName(new File(dir, "aeron-client").getPath())
            .egressChannel("aeron:udp?endpoint=127.0.0.1:0")
            .termLength(256 * 1024)
            .maxPayloadLength(1024)
            .maxOutstanding(16)
            .idleStrategy(new BackoffIdleStrategy())
            .responseTimeoutNs(TimeUnit.MILLISECONDS.toNanos(500))
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(60));
    }

    public void close() throws Exception
    {
        for (final Process process : processes)
        {
            if (process != null && process.isAlive())
            {
                new ProcessBuilder("kill", "-CONT", Long.toString(process.pid())).start().waitFor();
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        ports.close(); // only once every node is gone: the next run may bind them
        if (!keepDirectory && !Boolean.getBoolean("synod.keep.test.dirs"))
        {
            IoUtil.delete(dir, true);
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
