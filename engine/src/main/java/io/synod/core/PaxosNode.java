package io.synod.core;

import io.synod.Role;
import io.synod.StateMachine;
import io.synod.codecs.AcceptDecoder;
import io.synod.codecs.AcceptedDecoder;
import io.synod.codecs.BooleanType;
import io.synod.codecs.HeartbeatDecoder;
import io.synod.codecs.PrepareDecoder;
import io.synod.codecs.PromiseDecoder;
import io.synod.codecs.RejectedDecoder;
import io.synod.codecs.RejoinQueryDecoder;
import io.synod.codecs.RejoinReplyDecoder;
import io.synod.codecs.SuccessDecoder;
import io.synod.log.PaxosLog;
import io.synod.codecs.ResponseCode;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;

/**
 * One Multi-Paxos node as a deterministic state machine: messages and ticks in, messages, log writes and state machine
 * calls out. No threads, no I/O of its own, no clock: time is what {@link #onTick(long)} last said. Given the same
 * calls it makes the same outputs, which is what lets a simulation replay any run from its seed.
 * <p>
 * The node composes the roles: {@link Election}, {@link Proposer}, {@link Acceptor}, {@link Learner}, with
 * {@link Heartbeats} for when and what it tells its peers, {@link RoleTransitions} for when it stands, leads and steps
 * down, and {@link ClientRequests} for what clients ask. A duty
 * cycle of its driver is: {@link #onTick(long)} (time, heartbeats), then the messages that arrived
 * ({@link #onPeerMessage} and {@link #onClientMessage}), then {@link #doWork()} which judges election timeouts, sends
 * what was batched and applies what was chosen. The driver then calls {@link PaxosLog#sync()} and only after that
 * lets the outbox's messages leave.
 * <p>
 * Fail-stop: when the state machine throws in {@code apply}, the node keeps the failure ({@link #failure()}) and from
 * then on does nothing at all: no heartbeats, no votes, no proposals, no applies, no answers. It steps down if it led.
 * To the other nodes it looks crashed, which Paxos tolerates; a state machine that fails the same way everywhere stops
 * the whole cluster rather than letting copies diverge.
 * <p>
 * A node whose log was created empty without {@link CoreConfig#bootstrap()} is a learner until {@link Rejoin} lets it
 * vote: it never stands, ignores Prepare, and its Accepted replies count only slots it knows chosen.
 */
public final class PaxosNode
{
    private static final int APPLY_LIMIT_PER_CYCLE = 4096;

    private final CoreConfig config;
    private final PaxosLog log;
    private final MemberIndex members;
    private final CoreCounters counters = new CoreCounters();
    private final OutboundMessages out;
    private final InboundMessages in;
    private final Election election;
    private final Acceptor acceptor;
    private final Proposer proposer;
    private final Learner learner;
    private final Rejoin rejoin;
    /** Principal id of a client without authentication. */
    public static final long ANONYMOUS_PRINCIPAL = SessionTable.ANONYMOUS;

    private final ClientRequests clientRequests;
    private final Heartbeats heartbeats;
    private final RoleTransitions roles;
    private final ErrorHandler errorHandler;

    private long nowNs;
    private boolean started;
    private Throwable failure;

    /**
     * Build a node over its log; it resumes from whatever the log holds (promise, accepted entries, commit index) and
     * applies the chosen entries again to the given, fresh state machine.
     *
     * @param config       concluded or not; concluded here.
     * @param log          the acceptor's durable memory.
     * @param stateMachine the user's state machine, empty.
     * @param outbox       where messages go.
     * @param errorHandler told of every dropped message, with its cause.
     */
    public PaxosNode(
        final CoreConfig config,
        final PaxosLog log,
        final StateMachine stateMachine,
        final Outbox outbox,
        final ErrorHandler errorHandler)
    {
        this.config = config.conclude();
        this.log = log;
        if (log.maxPayloadLength() < config.maxPayloadLength())
        {
            throw new IllegalStateException("log maxPayloadLength " + log.maxPayloadLength() +
                " is below the node's maxPayloadLength " + config.maxPayloadLength());
        }
        this.members = new MemberIndex(config.nodeId(), config.memberIds());
        this.out = new OutboundMessages(outbox, config, members.peerIds());
        this.errorHandler = errorHandler;
        this.in = new InboundMessages(members, config, counters, errorHandler);
        this.election = new Election(members, config);
        this.acceptor = new Acceptor(log, out, counters);
        this.proposer = new Proposer(config, log, acceptor, out, counters, members);
        this.learner = new Learner(log, stateMachine, out, counters, config);
        this.clientRequests =
            new ClientRequests(config, in, election, proposer, learner, out, counters, stateMachine, errorHandler);
        this.rejoin = new Rejoin(config, log, acceptor, out, members);
        this.heartbeats = new Heartbeats(config, log, out, election, acceptor, proposer, rejoin);
        this.roles = new RoleTransitions(
            config, log, election, acceptor, proposer, learner, rejoin, heartbeats, counters, errorHandler);
        election.onBallotSeen(log.promisedBallot());
    }

