package io.synod.client;

import io.synod.codecs.ResponseDecoder;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;

import java.nio.ByteOrder;

/**
 * The client protocol without I/O, for custom transports and deterministic tests: one exactly-once session with a
 * cluster, as etcd's {@code RawNode} is raft without threads. No Aeron, no clock of its own (every call takes
 * {@code nowNs}), no threads; one thread calls it. It encodes each message into its own buffer and hands the bytes
 * to a {@link ClientTransport}; the transport passes what members send to {@link #onEgress}. {@code SynodClient} is
 * this session over Aeron; the simulation drives it over its simulated network.
 * <p>
 * What it owns: the member it sends to, the window of commands sent and not answered ({@link PendingCommands}),
 * sequences 1, 2, 3..., opening and closing the session, and the rules that keep each command applied exactly once:
 * <ul>
 *     <li><b>silence</b>: no progress (a completion, the session opening, a failover) from the member in use for the
 *     response timeout while something is outstanding: move to the next member and resend the window from its
 *     oldest command, same sequences;</li>
 *     <li><b>redirect</b> from the member in use: move to the leader it names, or, if it names none (an election is
 *     under way), wait the retry delay and move to the next member;</li>
 *     <li><b>NewLeader</b>, if news by ballot ({@link LeaderView}): move to that leader at once;</li>
 *     <li><b>BUSY</b> (the leader's window is full): resend from that command after the retry delay;</li>
 *     <li><b>SEQUENCE_GAP</b> (an earlier command is missing at the leader): resend from the oldest unanswered, at
 *     most once per retry delay; a gap inside the delay is resent when it ends, unless a command completed;</li>
 *     <li>an answer for a sequence completes every earlier one (the session applies in order; their answers were
 *     lost): those are told DUPLICATE with slot -1;</li>
 *     <li>a command whose own deadline passes is told TIMED_OUT and stays in the window until answered;</li>
 *     <li>UNKNOWN_SESSION, TOO_LARGE or MALFORMED for an outstanding command ends the session ({@link State#FAILED});
 *     so does TOO_MANY_SESSIONS in answer to the open.</li>
 * </ul>
 * <pre>
 *   NEW --open--&gt; OPENING --SESSION_OPENED--&gt; OPEN ------------close-------------&gt; CLOSED
 *                    |                          |                                     ^
 *                    |                          UNKNOWN_SESSION, TOO_LARGE, MALFORMED  |
 *                    |                          v                                     |
 *                    +--TOO_MANY_SESSIONS----&gt; FAILED ------------close---------------+
 * </pre>
 * Allocation-free once each command slot of the window has grown to the commands' size.
 */
public final class ClientSession
{
    /** Where the session is in its life; see the class comment for the transitions. */
    public enum State
    {
        /** Made; {@link #open} not called yet. */
        NEW,
        /** SessionOpen sent, or to be sent, to the target member; waiting for SESSION_OPENED. */
        OPENING,
        /** Commands may be offered. */
        OPEN,
        /** The cluster refused or ended the session ({@link #failure()}); nothing more is sent. */
        FAILED,
        /** Closed by the application. Final. */
        CLOSED
    }

    /** Returned by {@link #offer} when the window is full. */
    public static final long WINDOW_FULL = -1;

    /** A deadline of never. */
    public static final long NO_DEADLINE = PendingCommands.NO_DEADLINE;

    private static final long NO_SESSION = -1; // session ids are slots, from 0

    private final int maxPayloadLength;
    private final long retryDelayNs;
    private final ClientTransport transport;
    private final SessionPublisher publisher;
    private final ErrorHandler errorHandler;
    private final PendingCommands pending;
    private final MemberTarget target;
    private final EgressAdapter egressAdapter = new EgressAdapter(new Egress());

    private State state = State.NEW;
    private ResponseCode failure;
    private long sessionId = NO_SESSION;
    private long openCorrelationId;
    private boolean openSent;
    private int window;
    private long lastGapResendNs;
    private boolean gapResendDue;
    private long nowNs;
    private long malformed;

