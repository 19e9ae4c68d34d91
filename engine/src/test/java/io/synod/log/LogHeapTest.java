package io.synod.log;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heap a log uses does not grow with the entries it holds: heap used after a full GC is measured at 1 M and at
 * 4 M entries. Before the index and the in-memory entries moved off the heap, the 3 M entries between the two points
 * added at least 24 MB (8 bytes per slot); the bound is a third of that, far above the noise of a few collections.
 */
class LogHeapTest
{
    private static final int PAYLOAD_LENGTH = 8;
    private static final long FIRST_POINT = 1_000_000;
    private static final long SECOND_POINT = 4_000_000;
    private static final long MAX_GROWTH = 8L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void inMemoryLogHeapStaysFlatFromOneToFourMillionEntries()
    {
        final InMemoryPaxosLog log = new InMemoryPaxosLog(PAYLOAD_LENGTH);
        assertHeapFlat(log, "in-memory log");
        readBack(log);
    }

    @Test
    void mappedLogHeapStaysFlatFromOneToFourMillionEntries()
    {
        try (MappedPaxosLog log = MappedPaxosLog.open(new MappedLogConfig()
            .directory(dir.resolve("log"))
            .durability(DurabilityPolicy.NONE)
            .maxPayloadLength(PAYLOAD_LENGTH)))
        {
            assertHeapFlat(log, "mapped log");
            readBack(log);
        }
    }

    private static void assertHeapFlat(final PaxosLog log, final String what)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD_LENGTH]);
        appendUpTo(log, payload, FIRST_POINT);
        final long first = heapUsedAfterGc();
        appendUpTo(log, payload, SECOND_POINT);
        final long second = heapUsedAfterGc();
        System.out.println(what + ": heap used after GC " + first + " bytes at " + FIRST_POINT + " entries, " +
            second + " bytes at " + SECOND_POINT);
        assertEquals(SECOND_POINT, log.nextSlot());
        assertTrue(second - first < MAX_GROWTH, what + ": heap grew by " + (second - first) + " bytes from " +
            FIRST_POINT + " to " + SECOND_POINT + " entries; expected under " + MAX_GROWTH);
    }

    private static void appendUpTo(final PaxosLog log, final UnsafeBuffer payload, final long end)
    {
        for (long slot = log.nextSlot(); slot < end; slot++)
        {
            payload.putLong(0, slot);
            log.append(slot, 1, (byte)1, 7, slot, 0, payload, 0, PAYLOAD_LENGTH);
            if ((slot & 1023) == 1023)
            {
                log.commitIndex(slot + 1);
                log.sync();
            }
        }
    }

    private static void readBack(final PaxosLog log)
    {
        final LogEntry entry = new LogEntry();
        for (long slot = 0; slot < SECOND_POINT; slot += 99_991)
        {
            assertTrue(log.read(slot, entry), "slot " + slot);
            assertEquals(slot, entry.slot());
            assertEquals(slot, entry.payload().getLong(0), "payload of slot " + slot);
        }
    }

    /**
     * @return the least heap used seen after each of three full collections (System.gc() is a full collection with
     * every collector of the JDK unless explicitly disabled).
     */
    static long heapUsedAfterGc()
    {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++)
        {
            System.gc();
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }
}
