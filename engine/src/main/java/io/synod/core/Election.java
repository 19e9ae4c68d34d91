package io.synod.core;

import io.synod.Role;
import io.synod.codecs.BooleanType;
import io.synod.codecs.HeartbeatDecoder;

import java.util.Arrays;

/**
 * Leader election by heartbeats, with the rules that make it converge (docs/protocol.md, "Election"). "Live" means
 * heard from within the election timeout.
 * <p>
 * A follower stands only when all of these hold:
 * <ul>
 *     <li>it has heard no active leader for the election timeout (sticky: a restarted node follows the leader it
 *     finds);</li>
 *     <li>it hears a majority of voting members, itself included (an isolated node raises no ballots);</li>
 *     <li>a majority of voting members, itself included, say in their heartbeats that they hear it and follow no
 *     live leader (pre-vote: the others would refuse its Prepare anyway, as acceptors keep a leader's lease, and a
 *     node nobody hears would only raise a ballot that deposes a healthy leader when it is heard again);</li>
 *     <li>no live voting peer that says it hears a majority ranks above it. Rank is (commitIndex, nextSlot, id), so
 *     the most up-to-date node stands and a far-behind node with the highest id does not; a peer that hears nobody
 *     (deaf) blocks nobody.</li>
 * </ul>
 * A leader judges that it still leads by acknowledgements under its ballot (Accepted, or a heartbeat naming it as
 * leader with its ballot), not by any message: a deposed leader that still hears the others steps down.
 * <p>
 * A learner (a node rejoining after losing its log, whose heartbeats say it does not vote) never stands, blocks no
 * other node from standing, and does not count towards the majority a node must hear to stand: it would not promise.
 * It does count towards the majority a leader must keep hearing, so that a leader left with a learner keeps sending
 * it the chosen entries that let it vote again.
 * <p>
 * Safety never rests on any of this: ballots settle two nodes that both think they lead.
 */
final class Election
{
    private final MemberIndex members;
    private final long electionTimeoutNs;
    private final int majority;
    private final long[] lastHeardNs;
    private final long[] lastAckNs;
    private final boolean[] peerVoting;
    private final boolean[] peerHearsMajority;
    private final int[] peerLeaderId;
    private final boolean[] peerHearsSelf;
    private final long[] peerCommitIndex;
    private final long[] peerNextSlot;
    private long leaderHeardNs;
    private int leaderId = -1;
    private long leaderBallot;
    private long highestRoundSeen;

    Election(final MemberIndex members, final CoreConfig config)
    {
        this.members = members;
        this.electionTimeoutNs = config.electionTimeoutNs();
        this.majority = config.majority();
        final int count = members.count();
        this.lastHeardNs = new long[count];
        this.lastAckNs = new long[count];
        this.peerVoting = new boolean[count];
        this.peerHearsMajority = new boolean[count];
        this.peerLeaderId = new int[count];
        this.peerHearsSelf = new boolean[count];
        this.peerCommitIndex = new long[count];
        this.peerNextSlot = new long[count];
        Arrays.fill(peerVoting, true); // until a heartbeat says otherwise, as a version 1 peer would
        Arrays.fill(peerLeaderId, -1);
    }

    /**
     * Start the clocks: everyone is presumed live and a leader presumed heard at start, so a node that has just
     * started listens for a full timeout before standing.
     */
    void start(final long nowNs)
    {
        leaderHeardNs = nowNs;
        Arrays.fill(lastHeardNs, nowNs);
    }

    void onPeerHeard(final int memberIndex, final long nowNs)
    {
        lastHeardNs[memberIndex] = nowNs;
    }

    /**
     * A peer's heartbeat: it is live, and says whether it votes, whether it hears a majority, whom it follows (a
     * leader it heard within its election timeout, -1 if none), whether it hears this node, and how up to date its
     * log is. A version 1 heartbeat has none of the last three fields: its leaderNodeId may be stale, so it counts as
     * following nobody, hearing a majority and hearing this node, as before.
     */
    void onHeartbeat(final int memberIndex, final HeartbeatDecoder heartbeat, final long nowNs)
    {
        lastHeardNs[memberIndex] = nowNs;
        final BooleanType hearsMajority = heartbeat.hearsMajority();
        final boolean version2 = hearsMajority != BooleanType.NULL_VAL;
        peerVoting[memberIndex] = heartbeat.voting() != BooleanType.FALSE;
        peerHearsMajority[memberIndex] = hearsMajority != BooleanType.FALSE;
        peerLeaderId[memberIndex] = version2 ? heartbeat.leaderNodeId() : -1;
        peerHearsSelf[memberIndex] = !version2 || (heartbeat.heardMembers() & (1L << members.selfIndex())) != 0;
        peerCommitIndex[memberIndex] = heartbeat.commitIndex();
        peerNextSlot[memberIndex] = heartbeat.nextSlot();
    }

