package io.synod.log;

import io.synod.Configuration;
import java.nio.file.Path;

/**
 * Configuration of a {@link MappedPaxosLog}: set what differs from the defaults, then
 * {@link MappedPaxosLog#open(MappedLogConfig)} validates it once with {@link #conclude()}.
 * <p>
 * Defaults: segments of 64 MiB, {@link DurabilityPolicy#NONE}, payloads up to 64 KiB. No system property is read
 * here: a node's runtime {@code Context} fills this from its settings.
 */
public final class MappedLogConfig
{
    /** Smallest segment length accepted. */
    public static final int SEGMENT_LENGTH_MIN = 4096;
    /** Largest segment length accepted: one mapping is indexed by an int. */
    public static final int SEGMENT_LENGTH_MAX = 1024 * 1024 * 1024;

    private Path directory;
    // Defaults only: settings from system properties are read once, by the runtime's Configuration and Context.
    private int segmentLength = Configuration.LOG_SEGMENT_LENGTH_DEFAULT;
    private DurabilityPolicy durability = DurabilityPolicy.NONE;
    private int maxPayloadLength = Configuration.MAX_PAYLOAD_LENGTH_DEFAULT;
    private int clusterId = LogMetadata.NO_ID;
    private int nodeId = LogMetadata.NO_ID;
    private boolean bootstrap;

    /**
     * @param clusterId the log belongs to: recorded when the log is created, checked on every later open (a node must
     *                  never start on another cluster's history). -1 (the default) records or checks nothing.
     * @return this.
     */
    public MappedLogConfig clusterId(final int clusterId)
    {
        this.clusterId = clusterId;
        return this;
    }

    /**
     * @return the cluster id the log belongs to, -1 for unchecked.
     */
    public int clusterId()
    {
        return clusterId;
    }

    /**
     * @param nodeId the log belongs to: recorded when the log is created, checked on every later open. -1 (the
     *               default) records or checks nothing.
     * @return this.
     */
    public MappedLogConfig nodeId(final int nodeId)
    {
        this.nodeId = nodeId;
        return this;
    }

    /**
     * @return the node id the log belongs to, -1 for unchecked.
     */
    public int nodeId()
    {
        return nodeId;
    }

    /**
     * @param bootstrap true only for the very first start of a brand-new cluster: a log created empty then votes at
     *                  once. Otherwise (the default) a log created empty is non-voting until its node has rejoined
     *                  safely. Ignored for a log that exists.
     * @return this.
     */
    public MappedLogConfig bootstrap(final boolean bootstrap)
    {
        this.bootstrap = bootstrap;
        return this;
    }

    /**
     * @return whether a log created empty votes at once.
     */
    public boolean bootstrap()
    {
        return bootstrap;
    }

    /**
     * @param directory holding the segments and metadata of one node's log; created if absent.
     * @return this.
     */
    public MappedLogConfig directory(final Path directory)
    {
        this.directory = directory;
        return this;
    }

    /** @return the log directory. */
    public Path directory()
    {
        return directory;
    }

    /**
     * @param segmentLength bytes of each segment file, a multiple of 4096 in [4 KiB, 1 GiB].
     * @return this.
     */
    public MappedLogConfig segmentLength(final int segmentLength)
    {
        this.segmentLength = segmentLength;
        return this;
    }

    /** @return the bytes of each segment file. */
    public int segmentLength()
    {
        return segmentLength;
    }

    /**
     * @param durability what {@link MappedPaxosLog#sync()} guarantees.
     * @return this.
     */
    public MappedLogConfig durability(final DurabilityPolicy durability)
    {
        this.durability = durability;
        return this;
    }

    /** @return the durability policy. */
    public DurabilityPolicy durability()
    {
        return durability;
    }

    /**
     * @param maxPayloadLength largest payload of one entry; a record (header + payload) must fit in a segment.
     * @return this.
     */
    public MappedLogConfig maxPayloadLength(final int maxPayloadLength)
    {
        this.maxPayloadLength = maxPayloadLength;
        return this;
    }

    /** @return the largest payload of one entry. */
    public int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    /**
     * Validate every setting once; fail fast naming the setting.
     *
     * @return this.
     * @throws IllegalArgumentException naming the first invalid setting.
     */
    public MappedLogConfig conclude()
    {
        if (directory == null)
        {
            throw new IllegalArgumentException("directory must be set");
        }
        if (durability == null)
        {
            throw new IllegalArgumentException("durability must be set");
        }
        if (segmentLength < SEGMENT_LENGTH_MIN || segmentLength > SEGMENT_LENGTH_MAX || (segmentLength & 4095) != 0)
        {
            throw new IllegalArgumentException("segmentLength=" + segmentLength +
                " must be a multiple of 4096 in [" + SEGMENT_LENGTH_MIN + ", " + SEGMENT_LENGTH_MAX + "]");
        }
        final int largest = segmentLength - LogSegment.SEGMENT_HEADER_LENGTH - LogSegment.HEADER_LENGTH;
        if (maxPayloadLength < 0 || maxPayloadLength > largest)
        {
            throw new IllegalArgumentException("maxPayloadLength=" + maxPayloadLength + " does not fit a record of " +
                "header " + LogSegment.HEADER_LENGTH + " bytes in segmentLength=" + segmentLength + " after the " +
                "segment header of " + LogSegment.SEGMENT_HEADER_LENGTH + " bytes (largest allowed: " + largest + ")");
        }
        return this;
    }

    public String toString()
    {
        return "MappedLogConfig{directory=" + directory + ", segmentLength=" + segmentLength + ", durability=" +
            durability + ", maxPayloadLength=" + maxPayloadLength + ", clusterId=" + clusterId + ", nodeId=" + nodeId +
            ", bootstrap=" + bootstrap + '}';
    }
}
