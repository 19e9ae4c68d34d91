package io.synod.log;

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
 * The promised ballot, the commit index and the first slot, in a small mapped file written so that a crash at any
 * instant leaves the old or the new value, never a mix.
 * <p>
 * Two copies, A and B, each in its own 4 KiB page so a torn page write can damage only one:
 * {@code magic:int, version:int, sequence:long, promisedBallot:long, commitIndex:long, firstSlot:long,
 * crc32c:int} (CRC of the 40 bytes before it). Write n goes to copy {@code n & 1}, i.e. always over the older copy;
 * recovery takes the valid copy with the higher sequence.
 */
final class LogMetadata
{
    static final String FILE_NAME = "metadata.dat";
    static final int MAGIC = 0x444f_4e53; // "SNOD" little endian
    static final int FORMAT_VERSION = 1;
    static final int COPY_STRIDE = 4096;
    static final int FILE_LENGTH = 2 * COPY_STRIDE;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int SEQUENCE_OFFSET = 8;
    static final int PROMISED_BALLOT_OFFSET = 16;
    static final int COMMIT_INDEX_OFFSET = 24;
    static final int FIRST_SLOT_OFFSET = 32;
    static final int CHECKSUM_OFFSET = 40;

    private final Path file;
    private final CRC32C crc;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;
    private final ByteBuffer checksumView;
    private long sequence;
    private long promisedBallot;
    private long commitIndex;
    private long firstSlot;
    private boolean dirty;

    private LogMetadata(final Path file, final CRC32C crc)
    {
        this.file = file;
        this.crc = crc;
        this.mapped = IoUtil.mapExistingFile(file.toFile(), "log metadata");
        this.buffer = new UnsafeBuffer(mapped);
        this.checksumView = mapped.duplicate();
    }

    /**
     * Open the metadata of directory, creating it (all zero values) if absent.
     *
     * @throws LogCorruptedException if neither copy is valid or the format version is unknown.
     */
    static LogMetadata open(final Path directory, final CRC32C crc, final boolean force)
    {
        final Path file = directory.resolve(FILE_NAME);
        try
        {
            if (!Files.exists(file))
            {
                create(directory, file, force);
            }
            else if (Files.size(file) != FILE_LENGTH)
            {
                throw new LogCorruptedException(file, 0, -1, "metadata file is " + Files.size(file) +
                    " bytes, expected " + FILE_LENGTH);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create log metadata " + file, ex);
        }

        final LogMetadata metadata = new LogMetadata(file, crc);
        try
        {
            metadata.recover();
        }
        catch (final RuntimeException ex)
        {
            metadata.close();
            throw ex;
        }
        return metadata;
    }

    private static void create(final Path directory, final Path file, final boolean force) throws IOException
    {
        final Path temp = directory.resolve(FILE_NAME + ".tmp");
        final ByteBuffer initial = ByteBuffer.allocate(FILE_LENGTH);
        final UnsafeBuffer image = new UnsafeBuffer(initial);
        image.putInt(MAGIC_OFFSET, MAGIC);
        image.putInt(VERSION_OFFSET, FORMAT_VERSION);
        final CRC32C crc = new CRC32C();
        crc.update(initial.array(), 0, CHECKSUM_OFFSET);
        image.putInt(CHECKSUM_OFFSET, (int)crc.getValue());
        try (FileChannel channel = FileChannel.open(
            temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
        {
            while (initial.hasRemaining())
            {
                channel.write(initial);
            }
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (force)
        {
            LogSegment.forceDirectory(directory);
        }
    }

    private void recover()
    {
        final boolean aValid = isValid(0);
        final boolean bValid = isValid(COPY_STRIDE);
        if (!aValid && !bValid)
        {
            throw new LogCorruptedException(file, 0, -1, "neither metadata copy A nor B is valid");
        }
        final int offset;
        if (aValid && bValid)
        {
            offset = buffer.getLong(SEQUENCE_OFFSET) >= buffer.getLong(COPY_STRIDE + SEQUENCE_OFFSET) ? 0 : COPY_STRIDE;
        }
        else
        {
            offset = aValid ? 0 : COPY_STRIDE;
        }
        sequence = buffer.getLong(offset + SEQUENCE_OFFSET);
        promisedBallot = buffer.getLong(offset + PROMISED_BALLOT_OFFSET);
        commitIndex = buffer.getLong(offset + COMMIT_INDEX_OFFSET);
        firstSlot = buffer.getLong(offset + FIRST_SLOT_OFFSET);
    }

    private boolean isValid(final int offset)
    {
        if (buffer.getInt(offset + MAGIC_OFFSET) != MAGIC || buffer.getInt(offset + CHECKSUM_OFFSET) != checksum(offset))
        {
            return false;
        }
        final int version = buffer.getInt(offset + VERSION_OFFSET);
        if (version != FORMAT_VERSION)
        {
            throw new LogCorruptedException(file, offset, -1,
                "metadata format version " + version + " is not supported (this build reads " + FORMAT_VERSION + ")");
        }
        return true;
    }

    private int checksum(final int offset)
    {
        crc.reset();
        checksumView.limit(offset + CHECKSUM_OFFSET).position(offset);
        crc.update(checksumView);
        return (int)crc.getValue();
    }

    long promisedBallot()
    {
        return promisedBallot;
    }

    long commitIndex()
    {
        return commitIndex;
    }

    long firstSlot()
    {
        return firstSlot;
    }

    /**
     * Write all values into the older copy, checksum last. In the mapping at once: survives a process crash.
     */
    void write(final long promisedBallot, final long commitIndex, final long firstSlot)
    {
        final long next = sequence + 1;
        final int offset = (int)(next & 1) * COPY_STRIDE;
        buffer.putInt(offset + MAGIC_OFFSET, MAGIC);
        buffer.putInt(offset + VERSION_OFFSET, FORMAT_VERSION);
        buffer.putLong(offset + SEQUENCE_OFFSET, next);
        buffer.putLong(offset + PROMISED_BALLOT_OFFSET, promisedBallot);
        buffer.putLong(offset + COMMIT_INDEX_OFFSET, commitIndex);
        buffer.putLong(offset + FIRST_SLOT_OFFSET, firstSlot);
        buffer.putInt(offset + CHECKSUM_OFFSET, checksum(offset));
        sequence = next;
        this.promisedBallot = promisedBallot;
        this.commitIndex = commitIndex;
        this.firstSlot = firstSlot;
        dirty = true;
    }

    /** Force both copies to the device if written since the last force. */
    void force()
    {
        if (dirty)
        {
            mapped.force();
            dirty = false;
        }
    }

    Path file()
    {
        return file;
    }

    void close()
    {
        IoUtil.unmap(mapped);
    }
}
