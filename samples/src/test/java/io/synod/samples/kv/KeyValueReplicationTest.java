package io.synod.samples.kv;

import io.synod.samples.cluster.LocalCluster;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The key-value store replicated by three {@link io.synod.node.SynodNode}s over UDP on loopback, driven by a
 * {@link io.synod.client.SynodClient}: every response matches the model, and every replica ends with its contents.
 * UDP ports 26900-26902 and 26950-26952.
 */
class KeyValueReplicationTest
{
    private static final int MAX_KEY = 32;
    private static final int MAX_VALUE = 64;
    private static final long SEED = 7;
    private static final int BASE_PORT = 26_900;

    @Test
    void threeReplicasHoldTheSameStoreAfterRandomCommands()
    {
        try (LocalCluster<KeyValueStateMachine> cluster = new LocalCluster<>(
            BASE_PORT, 3, KeyValueStateMachine.maxCommandLength(MAX_KEY, MAX_VALUE),
            () -> new KeyValueStateMachine(MAX_KEY, MAX_VALUE)))
        {
            final Map<String, String> model = runRandomCommands(new KeyValueClient(cluster.sender()));
            cluster.awaitReplicasApplied();
            cluster.close(); // stops the node threads, so their state machines can be read here

            final long expectedDigest = KeyValueModel.digest(model);
            for (int nodeId = 0; nodeId < cluster.nodeCount(); nodeId++)
            {
                final KeyValueStateMachine replica = cluster.replica(nodeId);
                assertEquals(model.size(), replica.size(), "keys on node " + nodeId + " (seed " + SEED + ")");
                assertEquals(expectedDigest, replica.digest(), "digest of node " + nodeId + " (seed " + SEED + ")");
            }
            assertEquals(List.of(), cluster.errors(), "errors the nodes and the client reported");
        }
    }

    private static Map<String, String> runRandomCommands(final KeyValueClient client)
    {
        final Random random = new Random(SEED);
        final Map<String, String> model = new HashMap<>();

        for (int i = 0; i < 2_000; i++)
        {
            final String key = "key-" + random.nextInt(300);
            final String value = "value-" + random.nextLong();
            switch (random.nextInt(4))
            {
                case 0:
                    assertEquals(KeyValueCommands.OK, client.put(key, value));
                    model.put(key, value);
                    break;
                case 1:
                    assertEquals(model.get(key), client.get(key), "GET " + key + " at command " + i);
                    break;
                case 2:
                    assertEquals(model.remove(key) != null, client.delete(key), "DELETE " + key + " at " + i);
                    break;
                default:
                    final String expected = model.get(key);
                    assertEquals(true, client.compareAndSet(key, expected, value), "CAS " + key + " at " + i);
                    model.put(key, value);
                    break;
            }
        }
        return model;
    }
}