    /**
     * Advance time: heartbeats, elections, retransmissions. Call first in every duty cycle.
     *
     * @param nowNs monotonic time in nanoseconds.
     */
    public void onTick(final long nowNs)
    {
        if (failure != null)
        {
            return;
        }
        this.nowNs = nowNs;
        if (!started)
        {
            started = true;
            election.start(nowNs);
            rejoin.start(nowNs);
            heartbeats.start(nowNs);
        }

        if (heartbeats.due(nowNs))
        {
            heartbeats.send(roles.role(), nowNs);
            rejoin.onHeartbeatTick();
            if (roles.role() == Role.LEADER)
            {
                proposer.onHeartbeatTick(nowNs);
            }
        }
    }

    /**
     * A message from a peer. Malformed ones are reported and dropped.
     *
     * @param buffer holding the message, SBE header first.
     * @param offset of the message.
     * @param length of the message.
     */
    public void onPeerMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        if (failure != null)
        {
            return;
        }
        final int templateId = in.decodePeer(buffer, offset, length);
        if (templateId != InboundMessages.DROPPED)
        {
            election.onPeerHeard(members.indexOf(in.senderNodeId()), nowNs); // any message: the sender is live
        }
        switch (templateId)
        {
            case HeartbeatDecoder.TEMPLATE_ID:
                onHeartbeat(in.heartbeat);
                break;

            case PrepareDecoder.TEMPLATE_ID:
                onPrepare(in.prepare);
                break;

            case PromiseDecoder.TEMPLATE_ID:
                onPromise(in.promise);
                break;

            case AcceptDecoder.TEMPLATE_ID:
                onAccept(in.accept);
                break;

            case AcceptedDecoder.TEMPLATE_ID:
                onAccepted(in.accepted);
                break;

            case RejectedDecoder.TEMPLATE_ID:
                onRejected(in.rejected);
                break;

            case SuccessDecoder.TEMPLATE_ID:
                onSuccess(in.success);
                break;

            case RejoinQueryDecoder.TEMPLATE_ID:
                onRejoinQuery(in.rejoinQuery);
                break;

            case RejoinReplyDecoder.TEMPLATE_ID:
                onRejoinReply(in.rejoinReply);
                break;

            default:
                break; // dropped and reported by InboundMessages
        }
    }

    /**
     * A request from a client.
     *
     * @param clientId the runtime's handle for answering the client.
     * @param buffer   holding the message, SBE header first.
     * @param offset   of the message.
     * @param length   of the message.
     */
    public void onClientMessage(final long clientId, final DirectBuffer buffer, final int offset, final int length)
    {
        onClientMessage(clientId, ANONYMOUS_PRINCIPAL, buffer, offset, length);
    }

    /**
     * A request from a client authenticated as a principal.
     *
     * @param clientId  the runtime's handle for answering the client.
     * @param principal the client's principal as a 64-bit id, the same on every node for the same principal
     *                  ({@link #ANONYMOUS_PRINCIPAL} without authentication): sessions it opens belong to it.
     * @param buffer    holding the message, SBE header first.
     * @param offset    of the message.
     * @param length    of the message.
     */
    public void onClientMessage(
        final long clientId, final long principal, final DirectBuffer buffer, final int offset, final int length)
    {
        if (failure != null)
        {
            return; // a stopped node answers nothing: the client fails over as for a crashed one
        }
        clientRequests.onMessage(clientId, principal, in.decodeClient(buffer, offset, length), roles.role(), nowNs);
    }

    /**
     * Answer a client without the core deciding anything: the runtime refused the request before it (a cap).
     *
     * @param clientId  the client.
     * @param sessionId of the request.
     * @param sequence  of the request.
     * @param code      the refusal.
     */
    public void refuseClient(final long clientId, final long sessionId, final long sequence, final ResponseCode code)
    {
        out.response(clientId, sessionId, sequence, code);
    }

    /**
     * The runtime dropped data messages for this peer (counted there): while leading, send them again.
     *
     * @param peerId the peer.
     */
    public void onPeerMessagesLost(final int peerId)
    {
        if (failure == null && roles.role() == Role.LEADER)
        {
            proposer.resendFromAcknowledged(members.indexOf(peerId));
        }
    }

    /**
     * End of a duty cycle: send the batch of this cycle's proposals and any catch-up, advance the commit index, apply
     * what is chosen.
     *
     * @return amount of work done, 0 if none.
     */
    public int doWork()
    {
        if (failure != null)
        {
            return 0;
        }
        int work = rejoin.checkCaughtUp() ? 1 : 0;
        work += roles.checkTimeouts(nowNs);
        if (roles.role() == Role.LEADER)
        {
            work += proposer.replicate();
            if (proposer.updateCommitIndex())
            {
                work++;
            }
        }
        work += learner.applyChosen(APPLY_LIMIT_PER_CYCLE);
        if (learner.failure() != null)
        {
            failStop(learner.failure());
            work++;
        }
        return work;
    }

    /**
     * Stop taking part for good. What this cycle sent before is still true (it reflects the log, which the failure
     * did not touch) and may leave; nothing more will.
     */
    private void failStop(final Throwable cause)
    {
        roles.stepDown(nowNs);
        failure = cause;
    }

    private void onHeartbeat(final HeartbeatDecoder heartbeat)
    {
        final int fromNodeId = heartbeat.fromNodeId();
        final int memberIndex = members.indexOf(fromNodeId);
        election.onHeartbeat(memberIndex, heartbeat, nowNs);
        final long ballot = heartbeat.ballot();
        // A higher promise anywhere means this node's ballot can no longer win: step down now, not after a timeout.
        roles.onHigherBallot(ballot, nowNs);
        if (roles.role() == Role.LEADER)
        {
            if (ballot == proposer.ballot() && heartbeat.leaderNodeId() == config.nodeId())
            {
                election.onAck(memberIndex, nowNs); // it follows this ballot: a heartbeat reply
            }
            proposer.onPeerCommitIndex(memberIndex, heartbeat.commitIndex(), nowNs);
        }
        if (heartbeat.isLeader() == BooleanType.TRUE && ballot >= acceptor.promisedBallot())
        {
            if (roles.role() == Role.FOLLOWER)
            {
                election.onLeaderHeard(fromNodeId, ballot, nowNs);
            }
            acceptor.learnCommit(ballot, heartbeat.commitIndex());
        }
    }

    private void onPrepare(final PrepareDecoder prepare)
    {
        final long ballot = prepare.ballot();
        if (rejoin.isLearner())
        {
            election.onBallotSeen(ballot); // no Promise, no Rejected: a learner has no vote to give or refuse
            return;
        }
        final int fromNodeId = prepare.fromNodeId();
        final long promised = acceptor.promisedBallot();
        final boolean higher = ballot > promised;
        if (ballot >= promised &&
            election.refusesPrepare(roles.role(), fromNodeId, higher, prepare.fromSlot(), log.commitIndex(), nowNs))
        {
            election.onBallotSeen(ballot);
            counters.preparesRefused++;
            return; // no promise and no answer: the candidate gives up after a bounded number of tries
        }
        roles.promiseHigher(ballot, nowNs);
        acceptor.onPrepare(fromNodeId, ballot, prepare.fromSlot());
    }

    private void onPromise(final PromiseDecoder promise)
    {
        if (roles.role() == Role.CANDIDATE && proposer.onPromise(promise))
        {
            roles.lead(nowNs);
        }
    }

    private void onAccept(final AcceptDecoder accept)
    {
        final int fromNodeId = accept.fromNodeId();
        final long ballot = accept.ballot();
        roles.promiseHigher(ballot, nowNs);
        if (acceptor.onAccept(accept) && roles.role() == Role.FOLLOWER)
        {
            election.onLeaderHeard(fromNodeId, ballot, nowNs);
        }
    }

    private void onAccepted(final AcceptedDecoder accepted)
    {
        final int memberIndex = members.indexOf(accepted.fromNodeId());
        if (roles.role() == Role.LEADER)
        {
            if (accepted.ballot() == proposer.ballot())
            {
                election.onAck(memberIndex, nowNs);
            }
            proposer.onAccepted(
                memberIndex,
                accepted.ballot(),
                accepted.lastSlot(),
                accepted.behind() == BooleanType.TRUE,
                nowNs);
        }
    }

    private void onRejected(final RejectedDecoder rejected)
    {
        final long promised = rejected.promisedBallot();
        election.onBallotSeen(promised);
        if (roles.role() != Role.FOLLOWER && rejected.ballot() == proposer.ballot() && promised > proposer.ballot())
        {
            counters.rejectionsReceived++;
            roles.stepDown(nowNs);
        }
    }

    private void onSuccess(final SuccessDecoder success)
    {
        roles.promiseHigher(success.ballot(), nowNs);
        acceptor.onSuccess(success);
    }

    private void onRejoinQuery(final RejoinQueryDecoder query)
    {
        rejoin.onQuery(query.fromNodeId(), query.nonce(), roles.role() == Role.CANDIDATE ? proposer.ballot() : 0);
    }

    private void onRejoinReply(final RejoinReplyDecoder reply)
    {
        election.onBallotSeen(reply.promisedBallot());
        rejoin.onReply(reply.fromNodeId(), reply.nonce(), reply.promisedBallot(), reply.nextSlot());
    }

    /**
     * @return true once the node stopped because its state machine threw; it then takes no further part.
     */
    public boolean isFailed()
    {
        return failure != null;
    }

    /**
     * @return why the node stopped, a {@link io.synod.StateMachineFailedException} naming the slot; null if running.
     */
    public Throwable failure()
    {
        return failure;
    }

    /** @return this node's id. */
    public int nodeId()
    {
        return config.nodeId();
    }

    /** @return the role now. */
    public Role role()
    {
        return roles.role();
    }

    /** @return the leader this node follows or is, -1 if none known. */
    public int leaderId()
    {
        if (failure != null)
        {
            return -1;
        }
        final Role role = roles.role();
        return role == Role.LEADER ? config.nodeId() : role == Role.CANDIDATE ? -1 : election.leaderId();
    }

    /**
     * @return the ballot of the leader named by {@link #leaderId()}: this node's own if it leads, else the one the
     * leader's heartbeats carried; -1 if no leader is known.
     */
    public long leaderBallot()
    {
        final int leaderId = leaderId();
        if (leaderId < 0)
        {
            return -1;
        }
        return roles.role() == Role.LEADER ? proposer.ballot() : election.leaderBallot();
    }

    /**
     * @param peerId another member.
     * @return while leading: slots of this leader's log the peer has not acknowledged; else -1 (not known here).
     */
    public long peerLag(final int peerId)
    {
        return roles.role() == Role.LEADER && failure == null ? proposer.peerLag(peerId) : -1;
    }

    /** @return this node's ballot when proposing, else the highest promised. */
    public long ballot()
    {
        return roles.role() == Role.FOLLOWER ? acceptor.promisedBallot() : proposer.ballot();
    }

    /** @return firstUnchosenIndex: every slot below is known chosen here. */
    public long commitIndex()
    {
        return log.commitIndex();
    }

    /** @return slots below this have been applied to the state machine. */
    public long appliedIndex()
    {
        return learner.appliedIndex();
    }

    /** @return the log time: the highest leader timestamp applied. */
    public long logTime()
    {
        return learner.logTime();
    }

    /** @return open client sessions in the replicated state. */
    public int sessionCount()
    {
        return learner.sessions().size();
    }

    /** @return true if this node votes; false while it is a learner rejoining after its log was lost. */
    public boolean isVoting()
    {
        return !rejoin.isLearner();
    }

    /** @return event counts. */
    public CoreCounters counters()
    {
        return counters;
    }

    /** @return the log this node writes. */
    public PaxosLog log()
    {
        return log;
    }

    /** @return the settings, concluded. */
    public CoreConfig config()
    {
        return config;
    }

    public String toString()
    {
        return "PaxosNode{id=" + config.nodeId() + ", role=" + roles.role() + (failure != null ? " FAILED" : "") +
            ", ballot=" + Ballot.toString(ballot()) +
            ", leader=" + leaderId() + ", commitIndex=" + log.commitIndex() + ", applied=" + learner.appliedIndex() +
            ", nextSlot=" + log.nextSlot() + (rejoin.isLearner() ? ", learner" : "") + '}';
    }
}
