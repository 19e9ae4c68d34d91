package io.synod.core;

/**
 * Event counts kept by the core, single writer. The runtime copies them into Aeron counters that {@code AeronStat}
 * can read; tests read them directly.
 */
public final class CoreCounters
{
    /** Times this node started phase 1. */
    long electionsStarted;
    /** Times this node became the active leader. */
    long leadershipsWon;
    /** Times this node stopped leading or standing because it saw a higher ballot or lost its majority. */
    long stepDowns;
    /** Prepare or Accept refused because of a higher promise. */
    long rejectionsSent;
    /** Rejections received while proposing. */
    long rejectionsReceived;
    /** Accept or Success that did not follow this acceptor's log: a go-back request was sent. */
    long acceptsBehind;
    /** Slots whose accepted entry was superseded by one under a higher ballot (or by the chosen value). */
    long entriesSuperseded;
    /** Peer or client messages dropped because they could not be decoded or had impossible fields. */
    long malformedMessages;
    /** Client commands refused because they were above the maximum payload length. */
    long commandsTooLarge;
    /** Client commands refused because the leader's window was full. */
    long commandsBusy;
    /** Client requests answered with a redirect. */
    long redirects;
    /** Entries proposed by this node as leader, no-op fills included. */
    long entriesProposed;
    /** Accept messages sent. */
    long acceptsSent;
    /** Entries applied to the state machine or session table. */
    long entriesApplied;
    /** Sessions expired by log time. */
    long sessionsExpired;
    /** Session opens refused because the replicated state held maxSessions sessions. */
    long sessionsRefused;
    /** Commands refused by the state machine's validation on a leader, counted when their REJECTED entry applies. */
    long commandsRejected;
    /** Prepares refused without a promise: a live leader's lease, or a candidate behind this node's commit index. */
    long preparesRefused;
    /** Times this node gave up standing after its bounded number of Prepares. */
    long candidaciesAbandoned;
    /** Requests for a session refused on a leader: wrong session key or principal (NOT_SESSION_OWNER). */
    long requestsNotOwner;
    /** Requests for a session that does not exist, refused on a leader before the log (UNKNOWN_SESSION). */
    long requestsUnknownSession;
    /** Session opens refused on a leader at the per-principal cap, before the log. */
    long sessionOpensOverCap;

    /** @return times this node started phase 1. */
    public long electionsStarted()
    {
        return electionsStarted;
    }

    /** @return times this node became the active leader. */
    public long leadershipsWon()
    {
        return leadershipsWon;
    }

    /** @return times this node stepped down. */
    public long stepDowns()
    {
        return stepDowns;
    }

    /** @return Prepare or Accept messages refused by this acceptor. */
    public long rejectionsSent()
    {
        return rejectionsSent;
    }

    /** @return rejections this node received as proposer. */
    public long rejectionsReceived()
    {
        return rejectionsReceived;
    }

    /** @return go-back requests sent by this acceptor. */
    public long acceptsBehind()
    {
        return acceptsBehind;
    }

    /** @return slots whose accepted entry was superseded. */
    public long entriesSuperseded()
    {
        return entriesSuperseded;
    }

    /** @return messages dropped as malformed. */
    public long malformedMessages()
    {
        return malformedMessages;
    }

    /** @return commands refused as too large. */
    public long commandsTooLarge()
    {
        return commandsTooLarge;
    }

    /** @return commands refused because the window was full. */
    public long commandsBusy()
    {
        return commandsBusy;
    }

    /** @return client requests answered with a redirect. */
    public long redirects()
    {
        return redirects;
    }

    /** @return entries proposed as leader. */
    public long entriesProposed()
    {
        return entriesProposed;
    }

    /** @return Accept messages sent. */
    public long acceptsSent()
    {
        return acceptsSent;
    }

    /** @return entries applied. */
    public long entriesApplied()
    {
        return entriesApplied;
    }

    /** @return sessions expired by log time. */
    public long sessionsExpired()
    {
        return sessionsExpired;
    }

    /** @return session opens refused at the maxSessions limit. */
    public long sessionsRefused()
    {
        return sessionsRefused;
    }

    /** @return commands refused by validation, counted as their REJECTED entries apply (alike on every node). */
    public long commandsRejected()
    {
        return commandsRejected;
    }

    /** @return Prepares refused without a promise (a leader's lease, or a candidate behind the commit index). */
    public long preparesRefused()
    {
        return preparesRefused;
    }

    /** @return times this node gave up standing after its bounded number of Prepares. */
    public long candidaciesAbandoned()
    {
        return candidaciesAbandoned;
    }

    /** @return requests refused as not from the session's owner (NOT_SESSION_OWNER). */
    public long requestsNotOwner()
    {
        return requestsNotOwner;
    }

    /** @return requests for a session that does not exist, refused before the log. */
    public long requestsUnknownSession()
    {
        return requestsUnknownSession;
    }

    /** @return session opens refused at the per-principal cap, before the log. */
    public long sessionOpensOverCap()
    {
        return sessionOpensOverCap;
    }

    public String toString()
    {
        return "CoreCounters{electionsStarted=" + electionsStarted + ", leadershipsWon=" + leadershipsWon +
            ", stepDowns=" + stepDowns + ", rejectionsSent=" + rejectionsSent +
            ", rejectionsReceived=" + rejectionsReceived + ", acceptsBehind=" + acceptsBehind +
            ", entriesSuperseded=" + entriesSuperseded + ", malformedMessages=" + malformedMessages +
            ", commandsTooLarge=" + commandsTooLarge + ", commandsBusy=" + commandsBusy + ", redirects=" + redirects +
            ", entriesProposed=" + entriesProposed + ", acceptsSent=" + acceptsSent +
            ", entriesApplied=" + entriesApplied + ", sessionsExpired=" + sessionsExpired +
            ", sessionsRefused=" + sessionsRefused + ", commandsRejected=" + commandsRejected +
            ", preparesRefused=" + preparesRefused + ", candidaciesAbandoned=" + candidaciesAbandoned +
            ", requestsNotOwner=" + requestsNotOwner + ", requestsUnknownSession=" + requestsUnknownSession +
            ", sessionOpensOverCap=" + sessionOpensOverCap + '}';
    }
}
