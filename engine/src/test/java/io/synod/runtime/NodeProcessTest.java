package io.synod.runtime;

import io.synod.ClientContext;
import io.synod.ResponseListener;
import io.synod.SynodClient;
import io.synod.codecs.ResponseCode;
import org.agrona.IoUtil;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three node processes (separate JVMs, each with its own embedded driver) and a client in this JVM writing all the
 * time, while the leader is SIGKILLed and restarted on its memory-mapped log, then a follower is SIGKILLed and
 * restarted wiped (log deleted: it catches up from the leader), and the leader of the moment is paused with SIGSTOP
 * and resumed. Afterwards every acknowledged command is applied exactly once on every node, in the same order.
 * <p>
 * {@code -Dsynod.process.rounds=N} repeats the fault sequence N times (default 1; {@code -Psoak} runs 10 rounds of
 * longer phases).
 */
class NodeProcessTest
{
    private static final int BASE_PORT = 21900;
    private static final int NODES = 3;
    private static final long PHASE_MS = Long.getLong("synod.process.phase.ms", 1500);
    private static final int ROUNDS = Integer.getInteger("synod.process.rounds", 1);

    private final File dir = new File("target/process-test-" + System.nanoTime()).getAbsoluteFile();
    private final Process[] processes = new Process[NODES];
    private final int[] starts = new int[NODES];
    private final LongHashSet acknowledged = new LongHashSet();
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[32]);
    private final ResponseListener listener = (sequence, code, slot, payload, offset, length) ->
    {
        assertTrue(code == ResponseCode.OK || code == ResponseCode.DUPLICATE, "sequence " + sequence + ": " + code);
        acknowledged.add(sequence - 1); // the value sent with sequence s is s - 1
    };
    private long nextValue;

    private String members()
    {
        return "0=127.0.0.1:" + BASE_PORT + ":" + (BASE_PORT + 50) + ",1=127.0.0.1:" + (BASE_PORT + 1) + ":" +
            (BASE_PORT + 51) + ",2=127.0.0.1:" + (BASE_PORT + 2) + ":" + (BASE_PORT + 52);
    }

    private File appliedFile(final int id)
    {
        return new File(dir, "applied-" + id + ".txt");
    }

    private File logDir(final int id)
    {
        return new File(dir, "log-" + id);
    }

    private void start(final int id) throws IOException
    {
        final List<String> command = new ArrayList<>(Arrays.asList(
            ProcessHandle.current().info().command().orElse("java"),
            "-cp", System.getProperty("java.class.path"),
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Dsynod.test.applied.file=" + appliedFile(id),
            SynodNodeMain.class.getName(),
            "--node.id=" + id,
            "--members=" + members(),
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

    private static void signal(final Process process, final String signal) throws Exception
    {
        final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        assertEquals(0, kill.waitFor(), "kill -" + signal + " " + process.pid());
    }

    private void write(final SynodClient client, final long durationMs)
    {
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(durationMs);
        while (System.nanoTime() < end)
        {
            if (client.outstanding() < 8)
            {
                command.putLong(0, nextValue);
                if (client.offer(command, 0, command.capacity(), listener) != SynodClient.WINDOW_FULL)
                {
                    nextValue++;
                }
            }
            if (client.poll() == 0)
            {
                Thread.yield();
            }
        }
    }

    private void drain(final SynodClient client)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (client.outstanding() > 0)
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("outstanding commands not answered in 30 s: " + client);
            }
            if (client.poll() == 0)
            {
                Thread.yield();
            }
        }
    }

    private long[] applied(final int id)
    {
        try
        {
            return Files.readAllLines(appliedFile(id).toPath()).stream()
                .filter((line) -> !line.isEmpty()).mapToLong(Long::parseLong).toArray();
        }
        catch (final IOException ex)
        {
            return new long[0];
        }
    }

    @Test
    void acknowledgedCommandsSurviveKillsAndPausesExactlyOnce() throws Exception
    {
        assertTrue(dir.mkdirs());
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
                .termLength(256 * 1024)
                .maxPayloadLength(1024)
                .maxOutstanding(16)
                .idleStrategy(new BackoffIdleStrategy())
                .responseTimeoutNs(TimeUnit.MILLISECONDS.toNanos(500))
                .connectTimeoutNs(TimeUnit.SECONDS.toNanos(60))))
            {
                write(client, PHASE_MS);
                for (int round = 0; round < ROUNDS; round++)
                {
                    final int leader = client.targetNodeId();
                    processes[leader].destroyForcibly().waitFor();
                    write(client, PHASE_MS);
                    start(leader);
                    write(client, PHASE_MS);

                    final int follower = (client.targetNodeId() + 1) % NODES;
                    processes[follower].destroyForcibly().waitFor();
                    IoUtil.delete(logDir(follower), false);
                    write(client, PHASE_MS);
                    start(follower);
                    write(client, PHASE_MS);

                    final int paused = client.targetNodeId();
                    signal(processes[paused], "STOP");
                    write(client, PHASE_MS);
                    signal(processes[paused], "CONT");
                    write(client, PHASE_MS);
                }
                drain(client);
                System.out.println("process test: " + acknowledged.size() + " acknowledged of " + nextValue +
                    " sent; " + client);
            }

            final long sent = nextValue;
            TestCluster.awaitTrue(() ->
            {
                for (int i = 0; i < NODES; i++)
                {
                    if (applied(i).length < acknowledged.size())
                    {
                        return false;
                    }
                }
                return applied(0).length == applied(1).length && applied(1).length == applied(2).length;
            }, 30_000, () -> "all nodes to apply the " + acknowledged.size() + " acknowledged commands, applied " +
                applied(0).length + "/" + applied(1).length + "/" + applied(2).length);

            final long[] reference = applied(0);
            for (int i = 0; i < NODES; i++)
            {
                final long[] values = applied(i);
                assertTrue(Arrays.equals(reference, values), "node " + i + " applied a different sequence");
                final LongHashSet seen = new LongHashSet();
                for (final long value : values)
                {
                    assertTrue(value >= 0 && value < sent, "node " + i + " applied " + value + " never sent");
                    assertTrue(seen.add(value), "node " + i + " applied " + value + " twice");
                }
                for (final long value : acknowledged)
                {
                    assertTrue(seen.contains(value), "node " + i + " lost acknowledged " + value);
                }
            }
            assertTrue(acknowledged.size() > 100, "enough commands acknowledged: " + acknowledged.size());
        }
        finally
        {
            for (final Process process : processes)
            {
                if (process != null && process.isAlive())
                {
                    new ProcessBuilder("kill", "-CONT", Long.toString(process.pid())).start().waitFor();
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            if (!Boolean.getBoolean("synod.keep.test.dirs"))
            {
                IoUtil.delete(dir, true);
            }
        }
    }
}
