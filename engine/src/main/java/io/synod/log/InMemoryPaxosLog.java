package io.synod.log;

import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * A {@link PaxosLog} held on the heap, for the simulation and the core's benchmarks.
 * <p>
 * Crash semantics: everything written is kept, as with a mapped log under the {@code NONE} policy after a process
 * crash; a simulated crash discards the core and keeps this object. Memory of slots dropped by
 * {@link #truncateBelow(long)} is reclaimed once they fill half of the arena, so steady-state appends do not allocate.
 * A superseded entry stays in the arena until then.
 */
public final class InMemoryPaxosLog implements PaxosLog
{
    private final int maxPayloadLength;
    private final EntryArena arena;
    private long[] positions;
    private long baseSlot;
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
     * @param initialCapacity  bytes reserved up front.
     */
    public InMemoryPaxosLog(final int maxPayloadLength, final int initialCapacity)
    {
        this(maxPayloadLength, initialCapacity, false);
    }

    /**
     * @param maxPayloadLength largest payload accepted.
     * @param initialCapacity  bytes reserved up front.
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
        this.arena = new EntryArena(initialCapacity);
        this.positions = new long[1024];
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
        return arena.ballotAt(position(slot));
    }

    public boolean read(final long slot, final LogEntry entry)
    {
        if (slot < firstSlot || slot >= nextSlot)
        {
            return false;
        }
        arena.read(position(slot), entry);
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

        final int index = (int)(slot - baseSlot);
        if (index == positions.length)
        {
            positions = Arrays.copyOf(positions, positions.length * 2);
        }
        positions[index] = arena.append(
            slot, ballot, type, sessionId, sequence, timestamp, payload, payloadOffset, payloadLength);
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
        final int dropped = lowestLivePosition();
        if (dropped >= arena.capacity() / 2)
        {
            compact(dropped);
        }
    }

    /**
     * Superseded entries are appended, so a kept slot's entry may sit before the first kept slot's: find the lowest.
     */
    private int lowestLivePosition()
    {
        int lowest = arena.limit();
        for (long slot = firstSlot; slot < nextSlot; slot++)
        {
            lowest = Math.min(lowest, position(slot));
        }
        return lowest;
    }

    private void compact(final int dropped)
    {
        final int shift = arena.compact(dropped);
        final int from = (int)(firstSlot - baseSlot);
        final int count = (int)(nextSlot - firstSlot);
        for (int i = 0; i < count; i++)
        {
            positions[i] = positions[from + i] - shift;
        }
        baseSlot = firstSlot;
    }

    public int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    public void sync()
    {
        // Heap memory: nothing to force. The simulation's crash keeps this object.
    }

    public void close()
    {
    }

    private int position(final long slot)
    {
        return (int)positions[(int)(slot - baseSlot)];
    }

    public String toString()
    {
        return "InMemoryPaxosLog{firstSlot=" + firstSlot + ", nextSlot=" + nextSlot + ", commitIndex=" + commitIndex +
            ", promisedBallot=" + promisedBallot + ", voting=" + voting + '}';
    }
}
