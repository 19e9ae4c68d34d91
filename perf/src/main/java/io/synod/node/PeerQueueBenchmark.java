package io.synod.node;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.CloseHelper;
import org.agrona.ExpandableRingBuffer;
import org.agrona.IoUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The path a message to a peer takes on the node thread: the core's outbox appends it to the peer's queue during the
 * duty cycle ({@link DestinationQueue}), and after the log's sync the publisher drains the queue into the peer's
 * exclusive publication ({@link PeerPublisher}). Messages are {@code length} bytes (an Accept of 64 entries of 32
 * bytes is about 4.2 KB).
 * <p>
 * {@code queue}: the queue alone, {@value #MESSAGES} messages appended then drained into a copy to a direct buffer
 * (what an offer does with the bytes), no Aeron; one operation is one message. {@code ipc}: a {@link PeerLink} whose two lanes are IPC exclusive publications of an embedded media driver
 * (shared threading, yielding), data queued within {@link PeerLink#dataCapacity()} as the core does, flushed by the
 * {@link PeerPublisher}, and polled by a subscription on the same thread so the term never fills. The same classes as
 * the node, in the same package; no UDP. One operation is one such cycle; the {@code messages} counter is the
 * messages received per second (bytes received / length: a long message arrives in several fragments).
 * <p>
 * Run: {@code java -jar perf/target/synod-benchmarks.jar PeerQueue -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class PeerQueueBenchmark
{
    // The trailer's bytes do not matter to the queue: zeros, as with peer authentication off.
    private static final UnsafeBuffer TRAILER = new UnsafeBuffer(new byte[PeerTrailer.LENGTH]);

    /** Messages queued, then drained, per invocation. */
    public static final int MESSAGES = 16;
    private static final int CONTROL_STREAM = 11;
    private static final int DATA_STREAM = 12;

    /** Bytes per message. */
    @Param({"256", "4200"})
    public int length;

    private final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    private final UnsafeBuffer sink = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    private final DestinationQueue queue = new DestinationQueue(4 * 1024 * 1024);
    private final ExpandableRingBuffer.MessageConsumer copier = this::copy;
    private long received;
    private final FragmentHandler counter = (buffer, offset, fragmentLength, header) -> received += fragmentLength;

    private File aeronDir;
    private MediaDriver driver;
    private Aeron aeron;
    private PeerLink link;
    private PeerPublisher publisher;
    private Subscription subscription;

    /** Start an embedded driver and the peer link over IPC. */
    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        for (int i = 0; i < message.capacity(); i += 8)
        {
            message.putLong(i, i);
        }
        final Path shm = Path.of("/dev/shm");
        aeronDir = Files.createTempDirectory(Files.isDirectory(shm) ? shm : Path.of(System.getProperty(
            "java.io.tmpdir")), "synod-peer-queue-bench").toFile();
        driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(aeronDir.getAbsolutePath())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new YieldingIdleStrategy())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir.getAbsolutePath()));
        final String channel = "aeron:ipc?term-length=4m";
        subscription = aeron.addSubscription(channel, DATA_STREAM);
        final ExclusivePublication control = aeron.addExclusivePublication(channel, CONTROL_STREAM);
        final ExclusivePublication data = aeron.addExclusivePublication(channel, DATA_STREAM);
        while (!data.isConnected())
        {
            Thread.yield();
        }
        link = new PeerLink(1, control, data, 4 * 1024 * 1024, 1024 * 1024);
        publisher = new PeerPublisher(new PeerLink[] {link}, new RuntimeCounts());
    }

    /** Close the client and the driver, delete its directory. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        CloseHelper.quietCloseAll(aeron, driver);
        IoUtil.delete(aeronDir, true);
    }

    private boolean copy(final MutableDirectBuffer buffer, final int offset, final int messageLength, final int head)
    {
        sink.putBytes(0, buffer, offset, messageLength);
        return true;
    }

    /**
     * @return bytes drained.
     */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public int queue()
    {
        for (int i = 0; i < MESSAGES; i++)
        {
            queue.append(message, 0, length);
        }
        return queue.drain(copier);
    }

    /**
     * Messages the subscription received: the {@code ipc} figure that counts (an invocation queues only what the data
     * budget allows, nothing while the driver's conductor has not yet moved the publication's limit).
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Delivered
    {
        /** Messages received in the iteration. */
        public long messages;
        private long bytes;

        /** Count from zero in each iteration. */
        @Setup(Level.Iteration)
        public void reset()
        {
            messages = 0;
            bytes = 0;
        }

        void add(final long receivedBytes, final int length)
        {
            bytes += receivedBytes;
            messages = bytes / length;
        }
    }

    /**
     * One duty cycle's worth: queue up to {@value #MESSAGES} messages within the data budget, flush, poll.
     *
     * @param delivered counts the messages received.
     * @return bytes received by the subscription so far.
     */
    @Benchmark
    public long ipc(final Delivered delivered)
    {
        for (int i = 0; i < MESSAGES; i++)
        {
            if (link.dataCapacity() >= length)
            {
                link.queueData(message, 0, length, TRAILER);
            }
        }
        publisher.flush();
        final long before = received;
        while (subscription.poll(counter, 64) > 0)
        {
            // drain what arrived, so the publication's window keeps moving
        }
        delivered.add(received - before, length);
        return received;
    }
}
