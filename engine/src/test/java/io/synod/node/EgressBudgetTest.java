package io.synod.node;

import io.synod.client.SynodClient;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node-wide egress budget (maxEgressQueueBytes): client queues take their capacity from it and give it back; a
 * queue refused growth is full at its size and drops its oldest, as a slow consumer's does. Over real UDP: a client
 * that stops reading is dropped to, counted and reported, and another client is served. UDP ports 28600-28699.
 */
class EgressBudgetTest
{
    private static final int KIB = 1024;

    @Test
    void queuesGrowWithinTheBudgetAndGiveItBack()
    {
        final RuntimeCounts counts = new RuntimeCounts();
        final EgressBudget budget = new EgressBudget(256 * KIB, counts);
        final DestinationQueue slow = new DestinationQueue(1024 * KIB, budget);
        final DestinationQueue other = new DestinationQueue(1024 * KIB, budget);
        assertEquals(128 * KIB, budget.reserved(), "64 KiB each to start");

        final UnsafeBuffer message = new UnsafeBuffer(new byte[1000]);
        for (int i = 0; i < 100; i++) // about 100 KB: the slow queue doubles once, to 128 KiB
        {
            assertTrue(slow.append(message, 0, message.capacity()));
        }
        assertEquals(128 * KIB, slow.capacity());
        assertEquals(192 * KIB, budget.reserved());
        assertEquals(0, slow.dropped());

        for (int i = 0; i < 100; i++) // past 128 KiB: growth to 256 KiB would hold 320 KiB in all, refused
        {
            assertTrue(slow.append(message, 0, message.capacity()));
        }
        assertEquals(128 * KIB, slow.capacity(), "full at the size it has");
        assertTrue(slow.dropped() > 0 && slow.growthsRefused() > 0 && counts.egressGrowthsRefused > 0);
        assertEquals(192 * KIB, counts.egressQueueBytes);

        other.release(); // its client forgotten: the slow queue may grow again
        assertEquals(128 * KIB, budget.reserved());
        final long dropped = slow.dropped();
        assertTrue(slow.append(message, 0, message.capacity()));
        assertEquals(256 * KIB, slow.capacity(), "grew into the room given back");
        assertEquals(dropped, slow.dropped(), "nothing dropped this time");
        assertEquals(256 * KIB, budget.reserved());
        slow.release();
        assertEquals(0, budget.reserved());
    }

    @Test
    void aQueueRefusedEvenItsFirstBytesDropsWhatItIsGiven()
    {
        final EgressBudget budget = new EgressBudget(64 * KIB, new RuntimeCounts());
        final DestinationQueue first = new DestinationQueue(1024 * KIB, budget);
        final DestinationQueue second = new DestinationQueue(1024 * KIB, budget);
        assertEquals(0, second.capacity());
        assertFalse(second.append(new UnsafeBuffer(new byte[8]), 0, 8));
        assertEquals(1, second.dropped());
        first.release();
        assertTrue(second.append(new UnsafeBuffer(new byte[8]), 0, 8), "room again once the first gave it back");
    }

    @Test
    void aClientThatStopsReadingIsASlowConsumerAndOthersAreServed()
    {
        try (TestCluster cluster = new TestCluster(28600, 3, (ctx) ->
        {
            ctx.admission().egressQueueCapacity(1024 * KIB).maxEgressQueueBytes(1024 * KIB);
            return ctx;
        }))
        {
            cluster.awaitLeader(5000);
            try (SynodClient reader = ClusterIntegrationTest.client(cluster))
            {
                ClusterIntegrationTest.sendAll(reader, 0, 5);
                final int leader = cluster.awaitLeader(5000);
                final NodeCounters counters = cluster.nodes[leader].counters();
                try (RawClient stalled = SessionSecurityTest.rawClient(cluster, leader))
                {
                    // Never polls its responses: once Aeron's window to it is full they wait in its queue on the node.
                    for (int i = 1; i <= 40_000 && counters.egressGrowthsRefused() == 0; i++)
                    {
                        stalled.sendCommand(999_999, i, 8); // each answered UNKNOWN_SESSION
                    }
                    TestCluster.awaitTrue(() -> counters.egressGrowthsRefused() > 0, 10_000,
                        () -> "a growth refused; queues hold " + counters.egressQueueBytes() + " bytes");
                    assertTrue(counters.egressQueueBytes() <= 1024 * KIB, "within the budget: " +
                        counters.egressQueueBytes());
                    assertTrue(counters.clientMessagesDropped() > 0, "the slow consumer's oldest dropped");
                    assertTrue(cluster.errors().stream().anyMatch((e) -> e.getMessage().contains(
                        "synod.max.egress.queue.bytes")), "reported naming the setting: " + cluster.errors());
                    ClusterIntegrationTest.sendAll(reader, 5, 20); // the reader is still served
                }
            }
        }
    }
}
