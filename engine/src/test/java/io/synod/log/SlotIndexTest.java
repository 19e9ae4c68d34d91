package io.synod.log;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SlotIndexTest
{
    private final SlotIndex index = new SlotIndex();

    private static long position(final int ordinal, final int offset)
    {
        return ((long)ordinal << 32) | offset;
    }

    @Test
    void holdsPositionsAcrossChunksFromAnyBaseWithoutCopyingThem()
    {
        final long base = 5 * SlotIndex.CHUNK_SLOTS + 123;
        index.reset(base);
        final int slots = 3 * SlotIndex.CHUNK_SLOTS + 7;
        for (int i = 0; i < slots; i++)
        {
            index.put(base + i, i / 1000, i % 1000);
        }
        assertEquals(base, index.base());
        for (int i = 0; i < slots; i += 997)
        {
            assertEquals(position(i / 1000, i % 1000), index.get(base + i), "slot " + (base + i));
        }
        assertEquals(position((slots - 1) / 1000, (slots - 1) % 1000), index.get(base + slots - 1));
    }

    @Test
    void supersedingASlotOverwritesOnlyItsPosition()
    {
        index.reset(0);
        for (int slot = 0; slot < 10; slot++)
        {
            index.put(slot, 0, slot * 8);
        }
        index.put(4, 3, 4096);
        assertEquals(position(3, 4096), index.get(4));
        assertEquals(position(0, 24), index.get(3));
        assertEquals(position(0, 40), index.get(5));
    }

    @Test
    void droppingBelowASnapshotReleasesWholeChunksAndKeepsTheRest()
    {
        index.reset(0);
        final int slots = 4 * SlotIndex.CHUNK_SLOTS;
        for (int slot = 0; slot < slots; slot++)
        {
            index.put(slot, 1, slot);
        }
        final long firstSlot = 2 * SlotIndex.CHUNK_SLOTS + 5;
        index.dropBelow(firstSlot);
        assertEquals(firstSlot, index.base());
        for (long slot = firstSlot; slot < slots; slot += 1001)
        {
            assertEquals(position(1, (int)slot), index.get(slot));
        }
        index.put(slots, 2, 7); // and keeps growing
        assertEquals(position(2, 7), index.get(slots));
    }
}
