package io.synod.node;

import io.synod.client.SynodClient;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster at its maximum of sessions refuses the next open with a clear error, and keeps serving the sessions it
 * has.
 */
class SessionLimitTest
{
    @Test
    void sessionBeyondTheLimitIsRefusedAndTheOthersKeepWorking()
    {
        try (TestCluster cluster = new TestCluster(22500, 3, (ctx) -> ctx.maxSessions(1)))
        {
            cluster.awaitLeader(5000);
            try (SynodClient first = ClusterIntegrationTest.client(cluster))
            {
                final IllegalStateException refused =
                    assertThrows(IllegalStateException.class, () -> ClusterIntegrationTest.client(cluster).close());
                assertTrue(refused.getMessage().contains("TOO_MANY_SESSIONS"), "names the cause: " + refused);

                ClusterIntegrationTest.sendAll(first, 0, 20);
            }
        }
    }
}
