package io.synod.client;

/**
 * The member a {@link ClientSession} sends to, and when it moves on: after the response timeout without progress,
 * to the leader a redirect or a NewLeader event names, or (a redirect naming no leader: an election is under way) to
 * the next member after the retry delay. Also the pause after BUSY. Moving is the session's (it resends its window).
 */
final class MemberTarget
{
    /** From the redirect and NewLeader rules: keep the member in use. */
    static final int STAY = -1;

    /** From {@link #endPause}: no pause ended now. */
    static final int STILL_PAUSED = -2;

    /** Why nothing is sent until {@code pauseUntilNs}: none, BUSY (resend to the same member), no leader known. */
    private enum Pause
    {
        NONE, RESEND, NEXT_MEMBER
    }

    private final int[] memberIds;
    private final long responseTimeoutNs;
    private final long retryDelayNs;
    private final LeaderView leaderView = new LeaderView();
    private int index;
    private long lastProgressNs;
    private Pause pause = Pause.NONE;
    private long pauseUntilNs;
    private long failovers;
    private long newLeaders;
    private long redirects;

    MemberTarget(final int[] memberIds, final long responseTimeoutNs, final long retryDelayNs)
    {
        this.memberIds = memberIds.clone();
        this.responseTimeoutNs = responseTimeoutNs;
        this.retryDelayNs = retryDelayNs;
    }

    /**
     * @param memberIds the cluster's member ids.
     * @return the index of the highest id: higher ids win elections, so it is the likeliest leader to try first.
     */
    static int likeliestLeader(final int[] memberIds)
    {
        int highest = 0;
        for (int i = 1; i < memberIds.length; i++)
        {
            if (memberIds[i] > memberIds[highest])
            {
                highest = i;
            }
        }
        return highest;
    }

    /** @return index of the member in use. */
    int index()
    {
        return index;
    }

    /** @return id of the member in use. */
    int nodeId()
    {
        return memberIds[index];
    }

    /** @return the member after the one in use, in the order given. */
    int next()
    {
        return (index + 1) % memberIds.length;
    }

    /** Use this member from now, without counting a failover: the first tried, or the one that opened the session. */
    void use(final int memberIndex, final long nowNs)
    {
        index = memberIndex;
        lastProgressNs = nowNs;
    }

    /** Something outstanding was answered, or the first command of an empty window went out: the timer restarts. */
    void progress(final long nowNs)
    {
        lastProgressNs = nowNs;
    }

    /**
     * @return whether the member in use made no progress for the response timeout. Measured from the last progress,
     * not from any message: redirects bouncing between nodes with stale views, or BUSY for ever, also end in a move.
     */
    boolean isSilent(final long nowNs)
    {
        return nowNs - lastProgressNs > responseTimeoutNs;
    }

    /** @return whether sending waits for a pause to end. */
    boolean isPaused()
    {
        return pause != Pause.NONE;
    }

    /** Move to another member: a failover; the progress timer restarts and a pause ends. */
    void moveTo(final int memberIndex, final long nowNs)
    {
        failovers++;
        index = memberIndex;
        lastProgressNs = nowNs;
        pause = Pause.NONE;
    }

    /** BUSY: resend after the retry delay. A wait for the next member stays one. */
    void pauseToResend(final long nowNs)
    {
        pauseUntilNs = nowNs + retryDelayNs;
        if (pause == Pause.NONE)
        {
            pause = Pause.RESEND;
        }
    }

    /**
     * @return {@link #STILL_PAUSED}; {@link #STAY} if a BUSY pause ended; or the member to move to if a wait for a
     * leader ended.
     */
    int endPause(final long nowNs)
    {
        if (pause == Pause.NONE || nowNs < pauseUntilNs)
        {
            return STILL_PAUSED;
        }
        final Pause ended = pause;
        pause = Pause.NONE;
        return ended == Pause.NEXT_MEMBER ? next() : STAY;
    }

    /**
     * A redirect from the member in use.
     *
     * @return the member to move to, or {@link #STAY} (the leader it names is this member, or none is known: then
     * the next member is tried after the retry delay).
     */
    int onRedirect(final int leaderNodeId, final long nowNs)
    {
        redirects++;
        final int leaderIndex = indexOf(leaderNodeId);
        if (leaderIndex >= 0 && leaderIndex != index)
        {
            return leaderIndex;
        }
        if (pause == Pause.NONE)
        {
            pause = Pause.NEXT_MEMBER; // no leader known yet: an election is under way
            pauseUntilNs = nowNs + retryDelayNs;
        }
        return STAY;
    }

    /**
     * A NewLeader event from any member.
     *
     * @return the leader to move to, if the event is news by ballot ({@link LeaderView}) and names another member;
     * otherwise {@link #STAY}.
     */
    int onNewLeader(final int fromIndex, final int leaderNodeId, final long ballot)
    {
        final int leaderIndex = indexOf(leaderNodeId);
        if (leaderIndex < 0 || !leaderView.onNewLeader(fromIndex == leaderIndex, ballot) || leaderIndex == index)
        {
            return STAY;
        }
        newLeaders++;
        return leaderIndex;
    }

    /** @return the id of the member at this index. */
    int nodeId(final int memberIndex)
    {
        return memberIds[memberIndex];
    }

    private int indexOf(final int nodeId)
    {
        for (int i = 0; i < memberIds.length; i++)
        {
            if (memberIds[i] == nodeId)
            {
                return i;
            }
        }
        return -1;
    }

    long failovers()
    {
        return failovers;
    }

    long newLeaders()
    {
        return newLeaders;
    }

    long redirects()
    {
        return redirects;
    }
}
