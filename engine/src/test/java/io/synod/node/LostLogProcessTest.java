package io.synod.node;

import io.synod.client.ResponseListener;
import io.synod.client.SynodClient;
import io.synod.client.ResponseCode;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7 section 3, as a new user tried it with three node processes: node 0 down, commands acknowledged by nodes 1
 * and 2; node 1's log wiped as the operator docs said and node 1 restarted, node 2 stopped. Nodes 0 and 1 then formed
 * a quorum, chose other commands in the acknowledged slots, and node 2 came back with a different state.
 * <p>
 * Now a node whose log is empty rejoins as a non-voting learner: nodes 0 and 1 alone must not form a quorum (no
 * command is acknowledged while node 2 is down), and once node 2 is back every acknowledged command is applied
 * exactly once, in the same order, on every node.
 */
class LostLogProcessTest
{
    private static final int BASE_PORT = 25500;
    private static final int BEFORE_WIPE = 50;

    private final LongHashSet acknowledged = new LongHashSet();
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[32]);
    private long nextValue;
    private int acknowledgedInPhase;
    private final ResponseListener listener = (sequence, code, slot, payload, offset, length) ->
    {
        assertTrue(code == ResponseCode.OK || code == ResponseCode.DUPLICATE, "sequence " + sequence + ": " + code);
        acknowledged.add(sequence - 1); // the value sent with sequence s is s - 1
        acknowledgedInPhase++;
    };

    @Test
    void wipedNodeDoesNotFormAQuorumThatForgetsAcknowledgedCommands() throws Exception
    {
        try (NodeProcesses nodes = new NodeProcesses("lost-log-test", BASE_PORT, 3))
        {
            nodes.stamp(command);
            for (int i = 0; i < 3; i++)
            {
                nodes.start(i);
            }
            try (SynodClient client = SynodClient.connect(nodes.clientContext()))
            {
                send(client, 10, TimeUnit.SECONDS.toNanos(30));
                nodes.kill(0);
                send(client, BEFORE_WIPE, TimeUnit.SECONDS.toNanos(30));
                assertEquals(10 + BEFORE_WIPE, acknowledged.size(), "acknowledged by nodes 1 and 2");

                nodes.kill(1);
                nodes.wipeLog(1);
                nodes.kill(2);
                nodes.start(0);
                nodes.start(1);

                acknowledgedInPhase = 0;
                sendFor(client, TimeUnit.SECONDS.toNanos(4));
                assertEquals(0, acknowledgedInPhase,
                    "node 0 and the wiped node 1 must not form a quorum while node 2 is down");

                nodes.start(2);
                send(client, 20, TimeUnit.SECONDS.toNanos(60));
                drain(client, TimeUnit.SECONDS.toNanos(30));
            }
            nodes.awaitSameAppliedEverywhere(acknowledged, nextValue);
        }
    }

    /** Send until count more commands are acknowledged, one at a time, within the deadline. */
    private void send(final SynodClient client, final int count, final long timeoutNs)
    {
        final int target = acknowledged.size() + count;
        final long deadline = System.nanoTime() + timeoutNs;
        while (acknowledged.size() < target)
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("expected " + target + " acknowledged commands, saw " + acknowledged.size() +
                    ": " + client);
            }
            offerOne(client);
        }
    }

    private void sendFor(final SynodClient client, final long durationNs)
    {
        final long end = System.nanoTime() + durationNs;
        while (System.nanoTime() < end)
        {
            offerOne(client);
        }
    }

    private void offerOne(final SynodClient client)
    {
        if (client.outstanding() == 0)
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

    private static void drain(final SynodClient client, final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (client.outstanding() > 0)
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("outstanding commands not answered: " + client);
            }
            if (client.poll() == 0)
            {
                Thread.yield();
            }
        }
    }
}
