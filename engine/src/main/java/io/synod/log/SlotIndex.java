package io.synod.log;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * Where each slot's current record is: {@code segment ordinal << 32 | offset} (or chunk and offset), one long per slot
 * from a base slot. A superseding record simply overwrites its slot's position.
 * <p>
 * Held off the heap, in chunks from a {@link ChunkSource}: growing never copies what is indexed, and the heap holds
 * only one reference per chunk. When a chunk is half used the next one is asked for ahead ({@link
 * ChunkSource#prepare(long)}), so a source that maps files does it off the writer's thread. Chunks below the first slot
 * kept are released when slots are dropped below a snapshot; until snapshots exist the index grows by 8 bytes per slot,
 * off the heap.
 */
final class SlotIndex implements AutoCloseable
{
    private final ChunkSource source;
    private final int chunkShift;
    private final int chunkMask;
    private final int prepareAt;

    private UnsafeBuffer[] chunks = new UnsafeBuffer[16];
    // The chunk at chunks[0] holds slots from chunkBase; base is the lowest slot the index holds.
    private long chunkBase;
    private long base;

    /**
     * @param source of the chunks, whose length is a power of two of at least 64 bytes; closed with the index.
     */
    SlotIndex(final ChunkSource source)
    {
        final int chunkSlots = source.chunkLength() / Long.BYTES;
        if (Integer.bitCount(chunkSlots) != 1 || chunkSlots < 8)
        {
            throw new IllegalArgumentException("chunk length must be a power of two >= 64: " + source.chunkLength());
        }
        this.source = source;
        this.chunkShift = Integer.numberOfTrailingZeros(chunkSlots);
        this.chunkMask = chunkSlots - 1;
        this.prepareAt = chunkSlots / 2;
    }

    /** @return slots in one chunk. */
    int chunkSlots()
    {
        return chunkMask + 1;
    }

    /**
     * Forget every position; the next slot put is at or after base.
     */
    void reset(final long base)
    {
        releaseAll();
        this.base = base;
        this.chunkBase = base & ~(long)chunkMask;
    }

    /** @return the lowest slot the index can hold. */
    long base()
    {
        return base;
    }

    /**
     * Point a slot at its record. A slot is either one already indexed (superseded) or the one after the last.
     */
    void put(final long slot, final int ordinal, final int offset)
    {
        final long relative = slot - chunkBase;
        reserve(slot).putLong((int)(relative & chunkMask) << 3, ((long)ordinal << 32) | offset);
    }

    /**
     * Make sure the chunk that holds a slot exists (taking it from the source if not), so a {@link #put} of that slot
     * cannot fail.
     *
     * @return the chunk.
     */
    UnsafeBuffer reserve(final long slot)
    {
        final long relative = slot - chunkBase;
        final int chunk = (int)(relative >>> chunkShift);
        final int within = (int)(relative & chunkMask);
        if (chunk >= chunks.length)
        {
            chunks = Arrays.copyOf(chunks, chunks.length * 2); // references only: one per chunk
        }
        UnsafeBuffer positions = chunks[chunk];
        if (positions == null)
        {
            positions = source.take((chunkBase >>> chunkShift) + chunk);
            chunks[chunk] = positions;
        }
        if (within == prepareAt && (chunk + 1 == chunks.length || chunks[chunk + 1] == null))
        {
            // Only from the last chunk: superseding a slot of an earlier one must not ask for a chunk already taken.
            source.prepare((chunkBase >>> chunkShift) + chunk + 1);
        }
        return positions;
    }

    /** @return the position of an indexed slot: ordinal in the high 32 bits, offset in the low. */
    long get(final long slot)
    {
        final long relative = slot - chunkBase;
        return chunks[(int)(relative >>> chunkShift)].getLong((int)(relative & chunkMask) << 3);
    }

    /**
     * Slots below firstSlot are no longer held: release the chunks that hold nothing else.
     */
    void dropBelow(final long firstSlot)
    {
        base = Math.max(base, firstSlot);
        if (firstSlot <= chunkBase)
        {
            return;
        }
        final int dropped = (int)Math.min((firstSlot - chunkBase) >>> chunkShift, chunks.length);
        if (dropped > 0)
        {
            for (int i = 0; i < dropped; i++)
            {
                if (chunks[i] != null)
                {
                    source.release(chunks[i]);
                }
            }
            System.arraycopy(chunks, dropped, chunks, 0, chunks.length - dropped);
            Arrays.fill(chunks, chunks.length - dropped, chunks.length, null);
            chunkBase += (long)dropped << chunkShift;
        }
    }

    /**
     * Release every chunk and the source.
     */
    public void close()
    {
        releaseAll();
        source.close();
    }

    private void releaseAll()
    {
        for (int i = 0; i < chunks.length; i++)
        {
            if (chunks[i] != null)
            {
                source.release(chunks[i]);
                chunks[i] = null;
            }
        }
    }
}