    /**
     * Refuse a Prepare (no promise, no answer):
     * <ul>
     *     <li>from a candidate behind this acceptor's commit index, whatever its ballot: the Promise would have to
     *     carry the chosen entries the candidate lacks, which can be the whole log; a more up-to-date node stands
     *     instead;</li>
     *     <li>for a new ballot while this node follows a leader other than the candidate that it heard within the
     *     election timeout, or leads with a majority's acknowledgement within it (the leader's lease, as Raft's
     *     check-quorum): a node that cannot hear the leader, a restarted one or one behind a partial partition, does
     *     not depose it.</li>
     * </ul>
     *
     * @param newBallot true if the Prepare's ballot is above this node's promise.
     */
    boolean refusesPrepare(
        final Role role,
        final int fromNodeId,
        final boolean newBallot,
        final long fromSlot,
        final long commitIndex,
        final long nowNs)
    {
        if (fromSlot < commitIndex)
        {
            return true;
        }
        if (!newBallot)
        {
            return false;
        }
        if (role == Role.LEADER)
        {
            return leaseHeld(nowNs);
        }
        return role == Role.FOLLOWER && followsLiveLeaderOtherThan(fromNodeId, nowNs);
    }

    /**
     * While leading: the peer acknowledged this node's current ballot (Accepted, or a heartbeat following it).
     */
    void onAck(final int memberIndex, final long nowNs)
    {
        lastAckNs[memberIndex] = nowNs;
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

    /**
     * This node won phase 1: every peer is given a full grace period to acknowledge the new ballot.
     */
    void selfLeads(final long ballot, final long nowNs)
    {
        onLeaderHeard(members.selfId(), ballot, nowNs);
        Arrays.fill(lastAckNs, nowNs);
    }

    int leaderId()
    {
        return leaderId;
    }

    /**
     * @return the leader heard within the election timeout, -1 if none: what heartbeats say this node follows.
     */
    int liveLeaderId(final long nowNs)
    {
        return leaderId >= 0 && nowNs - leaderHeardNs < electionTimeoutNs ? leaderId : -1;
    }

    /**
     * @return true if a leader other than candidateId was heard within the election timeout: the acceptor keeps its
     * lease and refuses candidateId's Prepare.
     */
    private boolean followsLiveLeaderOtherThan(final int candidateId, final long nowNs)
    {
        final int live = liveLeaderId(nowNs);
        return live >= 0 && live != candidateId && live != members.selfId();
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
     * @return true if this node and the peers heard within the election timeout are a majority: what its heartbeat
     * says, so that a deaf node blocks nobody. Learners count here: while a new cluster's members turn from learners
     * to voters together, each still says it hears the others and the usual order of standing holds.
     */
    boolean hearsMajority(final long nowNs)
    {
        return Long.bitCount(heardMembers(nowNs)) >= majority;
    }

    /**
     * @return bit i set for each member index i heard within the election timeout, this node's own included.
     */
    long heardMembers(final long nowNs)
    {
        final int selfIndex = members.selfIndex();
        long heard = 1L << selfIndex;
        for (int i = 0; i < lastHeardNs.length && i < 64; i++)
        {
            if (i != selfIndex && nowNs - lastHeardNs[i] < electionTimeoutNs)
            {
                heard |= 1L << i;
            }
        }
        return heard;
    }

    /**
     * @param commitIndex this node's firstUnchosenIndex.
     * @param nextSlot    one past this node's last log slot.
     * @return true if this follower should run phase 1 now.
     */
    boolean shouldStand(final long nowNs, final long commitIndex, final long nextSlot)
    {
        if (nowNs - leaderHeardNs < electionTimeoutNs)
        {
            return false;
        }
        final int selfIndex = members.selfIndex();
        final int selfId = members.selfId();
        int live = 1;
        int supporters = 1;
        for (int i = 0; i < lastHeardNs.length; i++)
        {
            if (i == selfIndex || !peerVoting[i] || nowNs - lastHeardNs[i] >= electionTimeoutNs)
            {
                continue;
            }
            if (peerHearsMajority[i] && ranksAbove(i, commitIndex, nextSlot))
            {
                return false; // a live, better placed node that can win stands instead
            }
            live++;
            if (peerHearsSelf[i] && (peerLeaderId[i] < 0 || peerLeaderId[i] == selfId))
            {
                supporters++;
            }
        }
        return live >= majority && supporters >= majority;
    }

    private boolean ranksAbove(final int memberIndex, final long commitIndex, final long nextSlot)
    {
        if (peerCommitIndex[memberIndex] != commitIndex)
        {
            return peerCommitIndex[memberIndex] > commitIndex;
        }
        if (peerNextSlot[memberIndex] != nextSlot)
        {
            return peerNextSlot[memberIndex] > nextSlot;
        }
        return memberIndex > members.selfIndex();
    }

    /**
     * @param withinNs how recent an acknowledgement must be.
     * @return true if a majority (this node included, learners too) acknowledged this leader's ballot within withinNs.
     */
    boolean ackedByMajority(final long nowNs, final long withinNs)
    {
        final int selfIndex = members.selfIndex();
        int acked = 1;
        for (int i = 0; i < lastAckNs.length; i++)
        {
            if (i != selfIndex && nowNs - lastAckNs[i] < withinNs)
            {
                acked++;
            }
        }
        return acked >= majority;
    }

    /**
     * @return true if a majority acknowledged this leader within twice the election timeout: a leader that cannot
     * say so steps down rather than hold clients it cannot serve.
     */
    boolean keepsMajority(final long nowNs)
    {
        return ackedByMajority(nowNs, 2 * electionTimeoutNs);
    }

    /**
     * @return true if this leader holds its lease: a majority acknowledged it within the election timeout, so no
     * follower of it stands yet; it refuses Prepares meanwhile.
     */
    private boolean leaseHeld(final long nowNs)
    {
        return ackedByMajority(nowNs, electionTimeoutNs);
    }
}
