package io.synod.core;

import io.synod.codecs.AcceptDecoder;
import io.synod.codecs.EntryType;
import io.synod.log.LogEntry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One cluster time (issue 8 case 4): entries are stamped with a time that never goes backwards and does not depend on
 * where a host's own monotonic clock starts. A new leader continues from the highest timestamp in the log.
 */
class ClusterTimeTest
{
    private static final long FAR_AHEAD = 3_600_000_000_000_000L; // an hour's worth of other clocks, and more

    @Test
    void newLeaderWhoseClockIsBehindContinuesFromTheLogTimeNotItsOwnClock()
    {
        final TestNode leader = new TestNode(2, 0, 1, 2);
        acceptEarlierEntry(leader, FAR_AHEAD);
        leader.becomeLeaderWithEmptyPromisesFrom(0, 1);

        final long stamped = proposeAndReadTimestamp(leader);
        assertTrue(stamped >= FAR_AHEAD, "time went backwards: " + stamped + " after " + FAR_AHEAD);
        assertTrue(stamped - FAR_AHEAD < 1_000_000_000L, "time jumped: " + (stamped - FAR_AHEAD) + " ns");
    }

    @Test
    void newLeaderWhoseClockIsFarAheadDoesNotJumpTheClusterTime()
    {
        final TestNode leader = new TestNode(2, 0, 1, 2);
        leader.now = FAR_AHEAD; // this host's monotonic clock started long ago
        final long logTime = 2_000_000_000L;
        acceptEarlierEntry(leader, logTime);
        leader.becomeLeaderWithEmptyPromisesFrom(0, 1);

        final long stamped = proposeAndReadTimestamp(leader);
        assertTrue(stamped >= logTime, "time went backwards");
        assertTrue(stamped - logTime < 1_000_000_000L,
            "a leader with a clock far ahead must not age every session at once: jumped " + (stamped - logTime) + " ns");
    }

    @Test
    void clusterTimeAdvancesWithTheLeadersClock()
    {
        final TestNode leader = new TestNode(2, 0, 1, 2);
        acceptEarlierEntry(leader, 5_000L);
        leader.becomeLeaderWithEmptyPromisesFrom(0, 1);
        final long first = proposeAndReadTimestamp(leader);
        for (int i = 0; i < 7; i++)
        {
            leader.hearFollowers(); // still leading: it hears a majority
            leader.tick(TestNode.T);
        }
        final long second = proposeAndReadTimestamp(leader);
        assertTrue(second - first >= 7 * TestNode.T, "advanced by " + (second - first));
    }

    /** Slot 0 accepted from an earlier leader that stamped it with its own cluster time. */
    private static void acceptEarlierEntry(final TestNode node, final long timestamp)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[1]);
        node.log.append(0, Ballot.of(1, 1), (byte)EntryType.NOOP.value(), 0, 0, timestamp, payload, 0, 0);
    }

    private static long proposeAndReadTimestamp(final TestNode leader)
    {
        leader.outbox.take(AcceptDecoder.TEMPLATE_ID);
        final long slot = leader.log.nextSlot();
        leader.wire.sessionOpen(slot).fromClient(leader.node, 9);
        leader.node.doWork();
        final LogEntry entry = new LogEntry();
        assertTrue(leader.log.read(slot, entry), "a session open was proposed at slot " + slot);
        assertEquals(EntryType.SESSION_OPEN.value(), entry.type());
        return entry.timestamp();
    }
}
