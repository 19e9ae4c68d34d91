package io.synod.core;

import io.synod.Role;
import io.synod.ResponseWriter;
import io.synod.StateMachine;
import io.synod.codecs.CommandDecoder;
import io.synod.codecs.EntryType;
import io.synod.codecs.ResponseCode;
import io.synod.codecs.SessionCloseDecoder;
import io.synod.codecs.SessionOpenDecoder;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * A node's answer to client requests: the leader proposes them (a session open, a command, a session close), answers
 * a retried command from the session's record, and refuses what it cannot take now (BUSY when the window of unchosen
 * slots is full, TOO_LARGE); any other node redirects the client to the leader it follows. Answers for what is
 * applied come from the {@link Learner}.
 */
final class ClientRequests
{
    private final CoreConfig config;
    private final InboundMessages in;
    private final Election election;
    private final Proposer proposer;
    private final Learner learner;
    private final OutboundMessages out;
    private final CoreCounters counters;
    private final CommandValidation validation;
    private final UnsafeBuffer payload = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer sessionOpenPayload = new UnsafeBuffer(new byte[Learner.OPEN_PAYLOAD_LENGTH]);

    ClientRequests(
        final CoreConfig config,
        final InboundMessages in,
        final Election election,
        final Proposer proposer,
        final Learner learner,
        final OutboundMessages out,
        final CoreCounters counters,
        final StateMachine stateMachine,
        final ErrorHandler errorHandler)
    {
        this.config = config;
        this.in = in;
        this.election = election;
        this.proposer = proposer;
        this.learner = learner;
        this.out = out;
        this.counters = counters;
        this.validation = new CommandValidation(stateMachine, errorHandler, config.maxPayloadLength());
    }

    /**
     * A client request, decoded.
     *
     * @param templateId from {@link InboundMessages#decodeClient}, {@link InboundMessages#DROPPED} if malformed.
     * @param role       of this node now.
     */
    void onMessage(final long clientId, final long principal, final int templateId, final Role role, final long nowNs)
    {
        switch (templateId)
        {
            case SessionOpenDecoder.TEMPLATE_ID:
                onSessionOpen(clientId, principal, in.sessionOpen, role, nowNs);
                break;

            case CommandDecoder.TEMPLATE_ID:
                onCommand(clientId, principal, in.command, role, nowNs);
                break;

            case SessionCloseDecoder.TEMPLATE_ID:
                onSessionClose(clientId, principal, in.sessionClose, role, nowNs);
                break;

            default:
                out.response(clientId, 0, 0, ResponseCode.MALFORMED);
                break;
        }
    }

    private void onSessionOpen(
        final long clientId,
        final long principal,
        final SessionOpenDecoder sessionOpen,
        final Role role,
        final long nowNs)
    {
        final long correlationId = sessionOpen.correlationId();
        if (!acceptsProposals(clientId, 0, correlationId, role, nowNs))
        {
            return;
        }
        if (principal != SessionTable.ANONYMOUS &&
            learner.sessions().sessionsOf(principal) >= config.maxSessionsPerPrincipal())
        {
            // Leader-local admission, before the log; opens in flight are not counted (at most one window more).
            counters.sessionOpensOverCap++;
            out.response(clientId, 0, correlationId, ResponseCode.TOO_MANY_SESSIONS);
            return;
        }
        // The window granted and the owner are written into the entry, so every node keeps the same responses and
        // checks the same owner whatever its settings or its view of the client.
        final int requested = sessionOpen.window();
        final int window = requested < 1 ? 1 : Math.min(requested, config.maxSessionWindow());
        sessionOpenPayload.putInt(0, window, ByteOrder.LITTLE_ENDIAN);
        sessionOpenPayload.putLong(Integer.BYTES, sessionOpen.sessionKey(), ByteOrder.LITTLE_ENDIAN);
        sessionOpenPayload.putLong(Integer.BYTES + Long.BYTES, principal, ByteOrder.LITTLE_ENDIAN);
        final long slot = proposer.propose(
            (byte)EntryType.SESSION_OPEN.value(), 0, correlationId, sessionOpenPayload, 0,
            Learner.OPEN_PAYLOAD_LENGTH, nowNs);
        learner.expectSessionOpen(slot, clientId);
    }

