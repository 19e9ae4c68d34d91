package io.synod.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * What a {@link MappedPaxosLog} checks about its directory before it recovers the records: that no other instance has
 * it open ({@value #LOCK_FILE_NAME}), which segment files it holds, that its metadata exists whenever segments do and
 * belongs to this cluster and node, and which boot of the host wrote it last.
 */
final class LogDirectory
{
    static final String LOCK_FILE_NAME = "log.lock";

    private LogDirectory()
    {
    }

    /**
     * Hold the directory's file lock for as long as the returned channel is open.
     *
     * @throws IllegalStateException if another process or log instance holds it.
     */
    static FileChannel lock(final Path directory) throws IOException
    {
        final FileChannel lockChannel = FileChannel.open(
            directory.resolve(LOCK_FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = null;
        try
        {
            lock = lockChannel.tryLock();
        }
        catch (final OverlappingFileLockException ignore)
        {
            // Held by another instance in this JVM: reported below like another process.
        }
        if (lock == null)
        {
            lockChannel.close();
            throw new IllegalStateException("log directory is in use by another log instance: " + directory);
        }
        return lockChannel;
    }

    /**
     * Open the metadata, creating it for a new log; refuse a directory whose metadata is gone while segments remain
     * (the promise would be forgotten) or that belongs to another cluster or node.
     */
    static LogMetadata openMetadata(
        final Path directory, final MappedLogConfig config, final int segmentFiles, final CRC32C crc)
    {
        if (!LogMetadata.exists(directory))
        {
            if (segmentFiles > 0)
            {
                throw new LogCorruptedException(directory.resolve(LogMetadata.FILE_NAME), 0, -1,
                    "the metadata file is missing but the directory holds " + segmentFiles + " segment file(s): " +
                    "this acceptor's promise is lost, so it must not start on this log (a node that lost its state " +
                    "rejoins with an empty log directory; see docs/log.md)");
            }
            return LogMetadata.create(directory, crc, config.clusterId(), config.nodeId(), config.bootstrap());
        }

        final LogMetadata existing = LogMetadata.open(directory, crc);
        if (isMismatch(config.clusterId(), existing.clusterId()) || isMismatch(config.nodeId(), existing.nodeId()))
        {
            existing.close();
            throw new IllegalStateException("log in " + directory + " belongs to cluster " + existing.clusterId() +
                " node " + existing.nodeId() + ", not to cluster " + config.clusterId() + " node " + config.nodeId() +
                ": refusing to start on another node's history");
        }
        return existing;
    }

    private static boolean isMismatch(final int configured, final int recorded)
    {
        return configured != LogMetadata.NO_ID && recorded != LogMetadata.NO_ID && configured != recorded;
    }

    /**
     * @return the ordinals of the segment files, sorted; leftover temporary segment and index chunk files are
     * deleted.
     */
    static long[] listSegments(final Path directory) throws IOException
    {
        long[] ordinals = new long[16];
        int count = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory))
        {
            for (final Path file : files)
            {
                final String name = file.getFileName().toString();
                if (LogSegment.isTempFile(name) || MappedChunks.isLeftover(name))
                {
                    Files.delete(file); // a segment whose pre-allocation was interrupted
                    continue;
                }
                final long ordinal = LogSegment.parseOrdinal(name);
                if (ordinal >= 0)
                {
                    if (count == ordinals.length)
                    {
                        ordinals = Arrays.copyOf(ordinals, count * 2);
                    }
                    ordinals[count++] = ordinal;
                }
            }
        }
        final long[] result = Arrays.copyOf(ordinals, count);
        Arrays.sort(result);
        return result;
    }

    /**
     * A hash of the kernel's boot id (Linux), 0 where there is none: tells a restart of the process from a restart of
     * the host.
     */
    static long currentBootId()
    {
        final Path bootIdFile = Path.of("/proc/sys/kernel/random/boot_id");
        try
        {
            if (Files.isReadable(bootIdFile))
            {
                final String text = Files.readString(bootIdFile).trim();
                final CRC32C hash = new CRC32C();
                hash.update(text.getBytes(StandardCharsets.US_ASCII));
                return (long)text.hashCode() << 32 | hash.getValue();
            }
        }
        catch (final IOException ignore)
        {
            // No boot id: host restarts cannot be told apart, as on other systems.
        }
        return 0;
    }

    /**
     * @return a segment ordinal as the int the slot index stores.
     * @throws IllegalStateException if it does not fit one.
     */
    static int ordinalIndex(final long ordinal)
    {
        if (ordinal < 0 || ordinal > Integer.MAX_VALUE)
        {
            throw new IllegalStateException("segment ordinal out of range: " + ordinal);
        }
        return (int)ordinal;
    }

    /**
     * Make file creations and deletions in the directory durable.
     */
    static void force(final Path directory)
    {
        try
        {
            LogSegment.forceDirectory(directory);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot force log directory " + directory, ex);
        }
    }
}
