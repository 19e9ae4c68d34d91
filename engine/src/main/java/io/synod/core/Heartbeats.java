package io.synod.core;

import io.synod.Role;
import io.synod.log.PaxosLog;

/**
 * When a node sends its heartbeat and what it says: every heartbeat interval, and at once when it becomes leader.
 * The heartbeat carries the sender's ballot (its own if it leads, else its promise), the live leader it follows, how
 * far its log goes, whether it votes, and whom it hears: what {@link Election} on every other node decides by.
 */
final class Heartbeats
{
    private final CoreConfig config;
    private final PaxosLog log;
    private final OutboundMessages out;
    private final Election election;
    private final Acceptor acceptor;
    private final Proposer proposer;
    private final Rejoin rejoin;
    private long nextNs;

    Heartbeats(
        final CoreConfig config,
        final PaxosLog log,
        final OutboundMessages out,
        final Election election,
        final Acceptor acceptor,
        final Proposer proposer,
        final Rejoin rejoin)
    {
        this.config = config;
        this.log = log;
        this.out = out;
        this.election = election;
        this.acceptor = acceptor;
        this.proposer = proposer;
        this.rejoin = rejoin;
    }

    /**
     * The first heartbeat is due at once.
     */
    void start(final long nowNs)
    {
        nextNs = nowNs;
    }

    /**
     * @return true if a heartbeat interval has passed: the caller sends one with {@link #send} and runs its other
     * once-per-heartbeat duties. The next is due an interval from now.
     */
    boolean due(final long nowNs)
    {
        if (nowNs >= nextNs)
        {
            nextNs = nowNs + config.heartbeatIntervalNs();
            return true;
        }
        return false;
    }

    /**
     * Send one now, out of turn (a new leader announces itself); the next is due an interval from now.
     */
    void sendNow(final Role role, final long nowNs)
    {
        send(role, nowNs);
        nextNs = nowNs + config.heartbeatIntervalNs();
    }

    void send(final Role role, final long nowNs)
    {
        final boolean leading = role == Role.LEADER;
        out.broadcastHeartbeat(
            leading ? proposer.ballot() : acceptor.promisedBallot(),
            leading ? config.nodeId() : role == Role.FOLLOWER ? election.liveLeaderId(nowNs) : -1,
            leading,
            log.commitIndex(),
            log.nextSlot(),
            !rejoin.isLearner(),
            election.hearsMajority(nowNs),
            election.heardMembers(nowNs));
    }
}
