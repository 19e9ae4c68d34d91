package io.synod.log;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;

/**
 * A {@link PaxosLog} held in memory, for the simulation, tests, the core's benchmarks and nodes that need no
 * durability.
 * <p>
 * Entries and the slot index live off the heap, in chunks of direct memory ({@link EntryChunks}, {@link SlotIndex}):
 * growing takes a new chunk and never copies what is held, and the heap stays flat however many entries are appended.
 * The log still grows with history, by the entries' bytes plus 8 bytes per slot, until snapshots exist to drop slots
 * ({@link #truncateBelow(long)} releases whole chunks below the lowest slot kept). Direct memory is bounded by
 * {@code -XX:MaxDirectMemorySize} (by default the maximum heap size): a node that must run indefinitely uses
 * {@link MappedPaxosLog}. A new chunk is allocated (and zeroed) on the appending thread, once per chunk length of
 * entries; the first one is allocated by the constructor.
 * <p>
 * Crash semantics: everything written is kept, as with a mapped log under the {@code NONE} policy after a process
 * crash; a simulated crash discards the core and keeps this object, so {@link #close()} frees nothing: the chunks are
 * freed when the log is garbage collected. A superseded entry stays in its chunk until the chunk is released.
 */
public final class InMemoryPaxosLog implements PaxosLog
{
    private static final int MIN_CHUNK_LENGTH = 4096;
    private static final int MAX_CHUNK_LENGTH = 64 * 1024 * 1024;
    private static final int MAX_INDEX_CHUNK_LENGTH = 512 * 1024;

    private final int maxPayloadLength;
    private final EntryChunks entries;
    private final SlotIndex index;
    private long firstSlot;
    private long nextSlot;
    private long promisedBallot;
    private long commitIndex;
    private boolean voting;

    /**
     * @param maxPayloadLength largest payload accepted.
     */
    public InMemoryPaxosLog(final int maxPayloadLength)
    {
        this(maxPayloadLength, 1 << 20);
    }

    /**
     * A log created empty and not voting, as for a node that may have lost its state: see {@link #voting()}.
     *
     * @param maxPayloadLength largest payload accepted.
     * @param initialCapacity  bytes reserved up front: the length of each chunk of entries (at least one entry of
     *                         maxPayloadLength).
     */
    public InMemoryPaxosLog(final int maxPayloadLength, final int initialCapacity)
    {
        this(maxPayloadLength, initialCapacity, false);
    }

    /**
     * @param maxPayloadLength largest payload accepted.
     * @param initialCapacity  bytes reserved up front: the length of each chunk of entries (at least one entry of
     *                         maxPayloadLength).
     * @param voting           initial value of {@link #voting()}: true only for a member of a cluster being formed
     *                         (or a test that starts from a voting acceptor).
     */
    public InMemoryPaxosLog(final int maxPayloadLength, final int initialCapacity, final boolean voting)
    {
        if (maxPayloadLength < 0)
        {
            throw new IllegalArgumentException("maxPayloadLength must be >= 0: " + maxPayloadLength);
        }
        this.maxPayloadLength = maxPayloadLength;
        final int chunkLength = Math.max(EntryArena.recordLength(maxPayloadLength),
            Math.max(MIN_CHUNK_LENGTH, Math.min(initialCapacity, MAX_CHUNK_LENGTH)));
        this.entries = new EntryChunks(new DirectChunks(BitUtil.align(chunkLength, MIN_CHUNK_LENGTH)));
        // Small logs (the simulation makes thousands) get small index chunks: 64 Ki slots at most.
        final int indexChunkLength = Math.min(MAX_INDEX_CHUNK_LENGTH, Integer.highestOneBit(chunkLength));
        this.index = new SlotIndex(new DirectChunks(indexChunkLength));
        this.voting = voting;
    }

    public boolean voting()
    {
        return voting;
    }

    public void voting(final boolean voting)
    {
        this.voting = voting;
    }

    public long promisedBallot()
    {
        return promisedBallot;
    }

    public void promisedBallot(final long ballot)
    {
        if (ballot < promisedBallot)
        {
            throw new IllegalArgumentException("promise may not go down: " + ballot + " < " + promisedBallot);
        }
        promisedBallot = ballot;
    }

    public long commitIndex()
    {
        return commitIndex;
    }

    public void commitIndex(final long commitIndex)
    {
        if (commitIndex < this.commitIndex || commitIndex > nextSlot)
        {
            throw new IllegalArgumentException(
                "commitIndex " + commitIndex + " outside [" + this.commitIndex + ", " + nextSlot + "]");
        }
        this.commitIndex = commitIndex;
    }

    public long firstSlot()
    {
        return firstSlot;
    }

    public long nextSlot()
    {
        return nextSlot;
    }

    public long ballotAt(final long slot)
    {
        if (slot < firstSlot || slot >= nextSlot)
        {
            return NO_BALLOT;
        }
        return entries.ballotAt(position(slot));
    }

    public boolean read(final long slot, final LogEntry entry)
    {
        if (slot < firstSlot || slot >= nextSlot)
        {
            return false;
        }
        entries.read(position(slot), entry);
        return true;
    }

    public void append(
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
        if (slot > nextSlot || slot < commitIndex || slot < firstSlot)
        {
            throw new IllegalArgumentException("append at slot " + slot + " outside [" + Math.max(firstSlot, commitIndex) +
                ", " + nextSlot + "]");
        }
        if (payloadLength < 0 || payloadLength > maxPayloadLength)
        {
            throw new IllegalArgumentException(
                "payload length " + payloadLength + " outside [0, " + maxPayloadLength + "]");
        }

        final long position = entries.append(
            slot, ballot, type, sessionId, sequence, timestamp, payload, payloadOffset, payloadLength);
        index.put(slot, (int)(position >>> 32), (int)position);
        if (slot == nextSlot)
        {
            nextSlot = slot + 1;
        }
    }

    public void truncateBelow(final long slot)
    {
        if (slot > commitIndex)
        {
            throw new IllegalArgumentException("cannot drop unchosen slot: " + slot + " > commitIndex " + commitIndex);
        }
        if (slot <= firstSlot)
        {
            return;
        }
        firstSlot = slot;
        index.dropBelow(slot);
        entries.releaseBelow(lowestLivePosition());
    }

    /**
     * Superseded entries are appended, so a kept slot's entry may sit before the first kept slot's: find the lowest.
     * Runs only when slots are dropped below a snapshot, never on the append path.
     */
    private long lowestLivePosition()
    {
        long lowest = entries.limit();
        for (long slot = firstSlot; slot < nextSlot; slot++)
        {
            lowest = Math.min(lowest, position(slot));
        }
        return lowest;
    }

    public int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    public void sync()
    {
        // Heap memory: nothing to force. The simulation's crash keeps this object.
    }

    /**
     * Nothing to release: a simulated crash closes the log and keeps using it; its memory is freed with the object.
     */
    public void close()
    {
    }

    /** @return chunks of entries held, for tests. */
    int entryChunkCount()
    {
        return entries.chunkCount();
    }

    private long position(final long slot)
    {
        return index.get(slot);
    }

    public String toString()
    {
        return "InMemoryPaxosLog{firstSlot=" + firstSlot + ", nextSlot=" + nextSlot + ", commitIndex=" + commitIndex +
            ", promisedBallot=" + promisedBallot + ", voting=" + voting + '}';
    }
}
