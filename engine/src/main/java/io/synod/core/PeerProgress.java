package io.synod.core;

/**
 * What a leader knows of one peer's log under its ballot, and from where it sends next (compare etcd raft's
 * {@code tracker.Progress}). {@link #match()} only rises: it is what the peer acknowledged, and the commit index counts
 * it. {@link #next()} moves forward as batches are sent and is rewound by three rules when what was sent may not have
 * arrived: {@link #rewindIfSilent}, {@link #rewindToAcknowledged} and {@link #rewindToPeerCommit}.
 * <p>
 * Pure and allocation free; the leader keeps one per member and resets them when it takes over.
 */
final class PeerProgress
{
    private final long silenceNs;
    private long match;
    private long next;
    private long lastAckNs;

    /**
     * @param silenceNs how long a peer may acknowledge nothing before it counts as silent: the heartbeat interval.
     */
    PeerProgress(final long silenceNs)
    {
        this.silenceNs = silenceNs;
    }

    /**
     * A new term: nothing at or above fromSlot is known to be held under the new ballot. A peer whose Promise said it
     * knows fewer slots chosen than fromSlot starts its catch-up there (Success), not at fromSlot: with nothing new to
     * propose, nothing else would tell it what it misses.
     *
     * @param fromSlot            the leader's first re-proposed slot.
     * @param reportedCommitIndex the peer's commit index from its Promise, -1 if it did not answer.
     * @param nowNs               now; the peer counts as heard.
     */
    void reset(final long fromSlot, final long reportedCommitIndex, final long nowNs)
    {
        match = fromSlot - 1;
        lastAckNs = nowNs;
        next = reportedCommitIndex >= 0 ? Math.min(fromSlot, reportedCommitIndex) : fromSlot;
    }

    /**
     * @return the highest slot such that the peer holds every slot up to it chosen or under the leader's ballot.
     */
    long match()
    {
        return match;
    }

    /**
     * @return the first slot to send the peer next.
     */
    long next()
    {
        return next;
    }

    /**
     * The peer's Accepted under the leader's ballot: it holds up to lastSlot. If it says it is behind (a batch did
     * not follow its log) or it holds what was about to be sent, sending resumes after lastSlot.
     */
    void onAccepted(final long lastSlot, final boolean behind, final long nowNs)
    {
        lastAckNs = nowNs;
        if (lastSlot > match)
        {
            match = lastSlot;
        }
        if (behind || next <= lastSlot)
        {
            next = lastSlot + 1;
        }
    }

    /**
     * @param end           one past the leader's last slot.
     * @param windowEntries the most slots sent beyond what the peer acknowledged.
     * @return true if there is something to send and the window allows it.
     */
    boolean canSend(final long end, final int windowEntries)
    {
        return next < end && next - match <= windowEntries;
    }

    /**
     * A batch went out.
     *
     * @param nextSlot the first slot it did not include.
     */
    void sent(final long nextSlot)
    {
        next = nextSlot;
    }

    /**
     * Rule 1, once per heartbeat: a peer that is behind the leader's log and has acknowledged nothing for a heartbeat
     * interval is sent again from after its last acknowledged slot (the batch or its reply was lost).
     *
     * @param lastSlot the leader's last slot.
     * @return true if it rewound.
     */
    boolean rewindIfSilent(final long lastSlot, final long nowNs)
    {
        if (match < lastSlot && nowNs - lastAckNs >= silenceNs)
        {
            next = match + 1;
            lastAckNs = nowNs;
            return true;
        }
        return false;
    }

    /**
     * Rule 2: the runtime could not deliver data already sent (the peer was not connected), so send again from after
     * its last acknowledged slot rather than wait a heartbeat interval for the silence to show.
     */
    void rewindToAcknowledged()
    {
        next = Math.min(next, match + 1);
    }

    /**
     * Rule 3: the peer's heartbeat says it knows fewer slots chosen than the leader does. If it has acknowledged
     * nothing for a heartbeat interval it is idle, not in flight: send it the chosen entries it misses.
     *
     * @param peerCommitIndex   the peer's first unchosen slot.
     * @param leaderCommitIndex the leader's.
     * @return true if it rewound.
     */
    boolean rewindToPeerCommit(final long peerCommitIndex, final long leaderCommitIndex, final long nowNs)
    {
        if (peerCommitIndex < leaderCommitIndex && next > peerCommitIndex && nowNs - lastAckNs >= silenceNs)
        {
            next = peerCommitIndex;
            lastAckNs = nowNs;
            return true;
        }
        return false;
    }

    public String toString()
    {
        return "PeerProgress{match=" + match + ", next=" + next + ", lastAckNs=" + lastAckNs + '}';
    }
}
