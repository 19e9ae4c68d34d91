package io.synod.node;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LatencyTrackerTest
{
    private final NodeMetrics metrics = new NodeMetrics(null);
    private final LatencyTracker tracker = new LatencyTracker(metrics, 1024);

    @Test
    void timesEachResponseOfAWindowFromItsReceipt()
    {
        metrics.beginCycle();
        for (long sequence = 1; sequence <= 1024; sequence++)
        {
            tracker.onCommandReceived(7, sequence, 1_000 + sequence);
        }
        for (long sequence = 1; sequence <= 1024; sequence++)
        {
            tracker.onResponseSent(7, sequence, 1_000 + sequence + 5_000);
        }
        metrics.endCycle();
        assertEquals(1024, metrics.histogram("response").getTotalCount());
        assertEquals(5_000, metrics.histogram("response").getMaxValue(), 5);
    }

    @Test
    void aResponseWithoutItsReceiptOrSentTwiceIsNotTimed()
    {
        metrics.beginCycle();
        tracker.onResponseSent(7, 1, 10_000); // received before this node led: no receipt
        tracker.onCommandReceived(7, 2, 1_000);
        tracker.onResponseSent(7, 2, 3_000);
        tracker.onResponseSent(7, 2, 9_000); // a duplicate answered from the session's stored response
        tracker.onCommandReceived(8, 1, 1_000);
        tracker.onResponseSent(9, 1, 2_000); // another session's sequence
        metrics.endCycle();
        assertEquals(1, metrics.histogram("response").getTotalCount());
        assertEquals(2_000, metrics.histogram("response").getMaxValue(), 2);
    }
}
