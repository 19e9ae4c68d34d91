package io.synod.samples.kv;

import io.synod.samples.cluster.LocalCluster;

import java.util.Random;

/**
 * Runs the key-value store on three {@link io.synod.node.SynodNode}s over UDP on loopback in this JVM: random PUT,
 * GET, DELETE and CAS commands through the client facade over a {@link io.synod.client.SynodClient}, then prints the
 * throughput and each replica's digest, which agree.
 * <p>
 * Arguments: {@code [commands (default 10000)] [seed (default 1)] [base UDP port (default 26920)]}. Exits with
 * status 1 if the replicas differ.
 */
public final class KeyValueDemo
{
    private static final int MAX_KEY_LENGTH = 32;
    private static final int MAX_VALUE_LENGTH = 128;
    private static final int KEYS = 10_000;
    private static final int BASE_PORT = 26_920;

    private KeyValueDemo()
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
        System.out.println("KeyValueDemo: 3 nodes on 127.0.0.1 ports " + basePort + "+, " + commands +
            " random commands over " + KEYS + " keys, seed " + seed + ", maxKeyLength " + MAX_KEY_LENGTH +
            ", maxValueLength " + MAX_VALUE_LENGTH);

        final boolean agree;
        try (LocalCluster<KeyValueStateMachine> cluster = new LocalCluster<>(
            basePort, 3, KeyValueStateMachine.maxCommandLength(MAX_KEY_LENGTH, MAX_VALUE_LENGTH),
            () -> new KeyValueStateMachine(MAX_KEY_LENGTH, MAX_VALUE_LENGTH)))
        {
            System.out.println("idle strategy: " + cluster.describeIdleStrategy());
            agree = run(cluster, commands, seed);
        }
        if (!agree)
        {
            System.exit(1);
        }
    }

    private static boolean run(final LocalCluster<KeyValueStateMachine> cluster, final int commands, final long seed)
    {
        final KeyValueClient client = new KeyValueClient(cluster.sender());
        final Random random = new Random(seed);

        final long startNs = System.nanoTime();
        long hits = 0;
        for (int i = 0; i < commands; i++)
        {
            final String key = "key-" + random.nextInt(KEYS);
            switch (random.nextInt(4))
            {
                case 0:
                    client.put(key, "value-" + random.nextInt());
                    break;
                case 1:
                    hits += client.get(key) != null ? 1 : 0;
                    break;
                case 2:
                    client.delete(key);
                    break;
                default:
                    client.compareAndSet(key, null, "created-" + i);
                    break;
            }
        }
        cluster.awaitReplicasApplied();
        final long elapsedNs = System.nanoTime() - startNs;
        final String clientStats = "client: " + cluster.client().failovers() + " failovers, " +
            cluster.client().resends() + " resends";
        cluster.close(); // stops the node threads: their state machines can be read from here

        System.out.printf("%d commands in %.1f ms: %.0f commands/s (one at a time), %d GET hits%n",
            commands, elapsedNs / 1e6, commands * 1e9 / elapsedNs, hits);
        System.out.println(clientStats);
        boolean agree = true;
        final long digest0 = cluster.replica(0).digest();
        for (int nodeId = 0; nodeId < cluster.nodeCount(); nodeId++)
        {
            final KeyValueStateMachine replica = cluster.replica(nodeId);
            final long digest = replica.digest();
            agree &= digest == digest0;
            System.out.printf("node %d %-9s applied %7d slots, %6d keys, digest %016x%n",
                nodeId, cluster.role(nodeId), cluster.appliedIndex(nodeId), replica.size(), digest);
        }
        System.out.println(agree ? "replicas agree" : "REPLICAS DIFFER");
        return agree;
    }
}
