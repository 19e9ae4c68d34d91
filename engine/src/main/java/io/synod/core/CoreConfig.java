package io.synod.core;

import io.synod.Configuration;

import java.util.Arrays;

/**
 * Settings of the protocol core: who the members are and the protocol's timers and limits. Fluent setters;
 * {@link #conclude()} validates once and fails with a message naming the setting. The runtime's {@code Context}
 * fills one of these.
 */
public final class CoreConfig
{
    /**
     * Hard bound on a session window read from the log, whatever the leader that wrote it was configured with: a
     * bad entry cannot make every node allocate without bound.
     */
    public static final int MAX_SESSION_WINDOW_LIMIT = 65536;

    /** Bytes of Accept/Promise framing beyond the payload of an entry: header, fields, group and var-data headers. */
    static final int ENTRY_OVERHEAD = 64;
    /** Bytes of message header and fixed block of the largest peer message, with the group header. */
    static final int MESSAGE_OVERHEAD = 64;

    private int nodeId = -1;
    private int[] memberIds;
    private int clusterId;
    private long heartbeatIntervalNs = Configuration.HEARTBEAT_INTERVAL_DEFAULT_NS;
    private long electionTimeoutNs;
    private int maxMessageLength = Configuration.MAX_MESSAGE_LENGTH_DEFAULT;
    private int maxPayloadLength = Configuration.MAX_PAYLOAD_LENGTH_DEFAULT;
    private int maxBatchEntries = Configuration.MAX_BATCH_ENTRIES_DEFAULT;
    private int windowEntries = Configuration.WINDOW_ENTRIES_DEFAULT;
    private long sessionTimeoutNs = Configuration.SESSION_TIMEOUT_DEFAULT_NS;
    private int maxSessions = Configuration.MAX_SESSIONS_DEFAULT;
    private int maxSessionWindow = Configuration.MAX_SESSION_WINDOW_DEFAULT;
    private int maxSessionsPerPrincipal = Configuration.MAX_SESSIONS_PER_PRINCIPAL_DEFAULT;
    private boolean bootstrap;
    private long incarnation;
    private boolean concluded;

