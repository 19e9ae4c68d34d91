package io.synod.log;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The appending thread does not take a page fault per page of log: the next segment is mapped and its pages touched
 * on the preallocating thread, and the mapping handed over at the roll. Before, the node thread faulted on every
 * 4 KiB it appended (32,000 faults a second at window 1024 in the comparison harness, against 271 for Aeron
 * Cluster). Counted with the kernel's per-thread minor-fault counter, not timed.
 */
class MappedLogPageFaultTest
{
    private static final int SEGMENT_LENGTH = 4 * 1024 * 1024;
    private static final int PAYLOAD = 256;

    @TempDir
    Path dir;

    @Test
    void appendingThroughPreparedSegmentsTakesFewPageFaults() throws IOException
    {
        final Path stat = Path.of("/proc/thread-self/stat");
        assumeTrue(Files.isReadable(stat), "needs Linux's per-thread counters");
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD]);
        try (MappedPaxosLog log = LogFixtures.open(dir, SEGMENT_LENGTH, DurabilityPolicy.NONE))
        {
            final int perSegment = SEGMENT_LENGTH / (PAYLOAD + 64);
            append(log, payload, 2 * perSegment); // past the first segment, made on this thread, and warm
            final long faultsBefore = minorFaults(stat);
            append(log, payload, 4 * perSegment); // four more segments, each prepared off this thread
            final long faults = minorFaults(stat) - faultsBefore;
            final long pages = 4L * SEGMENT_LENGTH / 4096;
            // Without the hand-over: about one fault per 16 pages on ext4 (the kernel maps 16 at once around a
            // fault), one per page on tmpfs; with it, a dozen.
            assertTrue(faults < pages / 64, faults + " minor faults on the appending thread for " + pages +
                " pages of log");
        }
    }

    private static void append(final MappedPaxosLog log, final UnsafeBuffer payload, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final long slot = log.nextSlot();
            log.append(slot, 1, (byte)1, 2, 3, 4, payload, 0, PAYLOAD);
            if ((i & 1023) == 1023)
            {
                log.commitIndex(slot + 1);
                log.sync();
                log.truncateBelow(slot - 10);
            }
        }
    }

    /** Field 10 of /proc/thread-self/stat, after the command name (which may hold spaces) in parentheses. */
    private static long minorFaults(final Path stat) throws IOException
    {
        final String text = Files.readString(stat);
        final String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[7]);
    }
}
