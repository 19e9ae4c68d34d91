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
 * The acceptor's durable state besides its entries, in a small mapped file written once per sync so that a crash at
 * any instant leaves the state of the last or the one before, never a mix: the promised ballot, the commit index, the
 * first slot, the synced mark (segment ordinal and offset up to which the segments held durable records when this copy
 * was written), whether the node votes, and the identity of the log (cluster id and node id, fixed at creation).
 * <p>
 * Two copies, A and B, each in its own 4 KiB page so a torn page write can damage only one:
 * {@code magic:int, version:int, sequence:long, promisedBallot:long, commitIndex:long, firstSlot:long,
 * syncedOrdinal:long, syncedOffset:int, clusterId:int, nodeId:int, voting:int, bootId:long, crc32c:int} (CRC of the
 * 72 bytes before it; bootId is a hash of the kernel boot id of the last write, 0 if unknown). Write n goes to copy {@code n & 1}, i.e. always over the older copy; recovery takes the valid copy with
 * the higher sequence.
 */
final class LogMetadata
{
    static final String FILE_NAME = "metadata.dat";
    static final int MAGIC = 0x444f_4e53; // "SNOD" little endian
    static final int FORMAT_VERSION = 2;
    /** Identity not recorded or not checked. */
    static final int NO_ID = -1;
    static final int COPY_STRIDE = 4096;
    static final int FILE_LENGTH = 2 * COPY_STRIDE;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int SEQUENCE_OFFSET = 8;
    static final int PROMISED_BALLOT_OFFSET = 16;
    static final int COMMIT_INDEX_OFFSET = 24;
    static final int FIRST_SLOT_OFFSET = 32;
    static final int SYNCED_ORDINAL_OFFSET = 40;
    static final int SYNCED_OFFSET_OFFSET = 48;
    static final int CLUSTER_ID_OFFSET = 52;
    static final int NODE_ID_OFFSET = 56;
    static final int VOTING_OFFSET = 60;
    static final int BOOT_ID_OFFSET = 64;
    static final int CHECKSUM_OFFSET = 72;

    private final Path file;
    private final CRC32C crc;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;
    private final ByteBuffer checksumView;
    private long sequence;
    private long promisedBallot;
    private long commitIndex;
    private long firstSlot;
    private long syncedOrdinal;
    private int syncedOffset;
    private int clusterId;
    private int nodeId;
    private boolean voting;
    private long bootId;
    private long currentBootId;
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
     * @return whether directory holds a metadata file.
     */
    static boolean exists(final Path directory)
    {
        return Files.exists(directory.resolve(FILE_NAME));
    }

    /**
     * Create the metadata of a new, empty log (promise 0, nothing synced), durably, then open it.
     *
     * @param clusterId the log belongs to, or {@link #NO_ID}.
     * @param nodeId    the log belongs to, or {@link #NO_ID}.
     * @param voting    whether the node votes from the start (only when it bootstraps a brand-new cluster).
     */
    static LogMetadata create(
        final Path directory, final CRC32C crc, final int clusterId, final int nodeId, final boolean voting)
    {
        final Path file = directory.resolve(FILE_NAME);
        try
        {
            write(directory, file, clusterId, nodeId, voting);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create log metadata " + file, ex);
        }
        return open(directory, crc);
    }

    /**
     * Open the existing metadata of directory.
     *
     * @throws LogCorruptedException if neither copy is valid or the format version is unknown.
     */
    static LogMetadata open(final Path directory, final CRC32C crc)
    {
        final Path file = directory.resolve(FILE_NAME);
        try
        {
            if (Files.size(file) != FILE_LENGTH)
            {
                throw new LogCorruptedException(file, 0, -1, "metadata file is " + Files.size(file) +
                    " bytes, expected " + FILE_LENGTH);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read log metadata " + file, ex);
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

    private static void write(
        final Path directory, final Path file, final int clusterId, final int nodeId, final boolean voting)
        throws IOException
    {
        final Path temp = directory.resolve(FILE_NAME + ".tmp");
        final ByteBuffer initial = ByteBuffer.allocate(FILE_LENGTH);
        final UnsafeBuffer image = new UnsafeBuffer(initial);
        image.putInt(MAGIC_OFFSET, MAGIC);
        image.putInt(VERSION_OFFSET, FORMAT_VERSION);
        image.putInt(CLUSTER_ID_OFFSET, clusterId);
        image.putInt(NODE_ID_OFFSET, nodeId);
        image.putInt(VOTING_OFFSET, voting ? 1 : 0);
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
        // Renamed into place and the directory forced whatever the policy: the identity and the voting flag decide
        // safety, and a node must never come back from a crash with segments but no metadata.
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        LogSegment.forceDirectory(directory);
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
        syncedOrdinal = buffer.getLong(offset + SYNCED_ORDINAL_OFFSET);
        syncedOffset = buffer.getInt(offset + SYNCED_OFFSET_OFFSET);
        clusterId = buffer.getInt(offset + CLUSTER_ID_OFFSET);
        nodeId = buffer.getInt(offset + NODE_ID_OFFSET);
        voting = buffer.getInt(offset + VOTING_OFFSET) != 0;
        bootId = buffer.getLong(offset + BOOT_ID_OFFSET);
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

    long syncedOrdinal()
    {
        return syncedOrdinal;
    }

    int syncedOffset()
    {
        return syncedOffset;
    }

    int clusterId()
    {
        return clusterId;
    }

    int nodeId()
    {
        return nodeId;
    }

    boolean voting()
    {
        return voting;
    }

    /** @return the boot id recorded by the last write, 0 if unknown. */
    long bootId()
    {
        return bootId;
    }

    /** @param currentBootId recorded by every later write. */
    void currentBootId(final long currentBootId)
    {
        this.currentBootId = currentBootId;
    }

    /**
     * Write all values into the older copy, checksum last. In the mapping at once: survives a process crash; durable
     * after {@link #force()}. The identity is carried over unchanged.
     */
    void write(
        final long promisedBallot,
        final long commitIndex,
        final long firstSlot,
        final long syncedOrdinal,
        final int syncedOffset,
        final boolean voting)
    {
        final long next = sequence + 1;
        final int offset = (int)(next & 1) * COPY_STRIDE;
        buffer.putInt(offset + MAGIC_OFFSET, MAGIC);
        buffer.putInt(offset + VERSION_OFFSET, FORMAT_VERSION);
        buffer.putLong(offset + SEQUENCE_OFFSET, next);
        buffer.putLong(offset + PROMISED_BALLOT_OFFSET, promisedBallot);
        buffer.putLong(offset + COMMIT_INDEX_OFFSET, commitIndex);
        buffer.putLong(offset + FIRST_SLOT_OFFSET, firstSlot);
        buffer.putLong(offset + SYNCED_ORDINAL_OFFSET, syncedOrdinal);
        buffer.putInt(offset + SYNCED_OFFSET_OFFSET, syncedOffset);
        buffer.putInt(offset + CLUSTER_ID_OFFSET, clusterId);
        buffer.putInt(offset + NODE_ID_OFFSET, nodeId);
        buffer.putInt(offset + VOTING_OFFSET, voting ? 1 : 0);
        buffer.putLong(offset + BOOT_ID_OFFSET, currentBootId);
        buffer.putInt(offset + CHECKSUM_OFFSET, checksum(offset));
        sequence = next;
        this.promisedBallot = promisedBallot;
        this.commitIndex = commitIndex;
        this.firstSlot = firstSlot;
        this.syncedOrdinal = syncedOrdinal;
        this.syncedOffset = syncedOffset;
        this.voting = voting;
        this.bootId = currentBootId;
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
