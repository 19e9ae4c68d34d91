package io.synod.log;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InMemoryPaxosLogTest
{
    private final InMemoryPaxosLog log = new InMemoryPaxosLog(64, 1024);
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
    private final LogEntry entry = new LogEntry();

    @Test
    void appendsReadsAndSupersedesOneSlotLeavingTheOthers()
    {
        for (int slot = 0; slot < 5; slot++)
        {
            payload.putInt(0, slot);
            log.append(slot, 7, (byte)1, 3, slot + 1, 100 + slot, payload, 0, 4);
        }
        payload.putInt(0, 42);
        log.append(3, 9, (byte)1, 3, 4, 200, payload, 0, 4);

        assertEquals(5, log.nextSlot());
        log.read(3, entry);
        assertEquals(42, entry.payload().getInt(0));
        assertEquals(9, entry.ballot());
        log.read(4, entry);
        assertEquals(4, entry.payload().getInt(0));
        assertEquals(7, entry.ballot());
        log.read(2, entry);
        assertEquals(2, entry.payload().getInt(0));
        assertEquals(3, entry.sequence());
        assertEquals(102, entry.timestamp());
        assertFalse(log.read(5, entry));
    }

    @Test
    void refusesToCutChosenSlotsOrAppendOutOfOrder()
    {
        log.append(0, 7, (byte)1, 0, 0, 0, payload, 0, 1);
        log.commitIndex(1);

        assertThrows(IllegalArgumentException.class, () -> log.append(0, 9, (byte)1, 0, 0, 0, payload, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> log.append(5, 7, (byte)1, 0, 0, 0, payload, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> log.append(1, 7, (byte)1, 0, 0, 0, payload, 0, 65));
    }

    @Test
    void reclaimsSlotsDroppedBelowASnapshotWithoutLosingTheRest()
    {
        for (int slot = 0; slot < 10_000; slot++)
        {
            payload.putInt(0, slot);
            log.append(slot, 7, (byte)1, 0, 0, 0, payload, 0, 32);
            log.commitIndex(slot + 1);
            if (slot % 100 == 99)
            {
                log.truncateBelow(slot - 10);
            }
        }
        assertEquals(9_989, log.firstSlot());
        log.read(9_990, entry);
        assertEquals(9_990, entry.payload().getInt(0));
        assertEquals(-1, log.ballotAt(5));
    }
}
