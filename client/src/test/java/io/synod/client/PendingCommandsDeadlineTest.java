package io.synod.client;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application's per-command deadlines: who is told TIMED_OUT, when, and that the command stays.
 */
class PendingCommandsDeadlineTest
{
    private final PendingCommands pending = new PendingCommands(4);
    private final List<String> told = new ArrayList<>();
    private final ResponseListener listener = (sequence, code, slot, payload, offset, length) ->
        told.add(sequence + ":" + code);
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);

    @Test
    void onlyCommandsPastTheirDeadlineAreToldAndOnlyOnce()
    {
        assertEquals(1, pending.add(payload, 0, 8, listener, 0, 10));
        assertEquals(2, pending.add(payload, 0, 8, listener, 0, 20));
        assertEquals(3, pending.add(payload, 0, 8, listener, 0, PendingCommands.NO_DEADLINE));
        assertEquals(10, pending.nextDeadlineNs());

        assertEquals(1, pending.giveUp(15));
        assertEquals(List.of("1:TIMED_OUT"), told);
        assertEquals(20, pending.nextDeadlineNs());

        assertEquals(1, pending.giveUp(25));
        assertEquals(0, pending.giveUp(100), "told once");
        assertEquals(List.of("1:TIMED_OUT", "2:TIMED_OUT"), told);
        assertEquals(PendingCommands.NO_DEADLINE, pending.nextDeadlineNs());
        assertEquals(2, pending.commandsGivenUp());
        assertEquals(8, pending.length(1), "the command stays, to be sent until answered");
        assertEquals(3, pending.outstanding());

        assertTrue(pending.complete(1, ResponseCode.OK, 0, payload, 0, 30));
        assertEquals(List.of("1:TIMED_OUT", "2:TIMED_OUT"), told, "its listener is gone: its late answer tells no one");
    }
}
