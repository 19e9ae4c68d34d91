package io.synod.core;

import io.synod.ResponseWriter;
import io.synod.StateMachine;
import io.synod.StateMachineFailedException;
import io.synod.codecs.EntryType;
import io.synod.codecs.ResponseCode;
import io.synod.log.LogEntry;
import io.synod.log.PaxosLog;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * The learner role: applies chosen entries in slot order to the session table and the user's state machine, and
 * answers the clients it knows.
 * <p>
 * Exactly once: a command is applied only if its sequence is the session's last applied sequence + 1. A retry of one
 * of the session's last window sequences is answered with its stored response; an older one gets DUPLICATE; a
 * sequence beyond the next gets SEQUENCE_GAP and is not applied. All of it depends only on the log, so every node
 * decides alike.
 * <p>
 * Fail-stop: the state machine's {@code apply} is called once per entry. If it throws, the learner keeps the failure,
 * does not count the slot as applied and applies nothing more; the node then stops (see {@link PaxosNode#isFailed()}).
 * Retrying would mutate the state again each time, and skipping would leave this copy different from the others.
 */
final class Learner
{
    private static final long NO_CLIENT = -1;
    /** A SESSION_OPEN entry's payload: window (int32), key (int64), principal (int64), little-endian. */
    static final int OPEN_PAYLOAD_LENGTH = Integer.BYTES + 2 * Long.BYTES;
    /** The key of a session opened by a client of schema version 1: the SBE null of the Command's sessionKey. */
    static final long NO_KEY = io.synod.codecs.CommandDecoder.sessionKeyNullValue();

    private final PaxosLog log;
    private final StateMachine stateMachine;
    private final OutboundMessages out;
    private final CoreCounters counters;
    private final long sessionTimeoutNs;
    private final int maxSessions;
    private final int nodeId;
    private final SessionTable sessions = new SessionTable();
    private final ResponseWriter responseWriter;
    private final LogEntry entry = new LogEntry();
    private final UnsafeBuffer windowGranted = new UnsafeBuffer(new byte[Integer.BYTES]);
    private final Long2LongHashMap pendingOpens = new Long2LongHashMap(NO_CLIENT);
    private final Long2LongHashMap sessionClients = new Long2LongHashMap(NO_CLIENT);
    private long appliedIndex;
    // Log time: the highest leader timestamp applied so far. State machines and session expiry see only this, so it
    // never goes backwards even where re-proposed values from overlapping leaders carry older stamps, and every node
    // computes the same value from the same chosen entries.
    private long logTime;
    private long nextExpiryCheck;
    private StateMachineFailedException failure;

    Learner(
        final PaxosLog log,
        final StateMachine stateMachine,
        final OutboundMessages out,
        final CoreCounters counters,
        final CoreConfig config)
    {
        this.log = log;
        this.stateMachine = stateMachine;
        this.out = out;
        this.counters = counters;
        this.sessionTimeoutNs = config.sessionTimeoutNs();
        this.maxSessions = config.maxSessions();
        this.nodeId = config.nodeId();
        this.responseWriter = new ResponseWriter(config.maxPayloadLength());
        this.appliedIndex = log.firstSlot();
    }

    /**
     * @return slots below this are applied.
     */
    long appliedIndex()
    {
        return appliedIndex;
    }

    SessionTable sessions()
    {
        return sessions;
    }

    /**
     * Remember which client to answer when the session open proposed at slot is applied.
     */
    void expectSessionOpen(final long slot, final long clientId)
    {
        pendingOpens.put(slot, clientId);
    }

    /**
     * Remember which client to answer for a session: the one that sent its latest request here.
     */
    void routeSession(final long sessionId, final long clientId)
    {
        sessionClients.put(sessionId, clientId);
    }

    /**
     * Answer a retried command from the session's record if it was applied already.
     *
     * @return true if answered.
     */
    boolean answerFromRecord(final long clientId, final long sessionId, final long sequence)
    {
        final SessionTable.Session session = sessions.get(sessionId);
        if (session == null || sequence > session.lastSequence || sequence < 1)
        {
            return false;
        }
        respondDuplicate(clientId, session, sequence);
        return true;
    }

    /**
     * @return what the state machine threw, null while it has not: once set, nothing more is applied.
     */
    StateMachineFailedException failure()
    {
        return failure;
    }

    /**
     * Apply chosen entries, at most limit of them; none once the state machine has thrown.
     *
     * @return how many were applied.
     */
    int applyChosen(final int limit)
    {
        final long commitIndex = log.commitIndex();
        int applied = 0;
        while (failure == null && appliedIndex < commitIndex && applied < limit)
        {
            if (!log.read(appliedIndex, entry))
            {
                throw new IllegalStateException("chosen slot " + appliedIndex + " missing from log " + log);
            }
            apply(entry);
            if (failure != null)
            {
                break; // the slot stays unapplied: appliedIndex names it
            }
            appliedIndex++;
            applied++;
        }
        counters.entriesApplied += applied;
        return applied;
    }

    private void apply(final LogEntry entry)
    {
        final long timestamp = entry.timestamp();
        if (timestamp > logTime)
        {
            logTime = timestamp;
        }

        switch (entry.type())
        {
            case 1: // EntryType.COMMAND
                applyCommand(entry);
                break;

            case 2: // EntryType.SESSION_OPEN
                applySessionOpen(entry);
                break;

            case 3: // EntryType.SESSION_CLOSE
                applySessionClose(entry);
                break;

            case 4: // EntryType.REJECTED: stands for a command the leader's validation refused
                applyRejection(entry);
                break;

            default: // EntryType.NOOP fills a gap
                break;
        }

        if (logTime >= nextExpiryCheck)
        {
            expireSessions();
        }
    }

    /**
     * @return the entry's session if the entry holds its next sequence, else null after answering the client.
     */
    private SessionTable.Session nextInSession(final LogEntry entry, final long clientId)
    {
        final long sessionId = entry.sessionId();
        final long sequence = entry.sequence();
        final SessionTable.Session session = sessions.get(sessionId);
        if (session == null)
        {
            respond(clientId, sessionId, sequence, ResponseCode.UNKNOWN_SESSION);
            return null;
        }

        session.lastActivityTimestamp = Math.max(session.lastActivityTimestamp, logTime);
        if (sequence <= session.lastSequence)
        {
            if (clientId != NO_CLIENT)
            {
                respondDuplicate(clientId, session, sequence);
            }
            return null;
        }
        if (sequence != session.lastSequence + 1)
        {
            respond(clientId, sessionId, sequence, ResponseCode.SEQUENCE_GAP);
            return null;
        }
        return session;
    }

    private void applyCommand(final LogEntry entry)
    {
        final long sessionId = entry.sessionId();
        final long sequence = entry.sequence();
        final long clientId = sessionClients.get(sessionId);
        final SessionTable.Session session = nextInSession(entry, clientId);
        if (session == null)
        {
            return;
        }

        responseWriter.reset();
        try
        {
            stateMachine.apply(
                entry.slot(), logTime, entry.payload(), 0, entry.payloadLength(), responseWriter);
        }
        catch (final Throwable ex)
        {
            // Caught whole (Errors too): whatever it was, this copy may now differ from the others.
            failure = new StateMachineFailedException(nodeId, entry.slot(), sessionId, sequence, ex);
            return;
        }
        session.recordResponse(
            sequence, entry.slot(), ResponseCode.OK, responseWriter.buffer(), responseWriter.length());
        if (clientId != NO_CLIENT)
        {
            out.response(
                clientId,
                sessionId,
                sequence,
                ResponseCode.OK,
                entry.slot(),
                responseWriter.buffer(),
                0,
                responseWriter.length());
        }
    }

    /**
     * The sequence is used up without touching the state machine; the reason is the answer, now and to a retry.
     */
    private void applyRejection(final LogEntry entry)
    {
        final long sessionId = entry.sessionId();
        final long sequence = entry.sequence();
        final long clientId = sessionClients.get(sessionId);
        final SessionTable.Session session = nextInSession(entry, clientId);
        if (session == null)
        {
            return;
        }
        session.recordResponse(sequence, -1, ResponseCode.REJECTED, entry.payload(), entry.payloadLength());
        counters.commandsRejected++;
        if (clientId != NO_CLIENT)
        {
            out.response(
                clientId, sessionId, sequence, ResponseCode.REJECTED, -1, entry.payload(), 0, entry.payloadLength());
        }
    }

    private void applySessionOpen(final LogEntry entry)
    {
        final long sessionId = entry.slot();
        final long clientId = pendingOpens.remove(entry.slot());
        if (sessions.size() >= maxSessions)
        {
            // Decided at apply, from replicated state only, so every node refuses the same opens.
            counters.sessionsRefused++;
            if (clientId != NO_CLIENT)
            {
                out.response(clientId, sessionId, entry.sequence(), ResponseCode.TOO_MANY_SESSIONS);
            }
            return;
        }
        final int window = sessionWindow(entry);
        // Owner from the entry alone (never this node's view of the client): every node, and any later leader,
        // checks the same key and principal. Entries before schema version 2 have neither: no key, anonymous.
        final boolean owned = entry.payloadLength() >= OPEN_PAYLOAD_LENGTH;
        final long key = owned ? entry.payload().getLong(Integer.BYTES, ByteOrder.LITTLE_ENDIAN) : NO_KEY;
        final long principal = owned ?
            entry.payload().getLong(Integer.BYTES + Long.BYTES, ByteOrder.LITTLE_ENDIAN) : SessionTable.ANONYMOUS;
        sessions.open(sessionId, logTime, window, key, principal);
        if (clientId != NO_CLIENT)
        {
            sessionClients.put(sessionId, clientId);
            windowGranted.putInt(0, window, ByteOrder.LITTLE_ENDIAN);
            out.response(
                clientId, sessionId, entry.sequence(), ResponseCode.SESSION_OPENED, entry.slot(), windowGranted, 0,
                Integer.BYTES);
        }
    }

    /**
     * The window the leader granted, from the entry alone (never this node's settings): every node keeps the same
     * responses. An entry of schema version 1 has no payload: window 1, the last response only.
     */
    static int sessionWindow(final LogEntry entry)
    {
        if (entry.payloadLength() < Integer.BYTES)
        {
            return 1;
        }
        final int window = entry.payload().getInt(0, ByteOrder.LITTLE_ENDIAN);
        return Math.max(1, Math.min(window, CoreConfig.MAX_SESSION_WINDOW_LIMIT));
    }

    private void applySessionClose(final LogEntry entry)
    {
        final long sessionId = entry.sessionId();
        final boolean closed = sessions.close(sessionId);
        final long clientId = sessionClients.remove(sessionId);
        respond(
            clientId,
            sessionId,
            entry.sequence(),
            closed ? ResponseCode.SESSION_CLOSED : ResponseCode.UNKNOWN_SESSION);
    }

    private void expireSessions()
    {
        final int expired = sessions.expire(logTime - sessionTimeoutNs);
        counters.sessionsExpired += expired;
        nextExpiryCheck = logTime + Math.max(1, sessionTimeoutNs / 8);
    }

    private void respondDuplicate(final long clientId, final SessionTable.Session session, final long sequence)
    {
        if (session.holdsResponse(sequence))
        {
            out.response(
                clientId,
                session.id,
                sequence,
                session.code(sequence),
                session.slot(sequence),
                session.response(sequence),
                0,
                session.responseLength(sequence));
        }
        else
        {
            out.response(clientId, session.id, sequence, ResponseCode.DUPLICATE);
        }
    }

    private void respond(final long clientId, final long sessionId, final long sequence, final ResponseCode code)
    {
        if (clientId != NO_CLIENT)
        {
            out.response(clientId, sessionId, sequence, code);
        }
    }

    /**
     * Forget the clients to answer: they reconnect to whichever node leads next.
     */
    void forgetClients()
    {
        pendingOpens.clear();
    }

    /** @return one past the last slot of the log: no session can have an id at or above it yet. */
    long nextSlot()
    {
        return log.nextSlot();
    }

    long logTime()
    {
        return logTime;
    }

    /** Keeps the switch above honest if the schema's codes move. */
    static
    {
        if (EntryType.COMMAND.value() != 1 || EntryType.SESSION_OPEN.value() != 2 ||
            EntryType.SESSION_CLOSE.value() != 3 || EntryType.NOOP.value() != 0 || EntryType.REJECTED.value() != 4)
        {
            throw new IllegalStateException("EntryType codes changed: update Learner.apply");
        }
    }
}
