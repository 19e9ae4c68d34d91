package io.synod.node;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.synod.client.ClientContext;
import io.synod.Role;
import io.synod.log.InMemoryPaxosLog;
import io.synod.log.PaxosLog;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Three nodes in one JVM over real Aeron UDP on 127.0.0.1, sharing one shared-mode embedded media driver. Each node
 * keeps its log object, so a node can be restarted from its log or wiped.
 */
final class TestCluster implements AutoCloseable
{
    static final long HEARTBEAT_NS = TimeUnit.MILLISECONDS.toNanos(10);
    /** The key every node of a test cluster shares. */
    static final String CLUSTER_KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    static final long ELECTION_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(100);

    final int basePort;
    final int size;
    final File aeronDir;
    final MediaDriver driver;
    final SynodNode[] nodes;
    final RecordingStateMachine[] stateMachines;
    final InMemoryPaxosLog[] logs;
    final List<Throwable> errors = new ArrayList<>();

    private final UnaryOperator<Context> customizer;
    private final PortLease ports;

    TestCluster(final int basePort, final int size)
    {
        this(basePort, size, UnaryOperator.identity());
    }

    TestCluster(final int basePort, final int size, final UnaryOperator<Context> customizer)
    {
        this.customizer = customizer;
        this.basePort = basePort;
        this.size = size;
        // Before anything binds: the same test run from another clone at the same time waits here for these ports,
        // instead of its nodes failing to bind and its clients talking to this run's nodes (PortLease says more).
        this.ports = PortLease.acquire(basePort, NodeProcesses.ports(basePort, size), PortLease.DEFAULT_WAIT_NS);
        aeronDir = new File(System.getProperty("java.io.tmpdir"), "synod-test-" + basePort + "-" + System.nanoTime());
        nodes = new SynodNode[size];
        stateMachines = new RecordingStateMachine[size];
        logs = new InMemoryPaxosLog[size];
        MediaDriver launched = null;
        try
        {
            launched = MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(aeronDir.getAbsolutePath())
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new BackoffIdleStrategy())
                .termBufferSparseFile(true)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
            driver = launched;
            for (int i = 0; i < size; i++)
            {
                logs[i] = new InMemoryPaxosLog(Short.MAX_VALUE);
                start(i);
            }
        }
        catch (final RuntimeException ex)
        {
            for (final SynodNode node : nodes)
            {
                CloseHelper.quietClose(node);
            }
            CloseHelper.quietClose(launched);
            ports.close();
            throw ex;
        }
    }

    String members()
    {
        final StringBuilder members = new StringBuilder();
        for (int i = 0; i < size; i++)
        {
            members.append(i == 0 ? "" : ",").append(i).append("=127.0.0.1:").append(basePort + i)
                .append(':').append(basePort + 50 + i);
        }
        return members.toString();
    }

    /**
     * @return the settings of a client of this cluster, for tests to adjust before connecting.
     */
    ClientContext clientContext()
    {
        return new ClientContext()
            .members(members())
            .embeddedDriver(false)
            .aeronDirectoryName(aeronDir.getAbsolutePath())
            .egressChannel("aeron:udp?endpoint=127.0.0.1:0")
            .termLength(256 * 1024)
            .maxPayloadLength(1024)
            .idleStrategy(new BackoffIdleStrategy())
            .responseTimeoutNs(TimeUnit.MILLISECONDS.toNanos(500))
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(10));
    }

    Context context(final int id)
    {
        final PaxosLog log = logs[id];
        final Context context = new Context()
            .nodeId(id)
            .members(members())
            .embeddedDriver(false)
            .aeronDirectoryName(aeronDir.getAbsolutePath())
            .idleStrategy(new BackoffIdleStrategy())
            .heartbeatIntervalNs(HEARTBEAT_NS)
            .electionTimeoutNs(ELECTION_TIMEOUT_NS)
            .maxPayloadLength(1024)
            .maxMessageLength(64 * 1024)
            .termLength(1024 * 1024)
            .stateMachine(stateMachines[id])
            .errorHandler(this::onError);
        context.peers().clusterKey(CLUSTER_KEY).peerQueueCapacity(1024 * 1024);
        context.admission().egressQueueCapacity(64 * 1024);
        context.log().logFactory((ctx) -> log);
        return customizer.apply(context);
    }

    private synchronized void onError(final Throwable throwable)
    {
        errors.add(throwable);
        System.err.println("node error: " + throwable);
    }

    synchronized List<Throwable> errors()
    {
        return new ArrayList<>(errors);
    }

    void start(final int id)
    {
        stateMachines[id] = new RecordingStateMachine();
        nodes[id] = SynodNode.launch(context(id));
    }

    void stop(final int id)
    {
        CloseHelper.close(nodes[id]);
        nodes[id] = null;
    }

    void wipe(final int id)
    {
        logs[id] = new InMemoryPaxosLog(Short.MAX_VALUE);
    }

    int leader()
    {
        for (int i = 0; i < size; i++)
        {
            if (nodes[i] != null && nodes[i].role() == Role.LEADER)
            {
                return i;
            }
        }
        return -1;
    }

    int awaitLeader(final long timeoutMs)
    {
        awaitTrue(() -> leader() >= 0, timeoutMs, () -> "a leader among " + describe());
        return leader();
    }

    String describe()
    {
        final StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < size; i++)
        {
            final SynodNode node = nodes[i];
            s.append(i).append(node == null ? ":down" : ":" + node.role() + " leader=" + node.leaderId() +
                " commit=" + node.commitIndex() + " applied=" + node.appliedIndex() + " sm=" + stateMachines[i].size())
                .append(i + 1 < size ? ", " : "]");
        }
        return s.toString();
    }

    static void awaitTrue(final BooleanSupplier condition, final long timeoutMs, final Supplier<String> expected)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + expected.get());
            }
            try
            {
                Thread.sleep(1);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    public void close()
    {
        for (int i = 0; i < size; i++)
        {
            CloseHelper.quietClose(nodes[i]);
        }
        CloseHelper.quietClose(driver);
        IoUtil.delete(aeronDir, true);
        ports.close(); // last: nothing of this run binds the ports any more
    }
}
