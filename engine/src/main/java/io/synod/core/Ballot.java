package io.synod.core;

/**
 * Ballots (proposal numbers) as longs: {@code round << 16 | nodeId}, compared as signed longs so a higher round
 * wins and the node id breaks ties. {@link #CHOSEN} marks an entry known chosen.
 */
public final class Ballot
{
    /** No ballot yet: lower than every real ballot. */
    public static final long NONE = 0;

    /** Marks a slot known chosen: higher than every real ballot. */
    public static final long CHOSEN = Long.MAX_VALUE;

    /** Largest node id that fits. */
    public static final int MAX_NODE_ID = 0xFFFF;

    /** Highest round: ballots stay far below {@link #CHOSEN} and the next round never wraps. */
    public static final long MAX_ROUND = (1L << 46) - 1;

    /** Highest ballot a node may hold or send: round {@link #MAX_ROUND} of node {@link #MAX_NODE_ID}. */
    public static final long MAX = MAX_ROUND << 16 | MAX_NODE_ID;

    private Ballot()
    {
    }

    /**
     * @param round  from 1, at most {@link #MAX_ROUND}.
     * @param nodeId of the proposer, 0..{@link #MAX_NODE_ID}.
     * @return the ballot.
     * @throws IllegalArgumentException if round or nodeId is out of range: a ballot beyond the bound is never made.
     */
    public static long of(final long round, final int nodeId)
    {
        if (round < 0 || round > MAX_ROUND)
        {
            throw new IllegalArgumentException("round " + round + " outside 0.." + MAX_ROUND);
        }
        if (nodeId < 0 || nodeId > MAX_NODE_ID)
        {
            throw new IllegalArgumentException("node id " + nodeId + " outside 0.." + MAX_NODE_ID);
        }
        return round << 16 | nodeId;
    }

    /**
     * @param ballot a ballot as received or stored.
     * @return true if it is a real ballot (or {@link #NONE}) within the bound: 0..{@link #MAX}.
     */
    public static boolean isBounded(final long ballot)
    {
        return ballot >= 0 && ballot <= MAX;
    }

    /**
     * The round a node stands with: one above every round it has seen or promised. May exceed {@link #MAX_ROUND},
     * in which case the node must not stand (see {@link #of(long, int)}).
     *
     * @param highestRoundSeen highest round seen on the wire.
     * @param promisedBallot   the node's own promise.
     * @return the next round.
     */
    public static long nextRound(final long highestRoundSeen, final long promisedBallot)
    {
        return Math.max(highestRoundSeen, round(promisedBallot)) + 1;
    }

    /**
     * @param ballot a ballot.
     * @return its round.
     */
    public static long round(final long ballot)
    {
        return ballot >>> 16;
    }

    /**
     * @param ballot a ballot.
     * @return the node that owns it.
     */
    public static int nodeId(final long ballot)
    {
        return (int)(ballot & 0xFFFF);
    }

    /**
     * @param ballot a ballot.
     * @return readable form, e.g. {@code 3.1} for round 3 of node 1.
     */
    public static String toString(final long ballot)
    {
        if (ballot == CHOSEN)
        {
            return "chosen";
        }
        return round(ballot) + "." + nodeId(ballot);
    }
}
