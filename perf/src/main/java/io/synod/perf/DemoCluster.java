package io.synod.perf;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.synod.client.ClientContext;
import io.synod.node.ClusterKey;
import io.synod.node.Context;
import io.synod.LatencyReport;
import io.synod.client.ResponseListener;
import io.synod.client.SynodClient;
import io.synod.node.SynodNode;
import io.synod.client.ResponseCode;
import io.synod.Role;
import io.synod.log.DurabilityPolicy;
import io.synod.log.InMemoryPaxosLog;
import io.synod.node.CounterStateMachine;
import io.synod.IdleStrategies;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A 3-node cluster on loopback in one JVM, a client sending 32-byte commands to a counter state machine: first at a
 * fixed rate (latency measured from each command's intended send time, so a stall is not hidden by coordinated
 * omission), then closed-loop for maximum throughput. Prints the configuration beside every figure.
 * <p>
 * Built for a small machine: one shared-mode media driver for the whole JVM, and by default the three node agents
 * run on the client's thread through their agent invokers (below 4 cores; on one thread of their own otherwise), so
 * at most two threads are ever busy (driver, client with nodes), with yielding idle strategies. Settings, as system
 * properties: {@code demo.rate} (commands/s, default 10000),
 * {@code demo.seconds} (per run, default 10), {@code demo.warmup.seconds} (default 10), {@code demo.window}
 * (outstanding commands in the closed-loop run, default 64), {@code demo.node.threads} (0: on the client's thread,
 * 1: one thread for the three, 3: a thread each), {@code demo.idle} (yielding, backoff, busy-spin, sleeping; default
 * yielding below 8 cores), {@code demo.log} (memory, the default: entries in chunks of direct memory, which grow
 * with the run and are bounded by {@code -XX:MaxDirectMemorySize}; or mapped: segment files in a temporary directory,
 * durability NONE, for runs that must not be bounded by memory). The warm-up is a closed loop of at most 600 000
 * commands, for the JIT. After the warm-up and after the last run it prints the heap used after a full GC, the
 * process's resident set and the direct and mapped buffers in use.
 */
public final class DemoCluster
{
    private static final int MESSAGE_LENGTH = 32;
    private static final int BASE_PORT = Integer.getInteger("demo.port", 20700);

    private DemoCluster()
    {
    }

