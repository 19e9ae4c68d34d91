package io.synod.core;

import io.synod.Role;
import io.synod.log.PaxosLog;
import org.agrona.ErrorHandler;

/**
 * A node's role and every change of it: a follower stands when the leader went silent (election timeout), a
 * candidate leads once a majority promised and gives up after bounded tries, a leader steps down when it loses its
 * majority or sees a higher ballot. What each role does with a message is {@link PaxosNode}'s and its parts'; when the
 * role changes, and what a change resets, is here, in one place. Pure: time is the {@code nowNs} each call is given.
 */
final class RoleTransitions
{
    private final CoreConfig config;
    private final PaxosLog log;
    private final Election election;
    private final Acceptor acceptor;
    private final Proposer proposer;
    private final Learner learner;
    private final Rejoin rejoin;
    private final Heartbeats heartbeats;
    private final CoreCounters counters;
    private final ErrorHandler errorHandler;
    private Role role = Role.FOLLOWER;

    RoleTransitions(
        final CoreConfig config,
        final PaxosLog log,
        final Election election,
        final Acceptor acceptor,
        final Proposer proposer,
        final Learner learner,
        final Rejoin rejoin,
        final Heartbeats heartbeats,
        final CoreCounters counters,
        final ErrorHandler errorHandler)
    {
        this.config = config;
        this.log = log;
        this.election = election;
        this.acceptor = acceptor;
        this.proposer = proposer;
        this.learner = learner;
        this.rejoin = rejoin;
        this.heartbeats = heartbeats;
        this.counters = counters;
        this.errorHandler = errorHandler;
    }

    Role role()
    {
        return role;
    }

    /**
     * Election timeouts are judged after the cycle's messages were read, not before: after a stall (GC pause, SIGSTOP)
     * the leader's heartbeats are waiting in the receive buffers, and a follower must not stand before reading them.
     *
     * @return 1 if the role changed or a candidacy was given up, else 0.
     */
    int checkTimeouts(final long nowNs)
    {
        if (role == Role.LEADER && !election.keepsMajority(nowNs))
        {
            stepDown(nowNs);
            return 1;
        }
        if (role == Role.FOLLOWER && !rejoin.isLearner() &&
            election.shouldStand(nowNs, log.commitIndex(), log.nextSlot()))
        {
            stand(nowNs);
            return 1;
        }
        if (role == Role.CANDIDATE && !proposer.repeatPrepare(nowNs))
        {
            // Bounded tries: a candidate that cannot gather a majority (its Prepares refused or lost) lets a better
            // placed node stand rather than hold the election.
            counters.candidaciesAbandoned++;
            stepDown(nowNs);
            return 1;
        }
        return 0;
    }

    private void stand(final long nowNs)
    {
        election.clearLeader(nowNs);
        final long round = Ballot.nextRound(election.highestRoundSeen(), acceptor.promisedBallot());
        if (round > Ballot.MAX_ROUND)
        {
            // Never wrap: a wrapped ballot is negative, below every promise, and no leader would be elected again.
            // Said once per election timeout (the leader clock was just reset).
            errorHandler.onError(new IllegalStateException("node " + config.nodeId() + " cannot stand for " +
                "election: the next round " + round + " is beyond the highest round " + Ballot.MAX_ROUND +
                " (promise " + Ballot.toString(acceptor.promisedBallot()) + "); ballots are bounded and never wrap"));
            return;
        }
        role = Role.CANDIDATE;
        final boolean won = proposer.startPhaseOne(nowNs, election.highestRoundSeen());
        election.onBallotSeen(proposer.ballot()); // a retry stands with a higher round
        if (won)
        {
            lead(nowNs);
        }
    }

    /**
     * A majority promised this candidate's ballot: lead, unless this acceptor promised a higher ballot meanwhile.
     */
    void lead(final long nowNs)
    {
        if (!proposer.promiseOwnBallot())
        {
            stepDown(nowNs); // this acceptor promised a higher ballot meanwhile: that one wins
            return;
        }
        proposer.becomeLeader(nowNs);
        role = Role.LEADER;
        election.selfLeads(proposer.ballot(), nowNs);
        heartbeats.sendNow(role, nowNs);
    }

    /**
     * Back to follower, if not one already: counted, the clients' pending answers forgotten, no leader known.
     */
    void stepDown(final long nowNs)
    {
        if (role != Role.FOLLOWER)
        {
            role = Role.FOLLOWER;
            counters.stepDowns++;
            learner.forgetClients();
            election.clearLeader(nowNs);
        }
    }

    /**
     * Seen a ballot above our own proposals: it wins, so stop proposing.
     */
    void onHigherBallot(final long ballot, final long nowNs)
    {
        election.onBallotSeen(ballot);
        if (role != Role.FOLLOWER && ballot > proposer.ballot())
        {
            stepDown(nowNs);
        }
    }

    /**
     * A Prepare, Accept or Success above our promise: promise it (durable at this cycle's sync) and stop proposing if
     * it beats our own ballot.
     */
    void promiseHigher(final long ballot, final long nowNs)
    {
        if (ballot > acceptor.promisedBallot())
        {
            acceptor.promise(ballot);
            onHigherBallot(ballot, nowNs);
        }
    }
}
