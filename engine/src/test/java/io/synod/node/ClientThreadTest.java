package io.synod.node;

import io.synod.client.ClientContext;
import io.synod.client.CommandHandle;
import io.synod.client.ResponseListener;
import io.synod.client.SynodClient;
import io.synod.client.ResponseCode;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client in own-thread mode against three nodes on loopback: several application threads offer commands at once
 * through the command queue; the client thread alone owns the session and runs every callback.
 */
class ClientThreadTest
{
    private static final int THREADS = 4;
    private static final int PER_THREAD = 250;
    private static final long THREAD_STRIDE = 1_000_000L; // command value = thread * stride + index

    private static SynodClient ownThreadClient(final TestCluster cluster)
    {
        return SynodClient.connect(new ClientContext()
            .members(cluster.members())
            .embeddedDriver(false)
            .aeronDirectoryName(cluster.aeronDir.getAbsolutePath())
            .egressChannel("aeron:udp?endpoint=127.0.0.1:0")
            .termLength(256 * 1024)
            .maxPayloadLength(1024)
            .idleStrategy(new BackoffIdleStrategy())
            .useOwnThread(true)
            .commandQueueCapacity(16 * 1024) // small, so offers meet a full queue
            .responseTimeoutNs(TimeUnit.MILLISECONDS.toNanos(500))
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(10)));
    }

    /**
     * One application thread's commands and what its listener was told, on the client thread.
     */
    private static final class Producer implements ResponseListener
    {
        final int id;
        final AtomicInteger answered = new AtomicInteger();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final AtomicReference<Thread> callbackThread = new AtomicReference<>();
        long lastSequence; // client thread only
        int queueFull;

        Producer(final int id)
        {
            this.id = id;
        }

        public void onResponse(
            final long sequence,
            final ResponseCode code,
            final long slot,
            final org.agrona.DirectBuffer payload,
            final int offset,
            final int length)
        {
            callbackThread.compareAndSet(null, Thread.currentThread());
            if (code != ResponseCode.OK && code != ResponseCode.DUPLICATE)
            {
                failures.add("sequence " + sequence + ": " + code);
            }
            if (sequence <= lastSequence)
            {
                failures.add("sequence " + sequence + " after " + lastSequence);
            }
            lastSequence = sequence;
            answered.incrementAndGet();
        }

        void offerAll(final SynodClient client, final CountDownLatch start)
        {
            final UnsafeBuffer command = new UnsafeBuffer(new byte[8]);
            awaitLatch(start);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (int i = 0; i < PER_THREAD; i++)
            {
                command.putLong(0, id * THREAD_STRIDE + i);
                while (client.offer(command, 0, 8, this) != SynodClient.QUEUED)
                {
                    queueFull++;
                    if (System.nanoTime() > deadline)
                    {
                        throw new AssertionError("producer " + id + ": command " + i + " not queued in 10 s");
                    }
                    Thread.yield();
                }
            }
        }
    }

    private static void awaitLatch(final CountDownLatch latch)
    {
        try
        {
            assertTrue(latch.await(10, TimeUnit.SECONDS), "start signal");
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError("interrupted", ex);
        }
    }

    @Test
    void concurrentApplicationThreadsHaveEveryCommandAppliedOnceInTheirOrder() throws Exception
    {
        try (TestCluster cluster = new TestCluster(22300, 3))
        {
            final SynodClient client = ownThreadClient(cluster);
            final Producer[] producers = new Producer[THREADS];
            final Thread[] threads = new Thread[THREADS];
            final ConcurrentLinkedQueue<Throwable> thrown = new ConcurrentLinkedQueue<>();
            final CountDownLatch start = new CountDownLatch(1);
            final List<CommandHandle> handles = new ArrayList<>();
            try
            {
                for (int t = 0; t < THREADS; t++)
                {
                    final Producer producer = producers[t] = new Producer(t);
                    threads[t] = new Thread(() ->
                    {
                        try
                        {
                            producer.offerAll(client, start);
                        }
                        catch (final Throwable ex)
                        {
                            thrown.add(ex);
                        }
                    }, "producer-" + t);
                    threads[t].start();
                }
                start.countDown();
                // This thread too, through the blocking, allocating API.
                final UnsafeBuffer command = new UnsafeBuffer(new byte[8]);
                for (int i = 0; i < 10; i++)
                {
                    command.putLong(0, THREADS * THREAD_STRIDE + i);
                    handles.add(client.submit(command, 0, 8));
                }
                for (final Thread thread : threads)
                {
                    thread.join(TimeUnit.SECONDS.toMillis(15));
                    assertFalse(thread.isAlive(), thread.getName() + " still offering after 15 s");
                }
                assertTrue(thrown.isEmpty(), "producers threw: " + thrown);

                TestCluster.awaitTrue(() -> Arrays.stream(producers).allMatch((p) -> p.answered.get() == PER_THREAD),
                    10_000, () -> PER_THREAD + " answers per producer, got " + Arrays.toString(
                    Arrays.stream(producers).mapToInt((p) -> p.answered.get()).toArray()) + "; " + client);
                for (final CommandHandle handle : handles)
                {
                    handle.await(client);
                    assertTrue(handle.isApplied(), handle.toString());
                }
                final Thread callbackThread = producers[0].callbackThread.get();
                assertNotNull(callbackThread, "a callback thread");
                assertEquals(SynodClient.THREAD_NAME, callbackThread.getName(), "listeners run on the client thread");
                for (final Producer producer : producers)
                {
                    assertTrue(producer.failures.isEmpty(), "producer " + producer.id + ": " + producer.failures);
                    assertEquals(callbackThread, producer.callbackThread.get(), "producer " + producer.id);
                }

                final int total = THREADS * PER_THREAD + handles.size();
                for (int node = 0; node < 3; node++)
                {
                    final int n = node;
                    TestCluster.awaitTrue(() -> cluster.stateMachines[n].size() >= total, 10_000,
                        () -> "node " + n + " to apply " + total + " commands: " + cluster.describe());
                    assertAppliedOnceInOrder(cluster.stateMachines[node].applied(), node, total);
                }
                assertEquals(0, client.outstanding(), client.toString());
                assertTrue(cluster.errors().isEmpty(), "node errors: " + cluster.errors());
                System.out.println("ClientThreadTest: " + total + " commands from " + (THREADS + 1) +
                    " threads; queue full " + Arrays.stream(producers).mapToInt((p) -> p.queueFull).sum() +
                    " times; " + client);

                final IllegalStateException pollRefused = assertThrows(IllegalStateException.class, client::poll);
                assertTrue(pollRefused.getMessage().contains("own-thread"), pollRefused.getMessage());

                client.close();
                assertFalse(callbackThread.isAlive(), "client thread alive after close()");
                final IllegalStateException offerRefused = assertThrows(IllegalStateException.class,
                    () -> client.offer(command, 0, 8, producers[0]));
                assertTrue(offerRefused.getMessage().contains("closed"), offerRefused.getMessage());
            }
            finally
            {
                client.close();
            }
        }
    }

    @Test
    void offeringWithAListenerAllocatesNothingOnTheOfferingThreadOrTheClientThread()
    {
        final int warmup = 4000;
        final int measured = 3000;
        try (TestCluster cluster = new TestCluster(22400, 3); SynodClient client = ownThreadClient(cluster))
        {
            final Producer producer = new Producer(0);
            final UnsafeBuffer command = new UnsafeBuffer(new byte[8]);
            offerAndAwait(client, producer, command, 0, warmup);
            final Thread clientThread = producer.callbackThread.get();
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
            final long offeringBefore = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            final long clientBefore = threads.getThreadAllocatedBytes(clientThread.getId());
            offerAndAwait(client, producer, command, warmup, warmup + measured);
            final long offering = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - offeringBefore;
            final long clientSide = threads.getThreadAllocatedBytes(clientThread.getId()) - clientBefore;
            System.out.println("ClientThreadTest: allocated for " + measured + " commands: offering thread " +
                offering + " bytes, client thread " + clientSide + " bytes");
            assertTrue(producer.failures.isEmpty(), producer.failures.toString());
            // A margin for the JVM's own occasional allocations (JIT, Aeron conductor housekeeping), far below a
            // byte per command.
            assertTrue(offering < 16 * 1024, "offering thread allocated " + offering + " bytes for " + measured);
            assertTrue(clientSide < 16 * 1024, "client thread allocated " + clientSide + " bytes for " + measured);
        }
    }

    // On this thread: offer values from..to-1 (retrying while the queue is full), wait until all are answered.
    private static void offerAndAwait(
        final SynodClient client, final Producer producer, final UnsafeBuffer command, final int from, final int to)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int next = from;
        while (producer.answered.get() < to)
        {
            if (next < to)
            {
                command.putLong(0, next);
                if (client.offer(command, 0, 8, producer) == SynodClient.QUEUED)
                {
                    next++;
                    continue;
                }
            }
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError(to + " answers expected, got " + producer.answered.get() + " (offered " +
                    next + ")");
            }
            Thread.yield();
        }
    }

    /**
     * Every value once, and each producer's values in the order it offered them.
     */
    private static void assertAppliedOnceInOrder(final long[] applied, final int node, final int total)
    {
        assertEquals(total, applied.length, "node " + node + " applied count");
        final long[] nextIndex = new long[THREADS + 1];
        for (final long value : applied)
        {
            final int producer = (int)(value / THREAD_STRIDE);
            final long index = value % THREAD_STRIDE;
            assertTrue(producer <= THREADS, "node " + node + ": unknown value " + value);
            assertEquals(nextIndex[producer], index,
                "node " + node + ": producer " + producer + " expected its command " + nextIndex[producer] +
                " next, saw " + index);
            nextIndex[producer]++;
        }
        final long[] expected = new long[THREADS + 1];
        Arrays.fill(expected, PER_THREAD);
        expected[THREADS] = 10;
        assertArrayEquals(expected, nextIndex, "node " + node + ": commands applied per producer");
    }
}
