package io.synod.sim;

import io.synod.log.PaxosLog;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a node's disk holds under the {@code FORCE} policy, modelled at the {@link PaxosLog} level: a journal of every
 * mutating call the node made, and how many of them a completed {@link PaxosLog#sync()} covers. A power cut loses the
 * calls after the last completed sync; the log that comes back is a fresh one into which only the synced calls are
 * replayed, in order. This is the guarantee {@code FORCE} gives (recovery returns the log to its state at the last
 * completed sync); how the mapped log keeps it against torn records and pages written back out of order is tested on
 * the files themselves, not here.
 * <p>
 * The replay calls the log's own methods, so it follows whatever they mean: an append below {@code nextSlot()} that
 * supersedes an entry replays as the same superseding append.
 */
final class DurableImage
{
    private final List<Consumer<PaxosLog>> journal = new ArrayList<>();
    private int synced;

    void promisedBallot(final long ballot)
    {
        journal.add(log -> log.promisedBallot(ballot));
    }

    void commitIndex(final long commitIndex)
    {
        journal.add(log -> log.commitIndex(commitIndex));
    }

    void truncateBelow(final long slot)
    {
        journal.add(log -> log.truncateBelow(slot));
    }

    void voting(final boolean voting)
    {
        journal.add(log -> log.voting(voting));
    }

    void append(
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
        final byte[] bytes = new byte[payloadLength];
        payload.getBytes(payloadOffset, bytes);
        journal.add(log -> log.append(
            slot, ballot, type, sessionId, sequence, timestamp, new UnsafeBuffer(bytes), 0, bytes.length));
    }

    /**
     * A sync completed: everything journalled so far is durable.
     */
    void synced()
    {
        synced = journal.size();
    }

    /**
     * @return calls made since the last completed sync: what a power cut now would lose.
     */
    int unsynced()
    {
        return journal.size() - synced;
    }

    /**
     * Power cut: forget the unsynced calls and rebuild the durable state into a fresh log.
     *
     * @param fresh an empty log.
     * @return fresh, holding exactly what the last completed sync made durable.
     */
    PaxosLog powerCut(final PaxosLog fresh)
    {
        journal.subList(synced, journal.size()).clear();
        for (final Consumer<PaxosLog> call : journal)
        {
            call.accept(fresh);
        }
        return fresh;
    }
}
