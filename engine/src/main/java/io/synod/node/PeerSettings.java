package io.synod.node;

import io.aeron.exceptions.ConfigurationException;
import io.synod.Configuration;

/**
 * How a {@link SynodNode} reaches its peers and proves that its messages are a member's: peer authentication and the
 * cluster key, the two peer streams (control and data), and how much each peer may have waiting (queue capacity,
 * data budget). Part of the node's {@link Context}, reached as {@link Context#peers()}; defaults from
 * {@link Configuration}; validated by {@link Context#conclude()} with a {@link ConfigurationException} naming the
 * setting.
 */
public final class PeerSettings
{
    private boolean peerAuthentication = Configuration.bool(
        Configuration.PEER_AUTHENTICATION_PROP, Configuration.PEER_AUTHENTICATION_DEFAULT);
    private String clusterKey = Configuration.string(Configuration.CLUSTER_KEY_PROP, null);
    private String clusterKeyFile = Configuration.string(Configuration.CLUSTER_KEY_FILE_PROP, null);
    private byte[] clusterKeyBytes;
    private int peerStreamId =
        Configuration.integer(Configuration.PEER_STREAM_ID_PROP, Configuration.PEER_STREAM_ID_DEFAULT);
    private int peerControlStreamId = Configuration.integer(
        Configuration.PEER_CONTROL_STREAM_ID_PROP, Configuration.PEER_CONTROL_STREAM_ID_DEFAULT);
    private int peerQueueCapacity =
        Configuration.size(Configuration.PEER_QUEUE_CAPACITY_PROP, Configuration.PEER_QUEUE_CAPACITY_DEFAULT);
    private int peerDataBudget =
        Configuration.size(Configuration.PEER_DATA_BUDGET_PROP, Configuration.PEER_DATA_BUDGET_DEFAULT);

    /**
     * Validate every setting and read the cluster key; called by {@link Context#conclude()}.
     *
     * @param ingressStreamId  the clients' stream, which the peer streams must differ from.
     * @param termLength       the term length of every publication.
     * @param maxMessageLength the largest peer message.
     */
    void conclude(final int ingressStreamId, final int termLength, final int maxMessageLength)
    {
        clusterKeyBytes = ClusterKey.read(clusterKey, clusterKeyFile);
        if (peerAuthentication && clusterKeyBytes == null)
        {
            throw new ConfigurationException("peer authentication (" + Configuration.PEER_AUTHENTICATION_PROP +
                ") is on but no cluster key is set: set clusterKey (" + Configuration.CLUSTER_KEY_PROP +
                ", hex or base64, at least " + ClusterKey.MIN_LENGTH + " bytes, e.g. `openssl rand -hex 32`) or " +
                "clusterKeyFile (" + Configuration.CLUSTER_KEY_FILE_PROP + "), the same on every member; or turn " +
                "peer authentication off, only on a network nothing but the members can send to (docs/security.md)");
        }
        requirePositive("peerStreamId", peerStreamId);
        requirePositive("peerControlStreamId", peerControlStreamId);
        if (peerStreamId == ingressStreamId)
        {
            throw new ConfigurationException("ingressStreamId must differ from peerStreamId " + peerStreamId);
        }
        if (peerControlStreamId == peerStreamId || peerControlStreamId == ingressStreamId)
        {
            throw new ConfigurationException("peerControlStreamId (" + Configuration.PEER_CONTROL_STREAM_ID_PROP +
                ") " + peerControlStreamId + " must differ from peerStreamId and ingressStreamId");
        }
        requirePowerOfTwoAtLeast("peerQueueCapacity", peerQueueCapacity, 2 * maxMessageLength);
        if (peerDataBudget == 0)
        {
            peerDataBudget = Math.min(termLength / 4, peerQueueCapacity);
        }
        // At least two whole Accepts in flight (pipelining); at most Aeron's publication window (term / 2); never more
        // than the peer's queue holds, so the queue cannot overflow with data.
        if (peerDataBudget < 2 * maxMessageLength || peerDataBudget > termLength / 2 ||
            peerDataBudget > peerQueueCapacity)
        {
            throw new ConfigurationException("peerDataBudget (" + Configuration.PEER_DATA_BUDGET_PROP + ") " +
                peerDataBudget + " must be in [2 * maxMessageLength = " + 2 * maxMessageLength +
                ", min(termLength / 2 = " + termLength / 2 + ", peerQueueCapacity = " + peerQueueCapacity + ")]");
        }
    }

    private static void requirePositive(final String name, final long value)
    {
        if (value <= 0)
        {
            throw new ConfigurationException(name + " must be > 0: " + value);
        }
    }

    private static void requirePowerOfTwoAtLeast(final String name, final int value, final int min)
    {
        if (Integer.bitCount(value) != 1 || value < min)
        {
            throw new ConfigurationException(name + " " + value + " must be a power of two of at least " + min);
        }
    }

    public String toString()
    {
        return "PeerSettings{peerAuthentication=" + peerAuthentication + ", clusterKey=" + (clusterKey != null ?
            "(set)" : clusterKeyFile != null ? "(file " + clusterKeyFile + ")" : "(none)") +
            ", peerStreamId=" + peerStreamId + ", peerControlStreamId=" + peerControlStreamId +
            ", peerQueueCapacity=" + peerQueueCapacity + ", peerDataBudget=" + peerDataBudget + '}';
    }

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
    public PeerSettings peerAuthentication(final boolean peerAuthentication)
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
    public PeerSettings clusterKey(final String clusterKey)
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
    public PeerSettings clusterKeyFile(final String clusterKeyFile)
    {
        this.clusterKeyFile = clusterKeyFile;
        return this;
    }

    /** @return stream id of peer traffic. */
    public int peerStreamId()
    {
        return peerStreamId;
    }

    /**
     * @param peerStreamId stream id of peer traffic.
     * @return this.
     */
    public PeerSettings peerStreamId(final int peerStreamId)
    {
        this.peerStreamId = peerStreamId;
        return this;
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
    public PeerSettings peerControlStreamId(final int peerControlStreamId)
    {
        this.peerControlStreamId = peerControlStreamId;
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
    public PeerSettings peerQueueCapacity(final int peerQueueCapacity)
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
    public PeerSettings peerDataBudget(final int peerDataBudget)
    {
        this.peerDataBudget = peerDataBudget;
        return this;
    }

    /** @return the key's bytes after {@link Context#conclude()} if peer authentication is on, else null. */
    byte[] peerKey()
    {
        return peerAuthentication ? clusterKeyBytes : null;
    }
}
