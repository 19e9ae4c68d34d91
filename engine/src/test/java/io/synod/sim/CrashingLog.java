package io.synod.sim;

import io.synod.log.LogEntry;
import io.synod.log.PaxosLog;
import org.agrona.DirectBuffer;

/**
 * A {@link PaxosLog} that can die in the middle of a duty cycle: once armed with a budget of k writes, the (k+1)-th
 * mutating call ({@code append}, {@code promisedBallot}, {@code commitIndex}, {@code truncateBelow},
 * {@code voting}) or the next {@code sync()}, whichever comes first, throws {@link SimulatedCrash} instead of
 * acting. The writes before it stay in the delegate, as a process crash leaves them in a mapped log under
 * {@code NONE}; a {@link DurableImage}, when given, journals every write so that a power cut can bring back only what
 * the last completed sync made durable.
 */
final class CrashingLog implements PaxosLog
{
    private static final int DISARMED = -1;

    private final int nodeId;
    private final PaxosLog log;
    private final DurableImage image;
    private int budget = DISARMED;
    private boolean crashAtSync;
    private int writesSinceSync;

    /**
     * @param nodeId whose log this is, for the crash's message.
     * @param log    the log written through.
     * @param image  journal of the writes for power cuts, or null when the node never loses unsynced writes.
     */
    CrashingLog(final int nodeId, final PaxosLog log, final DurableImage image)
    {
        this.nodeId = nodeId;
        this.log = log;
        this.image = image;
    }

    /**
     * Arm: let {@code writes} more writes through, then crash on the next write or sync.
     */
    void crashAfter(final int writes)
    {
        budget = writes;
    }

    /**
     * Arm: crash at the next sync that has writes to make durable, after every write of that cycle was made and
     * none made durable.
     */
    void crashAtNextSync()
    {
        crashAtSync = true;
    }

    void disarm()
    {
        budget = DISARMED;
        crashAtSync = false;
    }

    boolean isArmed()
    {
        return budget != DISARMED || crashAtSync;
    }

    PaxosLog delegate()
    {
        return log;
    }

    private void beforeWrite()
    {
        if (budget == 0)
        {
            budget = DISARMED;
            throw new SimulatedCrash(nodeId, writesSinceSync);
        }
        if (budget > 0)
        {
            budget--;
        }
        writesSinceSync++;
    }

    public long promisedBallot()
    {
        return log.promisedBallot();
    }

    public void promisedBallot(final long ballot)
    {
        beforeWrite();
        log.promisedBallot(ballot);
        if (image != null)
        {
            image.promisedBallot(ballot);
        }
    }

    public long commitIndex()
    {
        return log.commitIndex();
    }

    public void commitIndex(final long commitIndex)
    {
        beforeWrite();
        log.commitIndex(commitIndex);
        if (image != null)
        {
            image.commitIndex(commitIndex);
        }
    }

    public long firstSlot()
    {
        return log.firstSlot();
    }

    public long nextSlot()
    {
        return log.nextSlot();
    }

    public long ballotAt(final long slot)
    {
        return log.ballotAt(slot);
    }

    public boolean read(final long slot, final LogEntry entry)
    {
        return log.read(slot, entry);
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
        beforeWrite();
        log.append(slot, ballot, type, sessionId, sequence, timestamp, payload, payloadOffset, payloadLength);
        if (image != null)
        {
            image.append(slot, ballot, type, sessionId, sequence, timestamp, payload, payloadOffset, payloadLength);
        }
    }

    public void truncateBelow(final long slot)
    {
        beforeWrite();
        log.truncateBelow(slot);
        if (image != null)
        {
            image.truncateBelow(slot);
        }
    }

    public boolean voting()
    {
        return log.voting();
    }

    public void voting(final boolean voting)
    {
        beforeWrite();
        log.voting(voting);
        if (image != null)
        {
            image.voting(voting);
        }
    }

    public int maxPayloadLength()
    {
        return log.maxPayloadLength();
    }

    public void sync()
    {
        if (budget == 0 || crashAtSync && writesSinceSync > 0)
        {
            disarm();
            throw new SimulatedCrash(nodeId, writesSinceSync);
        }
        log.sync();
        if (image != null)
        {
            image.synced();
        }
        writesSinceSync = 0;
    }

    public void close()
    {
        log.close();
    }

    public String toString()
    {
        return log.toString();
    }
}
