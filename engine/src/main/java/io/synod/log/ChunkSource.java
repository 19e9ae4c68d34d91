package io.synod.log;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Where fixed-length blocks of memory off the heap come from, for structures that grow with the log without copying
 * what they hold ({@link SlotIndex}, {@link EntryChunks}). Chunks are numbered in the order the structure uses them,
 * so a source can make the next one ahead of time.
 */
interface ChunkSource extends AutoCloseable
{
    /** @return bytes in every chunk. */
    int chunkLength();

    /**
     * The chunk of this number will be taken soon: a source that can, makes it now off the caller's thread.
     */
    void prepare(long number);

    /**
     * @return the chunk of this number, zeroed, for the caller alone until released.
     */
    UnsafeBuffer take(long number);

    /**
     * The chunk holds nothing any more: give its memory back.
     */
    void release(UnsafeBuffer chunk);

    /**
     * Stop making chunks; chunks taken stay valid until released.
     */
    void close();
}
