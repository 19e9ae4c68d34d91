package io.synod.samples.kv;

import io.synod.core.PaxosNode;
import io.synod.samples.cluster.InProcessCluster;

import java.util.Random;

/**
 * Runs the key-value store on three in-process replicas: random PUT, GET, DELETE and CAS commands through the
 * client facade, then prints the throughput and each replica's digest, which agree.
 * <p>
 * Arguments: {@code [commands (default 100000)] [seed (default 1)]}. Exits with status 1 if the replicas differ.
 */
public final class KeyValueDemo
{
    private static final int MAX_KEY_LENGTH = 32;
    private static final int MAX_VALUE_LENGTH = 128;
    private static final int KEYS = 10_000;

    private KeyValueDemo()
    {
    }

    /**
     * @param args commands, seed.
     */
    public static void main(final String[] args)
    {
        final int commands = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        final long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        System.out.println("KeyValueDemo: 3 in-process replicas, " + commands + " random commands over " + KEYS +
            " keys, seed " + seed + ", maxKeyLength " + MAX_KEY_LENGTH + ", maxValueLength " + MAX_VALUE_LENGTH);

        final InProcessCluster<KeyValueStateMachine> cluster = new InProcessCluster<>(
            3, KeyValueStateMachine.maxCommandLength(MAX_KEY_LENGTH, MAX_VALUE_LENGTH),
            () -> new KeyValueStateMachine(MAX_KEY_LENGTH, MAX_VALUE_LENGTH));
        final KeyValueClient client = new KeyValueClient(cluster);
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

        System.out.printf("%d commands in %.1f ms: %.0f commands/s (one at a time, %d duty cycles), %d GET hits%n",
            commands, elapsedNs / 1e6, commands * 1e9 / elapsedNs, cluster.cycles(), hits);
        boolean agree = true;
        final long digest0 = cluster.replica(0).digest();
        for (int nodeId = 0; nodeId < cluster.nodeCount(); nodeId++)
        {
            final PaxosNode node = cluster.node(nodeId);
            final KeyValueStateMachine replica = cluster.replica(nodeId);
            final long digest = replica.digest();
            agree &= digest == digest0;
            System.out.printf("node %d %-9s applied %7d slots, %6d keys, digest %016x%n",
                nodeId, node.role(), node.appliedIndex(), replica.size(), digest);
        }
        System.out.println(agree ? "replicas agree" : "REPLICAS DIFFER");
        if (!agree)
        {
            System.exit(1);
        }
    }
}
