package io.synod.log;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SlotIndexTest
{
    private static final int CHUNK_SLOTS = 1024;

    private final SlotIndex index = new SlotIndex(new DirectChunks(CHUNK_SLOTS * Long.BYTES));

    @TempDir
    Path directory;

    @AfterEach
    void close()
    {
        index.close();
    }

    private static long position(final int ordinal, final int offset)
    {
        return ((long)ordinal << 32) | offset;
    }

    @Test
    void holdsPositionsAcrossChunksFromAnyBaseWithoutCopyingThem()
    {
        final long base = 5 * CHUNK_SLOTS + 123;
        index.reset(base);
        final int slots = 3 * CHUNK_SLOTS + 7;
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
        final int slots = 4 * CHUNK_SLOTS;
        for (int slot = 0; slot < slots; slot++)
        {
            index.put(slot, 1, slot);
        }
        final long firstSlot = 2 * CHUNK_SLOTS + 5;
        index.dropBelow(firstSlot);
        assertEquals(firstSlot, index.base());
        for (long slot = firstSlot; slot < slots; slot += 1001)
        {
            assertEquals(position(1, (int)slot), index.get(slot));
        }
        index.put(slots, 2, 7); // and keeps growing
        assertEquals(position(2, 7), index.get(slots));
    }

    @Test
    void asksForEachNextChunkAheadBeforeTakingIt()
    {
        final RecordingSource source = new RecordingSource();
        try (SlotIndex recorded = new SlotIndex(source))
        {
            recorded.reset(0);
            for (int slot = 0; slot < 3 * CHUNK_SLOTS; slot++)
            {
                recorded.put(slot, 0, slot);
            }
        }
        assertEquals("take 0, prepare 1, take 1, prepare 2, take 2, prepare 3, ", source.calls.toString());
    }

    @Test
    void supersedingASlotOfAnEarlierChunkAsksForNothing()
    {
        final RecordingSource source = new RecordingSource();
        try (SlotIndex recorded = new SlotIndex(source))
        {
            recorded.reset(0);
            for (int slot = 0; slot < 2 * CHUNK_SLOTS + 1; slot++)
            {
                recorded.put(slot, 0, slot);
            }
            recorded.put(CHUNK_SLOTS + CHUNK_SLOTS / 2, 1, 0); // the slot at which chunk 1 asked for chunk 2
            recorded.put(CHUNK_SLOTS / 2, 1, 0);
        }
        assertEquals("take 0, prepare 1, take 1, prepare 2, take 2, ", source.calls.toString());
    }

    @Test
    void mappedChunksLeaveNoFileInTheDirectory() throws IOException
    {
        try (SlotIndex mapped = new SlotIndex(new MappedChunks(directory, CHUNK_SLOTS * Long.BYTES)))
        {
            mapped.reset(0);
            for (int slot = 0; slot < 5 * CHUNK_SLOTS; slot++)
            {
                mapped.put(slot, 2, slot);
            }
            for (int slot = 0; slot < 5 * CHUNK_SLOTS; slot += 77)
            {
                assertEquals(position(2, slot), mapped.get(slot));
            }
        }
        // While open, the file of the chunk being made ahead exists until it is mapped; closing waits for it.
        try (Stream<Path> files = Files.list(directory))
        {
            assertEquals(0, files.count(), "chunk files are unlinked once mapped");
        }
    }

    private static final class RecordingSource implements ChunkSource
    {
        final StringBuilder calls = new StringBuilder();

        public int chunkLength()
        {
            return CHUNK_SLOTS * Long.BYTES;
        }

        public void prepare(final long number)
        {
            calls.append("prepare ").append(number).append(", ");
        }

        public UnsafeBuffer take(final long number)
        {
            calls.append("take ").append(number).append(", ");
            return new UnsafeBuffer(new byte[chunkLength()]);
        }

        public void release(final UnsafeBuffer chunk)
        {
        }

        public void close()
        {
        }
    }
}
