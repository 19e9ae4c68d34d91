package io.synod.samples.matching;

import io.synod.samples.cluster.CommandSender;
import io.synod.samples.cluster.LocalCluster;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.synod.samples.matching.OrderCommands.BUY;
import static io.synod.samples.matching.OrderCommands.SELL;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The matching engine replicated by three {@link io.synod.node.SynodNode}s over UDP on loopback, driven by a
 * {@link io.synod.client.SynodClient}: every report matches the reference model, and every replica ends with the
 * same books. UDP ports 26910-26912 and 26960-26962.
 */
class MatchingEngineReplicationTest
{
    private static final int INSTRUMENTS = 3;
    private static final int MAX_FILLS = 1_000;
    private static final long SEED = 5;
    private static final int BASE_PORT = 26_910;

    @Test
    void threeReplicasHoldTheSameBooksAfterRandomOrdersAndCancels()
    {
        try (LocalCluster<MatchingEngineStateMachine> cluster = new LocalCluster<>(
            BASE_PORT, 3, ExecutionReport.maxLength(MAX_FILLS),
            () -> new MatchingEngineStateMachine(INSTRUMENTS, MAX_FILLS)))
        {
            final ReferenceBook[] reference = runRandomOrders(cluster.sender());
            cluster.awaitReplicasApplied();
            cluster.close(); // stops the node threads, so their state machines can be read here

            final long digest = cluster.replica(0).digest();
            for (int nodeId = 0; nodeId < cluster.nodeCount(); nodeId++)
            {
                final MatchingEngineStateMachine replica = cluster.replica(nodeId);
                assertEquals(digest, replica.digest(), "digest of node " + nodeId + " (seed " + SEED + ")");
                for (int instrumentId = 0; instrumentId < INSTRUMENTS; instrumentId++)
                {
                    assertEquals(reference[instrumentId].side(BUY), BookInspection.side(replica, instrumentId, BUY),
                        "bids of instrument " + instrumentId + " on node " + nodeId);
                    assertEquals(reference[instrumentId].side(SELL), BookInspection.side(replica, instrumentId, SELL),
                        "asks of instrument " + instrumentId + " on node " + nodeId);
                }
            }
            assertEquals(List.of(), cluster.errors(), "errors the nodes and the client reported");
        }
    }

    private static ReferenceBook[] runRandomOrders(final CommandSender sender)
    {
        final ReferenceBook[] reference = new ReferenceBook[INSTRUMENTS];
        final List<List<Long>> ids = new ArrayList<>();
        for (int i = 0; i < INSTRUMENTS; i++)
        {
            reference[i] = new ReferenceBook();
            ids.add(new ArrayList<>());
        }
        final ExpandableArrayBuffer command = new ExpandableArrayBuffer(64);
        final OrderCommands.Encoder encoder = new OrderCommands.Encoder();
        final ExecutionReport.Decoder report = new ExecutionReport.Decoder();
        final Random random = new Random(SEED);

        for (int i = 0; i < 2_000; i++)
        {
            final int instrumentId = random.nextInt(INSTRUMENTS);
            final List<Long> known = ids.get(instrumentId);
            if (random.nextInt(5) == 0 && !known.isEmpty())
            {
                final long orderId = known.get(random.nextInt(known.size()));
                final long expected = reference[instrumentId].cancel(orderId);
                encoder.cancel(command, 0, instrumentId, orderId);
                report.wrap(sender.send(command, 0, encoder.length()), 0);
                assertEquals(expected < 0 ? ExecutionReport.UNKNOWN_ORDER : ExecutionReport.CANCELLED,
                    report.status(), "cancel of " + orderId + " at command " + i + " (seed " + SEED + ")");
                continue;
            }
            final byte side = random.nextBoolean() ? BUY : SELL;
            final long price = 500 + random.nextInt(20);
            final long quantity = 1 + random.nextInt(100);
            encoder.newOrder(command, 0, instrumentId, side, i, price, quantity);
            final DirectBuffer response = sender.send(command, 0, encoder.length());
            report.wrap(response, 0);
            final ReferenceBook.Outcome expected =
                reference[instrumentId].submit(report.orderId(), i, side, price, quantity);
            assertEquals(expected.fills, BookInspection.fills(report),
                "fills at command " + i + " (seed " + SEED + ")");
            assertEquals(expected.resting, report.restingQuantity(), "resting at command " + i);
            known.add(report.orderId());
        }
        return reference;
    }
}
