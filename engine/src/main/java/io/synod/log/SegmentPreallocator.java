package io.synod.log;

import org.agrona.IoUtil;

import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Writes the next segment's zeroes on a thread of its own, so the node thread never does work that grows with the
 * segment length: when the current segment is half full the next one is prepared under a temporary name, and the roll
 * only writes its header and renames it ({@link LogSegment#install}). The background thread touches nothing but that
 * temporary file; the log's state stays with its single writer. Allocates once per segment (the task), never per
 * append.
 */
final class SegmentPreallocator implements AutoCloseable
{
    private static final int ZEROES_LENGTH = 64 * 1024;

    private final Path directory;
    private final int segmentLength;
    private final boolean force;
    private final ByteBuffer zeroes = ByteBuffer.allocateDirect(ZEROES_LENGTH); // the background thread's own
    private final ExecutorService executor = Executors.newSingleThreadExecutor(task ->
    {
        final Thread thread = new Thread(task, "synod-log-preallocate");
        thread.setDaemon(true);
        return thread;
    });
    private long pendingOrdinal = -1;
    private Future<MappedByteBuffer> pending;

    SegmentPreallocator(final Path directory, final int segmentLength, final boolean force)
    {
        this.directory = directory;
        this.segmentLength = segmentLength;
        this.force = force;
    }

    /**
     * Start preparing the segment of this ordinal, unless it is already under way.
     */
    void prepare(final long ordinal)
    {
        if (pendingOrdinal != ordinal)
        {
            pendingOrdinal = ordinal;
            pending = executor.submit(() ->
            {
                LogSegment.preallocate(directory, ordinal, segmentLength, force, zeroes);
                return LogSegment.mapAndTouch(directory, ordinal);
            });
        }
    }

    /**
     * @return the mapping of the segment of this ordinal, prepared and its pages touched (waiting for a preparation
     * still under way, which is rare: it started half a segment ago), for {@link LogSegment#install}; null if none was
     * asked for or it failed, and the caller creates the segment itself (reporting the failure, e.g. a full disk, with
     * the file and size).
     */
    MappedByteBuffer takeReady(final long ordinal)
    {
        if (pendingOrdinal != ordinal)
        {
            return null;
        }
        final Future<MappedByteBuffer> task = pending;
        pendingOrdinal = -1;
        pending = null;
        try
        {
            return task.get();
        }
        catch (final ExecutionException ex)
        {
            return null;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Stop the thread; a preparation under way is abandoned (its temporary file is deleted on the next open).
     */
    public void close()
    {
        executor.shutdownNow();
        try
        {
            if (executor.awaitTermination(5, TimeUnit.SECONDS) && null != pending && pending.isDone() &&
                !pending.isCancelled())
            {
                IoUtil.unmap(pending.get()); // prepared but never installed
            }
        }
        catch (final ExecutionException ex)
        {
            // nothing was mapped
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
