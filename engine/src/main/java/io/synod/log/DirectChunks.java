package io.synod.log;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Chunks of direct memory, allocated when taken and freed when released: off the heap, so a growing log leaves the
 * heap flat, but bounded by {@code -XX:MaxDirectMemorySize} (by default the maximum heap size).
 */
final class DirectChunks implements ChunkSource
{
    private final int chunkLength;

    DirectChunks(final int chunkLength)
    {
        this.chunkLength = chunkLength;
    }

    public int chunkLength()
    {
        return chunkLength;
    }

    public void prepare(final long number)
    {
        // Allocated when taken: one allocation per chunk, cheap next to what the chunk holds.
    }

    public UnsafeBuffer take(final long number)
    {
        return new UnsafeBuffer(ByteBuffer.allocateDirect(chunkLength));
    }

    public void release(final UnsafeBuffer chunk)
    {
        BufferUtil.free(chunk.byteBuffer());
    }

    public void close()
    {
    }
}
