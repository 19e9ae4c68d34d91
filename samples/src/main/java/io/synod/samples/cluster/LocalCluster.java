package io.synod.samples.cluster;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.synod.IdleStrategies;
import io.synod.Role;
import io.synod.StateMachine;
import io.synod.client.ClientContext;
import io.synod.client.SynodClient;
import io.synod.node.ClusterKey;
import io.synod.node.Context;
import io.synod.node.SynodNode;
import org.agrona.BitUtil;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A replicated state machine in one JVM through the public API only: {@code nodeCount} {@link SynodNode}s over
 * Aeron UDP on 127.0.0.1, one shared embedded media driver, and one {@link SynodClient} whose
 * {@link ClientCommandSender} is the cluster's {@link CommandSender}. Each node keeps its log in memory.
 * <p>
 * Threads: one per node agent, one for the driver (shared threading mode), and the caller's, which polls the
 * client. {@link #idleStrategyName(int)} picks yielding only if the machine has a core for each of them, back-off
 * (spin, yield, then park up to 1 ms; {@link IdleStrategies}) otherwise, so no more threads spin than there are
 * cores.
 * <p>
 * The state machine objects passed in belong to the node threads while they run: read them after
 * {@link #awaitReplicasApplied} and {@link #close()}, which stops those threads. A node's role and indexes live in
 * its Aeron counters, unmapped when it closes: {@link #role(int)} and {@link #appliedIndex(int)} answer the values
 * seen just before {@link #close()}.
 *
 * @param <S> the sample's state machine type, so tests and demos can read each replica's state.
 */
public final class LocalCluster<S extends StateMachine> implements AutoCloseable
{
    /** Heartbeat interval of the nodes: a leader is elected in a few hundred milliseconds. */
    public static final long HEARTBEAT_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Election timeout of the nodes. */
    public static final long ELECTION_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How long to wait for a leader, a session, a response, or the replicas to catch up. */
    public static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private static final int INGRESS_PORT_OFFSET = 50;

    private final File aeronDir;
    private final String idleStrategyName;
    private final List<S> replicas = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();
    private MediaDriver driver;
    private SynodNode[] nodes;
    private Role[] closedRoles;
    private long[] closedAppliedIndexes;
    private boolean closed;
    private SynodClient client;
    private ClientCommandSender sender;

    /**
     * Start the driver and the nodes, wait until one leads, and connect the client (which opens its session).
     *
     * @param basePort         node i listens to peers on basePort + i and to clients on basePort + 50 + i.
     * @param nodeCount        members, ids 0 to nodeCount - 1.
     * @param maxPayloadLength largest command and response in bytes.
     * @param newReplica       makes one empty state machine per node.
     */
    public LocalCluster(
        final int basePort, final int nodeCount, final int maxPayloadLength, final Supplier<S> newReplica)
    {
        idleStrategyName = idleStrategyName(nodeCount);
        aeronDir = new File(
            System.getProperty("java.io.tmpdir"), "synod-samples-" + basePort + "-" + System.nanoTime());
        try
        {
            start(basePort, nodeCount, maxPayloadLength, newReplica);
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /**
     * @param nodeCount nodes in one JVM.
     * @return "yielding" if every thread (the nodes, the driver, the client) can have a core, else "backoff".
     */
    public static String idleStrategyName(final int nodeCount)
    {
        return Runtime.getRuntime().availableProcessors() >= busyThreads(nodeCount) ? "yielding" : "backoff";
    }

    private static int busyThreads(final int nodeCount)
    {
        return nodeCount + 2;
    }

    private void start(
        final int basePort, final int nodeCount, final int maxPayloadLength, final Supplier<S> newReplica)
    {
        driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(aeronDir.getAbsolutePath())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(IdleStrategies.of(idleStrategyName, 0, "samples driver idle strategy"))
            .termBufferSparseFile(true)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));

        final String members = members(basePort, nodeCount);
        // A peer message carries at least one whole command; Aeron's largest message is an eighth of the term.
        final int maxMessageLength = Math.max(64 * 1024, 2 * maxPayloadLength + 1024);
        final int termLength = Math.max(1024 * 1024, BitUtil.findNextPositivePowerOfTwo(8 * maxMessageLength));
        final int egressQueueCapacity =
            BitUtil.findNextPositivePowerOfTwo(Math.max(64 * 1024, 2 * (maxPayloadLength + 64)));
        nodes = new SynodNode[nodeCount];
        final String clusterKey = ClusterKey.generate(); // every node is started here, so all can share it
        for (int i = 0; i < nodeCount; i++)
        {
            final S replica = newReplica.get();
            replicas.add(replica);
            final Context context = new Context()
                .nodeId(i)
                .members(members)
                .bootstrap(true) // a brand-new cluster whose in-memory logs never outlive it
                .embeddedDriver(false)
                .aeronDirectoryName(aeronDir.getAbsolutePath())
                .idleStrategyName(idleStrategyName)
                .heartbeatIntervalNs(HEARTBEAT_INTERVAL_NS)
                .electionTimeoutNs(ELECTION_TIMEOUT_NS)
                .maxPayloadLength(maxPayloadLength)
                .maxMessageLength(maxMessageLength)
                .termLength(termLength)
                .stateMachine(replica)
                .errorHandler(this::onError);
            context.peers().clusterKey(clusterKey).peerQueueCapacity(termLength);
            context.admission().egressQueueCapacity(egressQueueCapacity);
            nodes[i] = SynodNode.launch(context);
        }
        awaitLeader();
        client = SynodClient.connect(new ClientContext()
            .members(members)
            .embeddedDriver(false)
            .aeronDirectoryName(aeronDir.getAbsolutePath())
            .egressChannel("aeron:udp?endpoint=127.0.0.1:0")
            .idleStrategyName(idleStrategyName)
            .termLength(termLength)
            .maxPayloadLength(maxPayloadLength)
            .connectTimeoutNs(TIMEOUT_NS)
            .errorHandler(this::onError));
        sender = new ClientCommandSender(client);
    }

    private static String members(final int basePort, final int nodeCount)
    {
        final StringBuilder members = new StringBuilder();
        for (int i = 0; i < nodeCount; i++)
        {
            members.append(i == 0 ? "" : ",").append(i).append("=127.0.0.1:").append(basePort + i)
                .append(':').append(basePort + INGRESS_PORT_OFFSET + i);
        }
        return members.toString();
    }

    /** @return sends commands on the cluster's client session; the caller's thread polls the client. */
    public CommandSender sender()
    {
        return sender;
    }

    /** @return the client, for its statistics. */
    public SynodClient client()
    {
        return client;
    }

    /**
     * Wait until every node has applied every slot the leader has chosen. Call once the last command was answered:
     * the replicas then hold the same commands, and after {@link #close()} their state can be read.
     *
     * @throws IllegalStateException if that does not happen within {@link #TIMEOUT_NS}.
     */
    public void awaitReplicasApplied()
    {
        awaitTrue(this::replicasCaughtUp, "every replica to apply every chosen slot");
    }

    /**
     * @param nodeId 0 to nodeCount - 1.
     * @return the state machine passed to that node: read it only after {@link #close()}.
     */
    public S replica(final int nodeId)
    {
        return replicas.get(nodeId);
    }

    /**
     * @param nodeId 0 to nodeCount - 1.
     * @return the running node (its counters are unmapped once it is closed).
     */
    public SynodNode node(final int nodeId)
    {
        return nodes[nodeId];
    }

    /**
     * @param nodeId 0 to nodeCount - 1.
     * @return the node's role, or its last role if the cluster is closed.
     */
    public Role role(final int nodeId)
    {
        return closedRoles != null ? closedRoles[nodeId] : nodes[nodeId].role();
    }

    /**
     * @param nodeId 0 to nodeCount - 1.
     * @return the slots the node has applied, or had when the cluster closed.
     */
    public long appliedIndex(final int nodeId)
    {
        return closedAppliedIndexes != null ? closedAppliedIndexes[nodeId] : nodes[nodeId].appliedIndex();
    }

    /** @return members. */
    public int nodeCount()
    {
        return nodes.length;
    }

    /** @return the idle strategy of the nodes, driver and client, with the reason. */
    public String describeIdleStrategy()
    {
        return idleStrategyName + " for " + busyThreads(nodes.length) + " threads (" + nodes.length +
            " nodes, 1 media driver, 1 client) on " + Runtime.getRuntime().availableProcessors() + " cores";
    }

    /** @return errors the nodes and the client reported: none in a healthy run. */
    public synchronized List<Throwable> errors()
    {
        return new ArrayList<>(errors);
    }

    /** @return each node's role, leader and indexes, for failure messages. */
    public String describeNodes()
    {
        final StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < nodes.length; i++)
        {
            final SynodNode node = nodes[i];
            text.append(i == 0 ? "" : ", ").append(i);
            if (node != null && closedRoles == null)
            {
                text.append(':').append(node.role()).append(" leader=").append(node.leaderId())
                    .append(" commit=").append(node.commitIndex()).append(" applied=").append(node.appliedIndex());
            }
        }
        return text.append(']').toString();
    }

    /** Close the client, stop the nodes (their threads end here), then the driver, and delete its directory. */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        CloseHelper.quietClose(client);
        if (nodes != null)
        {
            final Role[] roles = new Role[nodes.length];
            final long[] appliedIndexes = new long[nodes.length];
            for (int i = 0; i < nodes.length; i++)
            {
                if (nodes[i] != null)
                {
                    roles[i] = nodes[i].role();
                    appliedIndexes[i] = nodes[i].appliedIndex();
                }
            }
            closedRoles = roles;
            closedAppliedIndexes = appliedIndexes;
            for (final SynodNode node : nodes)
            {
                CloseHelper.quietClose(node);
            }
        }
        CloseHelper.quietClose(driver);
        IoUtil.delete(aeronDir, true);
    }

    private synchronized void onError(final Throwable throwable)
    {
        errors.add(throwable);
        System.err.println("synod error: " + throwable);
    }

    private void awaitLeader()
    {
        awaitTrue(() -> leaderId() >= 0, "a leader");
    }

    private int leaderId()
    {
        for (final SynodNode node : nodes)
        {
            if (node != null && node.role() == Role.LEADER)
            {
                return node.nodeId();
            }
        }
        return -1;
    }

    private boolean replicasCaughtUp()
    {
        final int leader = leaderId();
        if (leader < 0)
        {
            return false;
        }
        final long chosen = nodes[leader].commitIndex();
        for (final SynodNode node : nodes)
        {
            if (node.appliedIndex() != chosen)
            {
                return false;
            }
        }
        return true;
    }

    private void awaitTrue(final BooleanSupplier condition, final String awaited)
    {
        final long deadlineNs = System.nanoTime() + TIMEOUT_NS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("no " + awaited + " within " +
                    TimeUnit.NANOSECONDS.toMillis(TIMEOUT_NS) + " ms: " + describeNodes());
            }
            try
            {
                Thread.sleep(1);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + awaited);
            }
        }
    }
}
