package io.synod.node;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.synod.log.InMemoryPaxosLog;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node whose thread stalls longer than the media driver's client liveness timeout (a long GC pause, SIGSTOP, a
 * swapped-out process) loses its Aeron client: Aeron closes it, and with it the memory of the node's counters. The
 * node used to write its counters on the next cycle and crash the JVM (SIGSEGV in NodeCounters.update); it must
 * stop (fail-stop) naming the cause, with its counters still readable. UDP ports 27490-27499.
 */
class AeronClientTimeoutTest
{
    @Test
    void aNodeThatOutlivesItsAeronClientStopsWithACauseAndDoesNotCrash() throws InterruptedException
    {
        final File aeronDir = new File(System.getProperty("java.io.tmpdir"), "synod-timeout-" + System.nanoTime());
        final List<Throwable> errors = new ArrayList<>();
        MediaDriver driver = null;
        SynodNode node = null;
        try
        {
            driver = MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(aeronDir.getAbsolutePath())
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new BackoffIdleStrategy())
                .timerIntervalNs(TimeUnit.MILLISECONDS.toNanos(100))
                .clientLivenessTimeoutNs(TimeUnit.MILLISECONDS.toNanos(1000))
                .publicationUnblockTimeoutNs(TimeUnit.SECONDS.toNanos(3))
                .termBufferSparseFile(true)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
            final Context ctx = new Context()
                .nodeId(0)
                .members("0=127.0.0.1:27490:27491")
                .embeddedDriver(false)
                .aeronDirectoryName(aeronDir.getAbsolutePath())
                .useAgentInvoker(true)
                .termLength(1024 * 1024)
                .maxMessageLength(64 * 1024)
                .maxPayloadLength(1024)
                .stateMachine(new CounterStateMachine())
                .errorHandler((throwable) ->
                {
                    synchronized (errors)
                    {
                        errors.add(throwable);
                    }
                });
            ctx.peers().clusterKey(TestCluster.CLUSTER_KEY);
            ctx.log().logFactory((c) -> new InMemoryPaxosLog(c.maxPayloadLength()));
            node = SynodNode.launch(ctx);
            final SynodNode running = node;
            TestCluster.awaitTrue(() ->
            {
                running.invoker().invoke();
                return running.commitIndex() >= 0 && running.role() == io.synod.Role.LEADER;
            }, 5000, () -> "a one-node cluster to elect itself: " + running.status());

            Thread.sleep(3000); // the stall: three client liveness timeouts without a duty cycle

            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!node.isFailed() && System.nanoTime() < deadline)
            {
                node.invoker().invoke();
                Thread.sleep(1);
            }
            assertTrue(node.isFailed(), "the node stops: " + node.status());
            assertTrue(String.valueOf(node.failureCause()).contains("Aeron client"),
                "the cause is named: " + node.failureCause());
            assertEquals(1, node.counters().failed(), "the failure shows in the (mirrored) counters");
            for (int i = 0; i < 100; i++)
            {
                node.invoker().invoke(); // and invoking it further neither crashes nor throws
            }
            node.status();
        }
        finally
        {
            CloseHelper.quietCloseAll(node, driver);
            IoUtil.delete(aeronDir, true);
        }
    }
}
