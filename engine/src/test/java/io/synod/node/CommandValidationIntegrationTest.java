package io.synod.node;

import io.synod.client.CommandHandle;
import io.synod.ResponseWriter;
import io.synod.StateMachine;
import io.synod.client.SynodClient;
import io.synod.client.ResponseCode;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The state machine's validation over real Aeron UDP with three nodes: the client gets REJECTED with the reason, the
 * command is applied nowhere, and the session keeps working.
 */
class CommandValidationIntegrationTest
{
    static final long REFUSED = 13;
    static final UnsafeBuffer REASON = new UnsafeBuffer("unlucky number".getBytes(StandardCharsets.US_ASCII));

    /**
     * The cluster's recording state machine, refusing the command {@link #REFUSED}.
     */
    static final class Refusing implements StateMachine
    {
        final StateMachine delegate;

        Refusing(final StateMachine delegate)
        {
            this.delegate = delegate;
        }

        public void apply(
            final long slot,
            final long timestamp,
            final DirectBuffer command,
            final int offset,
            final int length,
            final ResponseWriter response)
        {
            delegate.apply(slot, timestamp, command, offset, length, response);
        }

        public boolean validate(
            final long sessionId,
            final DirectBuffer command,
            final int offset,
            final int length,
            final ResponseWriter reason)
        {
            if (length >= 8 && command.getLong(offset) == REFUSED)
            {
                reason.put(REASON, 0, REASON.capacity());
                return false;
            }
            return true;
        }
    }

    @Test
    void refusedCommandGetsRejectedWithTheReasonAndTheSessionGoesOn()
    {
        try (TestCluster cluster = new TestCluster(
            23780, 3, (ctx) -> ctx.stateMachine(new Refusing(ctx.stateMachine()))))
        {
            cluster.awaitLeader(5000);
            try (SynodClient client = ClusterIntegrationTest.client(cluster))
            {
                ClusterIntegrationTest.sendAll(client, 0, 10);
                final UnsafeBuffer command = new UnsafeBuffer(new byte[32]);
                command.putLong(0, REFUSED);
                final CommandHandle refused = client.send(command, 0, command.capacity());
                ClusterIntegrationTest.sendAll(client, 20, 30);

                assertEquals(ResponseCode.REJECTED, refused.code());
                assertEquals(-1, refused.slot(), "not applied");
                assertEquals("unlucky number", new String(refused.response(), StandardCharsets.US_ASCII));
                TestCluster.awaitTrue(() ->
                {
                    for (int i = 0; i < cluster.size; i++)
                    {
                        if (cluster.stateMachines[i].size() != 20 ||
                            cluster.nodes[i].counters().commandsRejected() != 1)
                        {
                            return false;
                        }
                    }
                    return true;
                }, 5000, () -> "every node applied the 20 good commands and counted 1 rejection: " +
                    cluster.describe());
                for (int i = 0; i < cluster.size; i++)
                {
                    for (final long value : cluster.stateMachines[i].applied())
                    {
                        assertNotEquals(REFUSED, value, "node " + i + " never applied the refused command");
                    }
                }
            }
        }
    }
}
