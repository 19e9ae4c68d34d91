package io.synod;

import org.agrona.SystemUtil;

import java.util.concurrent.TimeUnit;

/**
 * Names and defaults of every setting of a node ({@code io.synod.node.Context}) and a client
 * ({@code io.synod.client.ClientContext}), each default overridable by the system property named beside it; the protocol
 * core's and the log's own configuration objects take their defaults from here too, so each setting has one default.
 * Only this class reads system properties; everything else takes its settings from a context.
 */
public final class Configuration
{
    /** This node's id: {@code synod.node.id}. No default for a node; required. */
    public static final String NODE_ID_PROP = "synod.node.id";
    /** Members, {@code id=host:peerPort[:ingressPort],...}: {@code synod.members}. */
    public static final String MEMBERS_PROP = "synod.members";
    /** Default members: three nodes on loopback. */
    public static final String MEMBERS_DEFAULT = "0=localhost:20100,1=localhost:20101,2=localhost:20102";
    /** Ingress port = peer port + this, when a member names no ingress port: {@code synod.ingress.port.offset}. */
    public static final String INGRESS_PORT_OFFSET_PROP = "synod.ingress.port.offset";
    /** Default ingress port offset. */
    public static final int INGRESS_PORT_OFFSET_DEFAULT = 1000;
    /**
     * Cluster id carried in heartbeats and, by clients, in each Connect: {@code synod.cluster.id}. A node refuses a
     * client that names another cluster; 0 (the default) on either side means the client is not checked.
     */
    public static final String CLUSTER_ID_PROP = "synod.cluster.id";
    /** Default cluster id. */
    public static final int CLUSTER_ID_DEFAULT = 0;
    /**
     * Start a brand-new cluster: {@code synod.bootstrap}, etcd's {@code initial-cluster-state=new}. Only for the very
     * first start of a new cluster that must form with just a majority of its members up; remove it afterwards. Never
     * set it on a node whose log was lost or replaced: that node must rejoin as a learner.
     */
    public static final String BOOTSTRAP_PROP = "synod.bootstrap";
    /** Default: false; a node with an empty log rejoins as a learner (a new cluster with every member up forms too). */
    public static final boolean BOOTSTRAP_DEFAULT = false;
    /**
     * Authenticate every peer message with the cluster key: {@code synod.peer.authentication}. Turn it off only on a
     * network that nothing but the members can send to: then anyone who can reach a peer port can forge votes,
     * acknowledgements and chosen entries, and make replicas diverge.
     */
    public static final String PEER_AUTHENTICATION_PROP = "synod.peer.authentication";
    /** Default: on; a node then refuses to start without a cluster key. */
    public static final boolean PEER_AUTHENTICATION_DEFAULT = true;
    /**
     * The cluster key, the same on every member: {@code synod.cluster.key}, hex (only hex digits) or else base64, at
     * least 16 bytes once decoded (e.g. {@code openssl rand -hex 32}). Prefer {@link #CLUSTER_KEY_FILE_PROP}: a
     * property shows in the process list.
     */
    public static final String CLUSTER_KEY_PROP = "synod.cluster.key";
    /** A file holding the cluster key as {@link #CLUSTER_KEY_PROP} takes it: {@code synod.cluster.key.file}. */
    public static final String CLUSTER_KEY_FILE_PROP = "synod.cluster.key.file";
    /** Stream id of peer traffic: {@code synod.peer.stream.id}. */
    public static final String PEER_STREAM_ID_PROP = "synod.peer.stream.id";
    /** Default peer stream id. */
    public static final int PEER_STREAM_ID_DEFAULT = 7301;
    /**
     * Stream id of the peers' control lane: {@code synod.peer.control.stream.id}. Election traffic (heartbeats,
     * votes, rejections, rejoin queries) and acknowledgements travel on it, on the same endpoint as the data stream,
     * so they never wait behind Accepts.
     */
    public static final String PEER_CONTROL_STREAM_ID_PROP = "synod.peer.control.stream.id";
    /** Default peer control stream id. */
    public static final int PEER_CONTROL_STREAM_ID_DEFAULT = 7303;
    /** Stream id of client ingress: {@code synod.ingress.stream.id}. */
    public static final String INGRESS_STREAM_ID_PROP = "synod.ingress.stream.id";
    /** Default ingress stream id. */
    public static final int INGRESS_STREAM_ID_DEFAULT = 7302;
    /** Base stream id of client egress (plus the member's index): {@code synod.egress.stream.id}. */
    public static final String EGRESS_STREAM_ID_PROP = "synod.egress.stream.id";
    /** Default egress stream id. */
    public static final int EGRESS_STREAM_ID_DEFAULT = 7310;
    /** Channel a client receives responses on: {@code synod.egress.channel}; port 0 picks a free port. */
    public static final String EGRESS_CHANNEL_PROP = "synod.egress.channel";
    /** Default egress channel. */
    public static final String EGRESS_CHANNEL_DEFAULT = "aeron:udp?endpoint=localhost:0";
    /** Term buffer length of peer, ingress and egress publications: {@code synod.term.length}. */
    public static final String TERM_LENGTH_PROP = "synod.term.length";
    /** Default term length: 4 MiB, so Aeron's largest message (term / 8) holds the core's largest Accept. */
    public static final int TERM_LENGTH_DEFAULT = 4 * 1024 * 1024;
    /** Heartbeat interval: {@code synod.heartbeat.interval.ns}. */
    public static final String HEARTBEAT_INTERVAL_PROP = "synod.heartbeat.interval.ns";
    /** Default heartbeat interval: 10 ms (a 2-core laptop can stall a thread for a few ms). */
    public static final long HEARTBEAT_INTERVAL_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Election timeout: {@code synod.election.timeout.ns}. */
    public static final String ELECTION_TIMEOUT_PROP = "synod.election.timeout.ns";
    /** Default election timeout: 100 ms, 10 heartbeats, so scheduler hiccups do not depose a healthy leader. */
    public static final long ELECTION_TIMEOUT_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Largest peer message: {@code synod.max.message.length}. */
    public static final String MAX_MESSAGE_LENGTH_PROP = "synod.max.message.length";
    /** Default largest peer message (an Accept batch or a Promise chunk): 256 KiB. */
    public static final int MAX_MESSAGE_LENGTH_DEFAULT = 256 * 1024;
    /** Largest command and response: {@code synod.max.payload.length}. */
    public static final String MAX_PAYLOAD_LENGTH_PROP = "synod.max.payload.length";
    /** Default largest command and response: 64 KiB (the node, the core, the log and the client all use it). */
    public static final int MAX_PAYLOAD_LENGTH_DEFAULT = 64 * 1024;
    /** Most entries in one Accept: {@code synod.max.batch.entries}. */
    public static final String MAX_BATCH_ENTRIES_PROP = "synod.max.batch.entries";
    /** Default most entries in one Accept: 4096 (the SBE group count is 16 bits). */
    public static final int MAX_BATCH_ENTRIES_DEFAULT = 4096;
    /** Most slots proposed and not chosen: {@code synod.window.entries}. */
    public static final String WINDOW_ENTRIES_PROP = "synod.window.entries";
    /** Default most slots proposed and not yet chosen: 65536. */
    public static final int WINDOW_ENTRIES_DEFAULT = 65536;
    /** Session expiry by log time: {@code synod.session.timeout.ns}. */
    public static final String SESSION_TIMEOUT_PROP = "synod.session.timeout.ns";
    /** Default session expiry, by log time: 30 s. */
    public static final long SESSION_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(30);
    /** Most client sessions the cluster holds: {@code synod.max.sessions}. */
    public static final String MAX_SESSIONS_PROP = "synod.max.sessions";
    /** Default most client sessions the replicated state holds: 100,000. */
    public static final int MAX_SESSIONS_DEFAULT = 100_000;
    /** Most responses one session keeps for retries (its window): {@code synod.max.session.window}. */
    public static final String MAX_SESSION_WINDOW_PROP = "synod.max.session.window";
    /** Default most responses a session keeps for retries: 1024, the largest client window honoured. */
    public static final int MAX_SESSION_WINDOW_DEFAULT = 1024;
    /** A silent client's egress publication is closed after: {@code synod.client.timeout.ns}. */
    public static final String CLIENT_TIMEOUT_PROP = "synod.client.timeout.ns";
    /** Default client timeout: 10 s. */
    public static final long CLIENT_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(10);
    /** Most clients a node has registered (egress publications): {@code synod.max.clients}. */
    public static final String MAX_CLIENTS_PROP = "synod.max.clients";
    /** Default most registered clients: 1024. */
    public static final int MAX_CLIENTS_DEFAULT = 1024;
    /** Most registered clients whose egress has not connected yet: {@code synod.max.pending.connects}. */
    public static final String MAX_PENDING_CONNECTS_PROP = "synod.max.pending.connects";
    /** Default most pending connects: 64. */
    public static final int MAX_PENDING_CONNECTS_DEFAULT = 64;
    /** Most session opens one client connection may ask a node for: {@code synod.max.sessions.per.client}. */
    public static final String MAX_SESSIONS_PER_CLIENT_PROP = "synod.max.sessions.per.client";
    /** Default most session opens per client connection: 16. */
    public static final int MAX_SESSIONS_PER_CLIENT_DEFAULT = 16;
    /** Most open sessions of one authenticated principal: {@code synod.max.sessions.per.principal}. */
    public static final String MAX_SESSIONS_PER_PRINCIPAL_PROP = "synod.max.sessions.per.principal";
    /** Default most open sessions per authenticated principal: 1024. */
    public static final int MAX_SESSIONS_PER_PRINCIPAL_DEFAULT = 1024;
    /** Largest term length a client may ask for its response channel: {@code synod.max.response.term.length}. */
    public static final String MAX_RESPONSE_TERM_LENGTH_PROP = "synod.max.response.term.length";
    /** Default largest response term length: 4 MiB. */
    public static final int MAX_RESPONSE_TERM_LENGTH_DEFAULT = 4 * 1024 * 1024;
    /** Accept response channels on aeron:ipc: {@code synod.allow.ipc.response}. */
    public static final String ALLOW_IPC_RESPONSE_PROP = "synod.allow.ipc.response";
    /** Default: false, only aeron:udp to the client's own address. */
    public static final boolean ALLOW_IPC_RESPONSE_DEFAULT = false;
    /** Accept response channels to any address, not only the sender's: {@code synod.allow.any.response.address}. */
    public static final String ALLOW_ANY_RESPONSE_ADDRESS_PROP = "synod.allow.any.response.address";
    /** Default: false. */
    public static final boolean ALLOW_ANY_RESPONSE_ADDRESS_DEFAULT = false;
    /**
     * Refuse session opens without a session key (clients of schema version 1, released before sessions had keys),
     * once every client is upgraded: {@code synod.require.session.key}.
     */
    public static final String REQUIRE_SESSION_KEY_PROP = "synod.require.session.key";
    /** Default: false, so clients of the older release keep working during an upgrade. */
    public static final boolean REQUIRE_SESSION_KEY_DEFAULT = false;
    /** Shared secret tokens of the token authenticator, {@code principal=token,...}: {@code synod.auth.tokens}. */
    public static final String AUTH_TOKENS_PROP = "synod.auth.tokens";
    /**
     * Secrets of the challenge-response authenticator, {@code principal=hexSecret,...}:
     * {@code synod.auth.challenge.secrets}.
     */
    public static final String CHALLENGE_SECRETS_PROP = "synod.auth.challenge.secrets";
    /**
     * How long a node waits for a challenged client's answer before refusing it, on the node's clock:
     * {@code synod.auth.challenge.timeout.ns}.
     */
    public static final String CHALLENGE_TIMEOUT_PROP = "synod.auth.challenge.timeout.ns";
    /** Default challenge timeout: 5 s (a client answers in a round trip; its Connect is refreshed every second). */
    public static final long CHALLENGE_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(5);
    /** A client's credentials, sent in its Connect (UTF-8): {@code synod.client.credentials}. */
    public static final String CLIENT_CREDENTIALS_PROP = "synod.client.credentials";
    /** Bytes queued per peer while back-pressured, power of two: {@code synod.peer.queue.capacity}. */
    public static final String PEER_QUEUE_CAPACITY_PROP = "synod.peer.queue.capacity";
    /** Default peer queue: 4 MiB. */
    public static final int PEER_QUEUE_CAPACITY_DEFAULT = 4 * 1024 * 1024;
    /**
     * Most bytes of Accepts and Successes for one peer queued on this node or waiting in its publication, not yet
     * sent: {@code synod.peer.data.budget}. The leader replicates to a peer only while a whole message fits; it is
     * also the data publication's window ({@code pub-wnd}). 0 derives it from the term length.
     */
    public static final String PEER_DATA_BUDGET_PROP = "synod.peer.data.budget";
    /** Default: 0, a quarter of the term length (1 MiB for the default 4 MiB term). */
    public static final int PEER_DATA_BUDGET_DEFAULT = 0;
    /** Bytes queued per client while back-pressured, power of two: {@code synod.egress.queue.capacity}. */
    public static final String EGRESS_QUEUE_CAPACITY_PROP = "synod.egress.queue.capacity";
    /** Default client queue: 1 MiB. */
    public static final int EGRESS_QUEUE_CAPACITY_DEFAULT = 1024 * 1024;
    /**
     * Most bytes all client queues of a node hold together ({@code synod.max.egress.queue.bytes}): each grows lazily
     * up to egressQueueCapacity, and a growth beyond this budget is refused, the client then a slow consumer.
     */
    public static final String MAX_EGRESS_QUEUE_BYTES_PROP = "synod.max.egress.queue.bytes";
    /** Default egress budget: 256 MiB, a quarter of what maxClients full queues would hold at the defaults. */
    public static final int MAX_EGRESS_QUEUE_BYTES_DEFAULT = 256 * 1024 * 1024;
    /** Fragments polled per subscription per duty cycle: {@code synod.fragment.limit}. */
    public static final String FRAGMENT_LIMIT_PROP = "synod.fragment.limit";
    /** Default fragment limit. */
    public static final int FRAGMENT_LIMIT_DEFAULT = 256;
    /** Fragments polled from one client's ingress image per duty cycle: {@code synod.client.fragment.limit}. */
    public static final String CLIENT_FRAGMENT_LIMIT_PROP = "synod.client.fragment.limit";
    /** Default per-client fragment limit: 32. */
    public static final int CLIENT_FRAGMENT_LIMIT_DEFAULT = 32;
    /** Idle strategy of the node agent: {@code synod.idle.strategy} = busy-spin, yielding, backoff, sleeping or auto. */
    public static final String IDLE_STRATEGY_PROP = "synod.idle.strategy";
    /** Default: auto, by the number of cores. */
    public static final String IDLE_STRATEGY_DEFAULT = "auto";
    /** Busy-spin is chosen by auto only with at least this many cores: {@code synod.busy.spin.min.cores}. */
    public static final String BUSY_SPIN_MIN_CORES_PROP = "synod.busy.spin.min.cores";
    /** Default: 4 cores per node and driver. */
    public static final int BUSY_SPIN_MIN_CORES_DEFAULT = 4;
    /**
     * Embedded driver threading mode: {@code synod.driver.threading.mode} = INVOKER (the driver runs in the node
     * agent's duty cycle: one thread per node), SHARED, SHARED_NETWORK, DEDICATED.
     */
    public static final String THREADING_MODE_PROP = "synod.driver.threading.mode";
    /** Default threading mode. */
    public static final String THREADING_MODE_DEFAULT = "SHARED";
    /** Launch an embedded media driver: {@code synod.driver.embedded}. */
    public static final String EMBEDDED_DRIVER_PROP = "synod.driver.embedded";
    /** Default: an embedded driver. */
    public static final boolean EMBEDDED_DRIVER_DEFAULT = true;
    /** Aeron directory; an external driver's, or the embedded one's: {@code synod.aeron.dir}. */
    public static final String AERON_DIR_PROP = "synod.aeron.dir";
    /** Run the agent on the application's thread: {@code synod.agent.invoker}. */
    public static final String USE_AGENT_INVOKER_PROP = "synod.agent.invoker";
    /** Default: the agent runs on a thread of its own. */
    public static final boolean USE_AGENT_INVOKER_DEFAULT = false;
    /** Directory of the node's log; none means an in-memory log: {@code synod.log.dir}. */
    public static final String LOG_DIR_PROP = "synod.log.dir";
    /** Length of each log segment file in bytes: {@code synod.log.segment.length}. */
    public static final String LOG_SEGMENT_LENGTH_PROP = "synod.log.segment.length";
    /** Default log segment length: 64 MiB. */
    public static final int LOG_SEGMENT_LENGTH_DEFAULT = 64 * 1024 * 1024;
    /** Durability policy of the log, NONE or FORCE: {@code synod.log.durability}. */
    public static final String DURABILITY_PROP = "synod.log.durability";
    /** Default durability. */
    public static final String DURABILITY_DEFAULT = "NONE";
    /** File for interval histogram logs (.hlog); none disables them: {@code synod.histogram.log}. */
    public static final String HISTOGRAM_LOG_PROP = "synod.histogram.log";
    /** Interval of histogram logs: {@code synod.histogram.log.interval.ns}. */
    public static final String HISTOGRAM_LOG_INTERVAL_PROP = "synod.histogram.log.interval.ns";
    /** Default: one interval per second. */
    public static final long HISTOGRAM_LOG_INTERVAL_DEFAULT_NS = TimeUnit.SECONDS.toNanos(1);