    /**
     * Admission before the log, on the leader: the session must exist in the applied state and the request must
     * carry its key and come from its principal. See docs/protocol.md, "Admission before the log", for why deciding
     * on applied state is safe.
     *
     * @return true if the request may go on; false after answering it.
     */
    private boolean admits(
        final long clientId, final long principal, final long sessionId, final long sequence, final long key)
    {
        final SessionTable.Session session = learner.sessions().get(sessionId);
        if (session == null)
        {
            if (sessionId >= learner.appliedIndex() && sessionId < learner.nextSlot())
            {
                // Its open may be in the log, not yet applied here: not decidable now, and nothing enters the log.
                counters.commandsBusy++;
                out.response(clientId, sessionId, sequence, ResponseCode.BUSY);
            }
            else
            {
                // Below the applied index a session id is final (ids are slots, never reused); at or above the log's
                // end no client can have been told of it.
                counters.requestsUnknownSession++;
                out.response(clientId, sessionId, sequence, ResponseCode.UNKNOWN_SESSION);
            }
            return false;
        }
        // A session opened by a client of schema version 1 has no key: anyone may use it, as before (docs/security.md).
        if ((session.key != Learner.NO_KEY && session.key != key) || session.principal != principal)
        {
            counters.requestsNotOwner++;
            out.response(clientId, sessionId, sequence, ResponseCode.NOT_SESSION_OWNER);
            return false;
        }
        return true;
    }

    private void onCommand(
        final long clientId, final long principal, final CommandDecoder command, final Role role, final long nowNs)
    {
        final long sessionId = command.sessionId();
        final long sequence = command.sequence();
        final int length = command.payloadLength();
        if (length > config.maxPayloadLength())
        {
            counters.commandsTooLarge++;
            out.response(clientId, sessionId, sequence, ResponseCode.TOO_LARGE);
            return;
        }
        if (role == Role.LEADER)
        {
            if (!admits(clientId, principal, sessionId, sequence, command.sessionKey()))
            {
                return;
            }
            learner.routeSession(sessionId, clientId);
            if (learner.answerFromRecord(clientId, sessionId, sequence))
            {
                return;
            }
        }
        if (!acceptsProposals(clientId, sessionId, sequence, role, nowNs))
        {
            return;
        }
        command.wrapPayload(payload);
        if (!validation.accepts(sessionId, payload, length))
        {
            // The command stays out of the log; a REJECTED entry uses up its sequence alike on every node.
            final ResponseWriter reason = validation.reason();
            proposer.propose(
                (byte)EntryType.REJECTED.value(), sessionId, sequence, reason.buffer(), 0, reason.length(), nowNs);
            return;
        }
        proposer.propose((byte)EntryType.COMMAND.value(), sessionId, sequence, payload, 0, length, nowNs);
    }

    private void onSessionClose(
        final long clientId,
        final long principal,
        final SessionCloseDecoder sessionClose,
        final Role role,
        final long nowNs)
    {
        final long sessionId = sessionClose.sessionId();
        final long sequence = sessionClose.sequence();
        if (!acceptsProposals(clientId, sessionId, sequence, role, nowNs) ||
            !admits(clientId, principal, sessionId, sequence, sessionClose.sessionKey()))
        {
            return;
        }
        learner.routeSession(sessionId, clientId);
        proposer.propose((byte)EntryType.SESSION_CLOSE.value(), sessionId, sequence, payload, 0, 0, nowNs);
    }

    private boolean acceptsProposals(
        final long clientId, final long sessionId, final long sequence, final Role role, final long nowNs)
    {
        if (role != Role.LEADER)
        {
            counters.redirects++;
            // Only a leader heard within the election timeout: a stale one sends the client on a detour (issue 8).
            out.redirect(clientId, sessionId, sequence, role == Role.FOLLOWER ? election.liveLeaderId(nowNs) : -1);
            return false;
        }
        if (proposer.isWindowFull())
        {
            counters.commandsBusy++;
            out.response(clientId, sessionId, sequence, ResponseCode.BUSY);
            return false;
        }
        return true;
    }
}
