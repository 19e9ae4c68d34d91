package io.synod.log;

import java.util.Arrays;

/**
 * Where each slot's current record is: {@code segment ordinal << 32 | offset}, one long per slot from a base slot.
 * A superseding record simply overwrites its slot's position. Grows by doubling and is compacted when slots below a
 * snapshot are dropped; it lives on the heap and grows with the slots held (bounded only by compaction).
 */
final class SlotIndex
{
    private long[] positions = new long[1024];
    private long base;

    /**
     * Forget every position; the next slot put is at or after base.
     */
    void reset(final long base)
    {
        this.base = base;
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
        final int index = (int)(slot - base);
        if (index == positions.length)
        {
            positions = Arrays.copyOf(positions, positions.length * 2);
        }
        positions[index] = ((long)ordinal << 32) | offset;
    }

    /** @return the position of an indexed slot: ordinal in the high 32 bits, offset in the low. */
    long get(final long slot)
    {
        return positions[(int)(slot - base)];
    }

    /**
     * Slots below firstSlot are no longer held: once they fill half of the index, move the rest to the front.
     */
    void dropBelow(final long firstSlot, final long nextSlot)
    {
        final int dropped = (int)(firstSlot - base);
        if (dropped >= positions.length / 2)
        {
            System.arraycopy(positions, dropped, positions, 0, (int)(nextSlot - firstSlot));
            base = firstSlot;
        }
    }
}
