package io.synod.log;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Steady state (no segment created) appends, reads, syncs, commit index updates and compaction allocate nothing.
 * Measured with the JVM's per-thread allocation counter, not timed.
 */
class MappedLogAllocationTest
{
    private static final int ROUNDS = 20_000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DurabilityPolicy.class)
    void steadyStateOperationsDoNotAllocate(final DurabilityPolicy durability)
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs com.sun.management.ThreadMXBean");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "thread allocation counter not supported");

        final UnsafeBuffer payload = new UnsafeBuffer(new byte[32]);
        final LogEntry entry = new LogEntry();
        try (MappedPaxosLog log = LogFixtures.open(dir, 64 * 1024 * 1024, durability))
        {
            final int syncEvery = durability == DurabilityPolicy.FORCE ? 1024 : 64;
            // Warm up: index growth to its steady size, class loading and compilation (seen to take two rounds).
            for (int attempt = 0; attempt < 4; attempt++)
            {
                exercise(log, payload, entry, ROUNDS, syncEvery);
            }
            final long before = threads.getCurrentThreadAllocatedBytes();
            exercise(log, payload, entry, ROUNDS, syncEvery);
            exercise(log, payload, entry, ROUNDS, syncEvery);
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            // Under one byte a round: an allocation on the path (16 bytes or more an object) shows as many times the
            // round count, while the JVM's occasional one-off (compilation) allocations of a few hundred bytes do not.
            assertTrue(allocated < 2 * ROUNDS, durability + ": " + allocated + " bytes allocated by " + (2 * ROUNDS) +
                " rounds");
        }
    }

    private static void exercise(
        final MappedPaxosLog log, final UnsafeBuffer payload, final LogEntry entry, final int rounds, final int syncEvery)
    {
        for (int i = 0; i < rounds; i++)
        {
            final long slot = log.nextSlot();
            log.append(slot, 1, (byte)1, 2, 3, 4, payload, 0, 32);
            log.read(slot, entry);
            log.ballotAt(slot);
            if (i % syncEvery == syncEvery - 1)
            {
                log.promisedBallot(log.promisedBallot() + 1);
                log.commitIndex(slot + 1);
                log.sync();
                log.truncateBelow(slot - 10);
            }
        }
    }
}
