package io.synod.log;

import io.synod.codecs.LogRecordHeaderDecoder;
import io.synod.codecs.LogRecordHeaderEncoder;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * One pre-allocated, memory-mapped segment file: a small header, then whole records in the order they were written.
 * <p>
 * Segments are numbered by an ordinal (0, 1, 2, ...) in the order they were created, and named by it. The header
 * ({@value #SEGMENT_HEADER_LENGTH} bytes: {@code magic:int, version:int, ordinal:long, baseSlot:long, crc32c:int},
 * zero padded) records the ordinal and the log's nextSlot when the segment was created, so recovery can start from
 * any segment once earlier ones were dropped. Records in a segment need not have increasing slots: a record for a
 * slot already held supersedes the earlier one (see {@link MappedPaxosLog}).
 * <p>
 * A record is the {@code LogRecordHeader} block of the SBE schema (no message header) followed by the payload,
 * padded to {@link #ALIGNMENT}. The checksum is the CRC32C of every header byte except the checksum field itself
 * (slot .. payloadLength, then entryType) and the payload; entryType directly precedes the payload, so that is two
 * contiguous ranges. A record never spans two segments; the bytes after the last record are zero.
 */
final class LogSegment
{
    /** Bytes of the record header: the SBE block of {@code LogRecordHeader}. */
    static final int HEADER_LENGTH = LogRecordHeaderEncoder.BLOCK_LENGTH;
    /** Records start at multiples of this. */
    static final int ALIGNMENT = 8;

    static final int SLOT_OFFSET = LogRecordHeaderEncoder.slotEncodingOffset();
    static final int BALLOT_OFFSET = LogRecordHeaderEncoder.ballotEncodingOffset();
    static final int LENGTH_OFFSET = LogRecordHeaderEncoder.payloadLengthEncodingOffset();
    static final int CHECKSUM_OFFSET = LogRecordHeaderEncoder.checksumEncodingOffset();
    static final int TYPE_OFFSET = LogRecordHeaderEncoder.entryTypeEncodingOffset();

    /** Bytes before the first record. */
    static final int SEGMENT_HEADER_LENGTH = 32;
    private static final int SEGMENT_MAGIC = 0x4753_4e53; // "SNSG" little endian
    private static final int SEGMENT_VERSION = 1;
    private static final int HEADER_ORDINAL_OFFSET = 8;
    private static final int HEADER_BASE_SLOT_OFFSET = 16;
    private static final int HEADER_CHECKSUM_OFFSET = 24;

    private static final String PREFIX = "segment-";
    private static final String SUFFIX = ".log";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final int PAGE_LENGTH = 4096;

    private final Path file;
    private final long ordinal;
    private final long baseSlot;
    private final int capacity;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;
    private final ByteBuffer checksumView;
    private int limit = SEGMENT_HEADER_LENGTH;
    private long maxSlot = -1;
    private int dirtyFrom = Integer.MAX_VALUE;
    private int dirtyTo = 0;

    private LogSegment(final Path file, final long ordinal)
    {
        this(file, ordinal, IoUtil.mapExistingFile(file.toFile(), "log segment"));
    }

    private LogSegment(final Path file, final long ordinal, final MappedByteBuffer mapped)
    {
        this.file = file;
        this.mapped = mapped;
        this.capacity = mapped.capacity();
        this.buffer = new UnsafeBuffer(mapped);
        this.checksumView = mapped.duplicate();
        try
        {
            if (capacity < SEGMENT_HEADER_LENGTH ||
                buffer.getInt(0) != SEGMENT_MAGIC ||
                buffer.getInt(HEADER_CHECKSUM_OFFSET) != headerChecksum(buffer))
            {
                throw new LogCorruptedException(file, 0, -1, "segment header is damaged");
            }
            if (buffer.getInt(4) != SEGMENT_VERSION)
            {
                throw new LogCorruptedException(file, 0, -1, "segment format version " + buffer.getInt(4) +
                    " is not supported (this build reads " + SEGMENT_VERSION + ")");
            }
            if (buffer.getLong(HEADER_ORDINAL_OFFSET) != ordinal)
            {
                throw new LogCorruptedException(file, 0, -1, "segment header says ordinal " +
                    buffer.getLong(HEADER_ORDINAL_OFFSET) + " but the file is named for " + ordinal);
            }
        }
        catch (final RuntimeException ex)
        {
            IoUtil.unmap(mapped);
            throw ex;
        }
        this.ordinal = ordinal;
        this.baseSlot = buffer.getLong(HEADER_BASE_SLOT_OFFSET);
    }

    private static int headerChecksum(final UnsafeBuffer header)
    {
        final CRC32C crc = new CRC32C();
        for (int i = 0; i < HEADER_CHECKSUM_OFFSET; i++)
        {
            crc.update(header.getByte(i));
        }
        return (int)crc.getValue();
    }

    static int recordLength(final int payloadLength)
    {
        return BitUtil.align(HEADER_LENGTH + payloadLength, ALIGNMENT);
    }

    static String fileName(final long ordinal)
    {
        return PREFIX + String.format("%020d", ordinal) + SUFFIX;
    }

    /**
     * @param fileName of a directory entry.
     * @return the ordinal it names, or -1 if it is not a segment file name.
     */
    static long parseOrdinal(final String fileName)
    {
        if (fileName.length() != PREFIX.length() + 20 + SUFFIX.length() ||
            !fileName.startsWith(PREFIX) || !fileName.endsWith(SUFFIX))
        {
            return -1;
        }
        try
        {
            return Long.parseLong(fileName.substring(PREFIX.length(), PREFIX.length() + 20));
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    static boolean isTempFile(final String fileName)
    {
        return fileName.startsWith(PREFIX) && fileName.endsWith(SUFFIX + TEMP_SUFFIX);
    }

    /**
     * Create a segment at once: {@link #preallocate} then {@link #install}.
     */
    static LogSegment create(
        final Path directory,
        final long ordinal,
        final long baseSlot,
        final int length,
        final boolean force,
        final ByteBuffer zeroes)
    {
        preallocate(directory, ordinal, length, force, zeroes);
        return install(directory, ordinal, baseSlot, length, force);
    }

    /**
     * Write a segment's zeroes through the file system under a temporary name (not a sparse file), so a full disk
     * fails here with an IOException rather than later with a SIGBUS while writing into the mapping. Safe on any
     * thread: it touches only its own temporary file, which recovery deletes if a crash leaves it.
     *
     * @throws UncheckedIOException naming the file and size if the zeroes cannot be written (e.g. the disk is full).
     */
    static void preallocate(
        final Path directory, final long ordinal, final int length, final boolean force, final ByteBuffer zeroes)
    {
        final Path temp = directory.resolve(fileName(ordinal) + TEMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(
            temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
        {
            writeZeroes(channel, 0, length, zeroes);
            if (force)
            {
                channel.force(true);
            }
        }
        catch (final IOException ex)
        {
            deleteQuietly(temp);
            throw new UncheckedIOException(new IOException("cannot pre-allocate log segment " +
                directory.resolve(fileName(ordinal)) + " of " + length + " bytes (disk full?): " + ex, ex));
        }
    }

    /**
     * Turn a preallocated segment into the log's next one: write its header (ordinal and the log's nextSlot now) and
     * rename it into place, so a crash leaves either no segment or a whole one (under {@link DurabilityPolicy#FORCE}
     * the header and the directory are forced too). A few small writes: cheap enough for the node thread.
     */
    static LogSegment install(
        final Path directory, final long ordinal, final long baseSlot, final int length, final boolean force)
    {
        return install(directory, ordinal, baseSlot, length, force, null);
    }

    /**
     * {@link #install} with the temporary file's mapping made by {@link #mapAndTouch}, or null to map it here.
     */
    static LogSegment install(
        final Path directory,
        final long ordinal,
        final long baseSlot,
        final int length,
        final boolean force,
        final MappedByteBuffer premapped)
    {
        final Path file = directory.resolve(fileName(ordinal));
        final Path temp = directory.resolve(fileName(ordinal) + TEMP_SUFFIX);
        try
        {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE))
            {
                final UnsafeBuffer header = new UnsafeBuffer(new byte[SEGMENT_HEADER_LENGTH]);
                header.putInt(0, SEGMENT_MAGIC);
                header.putInt(4, SEGMENT_VERSION);
                header.putLong(HEADER_ORDINAL_OFFSET, ordinal);
                header.putLong(HEADER_BASE_SLOT_OFFSET, baseSlot);
                header.putInt(HEADER_CHECKSUM_OFFSET, headerChecksum(header));
                final ByteBuffer headerBytes = ByteBuffer.wrap(header.byteArray());
                while (headerBytes.hasRemaining())
                {
                    channel.write(headerBytes, headerBytes.position());
                }
                if (force)
                {
                    channel.force(false);
                }
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (force)
            {
                forceDirectory(directory);
            }
        }
        catch (final IOException ex)
        {
            if (null != premapped)
            {
                IoUtil.unmap(premapped);
            }
            deleteQuietly(temp);
            throw new UncheckedIOException(new IOException(
                "cannot install log segment " + file + " of " + length + " bytes: " + ex, ex));
        }
        return null == premapped ? new LogSegment(file, ordinal) : new LogSegment(file, ordinal, premapped);
    }

    /**
     * Map a preallocated segment's temporary file and write a zero into each of its pages through the mapping, on the
     * preallocating thread: the node thread that installs it then appends into pages already mapped in its address
     * space, where a fresh mapping took a page fault for every 4 KiB of log on the node thread (32,000 a second at
     * window 1024, a hundred times Aeron's archive). The file already holds zeroes, so the writes change nothing.
     *
     * @return the mapping, to hand to {@link #install}; unmap it if it is not installed.
     */
    static MappedByteBuffer mapAndTouch(final Path directory, final long ordinal)
    {
        final Path temp = directory.resolve(fileName(ordinal) + TEMP_SUFFIX);
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(temp.toFile(), "log segment");
        final UnsafeBuffer pages = new UnsafeBuffer(mapped);
        for (int offset = 0; offset < pages.capacity(); offset += PAGE_LENGTH)
        {
            pages.putByte(offset, (byte)0);
        }
        return mapped;
    }

    /**
     * Map an existing segment, first extending it with zeroes to minLength if it is shorter (a truncated last file).
     *
     * @throws LogCorruptedException if its header is damaged or names another ordinal.
     */
    static LogSegment open(final Path file, final long ordinal, final int minLength, final ByteBuffer zeroes)
    {
        try
        {
            final long size = Files.size(file);
            if (size < minLength)
            {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
                {
                    writeZeroes(channel, size, minLength, zeroes);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(new IOException(
                "cannot extend log segment " + file + " to " + minLength + " bytes (disk full?): " + ex, ex));
        }
        return new LogSegment(file, ordinal);
    }

    private static void writeZeroes(final FileChannel channel, final long from, final long to, final ByteBuffer zeroes)
        throws IOException
    {
        long position = from;
        while (position < to)
        {
            zeroes.clear().limit((int)Math.min(zeroes.capacity(), to - position));
            position += channel.write(zeroes, position);
        }
    }

    static void forceDirectory(final Path directory) throws IOException
    {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignore)
        {
            // Best effort: a leftover temp file is removed on the next open.
        }
    }

    Path file()
    {
        return file;
    }

    long ordinal()
    {
        return ordinal;
    }

    /** @return the log's nextSlot when this segment was created. */
    long baseSlot()
    {
        return baseSlot;
    }

    /** @return the highest slot of a record in this segment, -1 if none. */
    long maxSlot()
    {
        return maxSlot;
    }

    void recordSlot(final long slot)
    {
        if (slot > maxSlot)
        {
            maxSlot = slot;
        }
    }

    int capacity()
    {
        return capacity;
    }

    UnsafeBuffer buffer()
    {
        return buffer;
    }

    /** @return offset one past the last record: where the next record goes. */
    int limit()
    {
        return limit;
    }

    void limit(final int limit)
    {
        this.limit = limit;
    }

    boolean fits(final int recordLength)
    {
        return capacity - limit >= recordLength;
    }

    /**
     * Write a record at {@link #limit()} and advance it. The checksum is written last.
     */
    void append(
        final LogRecordHeaderEncoder encoder,
        final CRC32C crc,
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
        final int offset = limit;
        if (payloadLength > 0)
        {
            buffer.putBytes(offset + HEADER_LENGTH, payload, payloadOffset, payloadLength);
        }
        encoder.wrap(buffer, offset)
            .slot(slot)
            .ballot(ballot)
            .sessionId(sessionId)
            .sequence(sequence)
            .timestamp(timestamp)
            .payloadLength(payloadLength);
        buffer.putByte(offset + TYPE_OFFSET, type); // raw code: the log keeps whatever type the core hands it
        encoder.checksum(checksum(crc, offset, payloadLength));
        final int end = offset + recordLength(payloadLength);
        limit = end;
        recordSlot(slot);
        markDirty(offset, end);
    }

    int checksum(final CRC32C crc, final int offset, final int payloadLength)
    {
        final ByteBuffer view = checksumView;
        crc.reset();
        view.limit(offset + CHECKSUM_OFFSET).position(offset);
        crc.update(view);
        view.limit(offset + HEADER_LENGTH + payloadLength).position(offset + TYPE_OFFSET);
        crc.update(view);
        return (int)crc.getValue();
    }

    /**
     * A record is well formed when it fits the segment and its checksum matches. The configured maximum payload is
     * not checked: lowering it must not make existing records look torn.
     *
     * @return the aligned length of a well-formed record at offset, or -1 if there is none.
     */
    int validRecordLength(final CRC32C crc, final int offset)
    {
        if (offset > capacity - HEADER_LENGTH)
        {
            return -1;
        }
        final int payloadLength = buffer.getInt(offset + LENGTH_OFFSET);
        if (payloadLength < 0 || payloadLength > capacity - HEADER_LENGTH - offset)
        {
            return -1;
        }
        if (buffer.getInt(offset + CHECKSUM_OFFSET) != checksum(crc, offset, payloadLength))
        {
            return -1;
        }
        return recordLength(payloadLength);
    }

    long slotAt(final int offset)
    {
        return buffer.getLong(offset + SLOT_OFFSET);
    }

    /**
     * @return one past the last non-zero byte at or after from, rounded up to {@link #ALIGNMENT} (or the capacity);
     * from if none.
     */
    int endOfNonZero(final int from)
    {
        int end = from;
        int offset = from;
        for (; offset <= capacity - ALIGNMENT; offset += ALIGNMENT)
        {
            if (buffer.getLong(offset) != 0)
            {
                end = offset + ALIGNMENT;
            }
        }
        for (; offset < capacity; offset++) // a file truncated to a length that is not a multiple of 8
        {
            if (buffer.getByte(offset) != 0)
            {
                end = capacity;
            }
        }
        return end;
    }

    /**
     * Zero [from, to) so a later scan finds a clean end. Backwards, 8 bytes at a time: a process crash part way leaves
     * intact records followed by zeroes (a clean, shorter cut), never zeroes followed by intact records, which
     * recovery would have to report as corruption.
     */
    void zero(final int from, final int to)
    {
        if (to > from)
        {
            int end = to;
            while (end > from && (end & (ALIGNMENT - 1)) != 0)
            {
                buffer.putByte(--end, (byte)0);
            }
            while (end - from >= ALIGNMENT)
            {
                end -= ALIGNMENT;
                buffer.putLong(end, 0);
            }
            while (end > from)
            {
                buffer.putByte(--end, (byte)0);
            }
            markDirty(from, to);
        }
    }

    void wrapHeader(final LogRecordHeaderDecoder decoder, final int offset)
    {
        decoder.wrap(buffer, offset, HEADER_LENGTH, LogRecordHeaderDecoder.SCHEMA_VERSION);
    }

    private void markDirty(final int from, final int to)
    {
        if (from < dirtyFrom)
        {
            dirtyFrom = from;
        }
        if (to > dirtyTo)
        {
            dirtyTo = to;
        }
    }

    /** Force the bytes written since the last force to the device. */
    void force()
    {
        if (dirtyTo > dirtyFrom)
        {
            mapped.force(dirtyFrom, dirtyTo - dirtyFrom);
            dirtyFrom = Integer.MAX_VALUE;
            dirtyTo = 0;
        }
    }

    void close()
    {
        IoUtil.unmap(mapped);
    }

    void closeAndDelete()
    {
        close();
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete log segment " + file, ex);
        }
    }

    public String toString()
    {
        return "LogSegment{file=" + file.getFileName() + ", baseSlot=" + baseSlot + ", limit=" + limit + '}';
    }
}
