package io.synod.node;

import io.synod.client.ResponseListener;
import io.synod.client.SynodClient;
import io.synod.client.ResponseCode;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three node processes (separate JVMs, each with its own embedded driver) and a client in this JVM writing all the
 * time, while the leader is SIGKILLed and restarted on its memory-mapped log, then a follower is SIGKILLed and
 * restarted wiped (log deleted: it catches up from the leader), and the leader of the moment is paused with SIGSTOP
 * and resumed. Afterwards every acknowledged command is applied exactly once on every node, in the same order.
 * <p>
 * {@code -Dsynod.process.rounds=N} repeats the fault sequence N times (default 1; {@code -Psoak} runs 10 rounds of
 * longer phases).
 */
class NodeProcessTest
{
    private static final int BASE_PORT = 21900;
    private static final int NODES = 3;
    private static final long PHASE_MS = Long.getLong("synod.process.phase.ms", 1500);
    private static final int ROUNDS = Integer.getInteger("synod.process.rounds", 1);

    private final NodeProcesses nodes = new NodeProcesses("process-test", BASE_PORT, NODES);
    private final LongHashSet acknowledged = new LongHashSet();
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[32]);
    private final ResponseListener listener = (sequence, code, slot, payload, offset, length) ->
    {
        assertTrue(code == ResponseCode.OK || code == ResponseCode.DUPLICATE, "sequence " + sequence + ": " + code);
        acknowledged.add(sequence - 1); // the value sent with sequence s is s - 1
    };
    private long nextValue;

    private void write(final SynodClient client, final long durationMs)
    {
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(durationMs);
        while (System.nanoTime() < end)
        {
            if (client.outstanding() < 8)
            {
                command.putLong(0, nextValue);
                if (client.offer(command, 0, command.capacity(), listener) != SynodClient.WINDOW_FULL)
                {
                    nextValue++;
                }
            }
            if (client.poll() == 0)
            {
                Thread.yield();
            }
        }
    }

    private void drain(final SynodClient client)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (client.outstanding() > 0)
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("outstanding commands not answered in 30 s: " + client);
            }
            if (client.poll() == 0)
            {
                Thread.yield();
            }
        }
    }

    @Test
    void acknowledgedCommandsSurviveKillsAndPausesExactlyOnce() throws Exception
    {
        try (NodeProcesses nodes = this.nodes)
        {
            nodes.stamp(command);
            for (int i = 0; i < NODES; i++)
            {
                nodes.start(i);
            }
            try (SynodClient client = SynodClient.connect(nodes.clientContext()))
            {
                write(client, PHASE_MS);
                for (int round = 0; round < ROUNDS; round++)
                {
                    final int leader = client.targetNodeId();
                    nodes.kill(leader);
                    write(client, PHASE_MS);
                    nodes.start(leader);
                    write(client, PHASE_MS);

                    final int follower = (client.targetNodeId() + 1) % NODES;
                    nodes.kill(follower);
                    nodes.wipeLog(follower);
                    write(client, PHASE_MS);
                    nodes.start(follower);
                    write(client, PHASE_MS);

                    final int paused = client.targetNodeId();
                    nodes.signal(paused, "STOP");
                    write(client, PHASE_MS);
                    nodes.signal(paused, "CONT");
                    write(client, PHASE_MS);
                }
                drain(client);
                System.out.println("process test: " + acknowledged.size() + " acknowledged of " + nextValue +
                    " sent; " + client);
            }

            nodes.awaitSameAppliedEverywhere(acknowledged, nextValue);
            assertTrue(acknowledged.size() > 100, "enough commands acknowledged: " + acknowledged.size());
        }
    }
}