    /** Client: a request unanswered this long fails over to the next node: {@code synod.client.response.timeout.ns}. */
    public static final String RESPONSE_TIMEOUT_PROP = "synod.client.response.timeout.ns";
    /** Default response timeout: 1 s, well above the election timeout. */
    public static final long RESPONSE_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(1);
    /** Client: give up connecting or a blocking call after: {@code synod.client.connect.timeout.ns}. */
    public static final String CONNECT_TIMEOUT_PROP = "synod.client.connect.timeout.ns";
    /** Default connect timeout: 10 s. */
    public static final long CONNECT_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(10);
    /** Client: most commands outstanding in a session, power of two: {@code synod.client.max.outstanding}. */
    public static final String MAX_OUTSTANDING_PROP = "synod.client.max.outstanding";
    /** Default outstanding commands. */
    public static final int MAX_OUTSTANDING_DEFAULT = 64;
    /**
     * Client: run the client on a thread of its own ({@code synod-client}) fed by a command queue, instead of being
     * polled by the application's thread: {@code synod.client.own.thread}.
     */
    public static final String CLIENT_OWN_THREAD_PROP = "synod.client.own.thread";
    /** Default: the application's thread polls the client. */
    public static final boolean CLIENT_OWN_THREAD_DEFAULT = false;
    /**
     * Client in own-thread mode: bytes of the queue application threads hand commands over by, a power of two; 0
     * sizes it for {@code maxPayloadLength}: {@code synod.client.command.queue.capacity}.
     */
    public static final String COMMAND_QUEUE_CAPACITY_PROP = "synod.client.command.queue.capacity";
    /** Default: 0, at least 1 MiB and room for the largest command. */
    public static final int COMMAND_QUEUE_CAPACITY_DEFAULT = 0;

