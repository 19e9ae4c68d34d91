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

    private Ballot()
    {
    }

    /**
     * @param round  from 1.
     * @param nodeId of the proposer, 0..{@link #MAX_NODE_ID}.
     * @return the ballot.
     */
    public static long of(final long round, final int nodeId)
    {
        return round << 16 | nodeId;
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
