package io.synod.core;

import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.RedirectDecoder;
import io.synod.codecs.ResponseCode;
import io.synod.codecs.ResponseDecoder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Clients' view: sessions, exactly-once apply, redirects, limits. A single-node cluster chooses at once.
 */
class LearnerTest
{
    private final TestNode leader = new TestNode(0, 0);

    LearnerTest()
    {
        leader.tick(0);
        leader.tick(leader.node.config().electionTimeoutNs());
        leader.node.doWork();
    }

    @Test
    void retriedCommandIsAnsweredFromTheSessionRecordAndAppliedOnce()
    {
        final long session = openSession();
        leader.wire.command(session, 1, "inc".getBytes()).fromClient(leader.node, 9);
        leader.node.doWork();
        assertEquals(ResponseCode.OK, lastResponse().code());

        leader.wire.command(session, 1, "inc".getBytes()).fromClient(leader.node, 9);
        leader.node.doWork();

        final ResponseDecoder response = lastResponse();
        assertEquals(ResponseCode.OK, response.code(), "the stored response");
        assertEquals(List.of("inc"), leader.applied, "applied once");
    }

    @Test
    void sequenceAheadOfTheNextIsNotApplied()
    {
        final long session = openSession();
        leader.wire.command(session, 2, "skip".getBytes()).fromClient(leader.node, 9);
        leader.node.doWork();

        assertEquals(ResponseCode.SEQUENCE_GAP, lastResponse().code());
        assertEquals(List.of(), leader.applied);
    }

    @Test
    void commandForAnUnknownSessionIsRefused()
    {
        leader.wire.command(12345, 1, "x".getBytes()).fromClient(leader.node, 9);
        leader.node.doWork();

        assertEquals(ResponseCode.UNKNOWN_SESSION, lastResponse().code());
        assertEquals(List.of(), leader.applied);
    }

    @Test
    void oversizeCommandIsRefusedWithoutBeingProposed()
    {
        final long session = openSession();
        final long nextSlot = leader.log.nextSlot();
        leader.wire.command(session, 1, new byte[2000]).fromClient(leader.node, 9);

        assertEquals(ResponseCode.TOO_LARGE, lastResponse().code());
        assertEquals(nextSlot, leader.log.nextSlot());
        assertEquals(1, leader.node.counters().commandsTooLarge());
    }

    @Test
    void followerRedirectsToTheLeaderItFollows()
    {
        final TestNode follower = new TestNode(0, 0, 1, 2);
        follower.tick(0);
        follower.wire.heartbeat(2, TestNode.CLUSTER, Ballot.of(1, 2), true, 0).toPeer(follower.node);

        follower.wire.command(1, 1, "x".getBytes()).fromClient(follower.node, 9);

        final List<Wire.Sent> redirects = follower.outbox.take(RedirectDecoder.TEMPLATE_ID);
        assertEquals(1, redirects.size());
        final Wire.Sent sent = redirects.get(0);
        final RedirectDecoder redirect = Wire.decode(sent, header -> new RedirectDecoder().wrap(
            sent.buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version()));
        assertEquals(2, redirect.leaderNodeId());
    }

    @Test
    void sessionIdleLongerThanTheTimeoutInLogTimeExpires()
    {
        final long idle = openSession();
        final long timeout = leader.node.config().sessionTimeoutNs();

        leader.tick(timeout + TestNode.T); // the leader's clock moves; log time moves with the next entry
        final long busy = openSession();
        leader.wire.command(busy, 1, "tick".getBytes()).fromClient(leader.node, 9);
        leader.node.doWork();
        leader.outbox.clear();

        leader.wire.command(idle, 1, "late".getBytes()).fromClient(leader.node, 9);
        leader.node.doWork();

        assertEquals(ResponseCode.UNKNOWN_SESSION, lastResponse().code(), "expired by log time");
        assertEquals(List.of("tick"), leader.applied);
        assertEquals(1, leader.node.counters().sessionsExpired());
    }