    private Configuration()
    {
    }

    /**
     * Reads a string setting from the system property {@code name}.
     *
     * @param name         of the system property.
     * @param defaultValue when the property is absent or empty.
     * @return the value.
     */
    public static String string(final String name, final String defaultValue)
    {
        final String value = System.getProperty(name);
        return value == null || value.isEmpty() ? defaultValue : value;
    }

    /**
     * Reads an int setting from the system property {@code name}.
     *
     * @param name         of the system property.
     * @param defaultValue when the property is absent or empty.
     * @return the value.
     */
    public static int integer(final String name, final int defaultValue)
    {
        final String value = System.getProperty(name);
        try
        {
            return value == null || value.isEmpty() ? defaultValue : Integer.parseInt(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new io.aeron.exceptions.ConfigurationException(name + "=" + value + " is not an integer");
        }
    }

    /**
     * Reads a long setting from the system property {@code name}.
     *
     * @param name         of the system property.
     * @param defaultValue when the property is absent or empty.
     * @return the value.
     */
    public static long longValue(final String name, final long defaultValue)
    {
        final String value = System.getProperty(name);
        try
        {
            return value == null || value.isEmpty() ? defaultValue : Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new io.aeron.exceptions.ConfigurationException(name + "=" + value + " is not an integer");
        }
    }

    /**
     * Reads a duration setting from the system property {@code name}: nanoseconds, or a number with a unit (ns, us,
     * ms, s), e.g. {@code 100ms}, as Agrona's {@link SystemUtil#parseDuration} reads it.
     *
     * @param name         of the system property.
     * @param defaultValue in ns, when the property is absent or empty.
     * @return the value in ns.
     */
    public static long duration(final String name, final long defaultValue)
    {
        final String value = System.getProperty(name);
        try
        {
            return value == null || value.isEmpty() ? defaultValue : SystemUtil.parseDuration(name, value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new io.aeron.exceptions.ConfigurationException(name + "=" + value +
                " is not a duration (ns, or a number with ns, us, ms or s)");
        }
    }

    /**
     * Reads a size setting from the system property {@code name}: bytes, or a number with a unit (k, m, g), e.g.
     * {@code 64m}, as Agrona's {@link SystemUtil#parseSize} reads it.
     *
     * @param name         of the system property.
     * @param defaultValue in bytes, when the property is absent or empty.
     * @return the value in bytes.
     */
    public static int size(final String name, final int defaultValue)
    {
        final String value = System.getProperty(name);
        try
        {
            final long size = value == null || value.isEmpty() ? defaultValue : SystemUtil.parseSize(name, value.trim());
            if (size > Integer.MAX_VALUE)
            {
                throw new NumberFormatException("too large");
            }
            return (int)size;
        }
        catch (final NumberFormatException ex)
        {
            throw new io.aeron.exceptions.ConfigurationException(name + "=" + value +
                " is not a size below 2g (bytes, or a number with k, m or g)");
        }
    }

    /**
     * Reads a boolean setting from the system property {@code name}.
     *
     * @param name         of the system property.
     * @param defaultValue when the property is absent or empty.
     * @return the value.
     */
    public static boolean bool(final String name, final boolean defaultValue)
    {
        final String value = System.getProperty(name);
        return value == null || value.isEmpty() ? defaultValue : Boolean.parseBoolean(value.trim());
    }
}
