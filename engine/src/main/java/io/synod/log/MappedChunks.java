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
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Chunks mapped from files of the log directory that are deleted as soon as they are mapped: memory that is neither
 * heap nor direct memory (so neither {@code -Xmx} nor {@code -XX:MaxDirectMemorySize} bounds it), which the kernel
 * frees when the chunk is unmapped or the process ends. Nothing in them outlives the process: what they hold is
 * rebuilt by recovery.
 * <p>
 * The next chunk is made on a thread of its own when {@link #prepare(long)} asks for it (zeroes written with ordinary
 * file writes, so a full disk is an {@link IOException} rather than a fault in the mapping, then mapped, each page
 * touched, and unlinked), so the caller's thread neither writes zeroes, nor maps a file, nor takes a page fault. A
 * chunk taken without having been prepared, or whose preparation failed, is made on the caller's thread.
 */
final class MappedChunks implements ChunkSource
{
    static final String PREFIX = "index-";
    static final String SUFFIX = ".tmp";
    private static final int ZEROES_LENGTH = 64 * 1024;
    private static final int PAGE_LENGTH = 4096;
    private static final int INDEX_CHUNK_LENGTH_MAX = 8 * 1024 * 1024;
    private static final int INDEX_CHUNK_LENGTH_MIN = 4096;

    private final Path directory;
    private final int chunkLength;
    private final ByteBuffer zeroes = ByteBuffer.allocateDirect(ZEROES_LENGTH); // the background thread's own
    private final ByteBuffer callerZeroes = ByteBuffer.allocateDirect(ZEROES_LENGTH);
    private final ExecutorService executor = Executors.newSingleThreadExecutor(task ->
    {
        final Thread thread = new Thread(task, "synod-log-index");
        thread.setDaemon(true);
        return thread;
    });
    private long pendingNumber = -1;
    private Future<MappedByteBuffer> pending;

    MappedChunks(final Path directory, final int chunkLength)
    {
        this.directory = directory;
        this.chunkLength = chunkLength;
    }

    /**
     * @return the length of a slot index chunk for a log of these segments: an eighth of a segment, a power of two in
     * [4 KiB, 8 MiB] (1 Mi slots), so a chunk takes far less room in the directory than the segment whose records it
     * points at (a record is at least 56 bytes; its index entry 8).
     */
    static int indexChunkLength(final int segmentLength)
    {
        final int eighth = Integer.highestOneBit(segmentLength / 8);
        return Math.max(INDEX_CHUNK_LENGTH_MIN, Math.min(INDEX_CHUNK_LENGTH_MAX, eighth));
    }

    /**
     * @return true for a file a chunk was being made in when its process ended: deleted when the log opens.
     */
    static boolean isLeftover(final String fileName)
    {
        return fileName.startsWith(PREFIX) && fileName.endsWith(SUFFIX);
    }

    public int chunkLength()
    {
        return chunkLength;
    }

    public void prepare(final long number)
    {
        if (pendingNumber != number)
        {
            abandonPending();
            pendingNumber = number;
            pending = executor.submit(() -> map(number, zeroes));
        }
    }

    public UnsafeBuffer take(final long number)
    {
        MappedByteBuffer mapped = null;
        if (pendingNumber == number)
        {
            final Future<MappedByteBuffer> task = pending;
            pendingNumber = -1;
            pending = null;
            mapped = await(task);
        }
        if (mapped == null)
        {
            mapped = map(number, callerZeroes);
        }
        return new UnsafeBuffer(mapped);
    }

    public void release(final UnsafeBuffer chunk)
    {
        IoUtil.unmap(chunk.byteBuffer());
    }

    /**
     * Stop the thread; a chunk prepared and not taken is unmapped.
     */
    public void close()
    {
        abandonPending();
        executor.shutdownNow();
        try
        {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void abandonPending()
    {
        if (pending != null)
        {
            final MappedByteBuffer mapped = await(pending);
            if (mapped != null)
            {
                IoUtil.unmap(mapped);
            }
            pending = null;
            pendingNumber = -1;
        }
    }

    private static MappedByteBuffer await(final Future<MappedByteBuffer> task)
    {
        try
        {
            return task.get();
        }
        catch (final ExecutionException ex)
        {
            return null; // made again on the caller's thread, which reports the failure
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private MappedByteBuffer map(final long number, final ByteBuffer zeroes)
    {
        final Path file = directory.resolve(PREFIX + number + SUFFIX);
        try
        {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ, StandardOpenOption.WRITE))
            {
                long position = 0;
                while (position < chunkLength)
                {
                    zeroes.clear().limit((int)Math.min(zeroes.capacity(), chunkLength - position));
                    position += channel.write(zeroes, position);
                }
                final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, chunkLength);
                for (int page = 0; page < chunkLength; page += PAGE_LENGTH)
                {
                    mapped.put(page, (byte)0); // the page table is the process's: the user of the chunk takes no fault
                }
                return mapped;
            }
            finally
            {
                Files.deleteIfExists(file); // the mapping keeps the memory; nothing is left behind
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(new IOException(
                "cannot create slot index chunk " + file + " of " + chunkLength + " bytes (disk full?): " + ex, ex));
        }
    }
}
