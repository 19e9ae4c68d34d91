package io.synod.node;

import io.synod.client.SynodClient;
import io.synod.log.InMemoryPaxosLog;
import io.synod.log.PaxosLog;
import org.agrona.collections.LongHashSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fail-stop without root: the leader's log starts throwing from one of its methods (an append inside message
 * handling, where Aeron would otherwise swallow the exception, or the end-of-cycle sync, an fsync error). The node
 * stops, sends nothing more, exposes the failure, and the other two elect a leader and serve with nothing
 * acknowledged lost. {@link LogDiskFullFailStopTest} does the same with a real full file system (needs root).
 */
class LogFailureFailStopTest
{
    private static final int FAILING_NODE = 2;

    @ParameterizedTest
    @ValueSource(strings = { "append", "sync", "commitIndex" })
    void leaderWhoseLogThrowsStopsAndTheOthersCarryOn(final String method)
    {
        final AtomicBoolean broken = new AtomicBoolean();
        final UncheckedIOException injected =
            new UncheckedIOException(new IOException("injected: " + method + " failed on /dev/test, 4096 bytes"));
        final PaxosLog log = failing(new InMemoryPaxosLog(Short.MAX_VALUE), method, broken, injected);
        try (TestCluster cluster = new TestCluster(24500, 3, ctx ->
        {
            if (ctx.nodeId() == FAILING_NODE)
            {
                ctx.log().logFactory(c -> log);
            }
            return ctx;
        });
            SynodClient client = LogDiskFullFailStopTest.client(cluster))
        {
            LogDiskFullFailStopTest.makeLeader(cluster, FAILING_NODE);
            final LongHashSet acknowledged = LogDiskFullFailStopTest.sendAll(client, 0, 100);

            broken.set(true);
            acknowledged.addAll(LogDiskFullFailStopTest.sendAll(client, 100, 300));

            final SynodNode failed = cluster.nodes[FAILING_NODE];
            TestCluster.awaitTrue(failed::isFailed, 5_000, () -> "node " + FAILING_NODE + " FAILED");
            assertSame(injected, failed.failureCause(), "the cause is the log's own exception");
            assertEquals(1, failed.counters().failed());
            assertEquals(-1, failed.leaderId(), "leads nothing any more");
            assertTrue(cluster.errors().stream().anyMatch(e -> e instanceof NodeFailedException &&
                e.getCause() == injected), cluster.errors().toString());
            final int leader = cluster.awaitLeader(5_000);
            assertTrue(leader != FAILING_NODE, cluster.describe());
            LogDiskFullFailStopTest.assertNothingLost(cluster, FAILING_NODE, acknowledged);
            final long errors = failed.counters().errors();
            acknowledged.addAll(LogDiskFullFailStopTest.sendAll(client, 300, 350));
            assertEquals(errors, failed.counters().errors(), "reported once, then silent");
        }
    }

    /**
     * A log whose named method throws once broken is set; written against the interface by reflection, so it keeps
     * compiling while PaxosLog changes.
     */
    private static PaxosLog failing(
        final PaxosLog delegate, final String method, final AtomicBoolean broken, final RuntimeException failure)
    {
        return (PaxosLog)Proxy.newProxyInstance(
            PaxosLog.class.getClassLoader(),
            new Class<?>[] { PaxosLog.class },
            (proxy, m, args) ->
            {
                if (broken.get() && m.getName().equals(method) && (args == null) == method.equals("sync"))
                {
                    throw failure;
                }
                try
                {
                    return m.invoke(delegate, args);
                }
                catch (final InvocationTargetException ex)
                {
                    throw ex.getCause();
                }
            });
    }
}
