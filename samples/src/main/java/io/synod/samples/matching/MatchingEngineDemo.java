package io.synod.samples.matching;

import io.synod.samples.cluster.CommandSender;
import io.synod.samples.cluster.LocalCluster;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;

import java.util.Random;

/**
 * Runs the matching engine on three {@link io.synod.node.SynodNode}s over UDP on loopback in this JVM: random limit
 * orders around a mid price and cancels of earlier orders sent by a {@link io.synod.client.SynodClient}, then prints
 * the throughput, the trades, and each replica's digest, which agree.
 * <p>
 * Arguments: {@code [commands (default 10000)] [seed (default 1)] [base UDP port (default 26930)]}. Exits with
 * status 1 if the replicas differ.
 */
public final class MatchingEngineDemo
{
    private static final int INSTRUMENTS = 4;
    private static final int MAX_FILLS = MatchingEngineStateMachine.DEFAULT_MAX_FILLS;
    private static final long MID_PRICE = 10_000;
    private static final int BASE_PORT = 26_930;

    private MatchingEngineDemo()
    {
    }

    /**
     * @param args commands, seed.
     */
    public static void main(final String[] args)
    {
        final int commands = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        final long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        final int basePort = args.length > 2 ? Integer.parseInt(args[2]) : BASE_PORT;
        System.out.println("MatchingEngineDemo: 3 nodes on 127.0.0.1 ports " + basePort + "+, " + commands +
            " random orders and cancels on " + INSTRUMENTS + " instruments, seed " + seed + ", maxFills " + MAX_FILLS);

        final boolean agree;
        try (LocalCluster<MatchingEngineStateMachine> cluster = new LocalCluster<>(
            basePort, 3, ExecutionReport.maxLength(MAX_FILLS),
            () -> new MatchingEngineStateMachine(INSTRUMENTS, MAX_FILLS)))
        {
            System.out.println("idle strategy: " + cluster.describeIdleStrategy());
            agree = run(cluster, commands, seed);
        }
        if (!agree)
        {
            System.exit(1);
        }
    }

    private static boolean run(
        final LocalCluster<MatchingEngineStateMachine> cluster, final int commands, final long seed)
    {
        final CommandSender sender = cluster.sender();
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
                report.wrap(sender.send(command, 0, encoder.length()), 0);
                cancelled += report.status() == ExecutionReport.CANCELLED ? 1 : 0;
                continue;
            }
            final byte side = random.nextBoolean() ? OrderCommands.BUY : OrderCommands.SELL;
            final long price = MID_PRICE + random.nextInt(21) - 10;
            encoder.newOrder(command, 0, instrumentId, side, i, price, 1 + random.nextInt(100));
            report.wrap(sender.send(command, 0, encoder.length()), 0);
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
        final String clientStats = "client: " + cluster.client().failovers() + " failovers, " +
            cluster.client().resends() + " resends";
        cluster.close(); // stops the node threads: their state machines can be read from here

        System.out.printf("%d commands in %.1f ms: %.0f commands/s (one at a time), %d fills, %d cancels%n",
            commands, elapsedNs / 1e6, commands * 1e9 / elapsedNs, fills, cancelled);
        System.out.println(clientStats);
        boolean agree = true;
        final long digest0 = cluster.replica(0).digest();
        for (int nodeId = 0; nodeId < cluster.nodeCount(); nodeId++)
        {
            final MatchingEngineStateMachine replica = cluster.replica(nodeId);
            final long digest = replica.digest();
            agree &= digest == digest0;
            System.out.printf("node %d %-9s applied %7d slots, %6d resting, %7d trades, digest %016x%n",
                nodeId, cluster.role(nodeId), cluster.appliedIndex(nodeId), replica.restingOrderCount(),
                replica.tradeCount(), digest);
        }
        System.out.println(agree ? "replicas agree" : "REPLICAS DIFFER");
        return agree;
    }
}