    /**
     * @param memberIds         the cluster's member ids; a member's index in this array addresses it at the transport.
     * @param maxOutstanding    most commands sent and not answered, a power of two; the session asks the cluster for
     *                          a window of this many and uses what it grants.
     * @param maxPayloadLength  largest command accepted by {@link #offer}.
     * @param responseTimeoutNs silence from the member in use, while something is outstanding, before moving on.
     * @param retryDelayNs      wait after BUSY or a redirect naming no leader; least time between two resends for
     *                          SEQUENCE_GAP.
     * @param transport         sends the session's messages.
     * @param errorHandler      told when the session is lost and of malformed egress.
     */
    public ClientSession(
        final int[] memberIds,
        final int maxOutstanding,
        final int maxPayloadLength,
        final long responseTimeoutNs,
        final long retryDelayNs,
        final ClientTransport transport,
        final ErrorHandler errorHandler)
    {
        if (maxOutstanding < 1 || Integer.bitCount(maxOutstanding) != 1)
        {
            throw new IllegalArgumentException("maxOutstanding " + maxOutstanding + " must be a power of two >= 1");
        }
        this.target = new MemberTarget(memberIds, responseTimeoutNs, retryDelayNs);
        this.maxPayloadLength = maxPayloadLength;
        this.retryDelayNs = retryDelayNs;
        this.transport = transport;
        this.errorHandler = errorHandler;
        this.pending = new PendingCommands(maxOutstanding);
        this.window = maxOutstanding;
        this.publisher = new SessionPublisher(transport, maxPayloadLength);
    }

    /**
     * Start opening the session: SessionOpen goes to {@code memberIndex} on the next {@link #doWork}.
     *
     * @param correlationId names this client's open among others' (random in practice); the cluster echoes it.
     * @param memberIndex   the member to try first.
     * @param nowNs         now.
     */
    public void open(final long correlationId, final int memberIndex, final long nowNs)
    {
        if (state != State.NEW)
        {
            throw new IllegalStateException("open() in state " + state);
        }
        this.nowNs = nowNs;
        state = State.OPENING;
        openCorrelationId = correlationId;
        openSent = false;
        target.use(memberIndex, nowNs);
    }

    /**
     * Assign the command its sequence, keep a copy for resends, and send it if the session may send now.
     *
     * @param buffer     holding the command.
     * @param offset     of the command.
     * @param length     of the command, at most the session's maxPayloadLength.
     * @param listener   told the outcome (or TIMED_OUT once {@code deadlineNs} passes); may be null.
     * @param offeredNs  when the application offered it, for the latency histogram.
     * @param deadlineNs when the application stops waiting, {@link #NO_DEADLINE} for never.
     * @param nowNs      now.
     * @return the command's sequence, or {@link #WINDOW_FULL}.
     * @throws IllegalStateException    if the session is not open.
     * @throws IllegalArgumentException if the command is too long.
     */
    public long offer(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final ResponseListener listener,
        final long offeredNs,
        final long deadlineNs,
        final long nowNs)
    {
        if (state != State.OPEN)
        {
            throw new IllegalStateException(describeNotOpen());
        }
        checkLength(length, maxPayloadLength);
        if (pending.outstanding() >= window)
        {
            return WINDOW_FULL;
        }
        this.nowNs = nowNs;
        if (pending.outstanding() == 0)
        {
            target.progress(nowNs); // the response timeout runs from the first outstanding request
        }
        final long sequence = pending.add(buffer, offset, length, listener, offeredNs, deadlineNs);
        sendPending();
        return sequence;
    }

    /**
     * Time passes: move on after silence, tell TIMED_OUT to commands past their deadline, end a pause, send what
     * waits to be sent.
     *
     * @param nowNs now.
     * @return amount of work done, 0 if none.
     */
    public int doWork(final long nowNs)
    {
        this.nowNs = nowNs;
        if (state != State.OPENING && state != State.OPEN)
        {
            return 0;
        }
        int work = 0;
        if (hasOutstanding() && target.isSilent(nowNs))
        {
            failover(target.next());
            work++;
        }
        if (nowNs >= pending.nextDeadlineNs())
        {
            work += pending.giveUp(nowNs);
        }
        if (gapResendDue)
        {
            work += resendForGap();
        }
        final int afterPause = target.endPause(nowNs);
        if (afterPause != MemberTarget.STILL_PAUSED)
        {
            if (afterPause != MemberTarget.STAY)
            {
                failover(afterPause);
            }
            work++;
        }
        return work + sendPending();
    }