    @Test
    void sessionOpenBeyondTheLimitIsRefused()
    {
        final TestNode small = new TestNode(0, TestNode.config(0, 0).maxSessions(2));
        small.tick(0);
        small.tick(small.node.config().electionTimeoutNs());
        small.node.doWork();
        for (int i = 0; i < 3; i++)
        {
            small.wire.sessionOpen(100 + i).fromClient(small.node, 9);
        }
        small.node.doWork();

        final List<Wire.Sent> responses = small.outbox.take(ResponseDecoder.TEMPLATE_ID);
        assertEquals(ResponseCode.TOO_MANY_SESSIONS, decode(responses.get(2)).code());
        assertEquals(2, small.node.sessionCount());
        assertEquals(1, small.node.counters().sessionsRefused());
    }

    @Test
    void requestsWithoutTheSessionsKeyAreRefusedBeforeTheLog()
    {
        final long session = openSession();
        leader.wire.command(session, 1, "mine".getBytes()).fromClient(leader.node, 9);
        leader.node.doWork();
        assertEquals(ResponseCode.OK, lastResponse().code());
        final long nextSlot = leader.node.log().nextSlot();

        leader.wire.command(session, 2, "forged".getBytes(), Wire.KEY + 1).fromClient(leader.node, 66);
        leader.node.doWork();
        assertEquals(ResponseCode.NOT_SESSION_OWNER, lastResponse().code(), "next sequence, wrong key");
        leader.wire.command(session, 1, "retry".getBytes(), Wire.KEY + 1).fromClient(leader.node, 66);
        leader.node.doWork();
        assertEquals(ResponseCode.NOT_SESSION_OWNER, lastResponse().code(), "a retry is not answered either");
        assertEquals(nextSlot, leader.node.log().nextSlot(), "nothing proposed");
        assertEquals(2, leader.node.counters().requestsNotOwner());

        leader.wire.command(session, 2, "mine too".getBytes()).fromClient(leader.node, 9);
        leader.node.doWork();
        assertEquals(ResponseCode.OK, lastResponse().code(), "the owner's next command");
        assertEquals(List.of("mine", "mine too"), leader.applied);
    }

    @Test
    void sessionOfAPrincipalIsRefusedToAnotherPrincipalWithTheKey()
    {
        leader.wire.sessionOpen(5, 1, Wire.KEY).fromClient(leader.node, 9, 1111);
        leader.node.doWork();
        final long session = lastResponse().sessionId();

        leader.wire.command(session, 1, "x".getBytes()).fromClient(leader.node, 10, 2222);
        leader.node.doWork();
        assertEquals(ResponseCode.NOT_SESSION_OWNER, lastResponse().code());
        leader.wire.command(session, 1, "x".getBytes()).fromClient(leader.node, 11, 1111);
        leader.node.doWork();
        assertEquals(ResponseCode.OK, lastResponse().code(), "same principal, another connection (a failover)");
    }

    @Test
    void commandForAnUnknownSessionNeverReachesTheLog()
    {
        final long session = openSession();
        leader.wire.command(session, 1, "x".getBytes()).fromClient(leader.node, 9);
        leader.node.doWork();
        leader.outbox.clear();
        final long nextSlot = leader.node.log().nextSlot();
        leader.wire.command(999_999, 1, "x".getBytes()).fromClient(leader.node, 9); // beyond the log
        leader.wire.command(session + 1, 1, "x".getBytes()).fromClient(leader.node, 9); // applied, a command's slot
        leader.node.doWork();
        assertEquals(nextSlot, leader.node.log().nextSlot(), "nothing proposed");
        assertEquals(2, leader.node.counters().requestsUnknownSession());
    }

    private long openSession()
    {
        leader.wire.sessionOpen(77).fromClient(leader.node, 9);
        leader.node.doWork();
        final ResponseDecoder response = lastResponse();
        assertEquals(ResponseCode.SESSION_OPENED, response.code());
        assertEquals(77, response.sequence(), "echoes the correlation id");
        return response.sessionId();
    }

    private ResponseDecoder lastResponse()
    {
        final List<Wire.Sent> responses = leader.outbox.take(ResponseDecoder.TEMPLATE_ID);
        final Wire.Sent sent = responses.get(responses.size() - 1);
        leader.outbox.clear();
        return decode(sent);
    }

    private static ResponseDecoder decode(final Wire.Sent sent)
    {
        return Wire.decode(sent, header -> new ResponseDecoder().wrap(
            sent.buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version()));
    }
}