    /**
     * @param args none.
     * @throws Exception if the cluster cannot start.
     */
    public static void main(final String[] args) throws Exception
    {
        final int rate = Integer.getInteger("demo.rate", 10_000);
        final int seconds = Integer.getInteger("demo.seconds", 10);
        final int warmupSeconds = Integer.getInteger("demo.warmup.seconds", 10);
        final int window = Integer.getInteger("demo.window", 64);
        final int cores = Runtime.getRuntime().availableProcessors();
        // Below 4 cores the nodes share the client's thread: two busy threads (driver, client+nodes) fit 2 cores,
        // a third would wait a scheduler tick (milliseconds) whenever all of them want to run.
        final int nodeThreads = Integer.getInteger("demo.node.threads", cores >= 4 ? 1 : 0);
        // Yielding while at most one busy thread per core; busy-spin needs a core per spinning thread and more.
        final String idle = System.getProperty("demo.idle", cores >= 8 ? "busy-spin" : "yielding");
        final String members = "0=127.0.0.1:" + BASE_PORT + ":" + (BASE_PORT + 50) + ",1=127.0.0.1:" + (BASE_PORT + 1) +
            ":" + (BASE_PORT + 51) + ",2=127.0.0.1:" + (BASE_PORT + 2) + ":" + (BASE_PORT + 52);

        final File aeronDir = Files.createTempDirectory("synod-demo-aeron").toFile();
        final File logDir = Files.createTempDirectory("synod-demo-log").toFile();
        final boolean mappedLog = "mapped".equals(System.getProperty("demo.log", "memory"));
        final MediaDriver driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(aeronDir.getAbsolutePath())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(IdleStrategies.of(idle, 0, "demo.idle"))
            .termBufferSparseFile(true)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        final SynodNode[] nodes = new SynodNode[3];
        final String clusterKey = ClusterKey.generate(); // every node of the demo is started here, so shares it
        AgentRunner nodesRunner = null;
        SynodClient client = null;
        AllNodes allNodes = null;
        try
        {
            for (int i = 0; i < 3; i++)
            {
                final Context context = new Context()
                    .nodeId(i)
                    .members(members)
                    .embeddedDriver(false)
                    .aeronDirectoryName(aeronDir.getAbsolutePath())
                    .idleStrategyName(idle)
                    .useAgentInvoker(nodeThreads <= 1)
                    .termLength(4 * 1024 * 1024)
                    .stateMachine(new CounterStateMachine());
                context.peers().clusterKey(clusterKey);
                context.log()
                    .logDirectory(mappedLog ? new File(logDir, "node-" + i).getPath() : null)
                    .durability(DurabilityPolicy.NONE)
                    .logFactory(mappedLog ? null : (ctx) -> new InMemoryPaxosLog(ctx.maxPayloadLength()));
                nodes[i] = SynodNode.launch(context);
            }
            allNodes = nodeThreads == 0 ? new AllNodes(nodes) : null;
            if (nodeThreads == 1)
            {
                nodesRunner = new AgentRunner(IdleStrategies.of(idle, 0, "demo.idle"), Throwable::printStackTrace,
                    null, new AllNodes(nodes));
                AgentRunner.startOnThread(nodesRunner);
            }

            final Context ctx = nodes[0].context();
            System.out.println("=== Synod demo cluster ===");
            System.out.printf(Locale.ROOT, "machine: %d cores, JDK %s%n", cores, System.getProperty("java.version"));
            System.out.printf(Locale.ROOT, "cluster: 3 nodes on loopback UDP (%s), one shared-mode media driver, " +
                "node agents on %s, %s%n", members, nodeThreads == 0 ? "the client's thread" :
                nodeThreads == 1 ? "one thread" : "three threads", mappedLog ?
                "memory-mapped logs (durability NONE) in " + logDir : "in-memory logs (direct memory chunks)");
            System.out.printf(Locale.ROOT, "idle strategy: %s (driver, nodes, client); threading mode: %s; " +
                "heartbeat %d ms, election timeout %d ms%n", idle, ThreadingMode.SHARED,
                TimeUnit.NANOSECONDS.toMillis(ctx.heartbeatIntervalNs()),
                TimeUnit.NANOSECONDS.toMillis(ctx.electionTimeoutNs()));
            System.out.printf(Locale.ROOT, "commands: %d bytes, counter state machine; client window %d%n",
                MESSAGE_LENGTH, window);

            if (allNodes != null)
            {
                final AllNodes driving = allNodes;
                // The nodes need driving while connect() blocks this thread. Stopped by a flag, never by interrupt:
                // an interrupt landing inside a node's blocking Aeron call (adding a client's egress publication)
                // breaks that node.
                final AtomicBoolean stillConnecting = new AtomicBoolean(true);
                final Thread connecting = new Thread(() ->
                {
                    while (stillConnecting.get())
                    {
                        driving.doWork();
                        Thread.yield();
                    }
                });
                connecting.start();
                try
                {
                    client = connect(members, aeronDir, window, idle);
                }
                finally
                {
                    stillConnecting.set(false);
                    connecting.join();
                }
            }
            else
            {
                client = connect(members, aeronDir, window, idle);
            }
            nodesOnClientThread = allNodes;
            System.out.println("leader: node " + leader(nodes) + ", client session " + client.sessionId());

            closedLoop(client, warmupSeconds, window, new Histogram(3), 600_000);
            printMemory("after warm-up");
            for (final SynodNode node : nodes)
            {
                node.metrics().reset();
            }

            final Histogram fixed = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            final double fixedThroughput = fixedRate(client, rate, seconds, fixed);
            System.out.println();
            System.out.printf(Locale.ROOT, "--- fixed rate: %d commands/s for %d s, latency from intended send " +
                "time (idle %s, %s driver, %d-byte commands) ---%n", rate, seconds, idle, ThreadingMode.SHARED,
                MESSAGE_LENGTH);
            System.out.printf(Locale.ROOT, "achieved %.0f commands/s%n", fixedThroughput);
            LatencyReport.printHeader(System.out, "us");
            LatencyReport.printRow(System.out, "client end-to-end", fixed, 1000.0);
            System.out.println("leader node " + leader(nodes) + " histograms:");
            nodes[Math.max(0, leader(nodes))].metrics().printTo(System.out);
            for (final SynodNode node : nodes)
            {
                node.metrics().reset();
            }

            final Histogram closed = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            final double maxThroughput = closedLoop(client, seconds, window, closed, Long.MAX_VALUE);
            System.out.println();
            System.out.printf(Locale.ROOT, "--- closed loop: %d outstanding for %d s (idle %s, %s driver, " +
                "%d-byte commands) ---%n", window, seconds, idle, ThreadingMode.SHARED, MESSAGE_LENGTH);
            System.out.printf(Locale.ROOT, "throughput %.0f commands/s%n", maxThroughput);
            LatencyReport.printHeader(System.out, "us");
            LatencyReport.printRow(System.out, "client end-to-end", closed, 1000.0);
            System.out.println("leader node " + leader(nodes) + " histograms:");
            nodes[Math.max(0, leader(nodes))].metrics().printTo(System.out);
            System.out.println();
            final long settleEndNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            while (System.nanoTime() < settleEndNs)
            {
                pollAll(client); // let followers learn the last commit index before the summary
                Thread.yield();
            }
            for (final SynodNode node : nodes)
            {
                System.out.println("node " + node.nodeId() + ": role=" + node.role() + " applied=" + node.appliedIndex() +
                    " " + node.context().stateMachine() + " elections=" + node.counters().electionsStarted() + " step-downs=" + node.counters().stepDowns() +
                    " back-pressure=" + node.counters().backPressureEvents() +
                    " dropped peer/client=" + node.counters().peerMessagesDropped() + "/" +
                    node.counters().clientMessagesDropped());
            }
            System.out.println("client: " + client);
            printMemory("at the end");
        }
        finally
        {
            CloseHelper.quietClose(client);
            CloseHelper.quietClose(nodesRunner);
            for (final SynodNode node : nodes)
            {
                CloseHelper.quietClose(node);
            }
            CloseHelper.quietClose(driver);
            IoUtil.delete(aeronDir, true);
            IoUtil.delete(logDir, true);
        }
    }

