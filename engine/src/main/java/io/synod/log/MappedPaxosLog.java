package io.synod.log;

import io.synod.codecs.LogRecordHeaderDecoder;
import io.synod.codecs.LogRecordHeaderEncoder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A {@link PaxosLog} in memory-mapped segment files: records are written straight into the mapping and read in place
 * (zero copy), the promise, commit index and synced mark live in a small metadata file, and what survives a crash is
 * chosen by a {@link DurabilityPolicy}.
 * <p>
 * Layout of the directory: {@code segment-<ordinal, 20 digits>.log} files of {@link MappedLogConfig#segmentLength()}
 * bytes each, pre-allocated with zeroes (see {@link LogSegment}); {@code metadata.dat} (see {@link LogMetadata});
 * {@code log.lock}, held while open so two processes never share a log. A record never spans two segments.
 * <p>
 * Append only: accepting a slot already held (a higher ballot, or the chosen value) writes a new record after all
 * others and points the index at it; the superseded record stays in its segment. Nothing is ever cut or zeroed while
 * the log runs, so no accepted record is destroyed before its replacement is durable, whatever the instant of a crash.
 * <p>
 * {@link #sync()} writes the metadata (promise, commit index, first slot, voting flag) together with the synced mark:
 * the segment and offset up to which records were written. Under {@link DurabilityPolicy#FORCE} the segments are forced
 * before the metadata is written and the metadata after. Recovery on {@link #open(MappedLogConfig)} reads every record
 * up to the mark of the newest valid metadata copy, verifying every checksum, and keeps the last record of each slot:
 * the state of the last completed sync. Anything after the mark was never acknowledged (messages leave only after the
 * sync); it is cut, whatever it looks like (a torn record, pages written back out of order). A damaged record before
 * the mark raises {@link LogCorruptedException} naming file, offset and slot: the log is never silently shortened.
 * <p>
 * The log refuses to open when its metadata is missing while segments exist (the promise would be forgotten), and
 * when it belongs to another cluster or node ({@link MappedLogConfig#clusterId(int)}, {@link MappedLogConfig#nodeId(int)}).
 * <p>
 * Not thread safe: the protocol core is the single writer and reader. Appends and reads do not allocate; a segment
 * roll (once per segment length of records) does a little, and the next segment's zeroes are written ahead of time on
 * a background thread ({@link SegmentPreallocator}), which touches only that file. The slot index ({@link SlotIndex})
 * is rebuilt by recovery and lives off the heap, its next chunk mapped ahead on another ({@link MappedChunks}).
 */
public final class MappedPaxosLog implements PaxosLog
{
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
    private final SegmentPreallocator preallocator;
    private FileChannel lockChannel;
    private LogMetadata metadata;

    // Live segments in ordinal order; list index i holds the segment with ordinal baseOrdinal + i.
    private LogSegment[] segments = new LogSegment[8];
    private int segmentCount;
    private int baseOrdinal;

    private final SlotIndex index;

    private long firstSlot;
    private long nextSlot;
    private long promisedBallot;
    private long commitIndex;
    private boolean voting;
    private boolean dirty;
    private boolean closed;
    private String rejoinReason;

    private MappedPaxosLog(final MappedLogConfig config)
    {
        directory = config.directory();
        segmentLength = config.segmentLength();
        maxPayloadLength = config.maxPayloadLength();
        durability = config.durability();
        force = durability == DurabilityPolicy.FORCE;
        preallocator = new SegmentPreallocator(directory, segmentLength, force);
        index = new SlotIndex(new MappedChunks(directory, MappedChunks.indexChunkLength(segmentLength)));
        try
        {
            Files.createDirectories(directory);
            lockChannel = LogDirectory.lock(directory);
            final long[] ordinals = LogDirectory.listSegments(directory);
            metadata = LogDirectory.openMetadata(directory, config, ordinals.length, crc);
            recover(ordinals);
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
     * @throws LogCorruptedException    if a record before the synced mark is damaged, the metadata is missing while
     *                                  segments exist, or the files do not join up; see the class comment.
     * @throws IllegalStateException    if the log belongs to another cluster or node, or another process or log
     *                                  instance has the directory open.
     * @throws UncheckedIOException     if the files cannot be created (e.g. the disk is full) or read.
     */
    public static MappedPaxosLog open(final MappedLogConfig config)
    {
        return new MappedPaxosLog(config.conclude());
    }

    private void recover(final long[] ordinals) throws IOException
    {
        final long markOrdinal = metadata.syncedOrdinal();
        final int markOffset = Math.max(metadata.syncedOffset(), LogSegment.SEGMENT_HEADER_LENGTH);
        final Path metadataFile = metadata.file();
        if (ordinals.length == 0)
        {
            if (markOffset > LogSegment.SEGMENT_HEADER_LENGTH)
            {
                throw new LogCorruptedException(directory.resolve(LogSegment.fileName(markOrdinal)), markOffset, -1,
                    "segment " + markOrdinal + " holds synced records but is missing");
            }
            index.reset(metadata.firstSlot());
            nextSlot = index.base();
            baseOrdinal = LogDirectory.ordinalIndex(markOrdinal);
            addSegment(LogSegment.create(directory, markOrdinal, nextSlot, segmentLength, force, zeroes));
        }
        else
        {
            final long first = ordinals[0];
            for (int i = 0; i < ordinals.length; i++)
            {
                if (ordinals[i] != first + i)
                {
                    throw new LogCorruptedException(directory.resolve(LogSegment.fileName(first + i)), 0, -1,
                        "segment " + (first + i) + " is missing between segments " + first + " and " +
                        ordinals[ordinals.length - 1]);
                }
            }
            if (markOrdinal < first || markOrdinal > ordinals[ordinals.length - 1])
            {
                throw new LogCorruptedException(metadataFile, 0, -1, "the synced mark is in segment " + markOrdinal +
                    " but the directory holds segments " + first + " to " + ordinals[ordinals.length - 1]);
            }
            // Segments created after the last sync hold nothing acknowledged.
            for (int i = ordinals.length - 1; ordinals[i] > markOrdinal; i--)
            {
                Files.delete(directory.resolve(LogSegment.fileName(ordinals[i])));
            }

            baseOrdinal = LogDirectory.ordinalIndex(first);
            for (long ordinal = first; ordinal <= markOrdinal; ordinal++)
            {
                final boolean isMark = ordinal == markOrdinal;
                final Path file = directory.resolve(LogSegment.fileName(ordinal));
                final LogSegment segment = LogSegment.open(file, ordinal, isMark ? segmentLength : 0, zeroes);
                addSegment(segment);
                if (ordinal == first)
                {
                    index.reset(segment.baseSlot());
                    nextSlot = index.base();
                }
                scan(segment, isMark ? markOffset : -1);
            }
        }

        commitIndex = metadata.commitIndex();
        firstSlot = Math.max(index.base(), metadata.firstSlot());
        if (commitIndex > nextSlot || firstSlot > nextSlot)
        {
            throw new LogCorruptedException(metadataFile, 0, nextSlot, "metadata says commit index " + commitIndex +
                " and first slot " + firstSlot + " but the synced records end before slot " + nextSlot);
        }
        promisedBallot = metadata.promisedBallot();
        voting = metadata.voting();

        final long bootId = LogDirectory.currentBootId();
        if (!force && voting && metadata.bootId() != 0 && bootId != 0 && metadata.bootId() != bootId)
        {
            // Under NONE only the page cache held the last writes; the host restarted since, so they may be gone and
            // this acceptor may have forgotten promises it made: it rejoins as a non-voting learner.
            voting = false;
            dirty = true;
            rejoinReason = "the host restarted since the last write and the durability policy is NONE";
        }
        metadata.currentBootId(bootId);
    }

    /**
     * @return why the log was opened non-voting although it voted before (e.g. a host restart under
     * {@link DurabilityPolicy#NONE}), or null.
     */
    public String rejoinReason()
    {
        return rejoinReason;
    }

    /**
     * Index the records of a segment from its start: up to the synced mark for the segment that holds it (cutting
     * what follows), to the end of its records for an earlier one (which must end cleanly: it was synced whole).
     */
    private void scan(final LogSegment segment, final int markOffset)
    {
        final boolean isMark = markOffset >= 0;
        final int end = isMark ? markOffset : segment.capacity();
        final int ordinal = baseOrdinal + segmentCount - 1;
        int offset = LogSegment.SEGMENT_HEADER_LENGTH;
        while (offset < end)
        {
            final int recordLength = segment.validRecordLength(crc, offset);
            if (recordLength < 0)
            {
                if (!isMark && segment.endOfNonZero(offset) == offset)
                {
                    break; // the clean end of a segment that was rolled over
                }
                throw new LogCorruptedException(segment.file(), offset, nextSlot, isMark ?
                    "damaged record before the synced mark at offset " + markOffset :
                    "damaged record in a segment that was synced whole");
            }
            if (isMark && offset + recordLength > end)
            {
                throw new LogCorruptedException(segment.file(), offset, nextSlot,
                    "record crosses the synced mark at offset " + markOffset);
            }
            final long slot = segment.slotAt(offset);
            if (slot > nextSlot)
            {
                throw new LogCorruptedException(segment.file(), offset, slot,
                    "record for slot " + slot + " leaves a hole: the log ends before slot " + nextSlot);
            }
            if (slot >= index.base())
            {
                index.put(slot, ordinal, offset);
                if (slot == nextSlot)
                {
                    nextSlot++;
                }
            }
            // A record below the index's base superseded a slot since dropped with its segment: nothing to index.
            segment.recordSlot(slot);
            offset += recordLength;
        }
        segment.limit(offset);

        if (isMark)
        {
            final int unsyncedEnd = segment.endOfNonZero(offset);
            if (unsyncedEnd > offset)
            {
                // Written after the last sync, so never acknowledged: cut, whatever state the crash left it in.
                segment.zero(offset, unsyncedEnd);
                if (force)
                {
                    segment.force();
                }
            }
        }
    }

    public long promisedBallot()
    {
        return promisedBallot;
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
            dirty = true;
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
            dirty = true;
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
        final long position = index.get(slot);
        return segmentOf(position).buffer().getLong((int)position + LogSegment.BALLOT_OFFSET);
    }

    public boolean read(final long slot, final LogEntry entry)
    {
        if (slot < firstSlot || slot >= nextSlot)
        {
            return false;
        }
        final long position = index.get(slot);
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
     * The record goes after every other record, also when it supersedes a slot. When it does not fit the current
     * segment a new one is created first; if that fails (e.g. disk full) an {@link UncheckedIOException} names the
     * file and size, and the log is unchanged.
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
        if (slot > nextSlot || slot < commitIndex || slot < firstSlot)
        {
            throw new IllegalArgumentException("append at slot " + slot + " outside [" + Math.max(firstSlot, commitIndex) +
                ", " + nextSlot + "]");
        }
        if (payloadLength < 0 || payloadLength > maxPayloadLength)
        {
            throw new IllegalArgumentException(
                "payload length " + payloadLength + " outside [0, " + maxPayloadLength + "]");
        }

        index.reserve(slot); // a failure to make an index chunk (disk full) leaves the log unchanged
        LogSegment segment = segments[segmentCount - 1];
        if (!segment.fits(LogSegment.recordLength(payloadLength)))
        {
            final long ordinal = segment.ordinal() + 1;
            final MappedByteBuffer prepared = preallocator.takeReady(ordinal);
            segment = addSegment(null != prepared ?
                LogSegment.install(directory, ordinal, nextSlot, segmentLength, force, prepared) :
                LogSegment.create(directory, ordinal, nextSlot, segmentLength, force, zeroes));
        }
        else if (segment.limit() > segment.capacity() / 2)
        {
            preallocator.prepare(segment.ordinal() + 1); // ready long before the roll needs it
        }
        final int offset = segment.limit();
        segment.append(
            headerEncoder, crc, slot, ballot, type, sessionId, sequence, timestamp, payload, payloadOffset, payloadLength);
        index.put(slot, baseOrdinal + segmentCount - 1, offset);
        if (slot == nextSlot)
        {
            nextSlot = slot + 1;
        }
        dirty = true;
    }

    /**
     * {@inheritDoc}
     * <p>
     * The new first slot is recorded in the metadata at the next {@link #sync()}; after that, segments whose records
     * are all below it are deleted (never the last one).
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
        dirty = true;

        index.dropBelow(firstSlot);
    }

    public int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    /**
     * {@inheritDoc}
     * <p>
     * Nothing to do when nothing changed since the last sync. Otherwise, under {@link DurabilityPolicy#FORCE} the
     * written ranges of the segments are forced first; then the metadata is written with the synced mark at the end of
     * the last record (into the mapping: this survives a process crash), and under {@code FORCE} forced too. Only then
     * are segments wholly below the first slot deleted.
     */
    public void sync()
    {
        if (!dirty)
        {
            return;
        }
        final LogSegment last = segments[segmentCount - 1];
        if (force)
        {
            for (int i = 0; i < segmentCount; i++)
            {
                segments[i].force();
            }
        }
        metadata.write(promisedBallot, commitIndex, firstSlot, last.ordinal(), last.limit(), voting);
        if (force)
        {
            metadata.force();
        }
        dirty = false;
        dropSegmentsBelowFirstSlot();
    }

    private void dropSegmentsBelowFirstSlot()
    {
        int dropped = 0;
        while (dropped < segmentCount - 1 && segments[dropped].maxSlot() < firstSlot)
        {
            segments[dropped++].closeAndDelete();
        }
        if (dropped > 0)
        {
            System.arraycopy(segments, dropped, segments, 0, segmentCount - dropped);
            Arrays.fill(segments, segmentCount - dropped, segmentCount, null);
            segmentCount -= dropped;
            baseOrdinal += dropped;
            if (force)
            {
                LogDirectory.force(directory);
            }
        }
    }

    public boolean voting()
    {
        return voting;
    }

    public void voting(final boolean voting)
    {
        if (voting != this.voting)
        {
            this.voting = voting;
            dirty = true;
        }
    }

    /**
     * Sync, unmap every file and release the directory. Idempotent.
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

    /**
     * Release every file without syncing, as a process crash would: the next {@link #open(MappedLogConfig)} recovers
     * the state of the last completed {@link #sync()}. For fault-injection tests. Idempotent.
     */
    public void closeAsCrashed()
    {
        if (!closed)
        {
            closed = true;
            releaseResources();
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
        if (preallocator != null)
        {
            preallocator.close();
        }
        index.close();
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
        CloseHelper.quietClose(lockChannel); // releases the lock
        lockChannel = null;
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

    public String toString()
    {
        return "MappedPaxosLog{directory=" + directory + ", durability=" + durability + ", firstSlot=" + firstSlot +
            ", nextSlot=" + nextSlot + ", commitIndex=" + commitIndex + ", promisedBallot=" + promisedBallot +
            ", voting=" + voting + ", segments=" + segmentCount + '}';
    }
}
