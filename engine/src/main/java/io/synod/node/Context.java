package io.synod.node;

import io.synod.CommonContext;
import io.synod.Configuration;
import io.synod.StateMachine;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.ConfigurationException;
import io.synod.core.CoreConfig;
import io.synod.log.DurabilityPolicy;
import io.synod.log.InMemoryPaxosLog;
import io.synod.log.MappedLogConfig;
import io.synod.log.MappedPaxosLog;
import io.synod.log.PaxosLog;
import io.synod.IdleStrategies;
import org.agrona.concurrent.IdleStrategy;

import java.nio.file.Paths;

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
    private boolean peerAuthentication = Configuration.bool(
        Configuration.PEER_AUTHENTICATION_PROP, Configuration.PEER_AUTHENTICATION_DEFAULT);
    private String clusterKey = Configuration.string(Configuration.CLUSTER_KEY_PROP, null);
    private String clusterKeyFile = Configuration.string(Configuration.CLUSTER_KEY_FILE_PROP, null);
    private byte[] clusterKeyBytes;
    private int peerStreamId =
        Configuration.integer(Configuration.PEER_STREAM_ID_PROP, Configuration.PEER_STREAM_ID_DEFAULT);
    private int peerControlStreamId = Configuration.integer(
        Configuration.PEER_CONTROL_STREAM_ID_PROP, Configuration.PEER_CONTROL_STREAM_ID_DEFAULT);
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
    private long clientTimeoutNs =
        Configuration.duration(Configuration.CLIENT_TIMEOUT_PROP, Configuration.CLIENT_TIMEOUT_DEFAULT_NS);
    private int maxClients = Configuration.integer(Configuration.MAX_CLIENTS_PROP, Configuration.MAX_CLIENTS_DEFAULT);
    private int maxPendingConnects =
        Configuration.integer(Configuration.MAX_PENDING_CONNECTS_PROP, Configuration.MAX_PENDING_CONNECTS_DEFAULT);
    private int maxSessionsPerClient =
        Configuration.integer(Configuration.MAX_SESSIONS_PER_CLIENT_PROP, Configuration.MAX_SESSIONS_PER_CLIENT_DEFAULT);
    private int maxSessionsPerPrincipal = Configuration.integer(
        Configuration.MAX_SESSIONS_PER_PRINCIPAL_PROP, Configuration.MAX_SESSIONS_PER_PRINCIPAL_DEFAULT);
    private int maxResponseTermLength = Configuration.size(
        Configuration.MAX_RESPONSE_TERM_LENGTH_PROP, Configuration.MAX_RESPONSE_TERM_LENGTH_DEFAULT);
    private boolean allowIpcResponse =
        Configuration.bool(Configuration.ALLOW_IPC_RESPONSE_PROP, Configuration.ALLOW_IPC_RESPONSE_DEFAULT);
    private boolean allowAnyResponseAddress = Configuration.bool(
        Configuration.ALLOW_ANY_RESPONSE_ADDRESS_PROP, Configuration.ALLOW_ANY_RESPONSE_ADDRESS_DEFAULT);
    private Authenticator authenticator;
    private long challengeTimeoutNs =
        Configuration.duration(Configuration.CHALLENGE_TIMEOUT_PROP, Configuration.CHALLENGE_TIMEOUT_DEFAULT_NS);
    private int peerQueueCapacity =
        Configuration.size(Configuration.PEER_QUEUE_CAPACITY_PROP, Configuration.PEER_QUEUE_CAPACITY_DEFAULT);
    private int peerDataBudget =
        Configuration.size(Configuration.PEER_DATA_BUDGET_PROP, Configuration.PEER_DATA_BUDGET_DEFAULT);
    private int egressQueueCapacity =
        Configuration.size(Configuration.EGRESS_QUEUE_CAPACITY_PROP, Configuration.EGRESS_QUEUE_CAPACITY_DEFAULT);
    private int clientFragmentLimit =
        Configuration.integer(Configuration.CLIENT_FRAGMENT_LIMIT_PROP, Configuration.CLIENT_FRAGMENT_LIMIT_DEFAULT);
    private int fragmentLimit =
        Configuration.integer(Configuration.FRAGMENT_LIMIT_PROP, Configuration.FRAGMENT_LIMIT_DEFAULT);
    private String threadingModeName =
        Configuration.string(Configuration.THREADING_MODE_PROP, Configuration.THREADING_MODE_DEFAULT);
    private boolean useAgentInvoker = Configuration.bool(
        Configuration.USE_AGENT_INVOKER_PROP, Configuration.USE_AGENT_INVOKER_DEFAULT);
    private String logDirectory = Configuration.string(Configuration.LOG_DIR_PROP, null);
    private String durabilityName =
        Configuration.string(Configuration.DURABILITY_PROP, Configuration.DURABILITY_DEFAULT);
    private int logSegmentLength =
        Configuration.size(Configuration.LOG_SEGMENT_LENGTH_PROP, Configuration.LOG_SEGMENT_LENGTH_DEFAULT);
    private DurabilityPolicy durability;
    private String histogramLogFile = Configuration.string(Configuration.HISTOGRAM_LOG_PROP, null);
    private long histogramLogIntervalNs = Configuration.duration(
        Configuration.HISTOGRAM_LOG_INTERVAL_PROP, Configuration.HISTOGRAM_LOG_INTERVAL_DEFAULT_NS);

    private IdleStrategy driverIdleStrategy;
    private ThreadingMode threadingMode;
    private StateMachine stateMachine;
    private LogFactory logFactory;
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
        clusterKeyBytes = ClusterKey.read(clusterKey, clusterKeyFile);
        if (peerAuthentication && clusterKeyBytes == null)
        {
            throw new ConfigurationException("peer authentication (" + Configuration.PEER_AUTHENTICATION_PROP +
                ") is on but no cluster key is set: set clusterKey (" + Configuration.CLUSTER_KEY_PROP +
                ", hex or base64, at least " + ClusterKey.MIN_LENGTH + " bytes, e.g. `openssl rand -hex 32`) or " +
                "clusterKeyFile (" + Configuration.CLUSTER_KEY_FILE_PROP + "), the same on every member; or turn " +
                "peer authentication off, only on a network nothing but the members can send to (docs/security.md)");
        }
        requirePositive("heartbeatIntervalNs", heartbeatIntervalNs);
        requirePositive("electionTimeoutNs", electionTimeoutNs);
        requirePositive("peerStreamId", peerStreamId);
        requirePositive("peerControlStreamId", peerControlStreamId);
        if (peerStreamId == ingressStreamId())
        {
            throw new ConfigurationException("ingressStreamId must differ from peerStreamId " + peerStreamId);
        }
        if (peerControlStreamId == peerStreamId || peerControlStreamId == ingressStreamId())
        {
            throw new ConfigurationException("peerControlStreamId (" + Configuration.PEER_CONTROL_STREAM_ID_PROP +
                ") " + peerControlStreamId + " must differ from peerStreamId and ingressStreamId");
        }
        if (maxMessageLength + PeerTrailer.LENGTH > termLength() / 8)
        {
            throw new ConfigurationException("maxMessageLength (" + Configuration.MAX_MESSAGE_LENGTH_PROP + ") " +
                maxMessageLength + " and the " + PeerTrailer.LENGTH + "-byte peer trailer are above Aeron's largest " +
                "message for termLength " + termLength() + " (termLength / 8 = " + termLength() / 8 + ")");
        }
        requirePositive("clientTimeoutNs", clientTimeoutNs);
        requirePositive("maxClients (" + Configuration.MAX_CLIENTS_PROP + ")", maxClients);
        requirePositive("maxPendingConnects (" + Configuration.MAX_PENDING_CONNECTS_PROP + ")", maxPendingConnects);
        requirePositive("maxSessionsPerClient (" + Configuration.MAX_SESSIONS_PER_CLIENT_PROP + ")",
            maxSessionsPerClient);
        requirePositive("maxSessionsPerPrincipal (" + Configuration.MAX_SESSIONS_PER_PRINCIPAL_PROP + ")",
            maxSessionsPerPrincipal);
        requirePositive("maxResponseTermLength (" + Configuration.MAX_RESPONSE_TERM_LENGTH_PROP + ")",
            maxResponseTermLength);
        if (null == authenticator)
        {
            final String tokens = Configuration.string(Configuration.AUTH_TOKENS_PROP, null);
            final String secrets = Configuration.string(Configuration.CHALLENGE_SECRETS_PROP, null);
            if (null != tokens && null != secrets)
            {
                throw new ConfigurationException("set one authenticator: " + Configuration.AUTH_TOKENS_PROP + " or " +
                    Configuration.CHALLENGE_SECRETS_PROP + ", not both");
            }
            authenticator = null != secrets ? HmacChallengeAuthenticator.parse(secrets) :
                null == tokens ? Authenticator.acceptAll() : TokenAuthenticator.parse(tokens);
        }
        requirePositive("challengeTimeoutNs (" + Configuration.CHALLENGE_TIMEOUT_PROP + ")", challengeTimeoutNs);
        requirePowerOfTwoAtLeast("peerQueueCapacity", peerQueueCapacity, 2 * maxMessageLength);
        if (peerDataBudget == 0)
        {
            peerDataBudget = Math.min(termLength() / 4, peerQueueCapacity);
        }
        // At least two whole Accepts in flight (pipelining); at most Aeron's publication window (term / 2); never more
        // than the peer's queue holds, so the queue cannot overflow with data.
        if (peerDataBudget < 2 * maxMessageLength || peerDataBudget > termLength() / 2 ||
            peerDataBudget > peerQueueCapacity)
        {
            throw new ConfigurationException("peerDataBudget (" + Configuration.PEER_DATA_BUDGET_PROP + ") " +
                peerDataBudget + " must be in [2 * maxMessageLength = " + 2 * maxMessageLength +
                ", min(termLength / 2 = " + termLength() / 2 + ", peerQueueCapacity = " + peerQueueCapacity + ")]");
        }
        requirePowerOfTwoAtLeast("egressQueueCapacity", egressQueueCapacity, 2 * (maxPayloadLength() + 64));
        requirePositive("fragmentLimit", fragmentLimit);
        requirePositive("clientFragmentLimit (" + Configuration.CLIENT_FRAGMENT_LIMIT_PROP + ")", clientFragmentLimit);
        requirePositive("histogramLogIntervalNs", histogramLogIntervalNs);
        if (durability == null)
        {
            try
            {
                durability = DurabilityPolicy.valueOf(durabilityName);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigurationException("durability (" + Configuration.DURABILITY_PROP + ") " +
                    durabilityName + " must be NONE or FORCE");
            }
        }
        if (logSegmentLength < MappedLogConfig.SEGMENT_LENGTH_MIN ||
            logSegmentLength > MappedLogConfig.SEGMENT_LENGTH_MAX || (logSegmentLength & 4095) != 0)
        {
            throw new ConfigurationException("logSegmentLength (" + Configuration.LOG_SEGMENT_LENGTH_PROP + ") " +
                logSegmentLength + " must be a multiple of 4096 in [" + MappedLogConfig.SEGMENT_LENGTH_MIN + ", " +
                MappedLogConfig.SEGMENT_LENGTH_MAX + "]");
        }
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
        if (logFactory == null)
        {
            logFactory = Context::defaultLog;
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
            .maxSessionsPerPrincipal(maxSessionsPerPrincipal);
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
     * The default log: memory-mapped segments in the log directory, recovered on open; in memory when no directory
     * is set (tests, demos: a restarted node then catches up from the leader).
     */
    private static PaxosLog defaultLog(final Context context)
    {
        if (context.logDirectory() == null)
        {
            return new InMemoryPaxosLog(context.maxPayloadLength());
        }
        return MappedPaxosLog.open(new MappedLogConfig()
            .directory(Paths.get(context.logDirectory()))
            .durability(context.durability())
            .segmentLength(context.logSegmentLength())
            .maxPayloadLength(context.maxPayloadLength())
            .clusterId(context.clusterId())
            .nodeId(context.nodeId()));
    }

    /** @return the core's settings, after {@link #conclude()}. */
    public CoreConfig coreConfig()
    {
        return coreConfig;
    }

    public String toString()
    {
        return "Context{nodeId=" + nodeId + ", members=" + members() + ", clusterId=" + clusterId +
            ", peerAuthentication=" + peerAuthentication + ", clusterKey=" + (clusterKey != null ? "(set)" :
            clusterKeyFile != null ? "(file " + clusterKeyFile + ")" : "(none)") +
            ", bootstrap=" + bootstrap +
            ", peerStreamId=" + peerStreamId + ", peerControlStreamId=" + peerControlStreamId +
            ", ingressStreamId=" + ingressStreamId() + ", termLength=" + termLength() +
            ", heartbeatIntervalNs=" + heartbeatIntervalNs + ", electionTimeoutNs=" + electionTimeoutNs +
            ", maxMessageLength=" + maxMessageLength + ", maxPayloadLength=" + maxPayloadLength() +
            ", maxBatchEntries=" + maxBatchEntries + ", windowEntries=" + windowEntries +
            ", sessionTimeoutNs=" + sessionTimeoutNs + ", maxSessions=" + maxSessions +
            ", maxSessionWindow=" + maxSessionWindow + ", clientTimeoutNs=" + clientTimeoutNs +
            ", peerQueueCapacity=" + peerQueueCapacity + ", peerDataBudget=" + peerDataBudget +
            ", idleStrategy=" + (idleStrategy() != null ? idleStrategy() : IdleStrategies.resolve(idleStrategyName(),
            busySpinMinCores())) + ", threadingMode=" + threadingModeName + ", embeddedDriver=" + embeddedDriver() +
            ", aeronDirectoryName=" + aeronDirectoryName() + ", useAgentInvoker=" + useAgentInvoker +
            ", logDirectory=" + logDirectory + ", durability=" + (durability != null ? durability : durabilityName) +
            ", histogramLogFile=" +
            histogramLogFile + '}';
    }

    // ---- settings ----

    /** @return whether every peer message is authenticated with the cluster key. */
    public boolean peerAuthentication()
    {
        return peerAuthentication;
    }

    /**
     * @param peerAuthentication false only on a network nothing but the members can send to: without it anyone who
     *                           can reach a peer port can forge protocol messages (docs/security.md).
     * @return this.
     */
    public Context peerAuthentication(final boolean peerAuthentication)
    {
        this.peerAuthentication = peerAuthentication;
        return this;
    }

    /** @return the cluster key as text, or null. */
    public String clusterKey()
    {
        return clusterKey;
    }

    /**
     * @param clusterKey the key every member shares: hex (only hex digits) or else base64, at least 16 bytes.
     * @return this.
     */
    public Context clusterKey(final String clusterKey)
    {
        this.clusterKey = clusterKey;
        return this;
    }

    /** @return the file the cluster key is read from, or null. */
    public String clusterKeyFile()
    {
        return clusterKeyFile;
    }

    /**
     * @param clusterKeyFile a file holding the cluster key as text (as {@link #clusterKey(String)} takes it).
     * @return this.
     */
    public Context clusterKeyFile(final String clusterKeyFile)
    {
        this.clusterKeyFile = clusterKeyFile;
        return this;
    }

    /** @return the key's bytes after {@link #conclude()} if peer authentication is on, else null. */
    byte[] peerKey()
    {
        return peerAuthentication ? clusterKeyBytes : null;
    }

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

    /** @return stream id of peer traffic. */
    public int peerStreamId()
    {
        return peerStreamId;
    }

    /** @return stream id of the peers' control lane (election traffic and acknowledgements). */
    public int peerControlStreamId()
    {
        return peerControlStreamId;
    }

    /**
     * @param peerControlStreamId stream id of the peers' control lane: heartbeats, votes, rejections, rejoin queries
     *                            and acknowledgements, kept apart from Accepts so they never wait behind data.
     * @return this.
     */
    public Context peerControlStreamId(final int peerControlStreamId)
    {
        this.peerControlStreamId = peerControlStreamId;
        return this;
    }

    /**
     * @param peerStreamId stream id of peer traffic.
     * @return this.
     */
    public Context peerStreamId(final int peerStreamId)
    {
        this.peerStreamId = peerStreamId;
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

    /** @return most registered clients (egress publications). */
    public int maxClients()
    {
        return maxClients;
    }

    /**
     * @param maxClients most clients registered at once ({@code synod.max.clients}, default 1024); a Connect beyond
     *                   it is refused, counted and reported naming this setting.
     * @return this.
     */
    public Context maxClients(final int maxClients)
    {
        this.maxClients = maxClients;
        return this;
    }

    /** @return most registered clients whose egress has not connected yet. */
    public int maxPendingConnects()
    {
        return maxPendingConnects;
    }

    /**
     * @param maxPendingConnects most clients registered whose egress publication has not connected yet
     *                           ({@code synod.max.pending.connects}, default 64): bounds what forged Connects to
     *                           addresses that never answer can hold.
     * @return this.
     */
    public Context maxPendingConnects(final int maxPendingConnects)
    {
        this.maxPendingConnects = maxPendingConnects;
        return this;
    }

    /** @return most session opens one client connection may ask this node for. */
    public int maxSessionsPerClient()
    {
        return maxSessionsPerClient;
    }

    /**
     * @param maxSessionsPerClient most session opens one client connection may ask this node for
     *                             ({@code synod.max.sessions.per.client}, default 16); more get TOO_MANY_SESSIONS.
     * @return this.
     */
    public Context maxSessionsPerClient(final int maxSessionsPerClient)
    {
        this.maxSessionsPerClient = maxSessionsPerClient;
        return this;
    }

    /** @return most open sessions of one authenticated principal. */
    public int maxSessionsPerPrincipal()
    {
        return maxSessionsPerPrincipal;
    }

    /**
     * @param maxSessionsPerPrincipal most open sessions of one authenticated principal
     *                                ({@code synod.max.sessions.per.principal}, default 1024; anonymous clients are
     *                                bounded per client instead).
     * @return this.
     */
    public Context maxSessionsPerPrincipal(final int maxSessionsPerPrincipal)
    {
        this.maxSessionsPerPrincipal = maxSessionsPerPrincipal;
        return this;
    }

    /** @return largest term length a Connect may ask for. */
    public int maxResponseTermLength()
    {
        return maxResponseTermLength;
    }

    /**
     * @param maxResponseTermLength largest term length a client's response channel may name
     *                              ({@code synod.max.response.term.length}, default 4 MiB).
     * @return this.
     */
    public Context maxResponseTermLength(final int maxResponseTermLength)
    {
        this.maxResponseTermLength = maxResponseTermLength;
        return this;
    }

    /** @return whether response channels on aeron:ipc are accepted. */
    public boolean allowIpcResponse()
    {
        return allowIpcResponse;
    }

    /**
     * @param allowIpcResponse accept response channels on aeron:ipc ({@code synod.allow.ipc.response}, default
     *                         false): only for clients on the node's own media driver.
     * @return this.
     */
    public Context allowIpcResponse(final boolean allowIpcResponse)
    {
        this.allowIpcResponse = allowIpcResponse;
        return this;
    }

    /** @return whether a response channel may name any address. */
    public boolean allowAnyResponseAddress()
    {
        return allowAnyResponseAddress;
    }

    /**
     * @param allowAnyResponseAddress accept response channels to any address ({@code synod.allow.any.response.address},
     *                                default false: only the address the Connect came from, or loopback).
     * @return this.
     */
    public Context allowAnyResponseAddress(final boolean allowAnyResponseAddress)
    {
        this.allowAnyResponseAddress = allowAnyResponseAddress;
        return this;
    }

    /** @return decides on each Connect; after conclude never null. */
    public Authenticator authenticator()
    {
        return authenticator;
    }

    /**
     * @param authenticator decides on each Connect and names the client's principal; default: a
     *                      {@link TokenAuthenticator} if {@code synod.auth.tokens} is set, a
     *                      {@link HmacChallengeAuthenticator} if {@code synod.auth.challenge.secrets} is, else
     *                      {@link Authenticator#acceptAll()}.
     * @return this.
     */
    public Context authenticator(final Authenticator authenticator)
    {
        this.authenticator = authenticator;
        return this;
    }

    /** @return how long a challenged client has to answer before it is refused. */
    public long challengeTimeoutNs()
    {
        return challengeTimeoutNs;
    }

    /**
     * @param challengeTimeoutNs how long a client challenged by the {@link Authenticator} has to answer before it is
     *                           refused, on the node's clock ({@code synod.auth.challenge.timeout.ns}, default 5 s).
     * @return this.
     */
    public Context challengeTimeoutNs(final long challengeTimeoutNs)
    {
        this.challengeTimeoutNs = challengeTimeoutNs;
        return this;
    }

    /** @return time after which a silent, disconnected client's egress publication is closed. */
    public long clientTimeoutNs()
    {
        return clientTimeoutNs;
    }

    /**
     * @param clientTimeoutNs a client that sent nothing for this long and whose egress is not connected is forgotten.
     * @return this.
     */
    public Context clientTimeoutNs(final long clientTimeoutNs)
    {
        this.clientTimeoutNs = clientTimeoutNs;
        return this;
    }

    /** @return bytes queued per peer while back-pressured. */
    public int peerQueueCapacity()
    {
        return peerQueueCapacity;
    }

    /**
     * @param peerQueueCapacity bytes queued per peer and lane while back-pressured, power of two; the oldest are
     *                          dropped (counted) beyond it: only the control lane can get there, the data lane is
     *                          bounded by peerDataBudget.
     * @return this.
     */
    public Context peerQueueCapacity(final int peerQueueCapacity)
    {
        this.peerQueueCapacity = peerQueueCapacity;
        return this;
    }

    /** @return most bytes of Accepts and Successes per peer queued or waiting in its publication; see conclude. */
    public int peerDataBudget()
    {
        return peerDataBudget;
    }

    /**
     * @param peerDataBudget most bytes of Accepts and Successes per peer queued on this node or waiting in its data
     *                       publication, not yet sent; 0 derives it (termLength / 4). In [2 * maxMessageLength,
     *                       min(termLength / 2, peerQueueCapacity)]. It is the data publication's window too.
     * @return this.
     */
    public Context peerDataBudget(final int peerDataBudget)
    {
        this.peerDataBudget = peerDataBudget;
        return this;
    }

    /** @return bytes queued per client while back-pressured. */
    public int egressQueueCapacity()
    {
        return egressQueueCapacity;
    }

    /**
     * @param egressQueueCapacity bytes queued per client while back-pressured or connecting, power of two.
     * @return this.
     */
    public Context egressQueueCapacity(final int egressQueueCapacity)
    {
        this.egressQueueCapacity = egressQueueCapacity;
        return this;
    }

    /** @return fragments polled from one client's ingress per duty cycle. */
    public int clientFragmentLimit()
    {
        return clientFragmentLimit;
    }

    /**
     * @param clientFragmentLimit fragments polled from one client's ingress image per duty cycle
     *                            ({@code synod.client.fragment.limit}, default 32; the whole ingress still takes at
     *                            most {@link #fragmentLimit()}): a client that floods gets its share, not the cycle.
     * @return this.
     */
    public Context clientFragmentLimit(final int clientFragmentLimit)
    {
        this.clientFragmentLimit = clientFragmentLimit;
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

    /** @return the log directory, null for an in-memory log. */
    public String logDirectory()
    {
        return logDirectory;
    }

    /**
     * @param logDirectory directory of the memory-mapped log; null (default) keeps the log in memory.
     * @return this.
     */
    public Context logDirectory(final String logDirectory)
    {
        this.logDirectory = logDirectory;
        return this;
    }

    /** @return the log's durability policy, after {@link #conclude()}. */
    public DurabilityPolicy durability()
    {
        return durability;
    }

    /**
     * @param durability NONE (the mapping survives a process crash) or FORCE (msync before replies leave: survives
     *                   a power cut; one device flush per duty cycle).
     * @return this.
     */
    public Context durability(final DurabilityPolicy durability)
    {
        this.durability = durability;
        return this;
    }

    /** @return bytes of one log segment file. */
    public int logSegmentLength()
    {
        return logSegmentLength;
    }

    /**
     * @param logSegmentLength bytes of one segment file of the mapped log.
     * @return this.
     */
    public Context logSegmentLength(final int logSegmentLength)
    {
        this.logSegmentLength = logSegmentLength;
        return this;
    }

    /** @return the factory of the node's log. */
    public LogFactory logFactory()
    {
        return logFactory;
    }

    /**
     * @param logFactory makes the node's log; the default follows {@link #logDirectory(String)}.
     * @return this.
     */
    public Context logFactory(final LogFactory logFactory)
    {
        this.logFactory = logFactory;
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
