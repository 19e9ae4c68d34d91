package io.synod.node;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-JVM {@link TestCluster} holds the same port lease as the process tests: while another run (here another
 * JVM) holds its ports, a cluster waits rather than binding next to it, and starts once they are free. UDP ports
 * 28700-28752.
 */
class TestClusterPortLeaseTest
{
    private static final int BASE_PORT = 28700;

    @Test
    void aClusterWaitsForAnotherRunsPortsAndStartsWhenTheyAreFree() throws Exception
    {
        final Process other = PortLeaseTest.holdLeaseInAnotherProcess(BASE_PORT);
        try
        {

            final CompletableFuture<TestCluster> starting =
                CompletableFuture.supplyAsync(() -> new TestCluster(BASE_PORT, 3));
            try
            {
                Thread.sleep(1000);
                assertFalse(starting.isDone(), "a cluster started on ports another run holds");

                other.getOutputStream().close(); // the other run ends
                assertTrue(other.waitFor(30, TimeUnit.SECONDS));
                try (TestCluster cluster = starting.get(60, TimeUnit.SECONDS))
                {
                    assertTrue(cluster.awaitLeader(10_000) >= 0);
                }
            }
            finally
            {
                if (!starting.isDone())
                {
                    starting.thenAccept(TestCluster::close); // closed whenever it gets there
                }
            }
        }
        finally
        {
            other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
