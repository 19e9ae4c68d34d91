package io.synod.node;

import io.synod.CommonContext;
import io.synod.Configuration;
import io.synod.StateMachine;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.ConfigurationException;
import io.synod.core.CoreConfig;
import io.synod.IdleStrategies;
import org.agrona.concurrent.IdleStrategy;

import java.util.function.Consumer;

/**
 * Every setting of a {@link SynodNode}: members, channels, stream ids, timers, limits, threading, idle strategy,
 * log and observability. Fluent setters; defaults from {@link Configuration} (system properties {@code synod.*});
 * {@link #conclude()} validates once and fails with a {@link ConfigurationException} naming the setting.
 */
public final class Context extends CommonContext<Context>
{
    private int nodeId = Configuration.integer(Configuration.NODE_ID_PROP, -1);
    private int clusterId = Configuration.integer(Configuration.CLUSTER_ID_PROP, Configuration.CLUSTER_ID_DEFAULT);
    private boolean bootstrap = Configuration.bool(Configuration.BOOTSTRAP_PROP, Configuration.BOOTSTRAP_DEFAULT);
    private long heartbeatIntervalNs =
        Configuration.duration(Configuration.HEARTBEAT_INTERVAL_PROP, Configuration.HEARTBEAT_INTERVAL_DEFAULT_NS);
    private long electionTimeoutNs =
        Configuration.duration(Configuration.ELECTION_TIMEOUT_PROP, Configuration.ELECTION_TIMEOUT_DEFAULT_NS);
    private int maxMessageLength =
        Configuration.size(Configuration.MAX_MESSAGE_LENGTH_PROP, Configuration.MAX_MESSAGE_LENGTH_DEFAULT);
    private int maxBatchEntries =
        Configuration.integer(Configuration.MAX_BATCH_ENTRIES_PROP, Configuration.MAX_BATCH_ENTRIES_DEFAULT);
    private int windowEntries =
        Configuration.integer(Configuration.WINDOW_ENTRIES_PROP, Configuration.WINDOW_ENTRIES_DEFAULT);
    private long sessionTimeoutNs =
        Configuration.duration(Configuration.SESSION_TIMEOUT_PROP, Configuration.SESSION_TIMEOUT_DEFAULT_NS);
    private int maxSessions = Configuration.integer(Configuration.MAX_SESSIONS_PROP, Configuration.MAX_SESSIONS_DEFAULT);
    private int maxSessionWindow =
        Configuration.integer(Configuration.MAX_SESSION_WINDOW_PROP, Configuration.MAX_SESSION_WINDOW_DEFAULT);
    private final PeerSettings peers = new PeerSettings();
    private final ClientAdmission admission = new ClientAdmission();
    private final LogSettings log = new LogSettings();
    private int fragmentLimit =
        Configuration.integer(Configuration.FRAGMENT_LIMIT_PROP, Configuration.FRAGMENT_LIMIT_DEFAULT);
    private String threadingModeName =
        Configuration.string(Configuration.THREADING_MODE_PROP, Configuration.THREADING_MODE_DEFAULT);
    private boolean useAgentInvoker = Configuration.bool(
        Configuration.USE_AGENT_INVOKER_PROP, Configuration.USE_AGENT_INVOKER_DEFAULT);
    private String histogramLogFile = Configuration.string(Configuration.HISTOGRAM_LOG_PROP, null);
    private long histogramLogIntervalNs = Configuration.duration(
        Configuration.HISTOGRAM_LOG_INTERVAL_PROP, Configuration.HISTOGRAM_LOG_INTERVAL_DEFAULT_NS);

    private IdleStrategy driverIdleStrategy;
    private ThreadingMode threadingMode;
    private StateMachine stateMachine;
    private CoreConfig coreConfig;

