package io.synod.core;

import io.synod.codecs.AcceptedDecoder;
import io.synod.codecs.BooleanType;
import io.synod.codecs.PromiseDecoder;
import io.synod.log.LogEntry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acceptor: promises, accepts, and learns what is chosen.
 */
class AcceptorTest
{
    private final TestNode acceptor = new TestNode(0, 0, 1, 2);
    private final long b1 = Ballot.of(1, 1);
    private final long b2 = Ballot.of(2, 2);

    AcceptorTest()
    {
        acceptor.tick(0);
    }

    @Test
    void promiseReportsEverythingAcceptedFromTheLeadersFirstUnchosenSlot()
    {
        acceptor.wire.accept(1, b1, 0, 0, "a", "b", "c").toPeer(acceptor.node);
        acceptor.tick(acceptor.node.config().electionTimeoutNs()); // leader 1 falls silent: its lease ends
        acceptor.outbox.clear();

        acceptor.wire.prepare(2, b2, 1).toPeer(acceptor.node);

        assertEquals(b2, acceptor.log.promisedBallot(), "promise recorded before replying");
        final List<Wire.Sent> promises = acceptor.outbox.take(PromiseDecoder.TEMPLATE_ID);
        assertEquals(1, promises.size());
        final PromiseDecoder promise = Wire.promise(promises.get(0));
        assertEquals(BooleanType.TRUE, promise.noMoreAccepted());
        final PromiseDecoder.EntriesDecoder entries = promise.entries();
        assertEquals(2, entries.count(), "slots 1 and 2, not 0");
        entries.next();
        assertEquals(1, entries.slot());
        assertEquals(b1, entries.ballot());
    }

    @Test
    void commitIndexMarksChosenOnlyTheEntriesCarryingTheSendersBallot()
    {
        acceptor.wire.accept(1, b1, 0, 0, "a", "b").toPeer(acceptor.node);
        acceptor.wire.prepare(2, b2, 0).toPeer(acceptor.node);
        acceptor.wire.accept(2, b2, 0, 0, "a").toPeer(acceptor.node);
        // Now slot 0 holds b2's value and slot 1 still b1's; b2 says slots below 2 are chosen.
        acceptor.wire.heartbeat(2, TestNode.CLUSTER, b2, true, 2).toPeer(acceptor.node);

        assertEquals(1, acceptor.node.commitIndex(), "slot 1 holds another ballot's value: not known chosen here");
    }

    @Test
    void acceptAfterALostBatchAsksTheLeaderToGoBack()
    {
        acceptor.wire.accept(1, b1, 0, 0, "a", "b").toPeer(acceptor.node);
        acceptor.outbox.clear();

        acceptor.wire.accept(1, b1, 4, 0, "e").toPeer(acceptor.node); // slots 2 and 3 never arrived

        final AcceptedDecoder accepted = Wire.accepted(acceptor.outbox.take(AcceptedDecoder.TEMPLATE_ID).get(0));
        assertEquals(BooleanType.TRUE, accepted.behind());
        assertEquals(1, accepted.lastSlot(), "resend from slot 2");
        assertEquals(2, acceptor.log.nextSlot(), "nothing written past the gap");
    }

    @Test
    void higherBallotReplacesASlotAndKeepsTheAcceptedEntriesAfterIt()
    {
        acceptor.wire.accept(1, b1, 0, 0, "a", "b", "c").toPeer(acceptor.node);

        acceptor.wire.accept(2, b2, 0, 0, "x").toPeer(acceptor.node);

        final LogEntry entry = new LogEntry();
        acceptor.log.read(0, entry);
        assertEquals(b2, entry.ballot());
        assertEquals(3, acceptor.log.nextSlot(), "slots 1 and 2 are still accepted: they may have been chosen");
        acceptor.log.read(2, entry);
        assertEquals(b1, entry.ballot());
        assertEquals("c", TestNode.text(entry.payload(), 0, entry.payloadLength()));
    }

    @Test
    void duplicateAcceptChangesNothing()
    {
        acceptor.wire.accept(1, b1, 0, 0, "a", "b").toPeer(acceptor.node);
        acceptor.wire.accept(1, b1, 0, 0, "a", "b").toPeer(acceptor.node);

        assertEquals(2, acceptor.log.nextSlot());
        final List<Wire.Sent> replies = acceptor.outbox.take(AcceptedDecoder.TEMPLATE_ID);
        assertEquals(1, Wire.accepted(replies.get(1)).lastSlot());
    }

    /**
     * Simulation seed 4283: a stale leader's Success answered with Accepted let it count this acceptor's chosen
     * prefix as accepted under its old ballot. Below the promise, a Success is answered with Rejected.
     */
    @Test
    void successBelowThePromiseIsRejectedNotAccepted()
    {
        acceptor.wire.prepare(2, b2, 0).toPeer(acceptor.node);
        acceptor.outbox.clear();

        acceptor.wire.success(1, b1, 0, 1, "a").toPeer(acceptor.node);

        assertTrue(acceptor.outbox.take(AcceptedDecoder.TEMPLATE_ID).isEmpty(), "no Accepted for b1");
        assertEquals(1, acceptor.outbox.take(io.synod.codecs.RejectedDecoder.TEMPLATE_ID).size());
        assertEquals(1, acceptor.log.commitIndex(), "the chosen entry itself is taken");
    }
}
