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
    private final UnsafeBuffer sessionWindow = new UnsafeBuffer(new byte[Integer.BYTES]);

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
    void onMessage(final long clientId, final int templateId, final Role role, final long nowNs)
    {
        switch (templateId)
        {
            case SessionOpenDecoder.TEMPLATE_ID:
                onSessionOpen(clientId, in.sessionOpen, role, nowNs);
                break;

            case CommandDecoder.TEMPLATE_ID:
                onCommand(clientId, in.command, role, nowNs);
                break;

            case SessionCloseDecoder.TEMPLATE_ID:
                onSessionClose(clientId, in.sessionClose, role, nowNs);
                break;

            default:
                out.response(clientId, 0, 0, ResponseCode.MALFORMED);
                break;
        }
    }

    private void onSessionOpen(
        final long clientId, final SessionOpenDecoder sessionOpen, final Role role, final long nowNs)
    {
        final long correlationId = sessionOpen.correlationId();
        if (!acceptsProposals(clientId, 0, correlationId, role, nowNs))
        {
            return;
        }
        // The window granted is written into the entry, so every node keeps the same responses whatever its settings.
        final int requested = sessionOpen.window();
        final int window = requested < 1 ? 1 : Math.min(requested, config.maxSessionWindow());
        sessionWindow.putInt(0, window, ByteOrder.LITTLE_ENDIAN);
        final long slot = proposer.propose(
            (byte)EntryType.SESSION_OPEN.value(), 0, correlationId, sessionWindow, 0, Integer.BYTES, nowNs);
        learner.expectSessionOpen(slot, clientId);
    }

    private void onCommand(final long clientId, final CommandDecoder command, final Role role, final long nowNs)
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
        final long clientId, final SessionCloseDecoder sessionClose, final Role role, final long nowNs)
    {
        final long sessionId = sessionClose.sessionId();
        final long sequence = sessionClose.sequence();
        if (!acceptsProposals(clientId, sessionId, sequence, role, nowNs))
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