    /**
     * Validate every setting once and fill derived ones.
     *
     * @return this.
     * @throws ConfigurationException naming the first bad setting.
     */
    public Context conclude()
    {
        if (isConcluded())
        {
            return this;
        }
        if (stateMachine == null)
        {
            throw new ConfigurationException("stateMachine must be set: the user's deterministic StateMachine");
        }
        concludeCommon(io.aeron.CommonContext.getAeronDirectoryName() + "-synod-node-" + nodeId,
            "synod node " + nodeId);
        if (member(nodeId) == null)
        {
            throw new ConfigurationException("nodeId (" + Configuration.NODE_ID_PROP + ") " + nodeId +
                " is not one of the members " + members());
        }
        requirePositive("heartbeatIntervalNs", heartbeatIntervalNs);
        requirePositive("electionTimeoutNs", electionTimeoutNs);
        if (maxMessageLength + PeerTrailer.LENGTH > termLength() / 8)
        {
            throw new ConfigurationException("maxMessageLength (" + Configuration.MAX_MESSAGE_LENGTH_PROP + ") " +
                maxMessageLength + " and the " + PeerTrailer.LENGTH + "-byte peer trailer are above Aeron's largest " +
                "message for termLength " + termLength() + " (termLength / 8 = " + termLength() / 8 + ")");
        }
        peers.conclude(ingressStreamId(), termLength(), maxMessageLength);
        admission.conclude(maxPayloadLength());
        log.conclude();
        requirePositive("fragmentLimit", fragmentLimit);
        requirePositive("histogramLogIntervalNs", histogramLogIntervalNs);
        if (threadingMode == null)
        {
            try
            {
                threadingMode = ThreadingMode.valueOf(threadingModeName);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigurationException("threadingMode (" + Configuration.THREADING_MODE_PROP + ") " +
                    threadingModeName + " must be INVOKER, SHARED, SHARED_NETWORK or DEDICATED");
            }
        }
        if (driverIdleStrategy == null)
        {
            driverIdleStrategy = IdleStrategies.of(idleStrategyName(), busySpinMinCores(), Configuration.IDLE_STRATEGY_PROP);
        }

        final int[] memberIds = new int[clusterMembers().length];
        for (int i = 0; i < memberIds.length; i++)
        {
            memberIds[i] = clusterMembers()[i].id();
        }
        coreConfig = new CoreConfig()
            .nodeId(nodeId)
            .memberIds(memberIds)
            .clusterId(clusterId)
            .bootstrap(bootstrap)
            // A learner's rejoin nonce must differ from any used before its log was lost, whatever the clocks do.
            .incarnation(new java.security.SecureRandom().nextLong())
            .heartbeatIntervalNs(heartbeatIntervalNs)
            .electionTimeoutNs(electionTimeoutNs)
            .maxMessageLength(maxMessageLength)
            .maxPayloadLength(maxPayloadLength())
            .maxBatchEntries(maxBatchEntries)
            .windowEntries(windowEntries)
            .sessionTimeoutNs(sessionTimeoutNs)
            .maxSessions(maxSessions)
            .maxSessionWindow(maxSessionWindow)
            .maxSessionsPerPrincipal(admission.maxSessionsPerPrincipal());
        try
        {
            coreConfig.conclude();
        }
        catch (final IllegalStateException ex)
        {
            throw new ConfigurationException(ex.getMessage()); // names the setting, as Context does
        }
        markConcluded();
        return this;
    }

    /**
     * @return the settings that decide which clients this node takes and what each may hold: authentication,
     * response channels, caps on clients and sessions, per-client queues and timeouts. Set them through it.
     */
    public ClientAdmission admission()
    {
        return admission;
    }

    /**
     * @return how this node reaches its peers and proves its messages are a member's: the cluster key, the peer
     * streams, the per-peer queues and data budget. Set them through it.
     */
    public PeerSettings peers()
    {
        return peers;
    }

    /**
     * @return where and how this node keeps its log: directory, durability, segment size, or a factory of its own.
     * Set them through it.
     */
    public LogSettings log()
    {
        return log;
    }

    /**
     * Set client admission settings without leaving a chain of Context setters:
     * {@code new Context().nodeId(0).admission((a) -> a.maxClients(64)).peers((p) -> p.clusterKeyFile(file))}.
     *
     * @param settings applied to {@link #admission()} now.
     * @return this.
     */
    public Context admission(final Consumer<ClientAdmission> settings)
    {
        settings.accept(admission);
        return this;
    }

    /**
     * @param settings applied to {@link #peers()} now.
     * @return this.
     */
    public Context peers(final Consumer<PeerSettings> settings)
    {
        settings.accept(peers);
        return this;
    }

    /**
     * @param settings applied to {@link #log()} now.
     * @return this.
     */
    public Context log(final Consumer<LogSettings> settings)
    {
        settings.accept(log);
        return this;
    }

    /** @return the core's settings, after {@link #conclude()}. */
    public CoreConfig coreConfig()
    {
        return coreConfig;
    }

