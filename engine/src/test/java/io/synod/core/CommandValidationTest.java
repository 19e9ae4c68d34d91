package io.synod.core;

import io.synod.ResponseWriter;
import io.synod.StateMachine;
import io.synod.codecs.EntryType;
import io.synod.log.LogEntry;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The state machine's leader-side validation: a refused command never enters the log nor any state machine, the
 * client gets REJECTED with the reason, the session goes on, and every node agrees on the session's sequence.
 */
class CommandValidationTest
{
    private static final UnsafeBuffer REASON = new UnsafeBuffer("no bad commands".getBytes(StandardCharsets.US_ASCII));

    /**
     * Applies text commands; validation refuses those starting "bad" with a reason, and throws for "boom".
     */
    static final class ValidatingStateMachine implements StateMachine
    {
        final List<String> applied = new ArrayList<>();
        int validations;

        public void apply(
            final long slot,
            final long timestamp,
            final DirectBuffer command,
            final int offset,
            final int length,
            final ResponseWriter response)
        {
            applied.add(TestNode.text(command, offset, length));
            response.put(command, offset, length);
        }

        public boolean validate(
            final long sessionId,
            final DirectBuffer command,
            final int offset,
            final int length,
            final ResponseWriter reason)
        {
            validations++;
            final String text = TestNode.text(command, offset, length);
            if (text.equals("boom"))
            {
                throw new IllegalArgumentException("validate blew up");
            }
            if (text.startsWith("bad"))
            {
                reason.put(REASON, 0, REASON.capacity());
                return false;
            }
            return true;
        }
    }

    private final List<ValidatingStateMachine> stateMachines = new ArrayList<>();

    private CoreCluster cluster(final int size)
    {
        return new CoreCluster(size, (id) ->
        {
            final ValidatingStateMachine stateMachine = new ValidatingStateMachine();
            stateMachines.add(stateMachine);
            return stateMachine;
        });
    }

    @Test
    void refusedCommandNeverReachesTheLogAndTheClientGetsRejectedWithTheReason()
    {
        final CoreCluster cluster = cluster(1);
        cluster.awaitLeader();
        final long session = PoisonCommandTest.openSession(cluster, 0);
        cluster.responses.clear();
        cluster.toNode(0, cluster.wire().command(session, 1, "good1".getBytes()));
        cluster.toNode(0, cluster.wire().command(session, 2, "bad-order".getBytes()));
        cluster.toNode(0, cluster.wire().command(session, 3, "good2".getBytes()));
        cluster.cycles(10);

        assertEquals(List.of(
            "OK session=" + session + " sequence=1 slot=1 payload=good1",
            "REJECTED session=" + session + " sequence=2 slot=-1 payload=no bad commands",
            "OK session=" + session + " sequence=3 slot=3 payload=good2"), cluster.responses,
            "pipelined: the session goes on after a refusal");
        assertEquals(List.of("good1", "good2"), stateMachines.get(0).applied, "the state machine never saw it");

        final LogEntry entry = new LogEntry();
        for (long slot = cluster.logs[0].firstSlot(); slot < cluster.logs[0].nextSlot(); slot++)
        {
            assertTrue(cluster.logs[0].read(slot, entry));
            assertFalse(TestNode.text(entry.payload(), 0, entry.payloadLength()).contains("bad-order"),
                "the command's bytes are not in the log, slot " + slot);
        }
        assertTrue(cluster.logs[0].read(2, entry));
        assertEquals(EntryType.REJECTED.value(), entry.type(), "a REJECTED entry uses up the sequence");
        assertEquals(2, entry.sequence());
        assertEquals(1, cluster.nodes[0].counters().commandsRejected());

        cluster.toNode(0, cluster.wire().command(session, 4, "bad-again".getBytes()));
        cluster.cycles(4);
        cluster.responses.clear();
        cluster.toNode(0, cluster.wire().command(session, 4, "bad-again".getBytes()));
        cluster.cycles(4);
        assertEquals(List.of("REJECTED session=" + session + " sequence=4 slot=-1 payload=no bad commands"),
            cluster.responses, "a retry of the session's last sequence is answered from its record");
        assertEquals(5, cluster.logs[0].nextSlot(), "and is not proposed again");
    }

    @Test
    void onlyTheLeaderValidatesAndEveryNodeAgreesOnTheSession()
    {
        final CoreCluster cluster = cluster(3);
        final int leader = cluster.awaitLeader();
        final long session = PoisonCommandTest.openSession(cluster, leader);
        cluster.responses.clear();
        cluster.toNode(leader, cluster.wire().command(session, 1, "bad".getBytes()));
        cluster.toNode(leader, cluster.wire().command(session, 2, "good".getBytes()));
        cluster.cycles(40);

        assertEquals(List.of(
            "REJECTED session=" + session + " sequence=1 slot=-1 payload=no bad commands",
            "OK session=" + session + " sequence=2 slot=2 payload=good"), cluster.responses);
        for (int i = 0; i < cluster.size; i++)
        {
            assertEquals(i == leader ? 2 : 0, stateMachines.get(i).validations, "validations on node " + i);
            assertEquals(List.of("good"), stateMachines.get(i).applied, "node " + i);
            assertEquals(1, cluster.nodes[i].counters().commandsRejected(), "node " + i);
            assertEquals(3, cluster.nodes[i].appliedIndex(), "node " + i);
        }
    }

    @Test
    void validateThatThrowsRefusesTheCommandAndTheNodeCarriesOn()
    {
        final CoreCluster cluster = cluster(1);
        cluster.awaitLeader();
        final long session = PoisonCommandTest.openSession(cluster, 0);
        cluster.responses.clear();
        cluster.toNode(0, cluster.wire().command(session, 1, "boom".getBytes()));
        cluster.toNode(0, cluster.wire().command(session, 2, "fine".getBytes()));
        cluster.cycles(10);

        assertEquals(List.of(
            "REJECTED session=" + session + " sequence=1 slot=-1 payload=",
            "OK session=" + session + " sequence=2 slot=2 payload=fine"), cluster.responses);
        assertEquals(1, cluster.errors.get(0).size());
        assertTrue(cluster.errors.get(0).get(0).getMessage().contains("validate threw"),
            cluster.errors.get(0).toString());
        assertFalse(cluster.nodes[0].isFailed());
    }
}
