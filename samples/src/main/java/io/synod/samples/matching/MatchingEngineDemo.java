package io.synod.samples.matching;

import io.synod.core.PaxosNode;
import io.synod.samples.cluster.InProcessCluster;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;

import java.util.Random;

/**
 * Runs the matching engine on three in-process replicas: random limit orders around a mid price and cancels of
 * earlier orders, then prints the throughput, the trades, and each replica's digest, which agree.
 * <p>
 * Arguments: {@code [commands (default 100000)] [seed (default 1)]}. Exits with status 1 if the replicas differ.
 */
public final class MatchingEngineDemo
{
    private static final int INSTRUMENTS = 4;
    private static final int MAX_FILLS = MatchingEngineStateMachine.DEFAULT_MAX_FILLS;
    private static final long MID_PRICE = 10_000;

    private MatchingEngineDemo()
    {
    }

    /**
     * @param args commands, seed.
     */
    public static void main(final String[] args)
    {
        final int commands = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        final long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        System.out.println("MatchingEngineDemo: 3 in-process replicas, " + commands + " random orders and cancels on " +
            INSTRUMENTS + " instruments, seed " + seed + ", maxFills " + MAX_FILLS);

        final InProcessCluster<MatchingEngineStateMachine> cluster = new InProcessCluster<>(
            3, ExecutionReport.maxLength(MAX_FILLS), () -> new MatchingEngineStateMachine(INSTRUMENTS, MAX_FILLS));
        final ExpandableArrayBuffer command = new ExpandableArrayBuffer(64);
        final OrderCommands.Encoder encoder = new OrderCommands.Encoder();
        final ExecutionReport.Decoder report = new ExecutionReport.Decoder();
        final LongArrayList recentOrders = new LongArrayList();
        final IntArrayList recentInstruments = new IntArrayList();
        final Random random = new Random(seed);

        final long startNs = System.nanoTime();
        long fills = 0;
        long cancelled = 0;
        for (int i = 0; i < commands; i++)
        {
            final int instrumentId = random.nextInt(INSTRUMENTS);
            if (random.nextInt(4) == 0 && !recentOrders.isEmpty())
            {
                final int pick = random.nextInt(recentOrders.size());
                encoder.cancel(command, 0, recentInstruments.getInt(pick), recentOrders.getLong(pick));
                report.wrap(cluster.send(command, 0, encoder.length()), 0);
                cancelled += report.status() == ExecutionReport.CANCELLED ? 1 : 0;
                continue;
            }
            final byte side = random.nextBoolean() ? OrderCommands.BUY : OrderCommands.SELL;
            final long price = MID_PRICE + random.nextInt(21) - 10;
            encoder.newOrder(command, 0, instrumentId, side, i, price, 1 + random.nextInt(100));
            report.wrap(cluster.send(command, 0, encoder.length()), 0);
            fills += report.fillCount();
            if (recentOrders.size() == 1_000)
            {
                recentOrders.removeAt(0);
                recentInstruments.removeAt(0);
            }
            recentOrders.addLong(report.orderId());
            recentInstruments.addInt(instrumentId);
        }
        cluster.awaitReplicasApplied();
        final long elapsedNs = System.nanoTime() - startNs;

        System.out.printf("%d commands in %.1f ms: %.0f commands/s (one at a time, %d duty cycles), %d fills, " +
            "%d cancels%n", commands, elapsedNs / 1e6, commands * 1e9 / elapsedNs, cluster.cycles(), fills, cancelled);
        boolean agree = true;
        final long digest0 = cluster.replica(0).digest();
        for (int nodeId = 0; nodeId < cluster.nodeCount(); nodeId++)
        {
            final PaxosNode node = cluster.node(nodeId);
            final MatchingEngineStateMachine replica = cluster.replica(nodeId);
            final long digest = replica.digest();
            agree &= digest == digest0;
            System.out.printf("node %d %-9s applied %7d slots, %6d resting, %7d trades, digest %016x%n",
                nodeId, node.role(), node.appliedIndex(), replica.restingOrderCount(), replica.tradeCount(), digest);
        }
        System.out.println(agree ? "replicas agree" : "REPLICAS DIFFER");
        if (!agree)
        {
            System.exit(1);
        }
    }
}
