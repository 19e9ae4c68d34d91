package io.synod.log;

import java.util.Arrays;

/**
 * Where each slot's current record is: {@code segment ordinal << 32 | offset}, one long per slot from a base slot.
 * A superseding record simply overwrites its slot's position.
 * <p>
 * Held in chunks of {@value #CHUNK_SLOTS} slots, so growing never copies what is indexed: the node thread allocates
 * one 512 KiB chunk per {@value #CHUNK_SLOTS} slots instead of doubling (and copying) one array that reaches hundreds
 * of megabytes. Chunks below the first slot kept are released when slots are dropped below a snapshot. It still
 * lives on the heap and grows with the slots held until snapshots bound them.
 */
final class SlotIndex
{
    static final int CHUNK_SLOTS = 1 << 16;
    private static final int CHUNK_SHIFT = Integer.numberOfTrailingZeros(CHUNK_SLOTS);
    private static final int CHUNK_MASK = CHUNK_SLOTS - 1;

    private long[][] chunks = new long[16][];
    // The chunk at chunks[0] holds slots from chunkBase; base is the lowest slot the index holds.
    private long chunkBase;
    private long base;

    /**
     * Forget every position; the next slot put is at or after base.
     */
    void reset(final long base)
    {
        Arrays.fill(chunks, null);
        this.base = base;
        this.chunkBase = base & ~(long)CHUNK_MASK;
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
        final int chunk = (int)(relative >>> CHUNK_SHIFT);
        if (chunk >= chunks.length)
        {
            chunks = Arrays.copyOf(chunks, chunks.length * 2); // references only: one per 64 Ki slots
        }
        long[] positions = chunks[chunk];
        if (positions == null)
        {
            positions = new long[CHUNK_SLOTS];
            chunks[chunk] = positions;
        }
        positions[(int)(relative & CHUNK_MASK)] = ((long)ordinal << 32) | offset;
    }

    /** @return the position of an indexed slot: ordinal in the high 32 bits, offset in the low. */
    long get(final long slot)
    {
        final long relative = slot - chunkBase;
        return chunks[(int)(relative >>> CHUNK_SHIFT)][(int)(relative & CHUNK_MASK)];
    }

    /**
     * Slots below firstSlot are no longer held: release the chunks that hold nothing else.
     */
    void dropBelow(final long firstSlot)
    {
        base = Math.max(base, firstSlot);
        final int dropped = (int)((firstSlot - chunkBase) >>> CHUNK_SHIFT);
        if (dropped > 0)
        {
            System.arraycopy(chunks, dropped, chunks, 0, chunks.length - dropped);
            Arrays.fill(chunks, chunks.length - dropped, chunks.length, null);
            chunkBase += (long)dropped << CHUNK_SHIFT;
        }
    }
}
