package io.synod.node;

import io.aeron.exceptions.ConfigurationException;
import io.synod.Configuration;
import io.synod.log.DurabilityPolicy;
import io.synod.log.InMemoryPaxosLog;
import io.synod.log.MappedLogConfig;
import io.synod.log.MappedPaxosLog;
import io.synod.log.PaxosLog;

import java.nio.file.Paths;

/**
 * Where and how a {@link SynodNode} keeps its log: the directory of the memory-mapped segments (none: in memory), the
 * durability policy, the segment size, or a {@link LogFactory} of the application's own. Part of the node's
 * {@link Context}, reached as {@link Context#log()}; defaults from {@link Configuration}; validated by
 * {@link Context#conclude()} with a {@link ConfigurationException} naming the setting.
 */
public final class LogSettings
{
    private String logDirectory = Configuration.string(Configuration.LOG_DIR_PROP, null);
    private String durabilityName =
        Configuration.string(Configuration.DURABILITY_PROP, Configuration.DURABILITY_DEFAULT);
    private int logSegmentLength =
        Configuration.size(Configuration.LOG_SEGMENT_LENGTH_PROP, Configuration.LOG_SEGMENT_LENGTH_DEFAULT);
    private DurabilityPolicy durability;
    private LogFactory logFactory;

    /**
     * Validate every setting and fill the defaults; called by {@link Context#conclude()}.
     */
    void conclude()
    {
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
        if (logFactory == null)
        {
            logFactory = LogSettings::defaultLog;
        }
    }

    /**
     * The default log: memory-mapped segments in the log directory, recovered on open; in memory when no directory
     * is set (tests, demos: a restarted node then catches up from the leader).
     */
    private static PaxosLog defaultLog(final Context context)
    {
        if (context.log().logDirectory() == null)
        {
            return new InMemoryPaxosLog(context.maxPayloadLength());
        }
        return MappedPaxosLog.open(new MappedLogConfig()
            .directory(Paths.get(context.log().logDirectory()))
            .durability(context.log().durability())
            .segmentLength(context.log().logSegmentLength())
            .maxPayloadLength(context.maxPayloadLength())
            .clusterId(context.clusterId())
            .nodeId(context.nodeId()));
    }

    public String toString()
    {
        return "LogSettings{logDirectory=" + logDirectory + ", durability=" +
            (durability != null ? durability : durabilityName) + ", logSegmentLength=" + logSegmentLength +
            ", logFactory=" + (logFactory != null ? "(set)" : "(default)") + '}';
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
    public LogSettings logDirectory(final String logDirectory)
    {
        this.logDirectory = logDirectory;
        return this;
    }

    /** @return the log's durability policy, after {@link Context#conclude()}. */
    public DurabilityPolicy durability()
    {
        return durability;
    }

    /**
     * @param durability NONE (the mapping survives a process crash) or FORCE (msync before replies leave: survives
     *                   a power cut; one device flush per duty cycle).
     * @return this.
     */
    public LogSettings durability(final DurabilityPolicy durability)
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
    public LogSettings logSegmentLength(final int logSegmentLength)
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
    public LogSettings logFactory(final LogFactory logFactory)
    {
        this.logFactory = logFactory;
        return this;
    }
}
