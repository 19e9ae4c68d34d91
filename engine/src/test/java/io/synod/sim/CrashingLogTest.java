package io.synod.sim;

import io.synod.log.InMemoryPaxosLog;
import io.synod.log.PaxosLog;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The simulation's crash points: a budget of writes inside a cycle, and the power cut that keeps only what the last
 * completed sync made durable.
 */
class CrashingLogTest
{
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);

    @Test
    void crashesAtTheWriteAfterItsBudgetAndKeepsTheWritesBefore()
    {
        final InMemoryPaxosLog memory = new InMemoryPaxosLog(64);
        final CrashingLog log = new CrashingLog(3, memory, null);
        log.crashAfter(2);
        append(log, 0, 5);
        log.promisedBallot(5);
        final SimulatedCrash crash = assertThrows(SimulatedCrash.class, () -> append(log, 1, 5));
        assertEquals(2, crash.writesBefore);
        assertEquals(1, memory.nextSlot());
        assertEquals(5, memory.promisedBallot());
        assertFalse(log.isArmed(), "a crash disarms");
    }

    @Test
    void crashAtTheSyncComesAfterEveryWriteOfTheCycle()
    {
        final CrashingLog log = new CrashingLog(0, new InMemoryPaxosLog(64), null);
        log.crashAtNextSync();
        append(log, 0, 5);
        append(log, 1, 5);
        final SimulatedCrash crash = assertThrows(SimulatedCrash.class, log::sync);
        assertEquals("sync", crash.site());
        assertEquals(2, crash.writesBefore);
    }

    @Test
    void powerCutReplaysOnlyTheCallsUpToTheLastCompletedSync()
    {
        final DurableImage image = new DurableImage();
        final CrashingLog log = new CrashingLog(0, new InMemoryPaxosLog(64), image);
        log.promisedBallot(5);
        append(log, 0, 5);
        append(log, 1, 5);
        log.commitIndex(1);
        log.sync();
        log.promisedBallot(9);
        append(log, 2, 9);
        log.commitIndex(2);
        assertEquals(3, image.unsynced());

        final PaxosLog recovered = image.powerCut(new InMemoryPaxosLog(64));
        assertEquals(5, recovered.promisedBallot());
        assertEquals(2, recovered.nextSlot());
        assertEquals(1, recovered.commitIndex());
        assertEquals(5, recovered.ballotAt(1));
        assertEquals(0, image.unsynced());

        // The journal goes on from the durable state: a second cut keeps the first one's result plus new syncs.
        final CrashingLog again = new CrashingLog(0, recovered, image);
        append(again, 2, 7);
        again.sync();
        append(again, 3, 7);
        final PaxosLog second = image.powerCut(new InMemoryPaxosLog(64));
        assertEquals(3, second.nextSlot());
        assertEquals(7, second.ballotAt(2));
    }

    private void append(final PaxosLog log, final long slot, final long ballot)
    {
        payload.putLong(0, slot);
        log.append(slot, ballot, (byte)1, 0, slot, 0, payload, 0, 8);
    }
}
