package io.synod.perf.flood;

import io.aeron.AeronCounters;
import io.synod.perf.compare.CncCounters;
import io.synod.perf.compare.SynodSide;

import java.io.File;

/**
 * What the harness and the flooder read of the running nodes, from their Aeron counters (the labels Synod's
 * {@code NodeCounters} gives them), as {@code SynodStat} prints them.
 */
final class NodeStats
{
    static final int NODES = 3;
    static final String ROLE = "role (0 follower, 1 candidate, 2 leader)";
    static final String ELECTIONS = "elections started";
    static final String COMMIT_INDEX = "commit index";
    static final String CLIENTS = "connected clients";
    static final String SESSIONS = "open sessions";
    static final String UNKNOWN_SESSION = "requests refused: unknown session (before the log)";
    static final String CONNECTS_REFUSED = "connects refused (policy, authentication, caps)";
    static final String OPENS_OVER_CAP = "session opens refused: per-client or per-principal cap";
    static final String UNCONNECTED = "requests dropped: client not connected";
    static final String CLIENT_DROPPED = "client messages dropped";

    private NodeStats()
    {
    }

    /** @return one of node {@code id}'s Synod counters, -1 if it cannot be read. */
    static long counter(final File runDir, final int id, final String label)
    {
        return CncCounters.read(SynodSide.aeronDir(runDir, id), CncCounters.ANY_TYPE, "synod node " + id + " " + label);
    }

    /** @return the id of the node whose role counter says leader, -1 if none does (an election, or starting). */
    static int leader(final File runDir)
    {
        for (int id = 0; id < NODES; id++)
        {
            if (counter(runDir, id, ROLE) == 2)
            {
                return id;
            }
        }
        return -1;
    }

    /** @return elections started, summed over the nodes. */
    static long elections(final File runDir)
    {
        long sum = 0;
        for (int id = 0; id < NODES; id++)
        {
            sum += Math.max(0, counter(runDir, id, ELECTIONS));
        }
        return sum;
    }

    /**
     * @return the publications in node {@code id}'s media driver (one publisher-limit counter each): its peer
     * publications plus one egress publication per registered client.
     */
    static long publications(final File runDir, final int id)
    {
        return CncCounters.count(SynodSide.aeronDir(runDir, id), AeronCounters.DRIVER_PUBLISHER_LIMIT_TYPE_ID);
    }

    /** @return the images (senders heard) in node {@code id}'s media driver: one per peer and per client. */
    static long images(final File runDir, final int id)
    {
        return CncCounters.count(SynodSide.aeronDir(runDir, id), AeronCounters.DRIVER_RECEIVER_HWM_TYPE_ID);
    }
}
