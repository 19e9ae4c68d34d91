package io.synod.log;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * The in-memory log's entries, in {@link EntryArena}'s record layout, packed one after another in chunks off the heap:
 * growing takes a new chunk and never copies what is held. An entry never spans two chunks; its position is
 * {@code chunk number << 32 | offset}, so positions increase in the order entries were appended. Chunks wholly below
 * a position are released by {@link #releaseBelow(long)}.
 */
final class EntryChunks implements AutoCloseable
{
    private final ChunkSource source;
    private final int chunkLength;
    private UnsafeBuffer[] chunks = new UnsafeBuffer[16];
    // chunks[0] is chunk number baseChunk; the last chunk taken is lastChunk, written up to offset.
    private long baseChunk;
    private long lastChunk;
    private int offset;

    /**
     * @param source of chunks, each at least as long as the longest entry; closed with this.
     */
    EntryChunks(final ChunkSource source)
    {
        this.source = source;
        this.chunkLength = source.chunkLength();
        chunks[0] = source.take(0);
    }

    /**
     * Add an entry at the end.
     *
     * @return its position.
     */
    long append(
        final long slot,
        final long ballot,
        final byte type,
        final long sessionId,
        final long sequence,
        final long timestamp,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        if (offset + EntryArena.recordLength(payloadLength) > chunkLength)
        {
            final int index = (int)(lastChunk + 1 - baseChunk);
            if (index == chunks.length)
            {
                chunks = Arrays.copyOf(chunks, chunks.length * 2); // references only: one per chunk
            }
            // Taken first, so a failure (no memory) leaves the entries as they were.
            chunks[index] = source.take(lastChunk + 1);
            lastChunk++;
            offset = 0;
        }
        final int position = offset;
        offset += EntryArena.write(chunks[(int)(lastChunk - baseChunk)], position, slot, ballot, type, sessionId,
            sequence, timestamp, payload, payloadOffset, payloadLength);
        return lastChunk << 32 | position;
    }

    /**
     * Point a view at the entry at position (zero copy: valid until its chunk is released).
     */
    void read(final long position, final LogEntry entry)
    {
        EntryArena.read(chunkOf(position), (int)position, entry);
    }

    /**
     * @return the ballot of the entry at position.
     */
    long ballotAt(final long position)
    {
        return EntryArena.ballotAt(chunkOf(position), (int)position);
    }

    /**
     * @return the position the next entry would get if it fitted the current chunk: after every entry held.
     */
    long limit()
    {
        return lastChunk << 32 | offset;
    }

    /**
     * Release the chunks that hold only entries below position (never the current one).
     */
    void releaseBelow(final long position)
    {
        final int dropped = (int)(Math.min(position >>> 32, lastChunk) - baseChunk);
        if (dropped > 0)
        {
            for (int i = 0; i < dropped; i++)
            {
                source.release(chunks[i]);
            }
            System.arraycopy(chunks, dropped, chunks, 0, chunks.length - dropped);
            Arrays.fill(chunks, chunks.length - dropped, chunks.length, null);
            baseChunk += dropped;
        }
    }

    /** @return chunks held. */
    int chunkCount()
    {
        return (int)(lastChunk - baseChunk) + 1;
    }

    /**
     * Release every chunk and the source.
     */
    public void close()
    {
        for (int i = 0; i < chunks.length; i++)
        {
            if (chunks[i] != null)
            {
                source.release(chunks[i]);
                chunks[i] = null;
            }
        }
        source.close();
    }

    private UnsafeBuffer chunkOf(final long position)
    {
        return chunks[(int)((position >>> 32) - baseChunk)];
    }
}
