package io.synod.log;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One round of a crash test: run a {@link LogWriterProcess}, collect its acknowledgements for a while, SIGKILL it.
 */
final class CrashRounds
{
    private CrashRounds()
    {
    }

    /**
     * @return the highest acknowledged slot, or -1 if none.
     */
    static long runAndKill(final Path directory, final DurabilityPolicy durability, final int segmentLength,
        final boolean superseding, final Path stderr, final long runMs) throws Exception
    {
        final Process process = LogWriterProcess.start(directory, durability, segmentLength, superseding, stderr);
        long highestAck = -1;
        long acks = 0;
        try
        {
            final BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(runMs);
            String line;
            while (System.nanoTime() < deadline && (line = reader.readLine()) != null)
            {
                highestAck = acknowledge(highestAck, line);
                acks++;
            }
            // SIGKILL: no shutdown hooks, no close(). Through the handle, which unlike Process leaves stdout open.
            process.toHandle().destroyForcibly();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "writer did not die after SIGKILL");
            // Lines already in the pipe were printed after their sync returned: acknowledged too.
            while ((line = reader.readLine()) != null)
            {
                if (!line.isBlank())
                {
                    highestAck = acknowledge(highestAck, line);
                    acks++;
                }
            }
        }
        finally
        {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        if (acks == 0)
        {
            fail("writer acknowledged nothing; its stderr: " + Files.readString(stderr));
        }
        return highestAck;
    }

    private static long acknowledge(final long highestAck, final String line)
    {
        return Math.max(highestAck, Long.parseLong(line.trim()));
    }

    /**
     * Reopen and check every acknowledged entry is present and intact, the commit index is no lower than the
     * writer's last (highest acknowledged slot + 1 - commitLag), and the recovered log reopens identically.
     *
     * @return the recovered nextSlot.
     */
    static long verify(final Path directory, final int segmentLength, final long highestAck, final long commitLag,
        final String context) throws IOException
    {
        final long nextSlot;
        try (MappedPaxosLog log = LogFixtures.open(directory, segmentLength, DurabilityPolicy.NONE))
        {
            nextSlot = log.nextSlot();
            assertTrue(nextSlot > highestAck,
                context + ": acknowledged slot " + highestAck + " lost, recovered nextSlot=" + nextSlot);
            assertTrue(log.commitIndex() >= highestAck + 1 - commitLag,
                context + ": commitIndex " + log.commitIndex() + " below acknowledged " + (highestAck + 1 - commitLag));
            LogFixtures.assertEntries(log, 0, nextSlot);
            assertFalse(log.read(nextSlot, new LogEntry()), context + ": entry after the tail");
        }
        try (MappedPaxosLog log = LogFixtures.open(directory, segmentLength, DurabilityPolicy.NONE))
        {
            assertEquals(nextSlot, log.nextSlot(), context + ": second recovery differs from the first");
        }
        return nextSlot;
    }
}
