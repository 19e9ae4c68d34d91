package io.synod.log;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared helpers of the log tests: deterministic entries derived from their slot, so any reader can check them.
 */
final class LogFixtures
{
    static final byte TYPE = 1;

    private LogFixtures()
    {
    }

    static MappedPaxosLog open(final Path directory, final int segmentLength, final DurabilityPolicy durability)
    {
        return MappedPaxosLog.open(new MappedLogConfig()
            .directory(directory)
            .segmentLength(segmentLength)
            .durability(durability)
            .maxPayloadLength(1024));
    }

    static int payloadLength(final long slot)
    {
        return (int)((slot * 7919) % 300);
    }

    static long ballotOf(final long slot)
    {
        return (slot / 10 + 1) << 16 | 1;
    }

    static void appendEntry(final PaxosLog log, final long slot, final UnsafeBuffer scratch)
    {
        final int length = payloadLength(slot);
        for (int i = 0; i < length; i++)
        {
            scratch.putByte(i, (byte)(slot + i * 31));
        }
        log.append(slot, ballotOf(slot), TYPE, slot * 3, slot * 5, slot * 7, scratch, 0, length);
    }

    static void appendEntries(final PaxosLog log, final long count)
    {
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[1024]);
        final long end = log.nextSlot() + count;
        for (long slot = log.nextSlot(); slot < end; slot++)
        {
            appendEntry(log, slot, scratch);
        }
    }

    /**
     * @return null if the entry at slot is the one {@link #appendEntry} wrote, else what differs.
     */
    static String checkEntry(final PaxosLog log, final long slot, final LogEntry entry)
    {
        if (!log.read(slot, entry))
        {
            return "slot " + slot + " not held (nextSlot=" + log.nextSlot() + ")";
        }
        if (entry.slot() != slot || entry.ballot() != ballotOf(slot) || entry.type() != TYPE ||
            entry.sessionId() != slot * 3 || entry.sequence() != slot * 5 || entry.timestamp() != slot * 7 ||
            entry.payloadLength() != payloadLength(slot))
        {
            return "slot " + slot + " has wrong header: " + entry;
        }
        for (int i = 0; i < entry.payloadLength(); i++)
        {
            if (entry.payload().getByte(i) != (byte)(slot + i * 31))
            {
                return "slot " + slot + " payload differs at byte " + i;
            }
        }
        return null;
    }

    static void assertEntries(final PaxosLog log, final long from, final long to)
    {
        final LogEntry entry = new LogEntry();
        for (long slot = from; slot < to; slot++)
        {
            final String problem = checkEntry(log, slot, entry);
            assertEquals(null, problem, problem);
        }
    }

    static Path segmentFile(final Path directory, final long ordinal)
    {
        return directory.resolve(String.format("segment-%020d.log", ordinal));
    }

    static long[] segmentOrdinals(final Path directory) throws IOException
    {
        try (var files = Files.list(directory))
        {
            return files.map(p -> p.getFileName().toString())
                .filter(n -> n.startsWith("segment-") && n.endsWith(".log"))
                .mapToLong(n -> Long.parseLong(n.substring(8, 28)))
                .sorted()
                .toArray();
        }
    }

    static void assertNoEntryAt(final PaxosLog log, final long slot)
    {
        assertTrue(!log.read(slot, new LogEntry()), "expected no entry at slot " + slot);
        assertEquals(PaxosLog.NO_BALLOT, log.ballotAt(slot));
    }
}