    /**
     * Validate and fill derived defaults. Idempotent.
     *
     * @return this.
     * @throws IllegalStateException naming the first bad setting.
     */
    public CoreConfig conclude()
    {
        if (concluded)
        {
            return this;
        }
        if (memberIds == null || memberIds.length == 0)
        {
            throw new IllegalStateException("memberIds must name at least one node");
        }
        if (memberIds.length > 9)
        {
            throw new IllegalStateException("memberIds: at most 9 members supported, got " + memberIds.length);
        }
        final int[] sorted = memberIds.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++)
        {
            if (sorted[i] < 0 || sorted[i] > Ballot.MAX_NODE_ID)
            {
                throw new IllegalStateException("memberIds: node id " + sorted[i] + " outside [0, 65535]");
            }
            if (i > 0 && sorted[i] == sorted[i - 1])
            {
                throw new IllegalStateException("memberIds: node id " + sorted[i] + " listed twice");
            }
        }
        memberIds = sorted;
        if (Arrays.binarySearch(memberIds, nodeId) < 0)
        {
            throw new IllegalStateException("nodeId " + nodeId + " is not in memberIds " + Arrays.toString(memberIds));
        }
        if (heartbeatIntervalNs <= 0)
        {
            throw new IllegalStateException("heartbeatIntervalNs must be > 0: " + heartbeatIntervalNs);
        }
        if (electionTimeoutNs == 0)
        {
            electionTimeoutNs = 2 * heartbeatIntervalNs;
        }
        if (electionTimeoutNs < 2 * heartbeatIntervalNs)
        {
            throw new IllegalStateException(
                "electionTimeoutNs " + electionTimeoutNs + " must be >= 2 * heartbeatIntervalNs " + heartbeatIntervalNs);
        }
        if (maxPayloadLength < 0)
        {
            throw new IllegalStateException("maxPayloadLength must be >= 0: " + maxPayloadLength);
        }
        if (maxMessageLength < maxPayloadLength + ENTRY_OVERHEAD + MESSAGE_OVERHEAD)
        {
            throw new IllegalStateException("maxMessageLength " + maxMessageLength +
                " must hold one entry of maxPayloadLength " + maxPayloadLength + " plus " +
                (ENTRY_OVERHEAD + MESSAGE_OVERHEAD) + " bytes of framing");
        }
        if (maxBatchEntries < 1 || maxBatchEntries > 65535)
        {
            throw new IllegalStateException("maxBatchEntries must be in [1, 65535]: " + maxBatchEntries);
        }
        if (windowEntries < maxBatchEntries)
        {
            throw new IllegalStateException(
                "windowEntries " + windowEntries + " must be >= maxBatchEntries " + maxBatchEntries);
        }
        if (sessionTimeoutNs <= 0)
        {
            throw new IllegalStateException("sessionTimeoutNs must be > 0: " + sessionTimeoutNs);
        }
        if (maxSessions <= 0)
        {
            throw new IllegalStateException("maxSessions must be > 0: " + maxSessions);
        }
        if (maxSessionWindow < 1 || maxSessionWindow > MAX_SESSION_WINDOW_LIMIT)
        {
            throw new IllegalStateException(
                "maxSessionWindow must be in [1, " + MAX_SESSION_WINDOW_LIMIT + "]: " + maxSessionWindow);
        }
        concluded = true;
        return this;
    }

    /** @return this node's id. */
    public int nodeId()
    {
        return nodeId;
    }

    /**
     * @param nodeId this node's id, one of {@link #memberIds()}; among equally up-to-date nodes, higher ids stand first.
     * @return this.
     */
    public CoreConfig nodeId(final int nodeId)
    {
        this.nodeId = nodeId;
        return this;
    }

    /** @return ids of all members, this node included, ascending after {@link #conclude()}. */
    public int[] memberIds()
    {
        return memberIds;
    }

    /**
     * @param memberIds ids of all members, this node included.
     * @return this.
     */
    public CoreConfig memberIds(final int... memberIds)
    {
        this.memberIds = memberIds.clone();
        return this;
    }

    /** @return the cluster id carried in heartbeats. */
    public int clusterId()
    {
        return clusterId;
    }

    /**
     * @param clusterId carried in heartbeats; heartbeats of another cluster are dropped and counted.
     * @return this.
     */
    public CoreConfig clusterId(final int clusterId)
    {
        this.clusterId = clusterId;
        return this;
    }

    /** @return heartbeat interval T in nanoseconds. */
    public long heartbeatIntervalNs()
    {
        return heartbeatIntervalNs;
    }

    /**
     * @param heartbeatIntervalNs T: how often every node sends a heartbeat.
     * @return this.
     */
    public CoreConfig heartbeatIntervalNs(final long heartbeatIntervalNs)
    {
        this.heartbeatIntervalNs = heartbeatIntervalNs;
        return this;
    }

    /** @return silence from the leader after which a new election starts. */
    public long electionTimeoutNs()
    {
        return electionTimeoutNs;
    }

    /**
     * @param electionTimeoutNs silence from the leader after which a new election starts; at least 2T, default 2T.
     * @return this.
     */
    public CoreConfig electionTimeoutNs(final long electionTimeoutNs)
    {
        this.electionTimeoutNs = electionTimeoutNs;
        return this;
    }

    /** @return largest peer message in bytes. */
    public int maxMessageLength()
    {
        return maxMessageLength;
    }

    /**
     * @param maxMessageLength largest peer message in bytes: bounds Accept batches and Promise chunks.
     * @return this.
     */
    public CoreConfig maxMessageLength(final int maxMessageLength)
    {
        this.maxMessageLength = maxMessageLength;
        return this;
    }

    /** @return largest command (and response) in bytes. */
    public int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    /**
     * @param maxPayloadLength largest command and response in bytes; larger commands are refused with TOO_LARGE.
     * @return this.
     */
    public CoreConfig maxPayloadLength(final int maxPayloadLength)
    {
        this.maxPayloadLength = maxPayloadLength;
        return this;
    }

    /** @return most entries in one Accept message. */
    public int maxBatchEntries()
    {
        return maxBatchEntries;
    }

    /**
     * @param maxBatchEntries most entries in one Accept message, 1..65535.
     * @return this.
     */
    public CoreConfig maxBatchEntries(final int maxBatchEntries)
    {
        this.maxBatchEntries = maxBatchEntries;
        return this;
    }

    /** @return most slots the leader keeps proposed but not chosen. */
    public int windowEntries()
    {
        return windowEntries;
    }

    /**
     * @param windowEntries most slots proposed but not yet chosen; beyond it commands are refused with BUSY.
     * @return this.
     */
    public CoreConfig windowEntries(final int windowEntries)
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
     * @param sessionTimeoutNs a session idle this long in log time (leader timestamps) is expired.
     * @return this.
     */
    public CoreConfig sessionTimeoutNs(final long sessionTimeoutNs)
    {
        this.sessionTimeoutNs = sessionTimeoutNs;
        return this;
    }

    /** @return most client sessions the replicated state holds. */
    public int maxSessions()
    {
        return maxSessions;
    }

    /**
     * @param maxSessions most client sessions held; a session open beyond it is refused with TOO_MANY_SESSIONS, so a
     *                    flood of opens cannot grow the replicated state without bound.
     * @return this.
     */
    public CoreConfig maxSessions(final int maxSessions)
    {
        this.maxSessions = maxSessions;
        return this;
    }

    /** @return most responses a session keeps for retries (the largest client window granted). */
    public int maxSessionWindow()
    {
        return maxSessionWindow;
    }

    /**
     * @param maxSessionWindow most responses one session keeps for retries: a client asking for a larger window at
     *                         session open is granted this many and keeps no more outstanding. Replicated state grows
     *                         by up to maxSessions x maxSessionWindow responses.
     * @return this.
     */
    public CoreConfig maxSessionWindow(final int maxSessionWindow)
    {
        this.maxSessionWindow = maxSessionWindow;
        return this;
    }

    /** @return most open sessions of one authenticated principal. */
    public int maxSessionsPerPrincipal()
    {
        return maxSessionsPerPrincipal;
    }

    /**
     * @param maxSessionsPerPrincipal most open sessions of one authenticated principal: a leader refuses a further
     *                                open with TOO_MANY_SESSIONS before the log. Anonymous principals are exempt.
     * @return this.
     */
    public CoreConfig maxSessionsPerPrincipal(final int maxSessionsPerPrincipal)
    {
        this.maxSessionsPerPrincipal = maxSessionsPerPrincipal;
        return this;
    }

    /** @return true if an empty log votes from the start: the very first start of a brand-new cluster. */
    public boolean bootstrap()
    {
        return bootstrap;
    }

    /**
     * Etcd's {@code initial-cluster-state=new}. With false (the default) a node whose log is empty starts as a
     * non-voting learner and votes once every other member has told it its promise and log end and it has caught up
     * (docs/protocol.md, "A node that lost its log"); a brand-new cluster whose members all start together forms that
     * way too. Set true only for the very first start of a new cluster that must form with just a majority up; never
     * when restarting a node whose log was lost or replaced, where it would let the node vote with nothing.
     *
     * @param bootstrap true to make an empty log vote at once.
     * @return this.
     */
    public CoreConfig bootstrap(final boolean bootstrap)
    {
        this.bootstrap = bootstrap;
        return this;
    }

    /** @return the value that distinguishes this start of the node from its earlier ones. */
    public long incarnation()
    {
        return incarnation;
    }

    /**
     * Mixed with the time of the core's first tick into the nonce of a learner's rejoin queries, so that a reply to a
     * query sent before the node last lost its log is never taken for a reply to the current one. The runtime draws
     * it at random at every start; a driver whose clock strictly advances between starts (the simulation) may leave 0.
     *
     * @param incarnation any value, different at each start where possible.
     * @return this.
     */
    public CoreConfig incarnation(final long incarnation)
    {
        this.incarnation = incarnation;
        return this;
    }

    /** @return how many members make a majority. */
    public int majority()
    {
        return memberIds.length / 2 + 1;
    }

    public String toString()
    {
        return "CoreConfig{nodeId=" + nodeId + ", memberIds=" + Arrays.toString(memberIds) +
            ", clusterId=" + clusterId + ", heartbeatIntervalNs=" + heartbeatIntervalNs +
            ", electionTimeoutNs=" + electionTimeoutNs + ", maxMessageLength=" + maxMessageLength +
            ", maxPayloadLength=" + maxPayloadLength + ", maxBatchEntries=" + maxBatchEntries +
            ", windowEntries=" + windowEntries + ", sessionTimeoutNs=" + sessionTimeoutNs +
            ", maxSessions=" + maxSessions + ", maxSessionWindow=" + maxSessionWindow + ", bootstrap=" + bootstrap + '}';
    }
}
