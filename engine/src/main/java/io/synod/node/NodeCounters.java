package io.synod.node;

import io.aeron.Aeron;
import io.aeron.Counter;
import io.synod.core.CoreCounters;
import io.synod.core.PaxosNode;
import org.agrona.CloseHelper;

/**
 * The node's Aeron counters, readable by {@code AeronStat} and by other threads of this process. Written by the node
 * agent only, once per duty cycle, with release stores.
 */
public final class NodeCounters implements AutoCloseable
{
    /** First type id of Synod's counters; they run consecutively in the order of {@link #LABELS}. */
    public static final int TYPE_ID_BASE = 7300;

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

    private final Counter[] counters = new Counter[LABELS.length];

    NodeCounters(final Aeron aeron, final int nodeId)
    {
        for (int i = 0; i < LABELS.length; i++)
        {
            counters[i] = aeron.addCounter(TYPE_ID_BASE + i, "synod node " + nodeId + " " + LABELS[i]);
        }
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
        final Counter counter = counters[index];
        if (counter.getPlain() != value)
        {
            counter.setRelease(value);
        }
    }

    /**
     * @param index one of the indices above.
     * @return the value, from any thread.
     */
    long get(final int index)
    {
        return counters[index].get();
    }

    /** @return 1 if the node votes, 0 while it is a learner rejoining after its log was lost; from any thread. */
    public long voting()
    {
        return counters[VOTING].get();
    }

    /** @return role code: 0 follower, 1 candidate, 2 leader; from any thread. */
    public long role()
    {
        return counters[ROLE].get();
    }

    /** @return the leader this node follows or is, -1 if none; from any thread. */
    public long leaderId()
    {
        return counters[LEADER_ID].get();
    }

    /** @return ballot; from any thread. */
    public long ballot()
    {
        return counters[BALLOT].get();
    }

    /** @return commit index (firstUnchosenIndex); from any thread. */
    public long commitIndex()
    {
        return counters[COMMIT_INDEX].get();
    }

    /** @return slots below this are applied; from any thread. */
    public long appliedIndex()
    {
        return counters[APPLIED_INDEX].get();
    }

    /** @return elections started; from any thread. */
    public long electionsStarted()
    {
        return counters[ELECTIONS].get();
    }

    /** @return step downs; from any thread. */
    public long stepDowns()
    {
        return counters[STEP_DOWNS].get();
    }

    /** @return back-pressure events; from any thread. */
    public long backPressureEvents()
    {
        return counters[BACK_PRESSURE].get();
    }

    /** @return peer messages dropped; from any thread. */
    public long peerMessagesDropped()
    {
        return counters[PEER_DROPPED].get();
    }

    /** @return client messages dropped; from any thread. */
    public long clientMessagesDropped()
    {
        return counters[CLIENT_DROPPED].get();
    }

    /** @return malformed messages dropped (core and runtime); from any thread. */
    public long malformedMessages()
    {
        return counters[MALFORMED].get();
    }

    /** @return client requests redirected; from any thread. */
    public long redirects()
    {
        return counters[REDIRECTS].get();
    }

    /** @return commands refused as too large; from any thread. */
    public long commandsTooLarge()
    {
        return counters[TOO_LARGE].get();
    }

    /** @return clients with an egress publication; from any thread. */
    public long connectedClients()
    {
        return counters[CLIENTS].get();
    }

    /** @return open sessions; from any thread. */
    public long openSessions()
    {
        return counters[SESSIONS].get();
    }

    /** @return errors reported; from any thread. */
    public long errors()
    {
        return counters[ERRORS].get();
    }

    /** @return commands refused by the state machine's validation; from any thread. */
    public long commandsRejected()
    {
        return counters[REJECTED].get();
    }

    /** @return 1 once the node stopped after a failure (fail-stop), else 0; from any thread. */
    public long failed()
    {
        return counters[FAILED].get();
    }

    public void close()
    {
        CloseHelper.closeAll(counters);
    }
}