    /**
     * A message from a member (Response, Redirect or NewLeader), as the transport received it. Malformed messages
     * are counted, reported to the error handler and dropped.
     *
     * @param memberIndex the member that sent it.
     * @param buffer      holding the message, SBE header first.
     * @param offset      of the message.
     * @param length      of the message.
     * @param nowNs       now.
     */
    public void onEgress(
        final int memberIndex, final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        this.nowNs = nowNs;
        if (state != State.FAILED && state != State.CLOSED)
        {
            egressAdapter.onMessage(memberIndex, buffer, offset, length);
        }
    }

    /**
     * Close the session: SessionClose goes to the member in use, best effort and not awaited. Outstanding commands
     * are abandoned, their listeners not told.
     *
     * @param nowNs now.
     */
    public void close(final long nowNs)
    {
        this.nowNs = nowNs;
        if (state == State.OPEN)
        {
            publisher.sessionClose(target.index(), sessionId, pending.next());
        }
        state = State.CLOSED;
        sessionId = NO_SESSION;
    }

    private boolean hasOutstanding()
    {
        return state == State.OPENING || pending.outstanding() != 0;
    }

    private int resendForGap()
    {
        if (nowNs - lastGapResendNs <= retryDelayNs)
        {
            return 0;
        }
        gapResendDue = false;
        lastGapResendNs = nowNs;
        pending.resendFrom(pending.oldest());
        return 1;
    }

    private void failover(final int memberIndex)
    {
        target.moveTo(memberIndex, nowNs);
        openSent = false;
        gapResendDue = false;
        pending.resendFrom(pending.oldest());
        transport.onFailover(memberIndex);
    }

    private int sendPending()
    {
        if (target.isPaused())
        {
            return 0;
        }
        if (state == State.OPENING)
        {
            if (openSent)
            {
                return 0;
            }
            openSent = publisher.sessionOpen(target.index(), openCorrelationId, pending.capacity());
            return openSent ? 1 : 0;
        }
        int sent = 0;
        while (pending.nextToSend() < pending.next())
        {
            final long sequence = pending.nextToSend();
            if (!publisher.command(
                target.index(), sessionId, sequence, pending.payload(sequence), pending.length(sequence)))
            {
                break; // back-pressured or not connected: the next doWork tries again
            }
            pending.sent();
            sent++;
        }
        return sent;
    }

    private void onOpenAnswer(
        final int memberIndex, final ResponseCode code, final long openedSessionId, final DirectBuffer payload)
    {
        if (code == ResponseCode.TOO_MANY_SESSIONS)
        {
            fail(code); // the cluster is full: trying other nodes would not help
            return;
        }
        state = State.OPEN;
        sessionId = openedSessionId;
        if (payload.capacity() >= Integer.BYTES)
        {
            // The session keeps the responses of this many sequences: never have more outstanding, or a retry after
            // a failover could find its response gone (DUPLICATE).
            window = Math.max(1, Math.min(pending.capacity(), payload.getInt(0, ByteOrder.LITTLE_ENDIAN)));
        }
        target.use(memberIndex, nowNs);
    }

    private void fail(final ResponseCode code)
    {
        state = State.FAILED;
        failure = code;
        sessionId = NO_SESSION;
        pending.failAll(code);
        if (code != ResponseCode.TOO_MANY_SESSIONS) // a refused open is the opener's to report
        {
            errorHandler.onError(new IllegalStateException("session lost: " + code));
        }
    }

    static void checkLength(final int length, final int maxPayloadLength)
    {
        if (length > maxPayloadLength || length < 0)
        {
            throw new IllegalArgumentException(
                "command length " + length + " outside [0, maxPayloadLength " + maxPayloadLength + "]");
        }
    }

    /** @return why commands are not taken now: "client closed", "session lost: CODE", or the state. */
    public String describeNotOpen()
    {
        switch (state)
        {
            case CLOSED:
                return "client closed";
            case FAILED:
                return "session lost: " + failure;
            default:
                return "session not open: " + state;
        }
    }

    /** @return where the session is. */
    public State state()
    {
        return state;
    }

    /** @return why the session failed, null unless {@link State#FAILED}. */
    public ResponseCode failure()
    {
        return failure;
    }

    /** @return the session id (its SESSION_OPEN slot), -1 unless open. */
    public long sessionId()
    {
        return sessionId;
    }

    /** @return commands sent and not yet answered. */
    public int outstanding()
    {
        return pending.outstanding();
    }

    /** @return most commands outstanding: maxOutstanding, or less if the cluster granted less. */
    public int window()
    {
        return window;
    }

