package io.synod.node;

import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import io.synod.Role;
import io.synod.log.InMemoryPaxosLog;
import io.synod.log.PaxosLog;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.errors.ErrorLogReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.nio.MappedByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A single node with its own embedded driver: every public method of the node and of its counters is safe after
 * close (reading the counters' memory after close crashed the JVM with a SIGSEGV), and the node's errors land in the
 * driver's distinct error log. UDP ports 27100-27199.
 */
class SynodNodeClosedTest
{
    private final File dir = new File("target/closed-test-" + System.nanoTime()).getAbsoluteFile();
    private final List<Throwable> errors = new ArrayList<>();

    @AfterEach
    void deleteDir()
    {
        IoUtil.delete(dir, true);
    }

    private Context context(final int port, final PaxosLog log)
    {
        final Context context = new Context()
            .nodeId(0)
            .members("0=127.0.0.1:" + port + ":" + (port + 50))
            .aeronDirectoryName(new File(dir, "aeron").getPath())
            .idleStrategy(new BackoffIdleStrategy())
            .heartbeatIntervalNs(TimeUnit.MILLISECONDS.toNanos(10))
            .electionTimeoutNs(TimeUnit.MILLISECONDS.toNanos(100))
            .termLength(1024 * 1024)
            .maxMessageLength(64 * 1024)
            .maxPayloadLength(1024)
            .stateMachine(new RecordingStateMachine())
            .errorHandler(this::onError);
        context.peers().clusterKey(TestCluster.CLUSTER_KEY).peerQueueCapacity(1024 * 1024);
        context.admission().egressQueueCapacity(64 * 1024);
        context.log().logFactory((ctx) -> log);
        return context;
    }

    private synchronized void onError(final Throwable throwable)
    {
        errors.add(throwable);
    }

    private synchronized int errorCount()
    {
        return errors.size();
    }

    private static void callEveryPublicMethod(final Object target) throws IllegalAccessException
    {
        for (final Method method : target.getClass().getMethods())
        {
            if (method.getDeclaringClass() == Object.class || Modifier.isStatic(method.getModifiers()) ||
                method.getParameterCount() > 0) // peer getters take an index: covered through status()
            {
                continue;
            }
            try
            {
                method.invoke(target);
            }
            catch (final InvocationTargetException ex)
            {
                throw new AssertionError(method.getName() + " after close threw " + ex.getCause(), ex.getCause());
            }
        }
    }

    @Test
    void everyPublicMethodIsSafeAfterCloseAndReturnsTheLastValues() throws Exception
    {
        final SynodNode node = SynodNode.launch(context(27110, new InMemoryPaxosLog(1024)));
        TestCluster.awaitTrue(() -> node.role() == Role.LEADER, 10_000, () -> "the single node to lead: " +
            node.status());
        final long commitIndex = node.commitIndex();
        node.close();

        callEveryPublicMethod(node);
        callEveryPublicMethod(node.counters());
        assertEquals(Role.LEADER, node.role());
        assertEquals(0, node.leaderId());
        assertEquals(commitIndex, node.commitIndex());
        assertTrue(node.status().startsWith("node 0 LEADER leader=0 ballot=") && node.status().endsWith("(closed)"),
            node.status());
    }

    @Test
    void nodeErrorsAreRecordedInTheDriversDistinctErrorLog() throws Exception
    {
        final InMemoryPaxosLog inMemory = new InMemoryPaxosLog(1024);
        final IllegalStateException diskGone = new IllegalStateException("disk gone (test)");
        final boolean[] broken = new boolean[1];
        final PaxosLog log = (PaxosLog)Proxy.newProxyInstance(
            PaxosLog.class.getClassLoader(), new Class<?>[] {PaxosLog.class}, (proxy, method, args) ->
            {
                if (broken[0] && "sync".equals(method.getName()))
                {
                    throw diskGone;
                }
                try
                {
                    return method.invoke(inMemory, args);
                }
                catch (final InvocationTargetException ex)
                {
                    throw ex.getCause();
                }
            });
        final SynodNode closed;
        try (SynodNode node = SynodNode.launch(context(27120, log)))
        {
            closed = node;
            TestCluster.awaitTrue(() -> node.role() == Role.LEADER, 10_000, node::status);
            broken[0] = true;
            TestCluster.awaitTrue(() -> node.isFailed() && errorCount() > 0, 10_000, () -> "the node to fail and " +
                "report it: " + node.status());

            final MappedByteBuffer cnc = IoUtil.mapExistingFile(
                new File(node.context().aeronDirectoryName(), CncFileDescriptor.CNC_FILE), "cnc");
            try
            {
                final StringBuilder recorded = new StringBuilder();
                final int distinct = ErrorLogReader.read(CommonContext.errorLogBuffer(cnc),
                    (count, first, last, encodedException) -> recorded.append(count).append(" x ")
                    .append(encodedException).append('\n'));
                assertTrue(distinct >= 1 && recorded.toString().contains("1 x io.synod.node.NodeFailedException") &&
                    recorded.toString().contains("disk gone (test)"),
                    distinct + " distinct errors: " + recorded + errors);
            }
            finally
            {
                IoUtil.unmap(cnc);
            }
        }
        assertEquals(1, errors.size(), errors.toString());
        final File saved = closed.savedErrorLog();
        assertTrue(saved != null && java.nio.file.Files.readString(saved.toPath()).contains("disk gone (test)"),
            "the error log saved beside the driver's directory when the node closed: " + saved);
    }
}
