package io.synod;

import io.aeron.exceptions.ConfigurationException;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.io.File;

/**
 * The settings a node's {@code Context} and a client's {@code ClientContext} share: who the members are and how
 * clients reach them, the largest command, the Aeron driver and directory, the idle strategy, the error handler and
 * the clock. Each default comes from {@link Configuration}; fluent setters return the concrete context, so a chain
 * mixes shared and own settings freely. A subclass's {@code conclude()} calls {@link #concludeCommon} first.
 *
 * @param <T> the concrete context, returned by every setter.
 */
public abstract class CommonContext<T extends CommonContext<T>>
{
    private String members = Configuration.string(Configuration.MEMBERS_PROP, Configuration.MEMBERS_DEFAULT);
    private int ingressPortOffset =
        Configuration.integer(Configuration.INGRESS_PORT_OFFSET_PROP, Configuration.INGRESS_PORT_OFFSET_DEFAULT);
    private int ingressStreamId =
        Configuration.integer(Configuration.INGRESS_STREAM_ID_PROP, Configuration.INGRESS_STREAM_ID_DEFAULT);
    private int termLength = Configuration.size(Configuration.TERM_LENGTH_PROP, Configuration.TERM_LENGTH_DEFAULT);
    private int maxPayloadLength =
        Configuration.size(Configuration.MAX_PAYLOAD_LENGTH_PROP, Configuration.MAX_PAYLOAD_LENGTH_DEFAULT);
    private boolean embeddedDriver = Configuration.bool(
        Configuration.EMBEDDED_DRIVER_PROP, Configuration.EMBEDDED_DRIVER_DEFAULT);
    private String aeronDirectoryName = Configuration.string(Configuration.AERON_DIR_PROP, null);
    private String idleStrategyName =
        Configuration.string(Configuration.IDLE_STRATEGY_PROP, Configuration.IDLE_STRATEGY_DEFAULT);
    private int busySpinMinCores =
        Configuration.integer(Configuration.BUSY_SPIN_MIN_CORES_PROP, Configuration.BUSY_SPIN_MIN_CORES_DEFAULT);
    private IdleStrategy idleStrategy;
    private ErrorHandler errorHandler;
    private NanoClock nanoClock;
    private ClusterMember[] clusterMembers;
    private boolean concluded;

    /** @return this, as the concrete context. */
    @SuppressWarnings("unchecked")
    protected final T self()
    {
        return (T)this;
    }

    /**
     * Validates the shared settings and fills their derived values: parses the members, checks the streams and the
     * term length, and picks the Aeron directory, idle strategy, error handler and clock where none was set.
     *
     * @param defaultAeronDirectoryName the Aeron directory when none is set and the driver is embedded.
     * @param errorSource               names the process in the default error handler's lines.
     * @throws ConfigurationException naming the first bad setting.
     */
    protected final void concludeCommon(final String defaultAeronDirectoryName, final String errorSource)
    {
        clusterMembers =
            ClusterMember.parse(members, ingressPortOffset, "members (" + Configuration.MEMBERS_PROP + ")");
        requirePositive("ingressStreamId", ingressStreamId);
        if (termLength < 64 * 1024 || termLength > 1024 * 1024 * 1024 || Integer.bitCount(termLength) != 1)
        {
            throw new ConfigurationException("termLength (" + Configuration.TERM_LENGTH_PROP + ") " + termLength +
                " must be a power of two in [64 KiB, 1 GiB]");
        }
        if (!embeddedDriver && aeronDirectoryName == null)
        {
            throw new ConfigurationException("aeronDirectoryName (" + Configuration.AERON_DIR_PROP +
                ") must name the external driver's directory when embeddedDriver is false");
        }
        if (aeronDirectoryName == null)
        {
            aeronDirectoryName = defaultAeronDirectoryName;
        }
        if (idleStrategy == null)
        {
            idleStrategy = IdleStrategies.of(idleStrategyName, busySpinMinCores, Configuration.IDLE_STRATEGY_PROP);
        }
        if (errorHandler == null)
        {
            errorHandler = new ErrorPrinter(errorSource, System.err);
        }
        if (nanoClock == null)
        {
            nanoClock = SystemNanoClock.INSTANCE;
        }
    }

    /** Marks the context concluded: later {@code conclude()} calls return at once. */
    protected final void markConcluded()
    {
        concluded = true;
    }

    /**
     * @param name  of the setting.
     * @param value to check.
     * @throws ConfigurationException naming the setting if the value is not positive.
     */
    protected static void requirePositive(final String name, final long value)
    {
        if (value <= 0)
        {
            throw new ConfigurationException(name + " must be > 0: " + value);
        }
    }

    /**
     * @param name  of the setting.
     * @param value to check.
     * @param min   smallest value allowed.
     * @throws ConfigurationException naming the setting if the value is not a power of two of at least min.
     */
    protected static void requirePowerOfTwoAtLeast(final String name, final int value, final int min)
    {
        if (Integer.bitCount(value) != 1 || value < min)
        {
            throw new ConfigurationException(name + " " + value + " must be a power of two of at least " + min);
        }
    }

    /** @return whether {@code conclude()} has run. */
    public boolean isConcluded()
    {
        return concluded;
    }

