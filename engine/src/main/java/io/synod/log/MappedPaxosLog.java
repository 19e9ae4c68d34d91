package io.synod.log;

import io.synod.codecs.LogRecordHeaderDecoder;
import io.synod.codecs.LogRecordHeaderEncoder;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A {@link PaxosLog} in memory-mapped segment files: records are written straight into the mapping and read in place
 * (zero copy), the promise and commit index live in a small metadata file, and what survives a crash is chosen by a
 * {@link DurabilityPolicy}.
 * <p>
 * Layout of the directory: {@code segment-<first slot, 20 digits>.log} files of
 * {@link MappedLogConfig#segmentLength()} bytes each, pre-allocated with zeroes; {@code metadata.dat} (see
 * {@link LogMetadata}); {@code log.lock}, held while open so two processes never share a log. A record never spans two
 * segments: when the next one does not fit, a new segment starts at its slot.
 * <p>
 * Recovery on {@link #open(MappedLogConfig)} scans every segment and verifies every checksum. A damaged record at the
 * tail of the last segment (a write torn by a crash) is cut and the bytes after it zeroed; a damaged record anywhere
 * else, or segments that do not join up, raise {@link LogCorruptedException}: the log is never silently shortened
 * below its tail.
 * <p>
 * Not thread safe: the protocol core is the single writer and reader. Appends and reads do not allocate; creating a
 * segment (once per segment length of records) does, and writes the whole segment's zeroes.
 */
public final class MappedPaxosLog implements PaxosLog
{
    private static final String LOCK_FILE_NAME = "log.lock";
    private static final int ZEROES_LENGTH = 64 * 1024;

    private final Path directory;
    private final int segmentLength;
    private final int maxPayloadLength;
    private final DurabilityPolicy durability;
    private final boolean force;
    private final CRC32C crc = new CRC32C();
    private final LogRecordHeaderEncoder headerEncoder = new LogRecordHeaderEncoder();
    private final LogRecordHeaderDecoder headerDecoder = new LogRecordHeaderDecoder();
    private final ByteBuffer zeroes = ByteBuffer.allocateDirect(ZEROES_LENGTH);
    private FileChannel lockChannel;
    private LogMetadata metadata;

    // Live segments in slot order; list index i holds the segment with ordinal baseOrdinal + i.
    private LogSegment[] segments = new LogSegment[8];
    private int segmentCount;
    private int baseOrdinal;

    // positions[slot - indexBase] = ordinal << 32 | offset of the slot's record.
    private long[] positions = new long[1024];
    private long indexBase;

    private long firstSlot;
    private long nextSlot;
    private long promisedBallot;
    private long commitIndex;
    // Not persisted on this branch: the metadata file will hold it (LogMetadata is being changed on main). Until then
    // a log recovered with any state (entries, promise or commit index) is taken as a voter's, as before the flag
    // existed, and a log created empty is not voting. A learner that crashes after storing entries therefore comes
    // back voting here; persisting the flag closes that gap.
    private boolean voting;
    private boolean closed;

    private MappedPaxosLog(final MappedLogConfig config)
    {
        directory = config.directory();
        segmentLength = config.segmentLength();
        maxPayloadLength = config.maxPayloadLength();
        durability = config.durability();
        force = durability == DurabilityPolicy.FORCE;
        try
        {
            Files.createDirectories(directory);
            lock();
            metadata = LogMetadata.open(directory, crc, force);
            recover();
        }
        catch (final IOException ex)
        {
            releaseResources();
            throw new UncheckedIOException("cannot open log in " + directory, ex);
        }
        catch (final RuntimeException ex)
        {
            releaseResources();
            throw ex;
        }
    }

    /**
     * Open the log in {@link MappedLogConfig#directory()}, creating it if absent, and recover it.
     *
     * @param config of the log, validated here.
     * @return the open log.
     * @throws IllegalArgumentException if the configuration is invalid.
     * @throws LogCorruptedException    if a record before the tail is damaged; see the class comment.
     * @throws UncheckedIOException     if the files cannot be created (e.g. the disk is full) or read.
     * @throws IllegalStateException    if another process or log instance has the directory open.
     */
    public static MappedPaxosLog open(final MappedLogConfig config)
    {
        return new MappedPaxosLog(config.conclude());
    }

    private void lock() throws IOException
    {
        lockChannel = FileChannel.open(
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
            throw new IllegalStateException("log directory is in use by another log instance: " + directory);
        }
    }

    private void recover() throws IOException
    {
        final long[] segmentSlots = listSegments();
        if (segmentSlots.length == 0)
        {
            indexBase = metadata.firstSlot();
            addSegment(LogSegment.create(directory, indexBase, segmentLength, force, zeroes));
            nextSlot = indexBase;
        }
        else
        {
            indexBase = segmentSlots[0];
            long expectedSlot = indexBase;
            for (int i = 0; i < segmentSlots.length; i++)
            {
                final boolean isLast = i == segmentSlots.length - 1;
                final Path file = directory.resolve(LogSegment.fileName(segmentSlots[i]));
                if (segmentSlots[i] != expectedSlot)
                {
                    throw new LogCorruptedException(file, 0, segmentSlots[i],
                        "segment starts at slot " + segmentSlots[i] + " but the previous one ends before slot " +
                        expectedSlot);
                }
                final LogSegment segment = LogSegment.open(file, segmentSlots[i], isLast ? segmentLength : 0, zeroes);
                addSegment(segment);
                expectedSlot = scan(segment, expectedSlot, isLast);
            }
            nextSlot = expectedSlot;
        }

        // A tail cut on recovery may leave the recorded commit index above nextSlot (NONE after a power cut: the
        // metadata page reached the disk, the segment pages did not). Entries we no longer hold cannot be known chosen
        // here; clamping keeps commitIndex <= nextSlot and the node re-learns them from the leader. Under FORCE this
        // cannot happen for acknowledged data: segments are forced before the metadata on every sync.
        commitIndex = Math.min(metadata.commitIndex(), nextSlot);
        firstSlot = Math.max(indexBase, Math.min(metadata.firstSlot(), commitIndex));
        commitIndex = Math.max(commitIndex, firstSlot);
        promisedBallot = metadata.promisedBallot();
        voting = nextSlot > firstSlot || firstSlot > 0 || promisedBallot > 0 || commitIndex > 0;
        if (commitIndex != metadata.commitIndex() || firstSlot != metadata.firstSlot())
        {
            metadata.write(promisedBallot, commitIndex, firstSlot);
        }
    }

    /**
     * Index the well-formed records of segment from its start.
     *
     * @return the slot after its last record.
     */
    private long scan(final LogSegment segment, final long fromSlot, final boolean isLast)
    {
        final int ordinal = baseOrdinal + segmentCount - 1;
        long slot = fromSlot;
        int offset = 0;
        int recordLength;
        while ((recordLength = segment.validRecordLength(crc, offset, slot)) > 0)
        {
            indexPosition(slot, ordinal, offset);
            slot++;
            offset += recordLength;
        }
        segment.limit(offset);

        final int end = segment.endOfNonZero(offset);
        if (end > offset)
        {
            if (!isLast)
            {
                throw new LogCorruptedException(segment.file(), offset, slot,
                    "damaged record in a segment that is not the last");
            }
            final int laterOffset = segment.findLaterRecord(crc, offset, slot - 1);
            if (laterOffset >= 0)
            {
                throw new LogCorruptedException(segment.file(), offset, slot,
                    "damaged record followed by a valid record at offset " + laterOffset);
            }
            // Torn tail: cut it and zero it so a later scan ends cleanly here.
            segment.zero(offset, end);
            if (force)
            {
                segment.force();
            }
        }
        return slot;
    }

    private long[] listSegments() throws IOException
    {
        long[] slots = new long[16];
        int count = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory))
        {
            for (final Path file : files)
            {
                final String name = file.getFileName().toString();
                if (LogSegment.isTempFile(name))
                {
                    Files.delete(file); // a segment whose pre-allocation was interrupted
                    continue;
                }
                final long slot = LogSegment.parseFirstSlot(name);
                if (slot >= 0)
                {
                    if (count == slots.length)
                    {
                        slots = Arrays.copyOf(slots, count * 2);
                    }
                    slots[count++] = slot;
                }
            }
        }
        final long[] result = Arrays.copyOf(slots, count);
        Arrays.sort(result);
        return result;
    }

    public long promisedBallot()
    {
        return promisedBallot;
    }

    public boolean voting()
    {
        return voting;
    }

    public void voting(final boolean voting)
    {
        this.voting = voting;
    }

    public void promisedBallot(final long ballot)
    {
        if (ballot < promisedBallot)
        {
            throw new IllegalArgumentException("promise may not go down: " + ballot + " < " + promisedBallot);
        }
        if (ballot != promisedBallot)
        {
            promisedBallot = ballot;
            metadata.write(promisedBallot, commitIndex, firstSlot);
        }
    }

    public long commitIndex()
    {
        return commitIndex;
    }

    public void commitIndex(final long commitIndex)
    {
        if (commitIndex < this.commitIndex || commitIndex > nextSlot)
        {
            throw new IllegalArgumentException(
                "commitIndex " + commitIndex + " outside [" + this.commitIndex + ", " + nextSlot + "]");
        }
        if (commitIndex != this.commitIndex)
        {
            this.commitIndex = commitIndex;
            metadata.write(promisedBallot, commitIndex, firstSlot);
        }
    }

    public long firstSlot()
    {
        return firstSlot;
    }

    public long nextSlot()
    {
        return nextSlot;
    }

    public long ballotAt(final long slot)
    {
        if (slot < firstSlot || slot >= nextSlot)
        {
            return NO_BALLOT;
        }
        final long position = positions[(int)(slot - indexBase)];
        return segmentOf(position).buffer().getLong((int)position + LogSegment.BALLOT_OFFSET);
    }

    public boolean read(final long slot, final LogEntry entry)
    {
        if (slot < firstSlot || slot >= nextSlot)
        {
            return false;
        }
        final long position = positions[(int)(slot - indexBase)];
        final LogSegment segment = segmentOf(position);
        final int offset = (int)position;
        final LogRecordHeaderDecoder header = headerDecoder;
        segment.wrapHeader(header, offset);
        entry.wrap(
            slot,
            header.ballot(),
            segment.buffer().getByte(offset + LogSegment.TYPE_OFFSET),
            header.sessionId(),
            header.sequence(),
            header.timestamp(),
            segment.buffer(),
            offset + LogSegment.HEADER_LENGTH,
            header.payloadLength());
        return true;
    }

    /**
     * {@inheritDoc}
     * <p>
     * When the record does not fit the current segment a new one is created first; if that fails (e.g. disk full) an
     * {@link UncheckedIOException} names the file and size, and the log is unchanged.
     */
    public void append(
        final long slot,
        final long ballot,
        final byte type,
        final long sessionId,
        final long sequence,
        final long timestamp,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        if (slot != nextSlot)
        {
            throw new IllegalArgumentException("append at slot " + slot + " but nextSlot is " + nextSlot);
        }
        if (payloadLength < 0 || payloadLength > maxPayloadLength)
        {
            throw new IllegalArgumentException(
                "payload length " + payloadLength + " outside [0, " + maxPayloadLength + "]");
        }

        LogSegment segment = segments[segmentCount - 1];
        if (!segment.fits(LogSegment.recordLength(payloadLength)))
        {
            segment = addSegment(LogSegment.create(directory, slot, segmentLength, force, zeroes));
        }
        final int offset = segment.limit();
        segment.append(
            headerEncoder, crc, slot, ballot, type, sessionId, sequence, timestamp, payload, payloadOffset, payloadLength);
        indexPosition(slot, baseOrdinal + segmentCount - 1, offset);
        nextSlot = slot + 1;
    }

    /**
     * {@inheritDoc}
     * <p>
     * Zeroes the cut records in their segment and deletes the segments after it (and that segment too if the cut
     * empties it and it is not the only one), so recovery cannot resurrect them; under {@link DurabilityPolicy#FORCE}
     * the cut is forced before returning.
     */
    public void truncateFrom(final long slot)
    {
        if (slot < commitIndex)
        {
            throw new IllegalArgumentException("cannot truncate chosen slot " + slot + " < commitIndex " + commitIndex);
        }
        if (slot >= nextSlot)
        {
            return;
        }
        final long position = positions[(int)(slot - indexBase)];
        final int offset = (int)position;
        final int holder = (int)(position >>> 32) - baseOrdinal;
        // A segment the cut empties is deleted too, unless it is the only one: no empty segment files linger.
        final int keep = offset == 0 && holder > 0 ? holder - 1 : holder;
        final boolean deleted = segmentCount - 1 > keep;
        while (segmentCount - 1 > keep)
        {
            segments[--segmentCount].closeAndDelete();
            segments[segmentCount] = null;
        }
        final LogSegment segment = segments[keep];
        if (keep == holder)
        {
            segment.zero(offset, segment.limit());
            segment.limit(offset);
        }
        nextSlot = slot;
        if (force)
        {
            segment.force();
            if (deleted)
            {
                forceDirectory();
            }
        }
    }

    /**
     * {@inheritDoc}
     * <p>
     * The new first slot is recorded in the metadata at once; whole segments below it are deleted, the segment that
     * holds it is kept.
     */
    public void truncateBelow(final long slot)
    {
        if (slot > commitIndex)
        {
            throw new IllegalArgumentException("cannot drop unchosen slot: " + slot + " > commitIndex " + commitIndex);
        }
        if (slot <= firstSlot)
        {
            return;
        }
        firstSlot = slot;
        metadata.write(promisedBallot, commitIndex, firstSlot);

        int dropped = 0;
        while (dropped < segmentCount - 1 && segments[dropped + 1].firstSlot() <= slot)
        {
            segments[dropped++].closeAndDelete();
        }
        if (dropped > 0)
        {
            System.arraycopy(segments, dropped, segments, 0, segmentCount - dropped);
            Arrays.fill(segments, segmentCount - dropped, segmentCount, null);
            segmentCount -= dropped;
            baseOrdinal += dropped;
        }

        final int droppedIndex = (int)(firstSlot - indexBase);
        if (droppedIndex >= positions.length / 2)
        {
            System.arraycopy(positions, droppedIndex, positions, 0, (int)(nextSlot - firstSlot));
            indexBase = firstSlot;
        }
    }

    public int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    /**
     * {@inheritDoc}
     * <p>
     * {@link DurabilityPolicy#NONE}: nothing to do. {@link DurabilityPolicy#FORCE}: force the written ranges of the
     * segments, then the metadata, so a durable commit index never points past durable entries.
     */
    public void sync()
    {
        if (force)
        {
            for (int i = 0; i < segmentCount; i++)
            {
                segments[i].force();
            }
            metadata.force();
        }
    }

    /**
     * Sync (under {@link DurabilityPolicy#FORCE}), unmap every file and release the directory. Idempotent.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            try
            {
                sync();
            }
            finally
            {
                releaseResources();
            }
        }
    }

    /** @return the directory holding the log. */
    public Path directory()
    {
        return directory;
    }

    /** @return the durability policy the log was opened with. */
    public DurabilityPolicy durability()
    {
        return durability;
    }

    /** @return the number of segment files the log holds. */
    public int segmentCount()
    {
        return segmentCount;
    }

    private void releaseResources()
    {
        for (int i = 0; i < segmentCount; i++)
        {
            segments[i].close();
            segments[i] = null;
        }
        segmentCount = 0;
        if (metadata != null)
        {
            metadata.close();
            metadata = null;
        }
        if (lockChannel != null)
        {
            try
            {
                lockChannel.close(); // releases the lock
            }
            catch (final IOException ignore)
            {
                // Nothing left to release.
            }
            lockChannel = null;
        }
    }

    private LogSegment addSegment(final LogSegment segment)
    {
        if (segmentCount == segments.length)
        {
            segments = Arrays.copyOf(segments, segmentCount * 2);
        }
        segments[segmentCount++] = segment;
        return segment;
    }

    private LogSegment segmentOf(final long position)
    {
        return segments[(int)(position >>> 32) - baseOrdinal];
    }

    private void indexPosition(final long slot, final int ordinal, final int offset)
    {
        final int index = (int)(slot - indexBase);
        if (index == positions.length)
        {
            positions = Arrays.copyOf(positions, positions.length * 2);
        }
        positions[index] = ((long)ordinal << 32) | offset;
    }

    private void forceDirectory()
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

    public String toString()
    {
        return "MappedPaxosLog{directory=" + directory + ", durability=" + durability + ", firstSlot=" + firstSlot +
            ", nextSlot=" + nextSlot + ", commitIndex=" + commitIndex + ", promisedBallot=" + promisedBallot +
            ", segments=" + segmentCount + '}';
    }
}
