package io.synod.core;

/**
 * Leader election by heartbeats, as in the Paxos lecture: the live node with the highest id leads. "Live" means heard
 * from within the election timeout.
 * <p>
 * Sticky: a node stands only when it has heard no active leader for the election timeout, so a node that restarts,
 * even one with a higher id, follows the leader it finds. It also stands only when it hears a majority, so an
 * isolated node does not raise ballots that would depose a healthy leader when it comes back. Safety never rests on
 * any of this: ballots settle two nodes that both think they lead.
 * <p>
 * A learner (a node rejoining after losing its log, whose heartbeats say it does not vote) never stands, blocks no
 * lower id from standing, and does not count towards the majority a node must hear to stand: it would not promise.
 * It does count towards the majority a leader must keep hearing, so that a leader left with a learner keeps sending
 * it the chosen entries that let it vote again.
 */
final class Election
{
    private final MemberIndex members;
    private final long electionTimeoutNs;
    private final int majority;
    private final long[] lastHeardNs;
    private final boolean[] peerVoting;
    private long leaderHeardNs;
    private int leaderId = -1;
    private long leaderBallot;
    private long highestRoundSeen;

    Election(final MemberIndex members, final CoreConfig config)
    {
        this.members = members;
        this.electionTimeoutNs = config.electionTimeoutNs();
        this.majority = config.majority();
        this.lastHeardNs = new long[members.count()];
        this.peerVoting = new boolean[members.count()];
        java.util.Arrays.fill(peerVoting, true); // until a heartbeat says otherwise, as a version 1 peer would
    }

    /**
     * Start the clocks: everyone is presumed live and a leader presumed heard at start, so a node that has just
     * started listens for a full timeout before standing.
     */
    void start(final long nowNs)
    {
        leaderHeardNs = nowNs;
        java.util.Arrays.fill(lastHeardNs, nowNs);
    }

    void onPeerHeard(final int memberIndex, final long nowNs)
    {
        lastHeardNs[memberIndex] = nowNs;
    }

    /**
     * A peer's heartbeat said whether it votes.
     */
    void onPeerVoting(final int memberIndex, final boolean voting)
    {
        peerVoting[memberIndex] = voting;
    }

    void onBallotSeen(final long ballot)
    {
        if (ballot != Ballot.CHOSEN)
        {
            highestRoundSeen = Math.max(highestRoundSeen, Ballot.round(ballot));
        }
    }

    /**
     * An active leader made itself heard (heartbeat or Accept).
     */
    void onLeaderHeard(final int nodeId, final long ballot, final long nowNs)
    {
        leaderId = nodeId;
        leaderBallot = ballot;
        leaderHeardNs = nowNs;
        onBallotSeen(ballot);
    }

    /**
     * Forget the leader, e.g. after stepping down; wait a full timeout before standing.
     */
    void clearLeader(final long nowNs)
    {
        leaderId = -1;
        leaderBallot = 0;
        leaderHeardNs = nowNs;
    }

    void selfLeads(final long ballot, final long nowNs)
    {
        onLeaderHeard(members.selfId(), ballot, nowNs);
    }

    int leaderId()
    {
        return leaderId;
    }

    long leaderBallot()
    {
        return leaderBallot;
    }

    long highestRoundSeen()
    {
        return highestRoundSeen;
    }

    /**
     * @return true if this follower should run phase 1 now.
     */
    boolean shouldStand(final long nowNs)
    {
        if (nowNs - leaderHeardNs < electionTimeoutNs)
        {
            return false;
        }
        final int selfIndex = members.selfIndex();
        int live = 1;
        for (int i = 0; i < lastHeardNs.length; i++)
        {
            if (i != selfIndex && peerVoting[i] && nowNs - lastHeardNs[i] < electionTimeoutNs)
            {
                if (i > selfIndex)
                {
                    return false; // a live node with a higher id stands instead
                }
                live++;
            }
        }
        return live >= majority;
    }

    /**
     * @return true if a majority (this node included, learners too) has been heard within twice the election timeout:
     * a leader that cannot say so steps down rather than hold clients it cannot serve.
     */
    boolean hearsMajority(final long nowNs)
    {
        final int selfIndex = members.selfIndex();
        int live = 1;
        for (int i = 0; i < lastHeardNs.length; i++)
        {
            if (i != selfIndex && nowNs - lastHeardNs[i] < 2 * electionTimeoutNs)
            {
                live++;
            }
        }
        return live >= majority;
    }
}