    public String toString()
    {
        return "Context{nodeId=" + nodeId + ", members=" + members() + ", clusterId=" + clusterId +
            ", bootstrap=" + bootstrap + ", peers=" + peers +
            ", ingressStreamId=" + ingressStreamId() + ", termLength=" + termLength() +
            ", heartbeatIntervalNs=" + heartbeatIntervalNs + ", electionTimeoutNs=" + electionTimeoutNs +
            ", maxMessageLength=" + maxMessageLength + ", maxPayloadLength=" + maxPayloadLength() +
            ", maxBatchEntries=" + maxBatchEntries + ", windowEntries=" + windowEntries +
            ", sessionTimeoutNs=" + sessionTimeoutNs + ", maxSessions=" + maxSessions +
            ", maxSessionWindow=" + maxSessionWindow + ", admission=" + admission +
            ", idleStrategy=" + (idleStrategy() != null ? idleStrategy() : IdleStrategies.resolve(idleStrategyName(),
            busySpinMinCores())) + ", threadingMode=" + threadingModeName + ", embeddedDriver=" + embeddedDriver() +
            ", aeronDirectoryName=" + aeronDirectoryName() + ", useAgentInvoker=" + useAgentInvoker +
            ", log=" + log + ", histogramLogFile=" + histogramLogFile + '}';
    }

    // ---- settings ----

    /** @return this node's id. */
    public int nodeId()
    {
        return nodeId;
    }

    /**
     * @param nodeId this node's id, one of the members.
     * @return this.
     */
    public Context nodeId(final int nodeId)
    {
        this.nodeId = nodeId;
        return this;
    }

    /** @return true if an empty log votes at once: the very first start of a brand-new cluster. */
    public boolean bootstrap()
    {
        return bootstrap;
    }

    /**
     * Etcd's {@code initial-cluster-state=new}; property {@code synod.bootstrap}, default false.
     * <p>
     * With false, a node whose log is empty (first start, or a disk lost, wiped or replaced) starts as a non-voting
     * learner: it asks every other member for its promise and log end, catches up, and only then votes. A brand-new
     * cluster whose members all start together forms that way. Set true only for the very first start of a new
     * cluster that must form with just a majority up, and remove it afterwards: a node restarted with an empty log and
     * bootstrap set would vote with nothing and can undo acknowledged commands.
     *
     * @param bootstrap true to let an empty log vote at once.
     * @return this.
     */
    public Context bootstrap(final boolean bootstrap)
    {
        this.bootstrap = bootstrap;
        return this;
    }

    /** @return cluster id carried in heartbeats. */
    public int clusterId()
    {
        return clusterId;
    }

    /**
     * @param clusterId carried in heartbeats; heartbeats of another cluster are reported and dropped.
     * @return this.
     */
    public Context clusterId(final int clusterId)
    {
        this.clusterId = clusterId;
        return this;
    }

    /** @return heartbeat interval in ns. */
    public long heartbeatIntervalNs()
    {
        return heartbeatIntervalNs;
    }

    /**
     * @param heartbeatIntervalNs how often each node sends a heartbeat.
     * @return this.
     */
    public Context heartbeatIntervalNs(final long heartbeatIntervalNs)
    {
        this.heartbeatIntervalNs = heartbeatIntervalNs;
        return this;
    }

    /** @return election timeout in ns. */
    public long electionTimeoutNs()
    {
        return electionTimeoutNs;
    }

    /**
     * @param electionTimeoutNs leader silence after which an election starts; at least 2 heartbeats.
     * @return this.
     */
    public Context electionTimeoutNs(final long electionTimeoutNs)
    {
        this.electionTimeoutNs = electionTimeoutNs;
        return this;
    }

    /** @return largest peer message. */
    public int maxMessageLength()
    {
        return maxMessageLength;
    }

    /**
     * @param maxMessageLength largest peer message (Accept batch, Promise chunk).
     * @return this.
     */
    public Context maxMessageLength(final int maxMessageLength)
    {
        this.maxMessageLength = maxMessageLength;
        return this;
    }

    /** @return most entries in one Accept. */
    public int maxBatchEntries()
    {
        return maxBatchEntries;
    }

    /**
     * @param maxBatchEntries most entries in one Accept.
     * @return this.
     */
    public Context maxBatchEntries(final int maxBatchEntries)
    {
        this.maxBatchEntries = maxBatchEntries;
        return this;
    }

    /** @return most slots proposed and not chosen. */
    public int windowEntries()
    {
        return windowEntries;
    }

    /**
     * @param windowEntries most slots proposed and not yet chosen; beyond it commands are answered BUSY.
     * @return this.
     */
    public Context windowEntries(final int windowEntries)
    {
        this.windowEntries = windowEntries;
        return this;
    }

    /** @return session expiry by log time. */
    public long sessionTimeoutNs()
    {
        return sessionTimeoutNs;
    }

    /**
     * @return most client sessions the cluster holds.
     */
    public int maxSessions()
    {
        return maxSessions;
    }