    /** @return the sequence the next offered command gets. */
    public long nextSequence()
    {
        return pending.next();
    }

    /** @return id of the member the session sends to. */
    public int targetNodeId()
    {
        return target.nodeId();
    }

    /** @return times the session moved to another member. */
    public long failovers()
    {
        return target.failovers();
    }

    /** @return times it moved because a NewLeader event named another member (counted in failovers too). */
    public long newLeaders()
    {
        return target.newLeaders();
    }

    /** @return redirects followed or waited on. */
    public long redirects()
    {
        return target.redirects();
    }

    /** @return commands sent again. */
    public long resends()
    {
        return pending.resends();
    }

    /** @return malformed messages received. */
    public long malformedMessages()
    {
        return malformed;
    }

    /** @return commands whose deadline passed before their outcome (told TIMED_OUT while outstanding). */
    public long commandsTimedOut()
    {
        return pending.commandsGivenUp();
    }

    /** @return end-to-end latency of every answered command (offer to response), in ns; the live histogram. */
    public Histogram latencyHistogram()
    {
        return pending.latency();
    }

    public String toString()
    {
        return "session=" + sessionId + ", state=" + state + ", target=" + target.nodeId() + ", outstanding=" +
            outstanding() + ", " + pending + ", failovers=" + target.failovers() + ", redirects=" + target.redirects();
    }

    /** Decoded egress, kept off the session's public surface. */
    private final class Egress implements EgressAdapter.Listener
    {
        public void onResponse(final int memberIndex, final ResponseDecoder response, final DirectBuffer payload)
        {
            final ResponseCode code = ResponseCode.of(response.code());
            final long sequence = response.sequence();
            if (code == ResponseCode.TOO_MANY_SESSIONS || code == ResponseCode.SESSION_OPENED)
            {
                if (state == State.OPENING && sequence == openCorrelationId)
                {
                    onOpenAnswer(memberIndex, code, response.sessionId(), payload);
                }
                return;
            }
            if (state != State.OPEN || response.sessionId() != sessionId)
            {
                return; // another session's, or an old one's
            }
            switch (code)
            {
                case OK:
                case DUPLICATE:
                case REJECTED: // final for its sequence, which the log used up: the session goes on
                    if (pending.complete(sequence, code, response.slot(), payload, payload.capacity(), nowNs))
                    {
                        target.progress(nowNs); // the failover timer runs from the last completion
                        gapResendDue = false; // commands get through: a remembered gap was one resend's echo
                    }
                    break;

                case SEQUENCE_GAP:
                    // An earlier command is missing at the leader (dropped with an old leader, or refused BUSY):
                    // resend from the oldest unanswered, at most once per retry delay as the gaps of one round
                    // arrive together. A gap inside the delay is remembered: if the resend was lost too, nothing
                    // else would resend before the response timeout, which moves away from a working leader.
                    if (sequence >= pending.oldest())
                    {
                        gapResendDue = true;
                        resendForGap();
                    }
                    break;

                case BUSY:
                    if (sequence >= pending.oldest() && sequence < pending.nextToSend())
                    {
                        pending.resendFrom(sequence);
                        target.pauseToResend(nowNs);
                    }
                    break;

                case UNKNOWN_SESSION:
                case TOO_LARGE:
                case MALFORMED:
                    if (pending.isOutstanding(sequence))
                    {
                        fail(code);
                    }
                    break;

                default:
                    break;
            }
        }

        public void onRedirect(final int memberIndex, final int leaderNodeId)
        {
            if (memberIndex != target.index() || !hasOutstanding())
            {
                return; // a stale redirect from a node we already left
            }
            final int leaderIndex = target.onRedirect(leaderNodeId, nowNs);
            if (leaderIndex != MemberTarget.STAY)
            {
                failover(leaderIndex);
            }
        }

        public void onNewLeader(final int memberIndex, final int leaderNodeId, final long ballot)
        {
            final int leaderIndex = target.onNewLeader(memberIndex, leaderNodeId, ballot);
            if (leaderIndex != MemberTarget.STAY)
            {
                failover(leaderIndex); // resends the window at once: the session's record answers what was applied
            }
        }

        public void onMalformed(final int memberIndex, final String reason)
        {
            malformed++;
            errorHandler.onError(
                new IllegalArgumentException("from node " + target.nodeId(memberIndex) + ": " + reason));
        }
    }
}