    /** @return parsed members, after {@code conclude()}. */
    public ClusterMember[] clusterMembers()
    {
        return clusterMembers;
    }

    /**
     * @param id member id.
     * @return the member, or null (also before {@code conclude()}).
     */
    public ClusterMember member(final int id)
    {
        if (clusterMembers != null)
        {
            for (final ClusterMember member : clusterMembers)
            {
                if (member.id() == id)
                {
                    return member;
                }
            }
        }
        return null;
    }

    /** @return the member list as set. */
    public String members()
    {
        return members;
    }

    /**
     * @param members {@code id=host:peerPort[:ingressPort],...}, e.g. {@code 0=localhost:20100,1=localhost:20101};
     *                nodes and clients use the same list.
     * @return this.
     */
    public T members(final String members)
    {
        this.members = members;
        return self();
    }

    /** @return ingress port = peer port + this when a member names no ingress port. */
    public int ingressPortOffset()
    {
        return ingressPortOffset;
    }

    /**
     * @param ingressPortOffset added to a member's peer port when it names no ingress port.
     * @return this.
     */
    public T ingressPortOffset(final int ingressPortOffset)
    {
        this.ingressPortOffset = ingressPortOffset;
        return self();
    }

    /** @return the stream id nodes receive client requests on. */
    public int ingressStreamId()
    {
        return ingressStreamId;
    }

    /**
     * @param ingressStreamId the stream id nodes receive client requests on.
     * @return this.
     */
    public T ingressStreamId(final int ingressStreamId)
    {
        this.ingressStreamId = ingressStreamId;
        return self();
    }

    /** @return the term length of the publications this side adds. */
    public int termLength()
    {
        return termLength;
    }

    /**
     * @param termLength of the publications this side adds: a power of two in [64 KiB, 1 GiB]; Aeron's largest
     *                   message is termLength / 8.
     * @return this.
     */
    public T termLength(final int termLength)
    {
        this.termLength = termLength;
        return self();
    }

    /** @return the largest command (and response) in bytes. */
    public int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    /**
     * @param maxPayloadLength the largest command (and response) in bytes; larger ones are refused.
     * @return this.
     */
    public T maxPayloadLength(final int maxPayloadLength)
    {
        this.maxPayloadLength = maxPayloadLength;
        return self();
    }

    /** @return true if this side launches its own media driver. */
    public boolean embeddedDriver()
    {
        return embeddedDriver;
    }

    /**
     * @param embeddedDriver true to launch a media driver in process; false to connect to an external one in
     *                       {@link #aeronDirectoryName()}. A client that embeds the driver needs io.aeron:aeron-driver
     *                       on its class path (an optional dependency of synod-client); without it, connect fails
     *                       and says so.
     * @return this.
     */
    public T embeddedDriver(final boolean embeddedDriver)
    {
        this.embeddedDriver = embeddedDriver;
        return self();
    }

    /** @return the Aeron directory (after {@code conclude()}, never null). */
    public String aeronDirectoryName()
    {
        return aeronDirectoryName;
    }

    /**
     * @param aeronDirectoryName the Aeron directory: the embedded driver's, or the external driver's to connect to.
     * @return this.
     */
    public T aeronDirectoryName(final String aeronDirectoryName)
    {
        this.aeronDirectoryName = aeronDirectoryName;
        return self();
    }

    /** @return the Aeron directory as a file. */
    public File aeronDirectory()
    {
        return new File(aeronDirectoryName);
    }

    /** @return the idle strategy's name as set. */
    public String idleStrategyName()
    {
        return idleStrategyName;
    }

    /**
     * @param idleStrategyName busy-spin, yielding, backoff, sleeping, or auto (busy-spin with at least
     *                         {@link #busySpinMinCores()} cores, yielding below).
     * @return this.
     */
    public T idleStrategyName(final String idleStrategyName)
    {
        this.idleStrategyName = idleStrategyName;
        return self();
    }

    /** @return the idle strategy (after {@code conclude()}, never null). */
    public IdleStrategy idleStrategy()
    {
        return idleStrategy;
    }

    /**
     * @param idleStrategy the duty cycle's idle strategy; overrides {@link #idleStrategyName(String)}.
     * @return this.
     */
    public T idleStrategy(final IdleStrategy idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return self();
    }

    /** @return fewest available processors for which "auto" picks busy-spin. */
    public int busySpinMinCores()
    {
        return busySpinMinCores;
    }

    /**
     * @param busySpinMinCores fewest available processors for which "auto" picks busy-spin.
     * @return this.
     */
    public T busySpinMinCores(final int busySpinMinCores)
    {
        this.busySpinMinCores = busySpinMinCores;
        return self();
    }

    /** @return where errors go (after {@code conclude()}, never null). */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * @param errorHandler where errors go; default prints them, rate-limited, to standard error.
     * @return this.
     */
    public T errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return self();
    }

    /** @return the monotonic clock (after {@code conclude()}, never null). */
    public NanoClock nanoClock()
    {
        return nanoClock;
    }

    /**
     * @param nanoClock monotonic clock for timeouts and latency.
     * @return this.
     */
    public T nanoClock(final NanoClock nanoClock)
    {
        this.nanoClock = nanoClock;
        return self();
    }
}