    /**
     * @param maxSessions most client sessions the cluster holds ({@code synod.max.sessions}, default 100,000); a
     *                    session open beyond it is refused with TOO_MANY_SESSIONS. The same on every member.
     * @return this.
     */
    public Context maxSessions(final int maxSessions)
    {
        this.maxSessions = maxSessions;
        return this;
    }

    /**
     * @return most responses one session keeps for retries.
     */
    public int maxSessionWindow()
    {
        return maxSessionWindow;
    }

    /**
     * @param maxSessionWindow most responses one session keeps for retries ({@code synod.max.session.window},
     *                         default 1,024, at most 65,536): a client's window (its most outstanding commands) is
     *                         granted up to this at session open, so every command of it retried after a failover
     *                         gets its own response. The replicated state holds up to maxSessions x maxSessionWindow
     *                         responses. Only the leader's value counts: the window granted is written into the log.
     * @return this.
     */
    public Context maxSessionWindow(final int maxSessionWindow)
    {
        this.maxSessionWindow = maxSessionWindow;
        return this;
    }

    /**
     * @param sessionTimeoutNs a session idle this long in log time is expired.
     * @return this.
     */
    public Context sessionTimeoutNs(final long sessionTimeoutNs)
    {
        this.sessionTimeoutNs = sessionTimeoutNs;
        return this;
    }

    /** @return fragments polled per subscription per duty cycle. */
    public int fragmentLimit()
    {
        return fragmentLimit;
    }

    /**
     * @param fragmentLimit fragments polled per subscription per duty cycle.
     * @return this.
     */
    public Context fragmentLimit(final int fragmentLimit)
    {
        this.fragmentLimit = fragmentLimit;
        return this;
    }

    /** @return the embedded driver's idle strategy. */
    public IdleStrategy driverIdleStrategy()
    {
        return driverIdleStrategy;
    }

    /**
     * @param driverIdleStrategy the embedded driver's idle strategy (all its agents).
     * @return this.
     */
    public Context driverIdleStrategy(final IdleStrategy driverIdleStrategy)
    {
        this.driverIdleStrategy = driverIdleStrategy;
        return this;
    }

    /** @return the embedded driver's threading mode by name. */
    public String threadingModeName()
    {
        return threadingModeName;
    }

    /**
     * @param threadingModeName SHARED, SHARED_NETWORK or DEDICATED.
     * @return this.
     */
    public Context threadingModeName(final String threadingModeName)
    {
        this.threadingModeName = threadingModeName;
        return this;
    }

    /** @return the embedded driver's threading mode. */
    public ThreadingMode threadingMode()
    {
        return threadingMode;
    }

    /**
     * @param threadingMode the embedded driver's threading mode; SHARED (one thread) by default; INVOKER runs the
     *                      driver in the node agent's duty cycle (one thread for node and driver).
     * @return this.
     */
    public Context threadingMode(final ThreadingMode threadingMode)
    {
        this.threadingMode = threadingMode;
        return this;
    }

    /** @return whether the application's thread runs the agent. */
    public boolean useAgentInvoker()
    {
        return useAgentInvoker;
    }

    /**
     * @param useAgentInvoker run the node agent on the application's thread through {@link SynodNode#invoker()}.
     * @return this.
     */
    public Context useAgentInvoker(final boolean useAgentInvoker)
    {
        this.useAgentInvoker = useAgentInvoker;
        return this;
    }

    /** @return the user's state machine. */
    public StateMachine stateMachine()
    {
        return stateMachine;
    }

    /**
     * @param stateMachine the user's deterministic state machine, empty; required.
     * @return this.
     */
    public Context stateMachine(final StateMachine stateMachine)
    {
        this.stateMachine = stateMachine;
        return this;
    }

    /** @return file of interval histogram logs, null if disabled. */
    public String histogramLogFile()
    {
        return histogramLogFile;
    }

    /**
     * @param histogramLogFile file to write interval histograms to (.hlog), null (default) to disable.
     * @return this.
     */
    public Context histogramLogFile(final String histogramLogFile)
    {
        this.histogramLogFile = histogramLogFile;
        return this;
    }

    /** @return interval of histogram logs. */
    public long histogramLogIntervalNs()
    {
        return histogramLogIntervalNs;
    }

    /**
     * @param histogramLogIntervalNs interval of histogram logs.
     * @return this.
     */
    public Context histogramLogIntervalNs(final long histogramLogIntervalNs)
    {
        this.histogramLogIntervalNs = histogramLogIntervalNs;
        return this;
    }

}
