package io.synod.client;

import io.synod.codecs.CommandDecoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.MessageHeaderEncoder;
import io.synod.codecs.NewLeaderEncoder;
import io.synod.codecs.RedirectEncoder;
import io.synod.codecs.ResponseCode;
import io.synod.codecs.ResponseEncoder;
import io.synod.codecs.SessionCloseDecoder;
import io.synod.codecs.SessionOpenDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The client protocol, message by message, without a network: a script of what members answer and what the session
 * sends back. Members 10, 11, 12 at indexes 0, 1, 2; response timeout 100, retry delay 10 (ns of the script's clock).
 */
class ClientSessionTest
{
    private static final long TIMEOUT = 100;
    private static final long RETRY = 10;
    private static final long CORRELATION = 77;
    private static final long SESSION = 5;

    private final List<String> sent = new ArrayList<>();
    private final List<String> told = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private boolean backPressured;
    private final ClientTransport transport = new ClientTransport()
    {
        public boolean send(final int memberIndex, final DirectBuffer buffer, final int offset, final int length)
        {
            if (backPressured)
            {
                return false;
            }
            sent.add(describe(memberIndex, buffer, offset));
            return true;
        }
    };
    private final ResponseListener listener = (sequence, code, slot, payload, offset, length) ->
        told.add(sequence + ":" + code + (slot >= 0 ? "@" + slot : ""));
    private final ClientSession session = new ClientSession(
        new int[]{ 10, 11, 12 }, 4, 64, TIMEOUT, RETRY, transport, error -> errors.add(error.getMessage()));
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[8]);
    private final UnsafeBuffer egress = new UnsafeBuffer(new byte[256]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private long now = 1_000;

    @Test
    void opensAtTheMemberGivenAndKeepsToTheWindowTheClusterGrants()
    {
        assertEquals(2, MemberTarget.likeliestLeader(new int[]{ 10, 11, 12 }));
        session.open(CORRELATION, 2, now);
        assertEquals(ClientSession.State.OPENING, session.state());
        session.doWork(now);
        assertEquals(List.of("12 SessionOpen(77, window 4)"), takeSent());

        opened(2, 2);
        assertEquals(ClientSession.State.OPEN, session.state());
        assertEquals(SESSION, session.sessionId());
        assertEquals(2, session.window());
        assertEquals(1, offer());
        assertEquals(2, offer());
        assertEquals(ClientSession.WINDOW_FULL, offer());
        assertEquals(List.of("12 Command(5, 1)", "12 Command(5, 2)"), takeSent());

        respond(2, 1, ResponseCode.OK);
        assertEquals(List.of("1:OK@101"), told);
        assertEquals(3, offer(), "room again");
    }

    @Test
    void aRedirectNamingTheLeaderMovesThereAndResendsTheWindowWithTheSameSequences()
    {
        openAt(0);
        offer();
        offer();
        takeSent();

        redirect(0, 12);
        assertEquals(1, session.failovers());
        assertEquals(1, session.redirects());
        assertEquals(12, session.targetNodeId());
        session.doWork(now);
        assertEquals(List.of("12 Command(5, 1)", "12 Command(5, 2)"), takeSent());

        redirect(0, 12);
        assertEquals(1, session.redirects(), "a late redirect from the member already left is ignored");
    }

    @Test
    void aRedirectNamingNoLeaderWaitsTheRetryDelayThenTriesTheNextMember()
    {
        openAt(0);
        offer();
        takeSent();

        redirect(0, -1);
        session.doWork(now + RETRY - 1);
        assertEquals(List.of(), takeSent(), "an election is under way: wait");
        session.doWork(now + RETRY);
        assertEquals(List.of("11 Command(5, 1)"), takeSent());
    }

    @Test
    void busyResendsFromThatCommandAfterTheRetryDelay()
    {
        openAt(2);
        offer();
        offer();
        offer();
        takeSent();

        respond(2, 2, ResponseCode.BUSY);
        assertEquals(List.of(), told, "BUSY is the session's to retry, never the application's");
        session.doWork(now + RETRY - 1);
        assertEquals(List.of(), takeSent());
        session.doWork(now + RETRY);
        assertEquals(List.of("12 Command(5, 2)", "12 Command(5, 3)"), takeSent());
        assertEquals(2, session.resends());
    }

    @Test
    void aSequenceGapResendsFromTheOldestAtMostOncePerRetryDelay()
    {
        openAt(2);
        offer();
        offer();
        offer();
        takeSent();

        now += RETRY + 1;
        respond(2, 2, ResponseCode.SEQUENCE_GAP);
        respond(2, 3, ResponseCode.SEQUENCE_GAP); // the same round's second gap
        session.doWork(now);
        assertEquals(List.of("12 Command(5, 1)", "12 Command(5, 2)", "12 Command(5, 3)"), takeSent());

        now += RETRY + 1;
        respond(2, 3, ResponseCode.SEQUENCE_GAP);
        session.doWork(now);
        assertEquals(3, takeSent().size(), "a later round resends again");
    }

    @Test
    void aGapInsideTheRetryDelayIsResentWhenTheDelayEndsIfNothingCompleted()
    {
        openAt(2);
        offer();
        offer();
        offer();
        takeSent();

        now += RETRY + 1;
        respond(2, 2, ResponseCode.SEQUENCE_GAP);
        session.doWork(now);
        assertEquals(3, takeSent().size(), "the first gap resends at once");

        now += 1;
        respond(2, 3, ResponseCode.SEQUENCE_GAP); // the resent 1 was lost again: 2 and 3 still find a gap
        session.doWork(now);
        assertEquals(List.of(), takeSent(), "not within the retry delay");
        session.doWork(now + RETRY);
        assertEquals(List.of("12 Command(5, 1)", "12 Command(5, 2)", "12 Command(5, 3)"), takeSent(),
            "when it ends, not after the response timeout and a move away from the leader");
        assertEquals(0, session.failovers());
    }

    @Test
    void aCompletionCancelsTheDeferredGapResend()
    {
        openAt(2);
        offer();
        offer();
        takeSent();

        now += RETRY + 1;
        respond(2, 2, ResponseCode.SEQUENCE_GAP);
        session.doWork(now);
        takeSent();
        respond(2, 2, ResponseCode.SEQUENCE_GAP); // the same round's second gap
        respond(2, 1, ResponseCode.OK); // the resend got through
        session.doWork(now + RETRY + 1);
        assertEquals(List.of(), takeSent());
    }

    @Test
    void silenceMovesToTheNextMemberAndResendsTheWindow()
    {
        openAt(2);
        offer();
        offer();
        takeSent();

        session.doWork(now + TIMEOUT);
        assertEquals(List.of(), takeSent(), "not yet");
        session.doWork(now + TIMEOUT + 1);
        assertEquals(List.of("10 Command(5, 1)", "10 Command(5, 2)"), takeSent());
        assertEquals(1, session.failovers());

        session.doWork(now + 2 * TIMEOUT + 2);
        assertEquals(List.of("11 Command(5, 1)", "11 Command(5, 2)"), takeSent(), "and on round the members");
    }

    @Test
    void silenceWhileOpeningTriesTheNextMemberWithTheSameCorrelationId()
    {
        session.open(CORRELATION, 1, now);
        session.doWork(now);
        session.doWork(now + TIMEOUT + 1);
        assertEquals(List.of("11 SessionOpen(77, window 4)", "12 SessionOpen(77, window 4)"), takeSent());
    }

    @Test
    void anAnswerCompletesEveryEarlierCommandAsDuplicate()
    {
        openAt(2);
        offer();
        offer();
        offer();

        respond(2, 2, ResponseCode.OK);
        assertEquals(List.of("1:DUPLICATE", "2:OK@102"), told, "the session applies in order: 1 was applied");
        assertEquals(1, session.outstanding());
        respond(2, 1, ResponseCode.OK);
        assertEquals(2, told.size(), "a retry's second answer tells no one");
    }

    @Test
    void aDeadlineTellsTimedOutOnceAndTheCommandStaysUntilAnswered()
    {
        openAt(2);
        session.offer(command, 0, 8, listener, now, now + 50, now);
        takeSent();

        session.doWork(now + 50);
        assertEquals(List.of("1:TIMED_OUT"), told);
        assertEquals(1, session.commandsTimedOut());
        assertEquals(1, session.outstanding(), "its sequence is in use: later commands need it answered");

        session.doWork(now + TIMEOUT + 1);
        assertEquals(List.of("10 Command(5, 1)"), takeSent(), "still sent until answered");
        respond(0, 1, ResponseCode.OK);
        assertEquals(List.of("1:TIMED_OUT"), told, "told nothing more");
        assertEquals(0, session.outstanding());
    }

    @Test
    void aNewLeaderEventMovesAtOnceUnlessStale()
    {
        openAt(0);
        offer();
        takeSent();

        newLeader(2, 12, 20);
        assertEquals(12, session.targetNodeId());
        assertEquals(1, session.newLeaders());
        session.doWork(now);
        assertEquals(List.of("12 Command(5, 1)"), takeSent());

        newLeader(1, 10, 20);
        assertEquals(12, session.targetNodeId(), "a follower's word at the known ballot is not news");
    }

    @Test
    void unknownSessionEndsTheSessionAndTellsEveryOutstandingCommand()
    {
        openAt(2);
        offer();
        offer();

        respond(2, 1, ResponseCode.UNKNOWN_SESSION);
        assertEquals(ClientSession.State.FAILED, session.state());
        assertEquals(List.of("1:UNKNOWN_SESSION", "2:UNKNOWN_SESSION"), told);
        assertEquals(List.of("session lost: UNKNOWN_SESSION"), errors);
        final IllegalStateException refused = assertThrows(IllegalStateException.class, this::offer);
        assertEquals("session lost: UNKNOWN_SESSION", refused.getMessage());
        assertEquals(0, session.doWork(now + 10 * TIMEOUT), "a failed session sends nothing");
    }

    @Test
    void aFullClusterRefusesTheOpen()
    {
        session.open(CORRELATION, 0, now);
        session.doWork(now);
        response(0, -1, CORRELATION, ResponseCode.TOO_MANY_SESSIONS, -1, -1);
        assertEquals(ClientSession.State.FAILED, session.state());
        assertEquals(io.synod.client.ResponseCode.TOO_MANY_SESSIONS, session.failure());
    }

    @Test
    void backPressureKeepsCommandsForTheNextDoWork()
    {
        openAt(2);
        backPressured = true;
        assertEquals(1, offer(), "the sequence is assigned even if the send must wait");
        backPressured = false;
        session.doWork(now);
        assertEquals(List.of("12 Command(5, 1)"), takeSent());
    }

    @Test
    void closeSendsSessionCloseWithTheNextSequence()
    {
        openAt(2);
        offer();
        takeSent();
        session.close(now);
        assertEquals(List.of("12 SessionClose(5, 2)"), takeSent());
        assertEquals(ClientSession.State.CLOSED, session.state());
        assertEquals("client closed", assertThrows(IllegalStateException.class, this::offer).getMessage());
    }

    private void openAt(final int memberIndex)
    {
        session.open(CORRELATION, memberIndex, now);
        session.doWork(now);
        opened(memberIndex, 4);
        takeSent();
    }

    private long offer()
    {
        return session.offer(command, 0, 8, listener, now, ClientSession.NO_DEADLINE, now);
    }

    private void opened(final int memberIndex, final int window)
    {
        response(memberIndex, SESSION, CORRELATION, ResponseCode.SESSION_OPENED, 0, window);
    }

    private void respond(final int memberIndex, final long sequence, final ResponseCode code)
    {
        response(memberIndex, SESSION, sequence, code, code == ResponseCode.OK ? 100 + sequence : -1, -1);
    }

    private void response(
        final int memberIndex,
        final long sessionId,
        final long sequence,
        final ResponseCode code,
        final long slot,
        final int window)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[Integer.BYTES]);
        payload.putInt(0, window, ByteOrder.LITTLE_ENDIAN);
        final ResponseEncoder response = new ResponseEncoder().wrapAndApplyHeader(egress, 0, header)
            .sessionId(sessionId).sequence(sequence).code(code).slot(slot)
            .putPayload(payload, 0, window < 0 ? 0 : Integer.BYTES);
        session.onEgress(memberIndex, egress, 0, MessageHeaderEncoder.ENCODED_LENGTH + response.encodedLength(), now);
    }

    private void redirect(final int memberIndex, final int leaderNodeId)
    {
        final RedirectEncoder redirect = new RedirectEncoder().wrapAndApplyHeader(egress, 0, header)
            .sessionId(SESSION).sequence(1).leaderNodeId(leaderNodeId);
        session.onEgress(memberIndex, egress, 0, MessageHeaderEncoder.ENCODED_LENGTH + redirect.encodedLength(), now);
    }

    private void newLeader(final int memberIndex, final int leaderNodeId, final long ballot)
    {
        final NewLeaderEncoder event = new NewLeaderEncoder().wrapAndApplyHeader(egress, 0, header)
            .leaderNodeId(leaderNodeId).ballot(ballot);
        session.onEgress(memberIndex, egress, 0, MessageHeaderEncoder.ENCODED_LENGTH + event.encodedLength(), now);
    }

    private List<String> takeSent()
    {
        final List<String> taken = new ArrayList<>(sent);
        sent.clear();
        return taken;
    }

    private static String describe(final int memberIndex, final DirectBuffer buffer, final int offset)
    {
        final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder().wrap(buffer, offset);
        final String to = (10 + memberIndex) + " ";
        switch (headerDecoder.templateId())
        {
            case SessionOpenDecoder.TEMPLATE_ID:
                final SessionOpenDecoder open =
                    new SessionOpenDecoder().wrapAndApplyHeader(buffer, offset, headerDecoder);
                return to + "SessionOpen(" + open.correlationId() + ", window " + open.window() + ")";
            case CommandDecoder.TEMPLATE_ID:
                final CommandDecoder command = new CommandDecoder().wrapAndApplyHeader(buffer, offset, headerDecoder);
                return to + "Command(" + command.sessionId() + ", " + command.sequence() + ")";
            case SessionCloseDecoder.TEMPLATE_ID:
                final SessionCloseDecoder close =
                    new SessionCloseDecoder().wrapAndApplyHeader(buffer, offset, headerDecoder);
                return to + "SessionClose(" + close.sessionId() + ", " + close.sequence() + ")";
            default:
                return to + "template " + headerDecoder.templateId();
        }
    }
}
