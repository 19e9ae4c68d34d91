package io.synod.perf.compare;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.agrona.CloseHelper;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ShutdownSignalBarrier;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The physical reference: raw Aeron UDP ping-pong between two processes, each with its own embedded SHARED driver,
 * one message in flight, the same message length, idle strategy and network flags as the clusters. The round trip
 * is what any replicated command pays at least once (client to leader and back); a cluster adds a second one to a
 * majority of followers.
 */
@Command(name = "PingPongMain", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Raw Aeron UDP ping-pong (started by CompareMain).")
public final class PingPongMain implements Callable<Integer>
{
    private static final int PING_STREAM = 1001;
    private static final int PONG_STREAM = 1002;

    @Mixin
    LoadOptions options = new LoadOptions();

    @Option(names = "--role", required = true, description = "ping or pong.")
    String role;

    @Option(names = "--out", description = "Directory for the ping's .hlog file.")
    File out = new File(".");

    private long sentNs;
    private long receivedNs;

    /**
     * @param args see {@code --help}.
     */
    public static void main(final String[] args)
    {
        ChildProcesses.exitWithParent();
        System.exit(new CommandLine(new PingPongMain()).execute(args));
    }

    static String pingChannel(final int portBase)
    {
        return "aeron:udp?endpoint=127.0.0.1:" + (portBase + 300);
    }

    static String pongChannel(final int portBase)
    {
        return "aeron:udp?endpoint=127.0.0.1:" + (portBase + 301);
    }

    @Override
    public Integer call() throws Exception
    {
        final IdleStrategy idle = Idle.of(options.idle);
        final MediaDriver driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(new File(options.dir, "aeron-" + role).getPath())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(Idle.of(options.idle))
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        try
        {
            if ("pong".equals(role))
            {
                pong(aeron, idle);
            }
            else
            {
                ping(aeron, idle);
            }
        }
        finally
        {
            CloseHelper.closeAll(aeron, driver);
        }
        return 0;
    }

    private void pong(final Aeron aeron, final IdleStrategy idle) throws InterruptedException
    {
        final Subscription subscription = aeron.addSubscription(pingChannel(options.portBase), PING_STREAM);
        final Publication publication = aeron.addExclusivePublication(pongChannel(options.portBase), PONG_STREAM);
        final FragmentHandler echo = (buffer, offset, length, header) ->
        {
            long result;
            while ((result = publication.offer(buffer, offset, length)) == Publication.BACK_PRESSURED ||
                result == Publication.ADMIN_ACTION || result == Publication.NOT_CONNECTED)
            {
                Thread.onSpinWait();
            }
        };
        final Thread echoing = new Thread(() ->
        {
            while (!Thread.currentThread().isInterrupted())
            {
                idle.idle(subscription.poll(echo, 16));
            }
        }, "pong");
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier())
        {
            echoing.start();
            System.out.println("pong ready");
            barrier.await();
            echoing.interrupt();
            echoing.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    private void ping(final Aeron aeron, final IdleStrategy idle) throws Exception
    {
        final Subscription subscription = aeron.addSubscription(pongChannel(options.portBase), PONG_STREAM);
        final Publication publication = aeron.addExclusivePublication(pingChannel(options.portBase), PING_STREAM);
        final long connectDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(publication.isConnected() && subscription.isConnected()))
        {
            if (System.nanoTime() > connectDeadline)
            {
                throw new IllegalStateException("ping-pong did not connect within 30 s");
            }
            Thread.sleep(10);
        }
        final UnsafeBuffer message = new UnsafeBuffer(new byte[Math.max(16, options.messageLength)]);
        // Only the pong of the ping in flight counts: one left over from a wait cut short by the end of the warm-up
        // would otherwise be taken for the next one's.
        final FragmentAssembler handler = new FragmentAssembler((buffer, offset, length, header) ->
        {
            if (buffer.getLong(offset) == sentNs)
            {
                receivedNs = System.nanoTime();
            }
        });
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        roundTrips(publication, subscription, handler, message, idle, null, options.warmupSeconds);
        final File hlog = new File(out, "pingpong.hlog");
        try (PrintStream stream = new PrintStream(hlog))
        {
            final HistogramLogWriter writer = new HistogramLogWriter(stream);
            final long startMs = System.currentTimeMillis();
            writer.outputLogFormatVersion();
            writer.outputComment("aeron udp ping-pong, round trip in ns");
            writer.outputStartTime(startMs);
            writer.setBaseTime(startMs);
            writer.outputLegend();
            final long startNs = System.nanoTime();
            final long count = roundTrips(publication, subscription, handler, message, idle, histogram,
                options.durationSeconds);
            final long elapsedNs = System.nanoTime() - startNs;
            histogram.setStartTimeStamp(startMs);
            histogram.setEndTimeStamp(System.currentTimeMillis());
            writer.outputIntervalHistogram(histogram);
            System.out.printf("RESULT system=pingpong run=1 phase=pingpong count=%d seconds=%.3f gaps=0 " +
                "maxGapMs=0 leaderChanges=0 clientNewLeaders=0 failed=0 outstandingLeft=0 " +
                "hlog=%s%n", count, elapsedNs / 1e9, hlog.getPath());
        }
    }

    private long roundTrips(
        final Publication publication,
        final Subscription subscription,
        final FragmentAssembler handler,
        final UnsafeBuffer message,
        final IdleStrategy idle,
        final Histogram histogram,
        final int seconds)
    {
        final long endNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long count = 0;
        while (System.nanoTime() < endNs)
        {
            sentNs = System.nanoTime();
            message.putLong(0, sentNs);
            while (publication.offer(message) < 0 && System.nanoTime() < endNs)
            {
                Thread.onSpinWait();
            }
            receivedNs = 0;
            idle.reset();
            // A lost pong (there is none on loopback) would stall here until the phase ends: bounded by the end.
            while (receivedNs == 0 && System.nanoTime() < endNs)
            {
                idle.idle(subscription.poll(handler, 1));
            }
            if (receivedNs != 0 && histogram != null)
            {
                histogram.recordValue(Math.min(histogram.getHighestTrackableValue(), receivedNs - sentNs));
                count++;
            }
        }
        return count;
    }
}
