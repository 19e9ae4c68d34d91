package io.synod.client;

import io.aeron.exceptions.ConfigurationException;
import io.synod.ClusterMember;
import io.synod.Configuration;
import io.synod.ErrorPrinter;
import io.synod.IdleStrategies;
import org.agrona.BitUtil;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every setting of a {@link SynodClient}. Fluent setters; defaults from {@link Configuration};
 * {@link #conclude()} validates once and fails with a {@link ConfigurationException} naming the setting.
 */
public final class ClientContext
{
    private static final AtomicInteger CLIENT_IDS = new AtomicInteger();

    private String members = Configuration.string(Configuration.MEMBERS_PROP, Configuration.MEMBERS_DEFAULT);
    private int ingressPortOffset =
        Configuration.integer(Configuration.INGRESS_PORT_OFFSET_PROP, Configuration.INGRESS_PORT_OFFSET_DEFAULT);
    private int ingressStreamId =
        Configuration.integer(Configuration.INGRESS_STREAM_ID_PROP, Configuration.INGRESS_STREAM_ID_DEFAULT);
    private String egressChannel =
        Configuration.string(Configuration.EGRESS_CHANNEL_PROP, Configuration.EGRESS_CHANNEL_DEFAULT);
    private int egressStreamId =
        Configuration.integer(Configuration.EGRESS_STREAM_ID_PROP, Configuration.EGRESS_STREAM_ID_DEFAULT);
    private int termLength = Configuration.integer(Configuration.TERM_LENGTH_PROP, Configuration.TERM_LENGTH_DEFAULT);
    private long responseTimeoutNs =
        Configuration.longValue(Configuration.RESPONSE_TIMEOUT_PROP, Configuration.RESPONSE_TIMEOUT_DEFAULT_NS);
    private long connectTimeoutNs =
        Configuration.longValue(Configuration.CONNECT_TIMEOUT_PROP, Configuration.CONNECT_TIMEOUT_DEFAULT_NS);
    private long retryDelayNs = 5_000_000L;
    private int maxOutstanding =
        Configuration.integer(Configuration.MAX_OUTSTANDING_PROP, Configuration.MAX_OUTSTANDING_DEFAULT);
    private int maxPayloadLength =
        Configuration.integer(Configuration.MAX_PAYLOAD_LENGTH_PROP, Configuration.MAX_PAYLOAD_LENGTH_DEFAULT);
    private boolean embeddedDriver = Configuration.bool(Configuration.EMBEDDED_DRIVER_PROP, true);
    private String aeronDirectoryName = Configuration.string(Configuration.AERON_DIR_PROP, null);
    private String idleStrategyName =
        Configuration.string(Configuration.IDLE_STRATEGY_PROP, Configuration.IDLE_STRATEGY_DEFAULT);
    private int busySpinMinCores =
        Configuration.integer(Configuration.BUSY_SPIN_MIN_CORES_PROP, Configuration.BUSY_SPIN_MIN_CORES_DEFAULT);
    private boolean useOwnThread =
        Configuration.bool(Configuration.CLIENT_OWN_THREAD_PROP, Configuration.CLIENT_OWN_THREAD_DEFAULT);
    private int commandQueueCapacity = Configuration.integer(
        Configuration.COMMAND_QUEUE_CAPACITY_PROP, Configuration.COMMAND_QUEUE_CAPACITY_DEFAULT);
    private IdleStrategy idleStrategy;
    private ErrorHandler errorHandler;
    private NanoClock nanoClock;
    private ClusterMember[] clusterMembers;
    private boolean concluded;

    /**
     * Validate once and fill derived settings.
     *
     * @return this.
     * @throws ConfigurationException naming the first bad setting.
     */
    public ClientContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        clusterMembers = ClusterMember.parse(members, ingressPortOffset, "members (" + Configuration.MEMBERS_PROP + ")");
        if (ingressStreamId == 0 || egressStreamId == 0)
        {
            throw new ConfigurationException("ingressStreamId and egressStreamId must not be 0");
        }
        if (egressChannel == null || !egressChannel.startsWith("aeron:udp") || !egressChannel.contains("endpoint="))
        {
            throw new ConfigurationException("egressChannel (" + Configuration.EGRESS_CHANNEL_PROP + ") " +
                egressChannel + " must be an aeron:udp channel with an endpoint");
        }
        if (termLength < 64 * 1024 || Integer.bitCount(termLength) != 1)
        {
            throw new ConfigurationException("termLength " + termLength + " must be a power of two >= 64 KiB");
        }
        if (responseTimeoutNs <= 0)
        {
            throw new ConfigurationException("responseTimeoutNs must be > 0: " + responseTimeoutNs);
        }
        if (connectTimeoutNs <= 0)
        {
            throw new ConfigurationException("connectTimeoutNs must be > 0: " + connectTimeoutNs);
        }
        if (retryDelayNs <= 0)
        {
            throw new ConfigurationException("retryDelayNs must be > 0: " + retryDelayNs);
        }
        if (maxOutstanding < 1 || Integer.bitCount(maxOutstanding) != 1)
        {
            throw new ConfigurationException("maxOutstanding (" + Configuration.MAX_OUTSTANDING_PROP + ") " +
                maxOutstanding + " must be a power of two >= 1");
        }
        if (maxPayloadLength < 0 || maxPayloadLength + 64 > termLength / 8)
        {
            throw new ConfigurationException("maxPayloadLength " + maxPayloadLength +
                " must be >= 0 and fit Aeron's largest message for termLength " + termLength);
        }
        if (!embeddedDriver && aeronDirectoryName == null)
        {
            throw new ConfigurationException("aeronDirectoryName (" + Configuration.AERON_DIR_PROP +
                ") must name the external driver's directory when embeddedDriver is false");
        }
        // A queued command is its offer time and deadline (8 bytes each) and payload; a ring buffer takes messages up
        // to 1/8 of it.
        final int largestQueued = BitUtil.align(maxPayloadLength + 2 * Long.BYTES + RecordDescriptor.HEADER_LENGTH,
            RecordDescriptor.ALIGNMENT);
        if (commandQueueCapacity == 0)
        {
            commandQueueCapacity = Math.max(1024 * 1024, BitUtil.findNextPositivePowerOfTwo(largestQueued * 8));
        }
        if (commandQueueCapacity < 0 || Integer.bitCount(commandQueueCapacity) != 1 ||
            commandQueueCapacity / 8 < largestQueued)
        {
            throw new ConfigurationException("commandQueueCapacity (" + Configuration.COMMAND_QUEUE_CAPACITY_PROP +
                ") " + commandQueueCapacity + " must be a power of two >= 8 * " + largestQueued +
                " (maxPayloadLength " + maxPayloadLength + " plus record header, offer time and deadline), or 0 for auto");
        }
        if (aeronDirectoryName == null)
        {
            aeronDirectoryName = io.aeron.CommonContext.getAeronDirectoryName() + "-synod-client-" +
                ProcessHandle.current().pid() + "-" + CLIENT_IDS.incrementAndGet();
        }
        if (idleStrategy == null)
        {
            idleStrategy = IdleStrategies.of(idleStrategyName, busySpinMinCores, Configuration.IDLE_STRATEGY_PROP);
        }
        if (errorHandler == null)
        {
            errorHandler = new ErrorPrinter("synod client", System.err);
        }
        if (nanoClock == null)
        {
            nanoClock = SystemNanoClock.INSTANCE;
        }
        concluded = true;
        return this;
    }

    /** @return parsed members, after {@link #conclude()}. */
    public ClusterMember[] clusterMembers()
    {
        return clusterMembers;
    }

    /** @return the member list as set. */
    public String members()
    {
        return members;
    }

    /**
     * @param members {@code id=host:peerPort[:ingressPort],...}, the same list the nodes use.
     * @return this.
     */
    public ClientContext members(final String members)
    {
        this.members = members;
        return this;
    }

    /** @return ingress port offset. */
    public int ingressPortOffset()
    {
        return ingressPortOffset;
    }

    /**
     * @param ingressPortOffset added to a member's peer port when it names no ingress port.
     * @return this.
     */
    public ClientContext ingressPortOffset(final int ingressPortOffset)
    {
        this.ingressPortOffset = ingressPortOffset;
        return this;
    }

    /** @return ingress stream id. */
    public int ingressStreamId()
    {
        return ingressStreamId;
    }

    /**
     * @param ingressStreamId stream id the nodes receive client requests on.
     * @return this.
     */
    public ClientContext ingressStreamId(final int ingressStreamId)
    {
        this.ingressStreamId = ingressStreamId;
        return this;
    }

    /** @return the channel responses come back on. */
    public String egressChannel()
    {
        return egressChannel;
    }

    /**
     * @param egressChannel UDP channel responses come back on; port 0 picks a free port.
     * @return this.
     */
    public ClientContext egressChannel(final String egressChannel)
    {
        this.egressChannel = egressChannel;
        return this;
    }

    /** @return base egress stream id; member i answers on base + i. */
    public int egressStreamId()
    {
        return egressStreamId;
    }

    /**
     * @param egressStreamId base egress stream id; the member at index i answers on base + i.
     * @return this.
     */
    public ClientContext egressStreamId(final int egressStreamId)
    {
        this.egressStreamId = egressStreamId;
        return this;
    }

    /** @return term length of the ingress publications. */
    public int termLength()
    {
        return termLength;
    }

    /**
     * @param termLength term length of ingress publications and asked of egress ones.
     * @return this.
     */
    public ClientContext termLength(final int termLength)
    {
        this.termLength = termLength;
        return this;
    }

    /** @return time without an answer after which the client fails over to the next node. */
    public long responseTimeoutNs()
    {
        return responseTimeoutNs;
    }

    /**
     * @param responseTimeoutNs time without any answer from the node in use, while requests are outstanding, after
     *                          which the client fails over to the next node and resends them; above the election
     *                          timeout.
     * @return this.
     */
    public ClientContext responseTimeoutNs(final long responseTimeoutNs)
    {
        this.responseTimeoutNs = responseTimeoutNs;
        return this;
    }

    /** @return limit of connect and blocking calls. */
    public long connectTimeoutNs()
    {
        return connectTimeoutNs;
    }

    /**
     * @param connectTimeoutNs how long {@link SynodClient#connect(ClientContext)} and blocking calls wait.
     * @return this.
     */
    public ClientContext connectTimeoutNs(final long connectTimeoutNs)
    {
        this.connectTimeoutNs = connectTimeoutNs;
        return this;
    }

    /** @return delay before retrying after BUSY, SEQUENCE_GAP or a redirect to an unknown leader. */
    public long retryDelayNs()
    {
        return retryDelayNs;
    }

    /**
     * @param retryDelayNs delay before resending after BUSY, SEQUENCE_GAP or a redirect naming no leader.
     * @return this.
     */
    public ClientContext retryDelayNs(final long retryDelayNs)
    {
        this.retryDelayNs = retryDelayNs;
        return this;
    }

    /** @return most commands outstanding. */
    public int maxOutstanding()
    {
        return maxOutstanding;
    }

    /**
     * @param maxOutstanding most commands sent and not answered (pipelining), a power of two.
     * @return this.
     */
    public ClientContext maxOutstanding(final int maxOutstanding)
    {
        this.maxOutstanding = maxOutstanding;
        return this;
    }

    /** @return largest command. */
    public int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    /**
     * @param maxPayloadLength largest command the client sends; set it as the nodes do.
     * @return this.
     */
    public ClientContext maxPayloadLength(final int maxPayloadLength)
    {
        this.maxPayloadLength = maxPayloadLength;
        return this;
    }

    /** @return whether the client launches its own media driver. */
    public boolean embeddedDriver()
    {
        return embeddedDriver;
    }

    /**
     * @param embeddedDriver launch an embedded shared-mode driver (default) or use the one at
     *                       {@link #aeronDirectoryName(String)}.
     * @return this.
     */
    public ClientContext embeddedDriver(final boolean embeddedDriver)
    {
        this.embeddedDriver = embeddedDriver;
        return this;
    }

    /** @return the Aeron directory. */
    public String aeronDirectoryName()
    {
        return aeronDirectoryName;
    }

    /**
     * @param aeronDirectoryName the driver's directory.
     * @return this.
     */
    public ClientContext aeronDirectoryName(final String aeronDirectoryName)
    {
        this.aeronDirectoryName = aeronDirectoryName;
        return this;
    }

    /** @return idle strategy name. */
    public String idleStrategyName()
    {
        return idleStrategyName;
    }

    /**
     * @param idleStrategyName idle strategy of blocking calls and of the embedded driver: busy-spin, yielding,
     *                         backoff, sleeping or auto.
     * @return this.
     */
    public ClientContext idleStrategyName(final String idleStrategyName)
    {
        this.idleStrategyName = idleStrategyName;
        return this;
    }

    /** @return idle strategy of blocking calls, or of the client thread's duty cycle in own-thread mode. */
    public IdleStrategy idleStrategy()
    {
        return idleStrategy;
    }

    /**
     * @param idleStrategy idle strategy of blocking calls (poll mode) or of the client thread's duty cycle
     *                     ({@link #useOwnThread(boolean)}); not shared with application threads in that mode.
     * @return this.
     */
    public ClientContext idleStrategy(final IdleStrategy idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    /** @return whether the client runs on a thread of its own. */
    public boolean useOwnThread()
    {
        return useOwnThread;
    }

    /**
     * @param useOwnThread false (default): the application's thread polls the client ({@link SynodClient#poll()}) and
     *                     listeners run on it. True: {@link SynodClient#connect(ClientContext)} starts a thread named
     *                     {@code synod-client} that alone owns the client; any application thread offers commands
     *                     through a lock-free queue and listeners run on the client thread.
     * @return this.
     */
    public ClientContext useOwnThread(final boolean useOwnThread)
    {
        this.useOwnThread = useOwnThread;
        return this;
    }

    /** @return bytes of the command queue of own-thread mode (after {@link #conclude()}: the size used). */
    public int commandQueueCapacity()
    {
        return commandQueueCapacity;
    }

    /**
     * @param commandQueueCapacity bytes of the queue application threads hand commands to the client thread by, a
     *                             power of two holding at least 8 of the largest command; 0 (default) sizes it.
     *                             When full, {@link SynodClient#offer} returns {@link SynodClient#WINDOW_FULL}.
     * @return this.
     */
    public ClientContext commandQueueCapacity(final int commandQueueCapacity)
    {
        this.commandQueueCapacity = commandQueueCapacity;
        return this;
    }

    /** @return where errors go. */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * @param errorHandler where errors go.
     * @return this.
     */
    public ClientContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    /** @return the clock. */
    public NanoClock nanoClock()
    {
        return nanoClock;
    }

    /**
     * @param nanoClock monotonic clock for timeouts and latency.
     * @return this.
     */
    public ClientContext nanoClock(final NanoClock nanoClock)
    {
        this.nanoClock = nanoClock;
        return this;
    }

    /** @return cores for auto to pick busy-spin. */
    public int busySpinMinCores()
    {
        return busySpinMinCores;
    }

    public String toString()
    {
        return "ClientContext{members=" + members + ", ingressStreamId=" + ingressStreamId + ", egressChannel=" +
            egressChannel + ", egressStreamId=" + egressStreamId + ", responseTimeoutNs=" + responseTimeoutNs +
            ", maxOutstanding=" + maxOutstanding + ", maxPayloadLength=" + maxPayloadLength + ", embeddedDriver=" +
            embeddedDriver + ", aeronDirectoryName=" + aeronDirectoryName + ", idleStrategy=" + idleStrategy +
            ", useOwnThread=" + useOwnThread + ", commandQueueCapacity=" + commandQueueCapacity + '}';
    }
}
