package io.synod.client;

import io.aeron.exceptions.ConfigurationException;
import io.synod.CommonContext;
import io.synod.Configuration;
import org.agrona.BitUtil;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every setting of a {@link SynodClient}. Fluent setters; defaults from {@link Configuration};
 * {@link #conclude()} validates once and fails with a {@link ConfigurationException} naming the setting.
 */
public final class ClientContext extends CommonContext<ClientContext>
{
    private static final AtomicInteger CLIENT_IDS = new AtomicInteger();

    private String egressChannel =
        Configuration.string(Configuration.EGRESS_CHANNEL_PROP, Configuration.EGRESS_CHANNEL_DEFAULT);
    private int egressStreamId =
        Configuration.integer(Configuration.EGRESS_STREAM_ID_PROP, Configuration.EGRESS_STREAM_ID_DEFAULT);
    private long responseTimeoutNs =
        Configuration.duration(Configuration.RESPONSE_TIMEOUT_PROP, Configuration.RESPONSE_TIMEOUT_DEFAULT_NS);
    private long connectTimeoutNs =
        Configuration.duration(Configuration.CONNECT_TIMEOUT_PROP, Configuration.CONNECT_TIMEOUT_DEFAULT_NS);
    private long retryDelayNs = 5_000_000L;
    private byte[] credentials = credentialsFromProperty();
    private ChallengeHandler challengeHandler;
    private int clusterId = Configuration.integer(Configuration.CLUSTER_ID_PROP, Configuration.CLUSTER_ID_DEFAULT);
    private int maxOutstanding =
        Configuration.integer(Configuration.MAX_OUTSTANDING_PROP, Configuration.MAX_OUTSTANDING_DEFAULT);
    private boolean useOwnThread =
        Configuration.bool(Configuration.CLIENT_OWN_THREAD_PROP, Configuration.CLIENT_OWN_THREAD_DEFAULT);
    private int commandQueueCapacity = Configuration.size(
        Configuration.COMMAND_QUEUE_CAPACITY_PROP, Configuration.COMMAND_QUEUE_CAPACITY_DEFAULT);

    /**
     * Validate once and fill derived settings.
     *
     * @return this.
     * @throws ConfigurationException naming the first bad setting.
     */
    public ClientContext conclude()
    {
        if (isConcluded())
        {
            return this;
        }
        concludeCommon(io.aeron.CommonContext.getAeronDirectoryName() + "-synod-client-" +
            ProcessHandle.current().pid() + "-" + CLIENT_IDS.incrementAndGet(), "synod client");
        requirePositive("egressStreamId", egressStreamId);
        if (maxPayloadLength() < 0 || maxPayloadLength() + 64 > termLength() / 8)
        {
            throw new ConfigurationException("maxPayloadLength (" + Configuration.MAX_PAYLOAD_LENGTH_PROP + ") " +
                maxPayloadLength() + " must be >= 0 and fit Aeron's largest message for termLength " + termLength());
        }
        if (egressChannel == null || !egressChannel.startsWith("aeron:udp") || !egressChannel.contains("endpoint="))
        {
            throw new ConfigurationException("egressChannel (" + Configuration.EGRESS_CHANNEL_PROP + ") " +
                egressChannel + " must be an aeron:udp channel with an endpoint");
        }
        requirePositive("responseTimeoutNs", responseTimeoutNs);
        requirePositive("connectTimeoutNs", connectTimeoutNs);
        requirePositive("retryDelayNs", retryDelayNs);
        if (maxOutstanding < 1 || Integer.bitCount(maxOutstanding) != 1)
        {
            throw new ConfigurationException("maxOutstanding (" + Configuration.MAX_OUTSTANDING_PROP + ") " +
                maxOutstanding + " must be a power of two >= 1");
        }
        // A queued command is its offer time and deadline (8 bytes each) and payload; a ring buffer takes messages up
        // to 1/8 of it.
        final int largestQueued = BitUtil.align(maxPayloadLength() + 2 * Long.BYTES + RecordDescriptor.HEADER_LENGTH,
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
                " (maxPayloadLength " + maxPayloadLength() + " plus record header, offer time and deadline), " +
                "or 0 for auto");
        }
        markConcluded();
        return this;
    }

    /** @return the channel responses come back on. */
    public String egressChannel()
    {
        return egressChannel;
    }

    /**
     * @return credentials sent in each Connect, empty if none.
     */
    public byte[] credentials()
    {
        return credentials;
    }

    /**
     * @param credentials sent in each Connect to the node's authenticator (a token for
     *                    {@code io.synod.node.TokenAuthenticator}); default {@code synod.client.credentials} as
     *                    UTF-8, else none. At most 4096 bytes.
     * @return this.
     */
    public ClientContext credentials(final byte[] credentials)
    {
        this.credentials = null == credentials ? new byte[0] : credentials.clone();
        return this;
    }

    /**
     * @return answers a node's authentication challenge; null if none is set.
     */
    public ChallengeHandler challengeHandler()
    {
        return challengeHandler;
    }

    /**
     * @param challengeHandler answers a node's authentication challenge (a node whose {@code Authenticator}
     *                         challenges Connects); default none: a challenge is reported and left unanswered, and the
     *                         node refuses the client. With a handler set, the client sends a member nothing else
     *                         after its Connect until it answered that member's challenge or a response timeout passed
     *                         without one (a node that does not challenge).
     * @return this.
     */
    public ClientContext challengeHandler(final ChallengeHandler challengeHandler)
    {
        this.challengeHandler = challengeHandler;
        return this;
    }

    /**
     * @return the cluster this client means; 0 if not checked.
     */
    public int clusterId()
    {
        return clusterId;
    }

    /**
     * @param clusterId the cluster this client means, sent in every Connect: a node whose own
     *                  {@code synod.cluster.id} differs refuses the client, so a client given another cluster's
     *                  member addresses is not served there. Default {@code synod.cluster.id}, else 0: not checked
     *                  (nor is it by a node whose cluster id is 0).
     * @return this.
     */
    public ClientContext clusterId(final int clusterId)
    {
        this.clusterId = clusterId;
        return this;
    }

    private static byte[] credentialsFromProperty()
    {
        final String value = Configuration.string(Configuration.CLIENT_CREDENTIALS_PROP, null);
        return null == value ? new byte[0] : value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
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

    public String toString()
    {
        return "ClientContext{members=" + members() + ", ingressStreamId=" + ingressStreamId() + ", egressChannel=" +
            egressChannel + ", egressStreamId=" + egressStreamId + ", responseTimeoutNs=" + responseTimeoutNs +
            ", maxOutstanding=" + maxOutstanding + ", maxPayloadLength=" + maxPayloadLength() + ", embeddedDriver=" +
            embeddedDriver() + ", aeronDirectoryName=" + aeronDirectoryName() + ", idleStrategy=" + idleStrategy() +
            ", useOwnThread=" + useOwnThread + ", commandQueueCapacity=" + commandQueueCapacity + '}';
    }
}
