package io.synod.core;

import io.synod.log.EntryArena;
import io.synod.log.LogEntry;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;
import java.util.BitSet;

/**
 * A candidate's collection of Promise replies: which acceptors have reported their whole tail, and per slot the value
 * accepted under the highest ballot among all reports. A report from any acceptor is safe to merge, even a partial
 * one; only complete reports count towards the majority.
 * <p>
 * Runs once per election, not on the hot path, so it keeps its own copies of the values.
 */
final class PhaseOneTally
{
    private final EntryArena values = new EntryArena(4096);
    private final Long2LongHashMap positionBySlot = new Long2LongHashMap(-1);
    private final boolean[] complete;
    private final BitSet[] received;
    private final long[] endSlot;
    private final long[] reportedCommitIndex;
    private long fromSlot;
    private long maxSlot;
    private int completeCount;

    PhaseOneTally(final int memberCount)
    {
        complete = new boolean[memberCount];
        received = new BitSet[memberCount];
        endSlot = new long[memberCount];
        reportedCommitIndex = new long[memberCount];
        for (int i = 0; i < memberCount; i++)
        {
            received[i] = new BitSet();
        }
    }

    void reset(final long fromSlot)
    {
        this.fromSlot = fromSlot;
        this.maxSlot = fromSlot - 1;
        this.completeCount = 0;
        values.truncate(0);
        positionBySlot.clear();
        Arrays.fill(complete, false);
        Arrays.fill(endSlot, -1);
        Arrays.fill(reportedCommitIndex, -1);
        for (final BitSet bits : received)
        {
            bits.clear();
        }
    }

    long fromSlot()
    {
        return fromSlot;
    }

    /**
     * @return the highest slot any report mentioned, fromSlot - 1 if none.
     */
    long maxSlot()
    {
        return maxSlot;
    }

    int completeCount()
    {
        return completeCount;
    }

    boolean isComplete(final int memberIndex)
    {
        return complete[memberIndex];
    }

    /**
     * Record that a chunk covering [chunkFromSlot, chunkEndSlot) arrived from a member; slots in it without an entry
     * had nothing accepted. Chunks may arrive in any order, twice, or from a repeated Prepare's answer: each slot's
     * report is the acceptor's state at some time after its promise, which is all phase 1 needs. The report is
     * complete once the slots up to the end named by a last chunk have all arrived.
     */
    void onChunk(final int memberIndex, final long chunkFromSlot, final long chunkEndSlot, final boolean last)
    {
        if (complete[memberIndex])
        {
            return;
        }
        final long from = Math.max(chunkFromSlot, fromSlot);
        if (chunkEndSlot > from)
        {
            received[memberIndex].set((int)(from - fromSlot), (int)(chunkEndSlot - fromSlot));
        }
        if (last && endSlot[memberIndex] < 0)
        {
            endSlot[memberIndex] = Math.max(chunkEndSlot, fromSlot);
        }
        if (endSlot[memberIndex] >= 0 &&
            received[memberIndex].nextClearBit(0) >= endSlot[memberIndex] - fromSlot)
        {
            markComplete(memberIndex);
        }
    }

    /**
     * An acceptor's first unchosen slot as its Promise said: where its catch-up starts.
     */
    void onCommitIndex(final int memberIndex, final long commitIndex)
    {
        reportedCommitIndex[memberIndex] = Math.max(reportedCommitIndex[memberIndex], commitIndex);
    }

    /**
     * @return the member's first unchosen slot as reported in its Promise, -1 if it did not answer.
     */
    long reportedCommitIndex(final int memberIndex)
    {
        return reportedCommitIndex[memberIndex];
    }

    void markComplete(final int memberIndex)
    {
        if (!complete[memberIndex])
        {
            complete[memberIndex] = true;
            completeCount++;
        }
    }

    /**
     * Merge one reported value: kept if its ballot is the highest seen for the slot.
     *
     * @param entry the value with the slot it is for and the ballot it was accepted under; copied.
     */
    void offer(final LogEntry entry)
    {
        final long slot = entry.slot();
        if (slot < fromSlot)
        {
            return;
        }
        final long existing = positionBySlot.get(slot);
        if (existing != -1 && values.ballotAt((int)existing) >= entry.ballot())
        {
            return;
        }
        final int position = values.append(entry);
        positionBySlot.put(slot, position);
        maxSlot = Math.max(maxSlot, slot);
    }

    /**
     * @return false if no report mentioned slot: the new leader fills it with a no-op.
     */
    boolean read(final long slot, final LogEntry entry)
    {
        final long position = positionBySlot.get(slot);
        if (position == -1)
        {
            return false;
        }
        values.read((int)position, entry);
        return true;
    }
}