    private static final boolean PROGRESS = Boolean.getBoolean("demo.progress");
    private static AllNodes nodesOnClientThread;

    /**
     * Heap used after a full GC, resident set (Linux), and the direct and mapped buffers the JVM tracks: what a run
     * that must not grow with history is judged by. The GC runs between measurements, never inside one.
     */
    private static void printMemory(final String when)
    {
        System.gc();
        final long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = 0;
        long mapped = 0;
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        {
            if ("direct".equals(pool.getName()))
            {
                direct = pool.getMemoryUsed();
            }
            else if ("mapped".equals(pool.getName()))
            {
                mapped = pool.getMemoryUsed();
            }
        }
        String rss = "unknown";
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith("VmRSS:"))
                {
                    rss = line.substring("VmRSS:".length()).trim();
                }
            }
        }
        catch (final IOException | UncheckedIOException ignore)
        {
            // Not Linux: no resident set to print.
        }
        System.out.printf(Locale.ROOT, "memory %s: heap used after GC %.1f MiB (max %d MiB), RSS %s, direct %.1f MiB, " +
            "mapped %.1f MiB%n", when, heap / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576, rss,
            direct / 1048576.0, mapped / 1048576.0);
    }

    private static SynodClient connect(final String members, final File aeronDir, final int window, final String idle)
    {
        return SynodClient.connect(new ClientContext()
            .members(members)
            .embeddedDriver(false)
            .aeronDirectoryName(aeronDir.getAbsolutePath())
            .egressChannel("aeron:udp?endpoint=127.0.0.1:0")
            .maxOutstanding(Integer.highestOneBit(Math.max(1, window - 1)) * 2)
            .idleStrategyName(idle));
    }

    private static int pollAll(final SynodClient client)
    {
        int work = client.poll();
        if (nodesOnClientThread != null)
        {
            work += nodesOnClientThread.doWork();
        }
        return work;
    }

    private static int leader(final SynodNode[] nodes)
    {
        for (final SynodNode node : nodes)
        {
            if (node.role() == Role.LEADER)
            {
                return node.nodeId();
            }
        }
        return -1;
    }

    /**
     * Offer commands at their intended times; a command is late when the window is full or the thread was late, and
     * its latency counts from when it should have been sent.
     */
    private static double fixedRate(
        final SynodClient client, final int rate, final int seconds, final Histogram histogram)
    {
        final long intervalNs = TimeUnit.SECONDS.toNanos(1) / rate;
        final long total = (long)rate * seconds;
        final int mask = client.context().maxOutstanding() - 1;
        final long[] intendedNs = new long[mask + 1];
        final long[] completed = { 0 };
        final ResponseListener listener = (sequence, code, slot, payload, offset, length) ->
        {
            check(code);
            histogram.recordValue(Math.min(System.nanoTime() - intendedNs[(int)(sequence & mask)],
                histogram.getHighestTrackableValue()));
            completed[0]++;
        };
        final UnsafeBuffer command = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
        final long startNs = System.nanoTime();
        // Bounded: a run that cannot finish says so and what the client saw, instead of spinning for ever.
        final long deadlineNs = startNs + TimeUnit.SECONDS.toNanos(2L * seconds + 30);
        long sent = 0;
        while (completed[0] < total)
        {
            if (System.nanoTime() > deadlineNs)
            {
                System.out.println("fixed-rate run incomplete after " + (2L * seconds + 30) + " s: " + completed[0] +
                    " of " + total + " completed, " + sent + " sent; " + client);
                break;
            }
            final long nowNs = System.nanoTime();
            while (sent < total && startNs + sent * intervalNs <= nowNs)
            {
                command.putLong(0, sent);
                final long sequence = client.offer(command, 0, MESSAGE_LENGTH, listener);
                if (sequence == SynodClient.WINDOW_FULL)
                {
                    break; // still late: the latency keeps counting from the intended time
                }
                intendedNs[(int)(sequence & mask)] = startNs + sent * intervalNs;
                sent++;
            }
            if (pollAll(client) == 0)
            {
                Thread.onSpinWait();
            }
        }
        return completed[0] * 1e9 / (System.nanoTime() - startNs);
    }

    private static double closedLoop(
        final SynodClient client, final int seconds, final int window, final Histogram histogram, final long limit)
    {
        final int mask = client.context().maxOutstanding() - 1;
        final long[] sentNs = new long[mask + 1];
        final long[] completed = { 0 };
        final ResponseListener listener = (sequence, code, slot, payload, offset, length) ->
        {
            check(code);
            histogram.recordValue(Math.min(System.nanoTime() - sentNs[(int)(sequence & mask)],
                histogram.getHighestTrackableValue()));
            completed[0]++;
        };
        final UnsafeBuffer command = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
        final long startNs = System.nanoTime();
        final long endNs = startNs + TimeUnit.SECONDS.toNanos(seconds);
        long value = 0;
        long nextProgressNs = startNs + TimeUnit.SECONDS.toNanos(1);
        long lastCompleted = 0;
        while (System.nanoTime() < endNs && completed[0] < limit)
        {
            if (PROGRESS && System.nanoTime() > nextProgressNs)
            {
                nextProgressNs += TimeUnit.SECONDS.toNanos(1);
                System.out.println("  " + (completed[0] - lastCompleted) + " commands/s " + client);
                lastCompleted = completed[0];
            }
            while (client.outstanding() < window)
            {
                command.putLong(0, value);
                final long nowNs = System.nanoTime();
                final long sequence = client.offer(command, 0, MESSAGE_LENGTH, listener);
                if (sequence == SynodClient.WINDOW_FULL)
                {
                    break;
                }
                sentNs[(int)(sequence & mask)] = nowNs;
                value++;
            }
            if (pollAll(client) == 0)
            {
                Thread.onSpinWait();
            }
        }
        final double throughput = completed[0] * 1e9 / (System.nanoTime() - startNs);
        final long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.outstanding() > 0 && System.nanoTime() < drainDeadline)
        {
            pollAll(client);
        }
        return throughput;
    }

    private static void check(final ResponseCode code)
    {
        if (code != ResponseCode.OK && code != ResponseCode.DUPLICATE)
        {
            throw new IllegalStateException("command refused: " + code);
        }
    }

    /**
     * The three node agents on one thread: each node's invoker in turn.
     */
    private static final class AllNodes implements Agent
    {
        private final AgentInvoker[] invokers;

        AllNodes(final SynodNode[] nodes)
        {
            invokers = new AgentInvoker[nodes.length];
            for (int i = 0; i < nodes.length; i++)
            {
                invokers[i] = nodes[i].invoker();
            }
        }

        public int doWork()
        {
            int work = 0;
            for (final AgentInvoker invoker : invokers)
            {
                work += invoker.invoke();
            }
            return work;
        }

        public String roleName()
        {
            return "synod-demo-nodes";
        }
    }

}
