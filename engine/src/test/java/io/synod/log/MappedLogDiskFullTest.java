package io.synod.log;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A full disk must fail when a segment is created, with a message naming the file and size, never as a SIGBUS while
 * writing into a sparse mapping. Runs on a small tmpfs mounted for the test, so needs root and mount.
 */
class MappedLogDiskFullTest
{
    private static final int SEGMENT = 1024 * 1024;

    @TempDir
    Path dir;

    private Path mountPoint;
    private boolean mounted;

    @BeforeEach
    void mountSmallFileSystem() throws Exception
    {
        assumeTrue(SystemCommands.isRoot(), "needs root to mount a small tmpfs");
        mountPoint = Files.createDirectory(dir.resolve("mnt"));
        final SystemCommands.Result result = SystemCommands.run(
            "mount", "-t", "tmpfs", "-o", "size=2600k", "synod-test", mountPoint.toString());
        assumeTrue(result.ok(), "cannot mount a tmpfs here: " + result.output());
        mounted = true;
    }

    @AfterEach
    void unmount()
    {
        if (mounted)
        {
            final SystemCommands.Result result = SystemCommands.run("umount", mountPoint.toString());
            assertTrue(result.ok(), "umount failed: " + result.output());
        }
    }

    @Test
    void openFailsClearlyWhenTheFirstSegmentDoesNotFit()
    {
        final Path logDir = mountPoint.resolve("log");
        final UncheckedIOException ex = assertThrows(UncheckedIOException.class, () -> MappedPaxosLog.open(
            new MappedLogConfig().directory(logDir).segmentLength(4 * SEGMENT).maxPayloadLength(1024)));
        final String message = ex.getCause().getMessage();
        assertTrue(message.contains("segment-00000000000000000000.log") && message.contains("4194304 bytes"), message);
        assertTrue(Files.notExists(logDir.resolve("segment-00000000000000000000.log.tmp")), "temp file left behind");
    }

    @Test
    void rollOverFailsClearlyAndLeavesTheLogUsable() throws Exception
    {
        final Path logDir = mountPoint.resolve("log");
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[1024]);
        try (MappedPaxosLog log = MappedPaxosLog.open(
            new MappedLogConfig().directory(logDir).segmentLength(SEGMENT).maxPayloadLength(1024)))
        {
            UncheckedIOException failure = null;
            long slot = 0;
            while (failure == null && slot < 10_000)
            {
                try
                {
                    log.append(slot, 1, (byte)1, 0, 0, 0, payload, 0, 1024);
                    slot++;
                }
                catch (final UncheckedIOException ex)
                {
                    failure = ex;
                }
            }
            assertTrue(failure != null, "expected the disk to fill");
            final String message = failure.getCause().getMessage();
            assertTrue(message.contains("segment-" + String.format("%020d", 2) + ".log") &&
                message.contains(SEGMENT + " bytes"), message);
            assertEquals(slot, log.nextSlot(), "a failed append must leave the log unchanged");
            assertEquals(2, log.segmentCount());
            LogEntry entry = new LogEntry();
            assertTrue(log.read(slot - 1, entry));

            // Compaction frees a segment; the append then succeeds.
            log.commitIndex(slot);
            log.truncateBelow(slot);
            log.sync();
            log.append(slot, 1, (byte)1, 0, 0, 0, payload, 0, 1024);
            entry = new LogEntry();
            assertTrue(log.read(slot, entry));
        }
        try (var files = Files.list(logDir))
        {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".tmp")), "temp file left behind");
        }
    }
}
