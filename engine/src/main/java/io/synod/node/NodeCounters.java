package io.synod.node;

import io.aeron.Aeron;
import io.aeron.Counter;
import io.synod.core.CoreCounters;
import io.synod.core.PaxosNode;
import org.agrona.CloseHelper;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The node's Aeron counters, readable by {@code AeronStat} and by other threads of this process. Written by the node
 * agent only, once per duty cycle, with release stores. Every value is mirrored on the heap and read from there in
 * this process: the counters' memory goes when the node's Aeron client closes, and reading it afterwards crashed the
 * JVM (SIGSEGV); the mirror stays readable, with the last values, after {@link SynodNode#close()}.
 */
public final class NodeCounters implements AutoCloseable
{
    /** First type id of Synod's counters; they run consecutively in the order of {@link #LABELS}. */
    public static final int TYPE_ID_BASE = 7300;
    /** Type id of the ballot counter: {@code round << 16 | nodeId}, see {@link io.synod.core.Ballot}. */
    public static final int BALLOT_TYPE_ID = TYPE_ID_BASE + 2;
    /** Type id of a peer's connectivity counter (1 connected, 0 not), labelled "peer N connected". */
    public static final int PEER_CONNECTED_TYPE_ID = TYPE_ID_BASE + 50;
    /** Type id of a peer's lag counter (slots; -1 unless this node leads), labelled "peer N lag". */
    public static final int PEER_LAG_TYPE_ID = TYPE_ID_BASE + 51;

    /** Counter labels, after "synod node N ". */
    static final String[] LABELS = {
        "role (0 follower, 1 candidate, 2 leader)",
        "leader id",
        "ballot",
        "commit index",
        "applied index",
        "elections started",
        "leaderships won",
        "step downs",
        "rejections sent",
        "rejections received",
        "back-pressure events",
        "peer messages dropped",
        "client messages dropped",
        "malformed messages",
        "redirects",
        "commands busy",
        "commands too large",
        "connected clients",
        "open sessions",
        "errors",
        "failed (1: the node stopped, see the error log)",
        "commands rejected by validation",
        "voting (0 learner rejoining after a lost log, 1 voter)",
        "peer messages not authenticated (cluster key)",
        "peer messages with another member list",
        "requests refused: not the session's owner",
        "requests refused: unknown session (before the log)",
        "connects refused (policy, authentication, caps)",
        "requests dropped: client not connected",
        "session opens refused: per-client or per-principal cap",
        "session opens refused: no session key (requireSessionKey)",
        "client queue growths refused: egress budget (maxEgressQueueBytes)",
        "client queue bytes (all clients)",
    };

    static final int ROLE = 0;
    static final int LEADER_ID = 1;
    static final int BALLOT = 2;
    static final int COMMIT_INDEX = 3;
    static final int APPLIED_INDEX = 4;
    static final int ELECTIONS = 5;
    static final int LEADERSHIPS = 6;
    static final int STEP_DOWNS = 7;
    static final int REJECTIONS_SENT = 8;
    static final int REJECTIONS_RECEIVED = 9;
    static final int BACK_PRESSURE = 10;
    static final int PEER_DROPPED = 11;
    static final int CLIENT_DROPPED = 12;
    static final int MALFORMED = 13;
    static final int REDIRECTS = 14;
    static final int BUSY = 15;
    static final int TOO_LARGE = 16;
    static final int CLIENTS = 17;
    static final int SESSIONS = 18;
    static final int ERRORS = 19;
    static final int FAILED = 20;
    static final int REJECTED = 21;
    static final int VOTING = 22;
    static final int PEER_NOT_AUTHENTICATED = 23;
    static final int PEER_MEMBER_LIST_MISMATCHES = 24;
    static final int NOT_OWNER = 25;
    static final int UNKNOWN_SESSION = 26;
    static final int CONNECTS_REFUSED = 27;
    static final int UNCONNECTED = 28;
    static final int OPENS_OVER_CAP = 29;
    static final int OPENS_WITHOUT_KEY = 30;
    static final int EGRESS_GROWTHS_REFUSED = 31;
    static final int EGRESS_QUEUE_BYTES = 32;

    private final Counter[] counters = new Counter[LABELS.length];
    private final AtomicLongArray values = new AtomicLongArray(LABELS.length);
    private final int[] peerIds;
    private final Counter[] peerCounters;
    private final AtomicLongArray peerValues;
    private boolean detached; // the node's thread only

    NodeCounters(final Aeron aeron, final int nodeId, final int[] peerIds)
    {
        for (int i = 0; i < LABELS.length; i++)
        {
            counters[i] = aeron.addCounter(TYPE_ID_BASE + i, "synod node " + nodeId + " " + LABELS[i]);
        }
        this.peerIds = peerIds.clone();
        peerCounters = new Counter[2 * peerIds.length];
        peerValues = new AtomicLongArray(2 * peerIds.length);
        for (int p = 0; p < peerIds.length; p++)
        {
            final String label = "synod node " + nodeId + " peer " + peerIds[p];
            peerCounters[2 * p] = aeron.addCounter(PEER_CONNECTED_TYPE_ID, label + " connected");
            peerCounters[2 * p + 1] = aeron.addCounter(PEER_LAG_TYPE_ID, label + " lag (slots, -1 unless leading)");
            peerValues.set(2 * p + 1, -1);
            peerCounters[2 * p + 1].setRelease(-1);
        }
    }

    /**
     * @param peer      index of the peer, in the order given at construction.
     * @param connected whether this node's publication to the peer is connected.
     * @param lag       slots the peer has not acknowledged while this node leads, else -1.
     */
    void updatePeer(final int peer, final boolean connected, final long lag)
    {
        setPeer(2 * peer, connected ? 1 : 0);
        setPeer(2 * peer + 1, lag);
    }

    /**
     * The node's Aeron client has closed (a stall past the driver's client liveness timeout, or the driver stopped):
     * the counters' memory may be unmapped, so from now on only the heap mirror is written. Writing a counter after
     * that crashed the JVM (SIGSEGV in {@code update}).
     */
    void detach()
    {
        detached = true;
    }

    private void setPeer(final int index, final long value)
    {
        if (peerValues.getPlain(index) != value)
        {
            peerValues.setRelease(index, value);
            if (!detached)
            {
                peerCounters[index].setRelease(value);
            }
        }
    }

    /** @return how many peers this node has. */
    public int peerCount()
    {
        return peerIds.length;
    }

    /**
     * @param peer index, below {@link #peerCount()}.
     * @return that peer's node id.
     */
    public int peerId(final int peer)
    {
        return peerIds[peer];
    }

    /**
     * @param peer index, below {@link #peerCount()}.
     * @return true if this node's publication to the peer is connected (the peer receives); from any thread.
     */
    public boolean peerConnected(final int peer)
    {
        return peerValues.get(2 * peer) == 1;
    }

    /**
     * @param peer index, below {@link #peerCount()}.
     * @return slots of this leader's log the peer has not acknowledged, -1 unless this node leads; from any thread.
     */
    public long peerLag(final int peer)
    {
        return peerValues.get(2 * peer + 1);
    }

    void update(
        final PaxosNode core,
        final RuntimeCounts runtime,
        final int clients)
    {
        final CoreCounters c = core.counters();
        set(ROLE, core.role().code());
        set(LEADER_ID, core.leaderId());
        set(BALLOT, core.ballot());
        set(COMMIT_INDEX, core.commitIndex());
        set(APPLIED_INDEX, core.appliedIndex());
        set(ELECTIONS, c.electionsStarted());
        set(LEADERSHIPS, c.leadershipsWon());
        set(STEP_DOWNS, c.stepDowns());
        set(REJECTIONS_SENT, c.rejectionsSent());
        set(REJECTIONS_RECEIVED, c.rejectionsReceived());
        set(BACK_PRESSURE, runtime.backPressureEvents);
        set(PEER_DROPPED, runtime.peerMessagesDropped);
        set(CLIENT_DROPPED, runtime.clientMessagesDropped);
        set(MALFORMED, c.malformedMessages() + runtime.malformedMessages);
        set(REDIRECTS, c.redirects());
        set(BUSY, c.commandsBusy());
        set(TOO_LARGE, c.commandsTooLarge());
        set(CLIENTS, clients);
        set(SESSIONS, core.sessionCount());
        set(ERRORS, runtime.errors);
        set(REJECTED, c.commandsRejected());
        set(VOTING, core.isVoting() ? 1 : 0);
        set(PEER_NOT_AUTHENTICATED, runtime.peerMessagesNotAuthenticated);
        set(PEER_MEMBER_LIST_MISMATCHES, runtime.peerMemberListMismatches);
        set(NOT_OWNER, c.requestsNotOwner());
        set(UNKNOWN_SESSION, c.requestsUnknownSession());
        set(CONNECTS_REFUSED, runtime.connectsRefused);
        set(UNCONNECTED, runtime.requestsUnconnected);
        set(OPENS_OVER_CAP, c.sessionOpensOverCap() + runtime.sessionOpensOverClientCap);
        set(OPENS_WITHOUT_KEY, runtime.sessionOpensWithoutKey);
        set(EGRESS_GROWTHS_REFUSED, runtime.egressGrowthsRefused);
        set(EGRESS_QUEUE_BYTES, runtime.egressQueueBytes);
    }

    /**
     * The node stopped: it leads nothing and follows no one any more, and says so to AeronStat.
     */
    void onFailed(final long errors)
    {
        set(ROLE, 0);
        set(LEADER_ID, -1);
        set(ERRORS, errors);
        set(FAILED, 1);
    }

    private void set(final int index, final long value)
    {
        if (values.getPlain(index) != value)
        {
            values.setRelease(index, value);
            if (!detached)
            {
                counters[index].setRelease(value);
            }
        }
    }

    /**
     * @param index one of the indices above.
     * @return the value, from any thread, also after the node closed.
     */
    long get(final int index)
    {
        return values.get(index);
    }

    /** @return 1 if the node votes, 0 while it is a learner rejoining after its log was lost; from any thread. */
    public long voting()
    {
        return values.get(VOTING);
    }

    /** @return role code: 0 follower, 1 candidate, 2 leader; from any thread. */
    public long role()
    {
        return values.get(ROLE);
    }

    /** @return the leader this node follows or is, -1 if none; from any thread. */
    public long leaderId()
    {
        return values.get(LEADER_ID);
    }

    /** @return ballot; from any thread. */
    public long ballot()
    {
        return values.get(BALLOT);
    }

    /** @return commit index (firstUnchosenIndex); from any thread. */
    public long commitIndex()
    {
        return values.get(COMMIT_INDEX);
    }

    /** @return slots below this are applied; from any thread. */
    public long appliedIndex()
    {
        return values.get(APPLIED_INDEX);
    }

    /** @return elections started; from any thread. */
    public long electionsStarted()
    {
        return values.get(ELECTIONS);
    }

    /** @return step downs; from any thread. */
    public long stepDowns()
    {
        return values.get(STEP_DOWNS);
    }

    /** @return back-pressure events; from any thread. */
    public long backPressureEvents()
    {
        return values.get(BACK_PRESSURE);
    }

    /** @return peer messages dropped; from any thread. */
    public long peerMessagesDropped()
    {
        return values.get(PEER_DROPPED);
    }

    /** @return client messages dropped; from any thread. */
    public long clientMessagesDropped()
    {
        return values.get(CLIENT_DROPPED);
    }

    /** @return malformed messages dropped (core and runtime); from any thread. */
    public long malformedMessages()
    {
        return values.get(MALFORMED);
    }

    /** @return client requests redirected; from any thread. */
    public long redirects()
    {
        return values.get(REDIRECTS);
    }

    /** @return commands refused as too large; from any thread. */
    public long commandsTooLarge()
    {
        return values.get(TOO_LARGE);
    }

    /** @return clients with an egress publication; from any thread. */
    public long connectedClients()
    {
        return values.get(CLIENTS);
    }

    /** @return open sessions; from any thread. */
    public long openSessions()
    {
        return values.get(SESSIONS);
    }

    /** @return errors reported; from any thread. */
    public long errors()
    {
        return values.get(ERRORS);
    }

    /** @return commands refused by the state machine's validation; from any thread. */
    public long commandsRejected()
    {
        return values.get(REJECTED);
    }

    /** @return peer messages refused for a missing or wrong MAC (not made with this cluster's key). */
    public long peerMessagesNotAuthenticated()
    {
        return get(PEER_NOT_AUTHENTICATED);
    }

    /** @return peer messages refused because their sender was configured with another member list. */
    public long peerMemberListMismatches()
    {
        return get(PEER_MEMBER_LIST_MISMATCHES);
    }

    /** @return requests refused as not from the session's owner; from any thread. */
    public long requestsNotOwner()
    {
        return values.get(NOT_OWNER);
    }

    /** @return requests for a session that does not exist, refused before the log; from any thread. */
    public long requestsUnknownSession()
    {
        return values.get(UNKNOWN_SESSION);
    }

    /** @return connects refused by the policy, the authenticator or a cap; from any thread. */
    public long connectsRefused()
    {
        return values.get(CONNECTS_REFUSED);
    }

    /** @return requests dropped because their client had not connected; from any thread. */
    public long requestsUnconnected()
    {
        return values.get(UNCONNECTED);
    }

    /** @return session opens refused at the per-client or per-principal cap; from any thread. */
    public long sessionOpensOverCap()
    {
        return values.get(OPENS_OVER_CAP);
    }

    /** @return session opens without a session key refused because requireSessionKey is on; from any thread. */
    public long sessionOpensWithoutKey()
    {
        return values.get(OPENS_WITHOUT_KEY);
    }

    /** @return growths of a client queue refused by the egress budget (maxEgressQueueBytes); from any thread. */
    public long egressGrowthsRefused()
    {
        return values.get(EGRESS_GROWTHS_REFUSED);
    }

    /** @return bytes of capacity all client queues hold; from any thread. */
    public long egressQueueBytes()
    {
        return values.get(EGRESS_QUEUE_BYTES);
    }

    /** @return 1 once the node stopped after a failure (fail-stop), else 0; from any thread. */
    public long failed()
    {
        return values.get(FAILED);
    }

    public void close()
    {
        CloseHelper.closeAll(counters);
        CloseHelper.closeAll(peerCounters);
    }
}
