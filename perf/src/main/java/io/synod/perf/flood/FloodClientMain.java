package io.synod.perf.flood;

import io.synod.perf.compare.ChildProcesses;
import io.synod.perf.compare.Idle;
import io.synod.perf.compare.LoadOptions;
import io.synod.perf.compare.LoadTarget;
import io.synod.perf.compare.SynodSide;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The well-behaved client of the flood harness: one {@code SynodClient} session sending fixed-size commands at a fixed
 * rate for the whole run, latency measured from each command's intended send time (a stall is charged to every
 * command it delays). Writes one HdrHistogram interval per {@code --interval-ms} with absolute timestamps, so the
 * harness can cut the run into its phases afterwards; stops when the file {@code --stop-file} appears (or after
 * {@code --max-seconds}).
 */
@Command(name = "FloodClientMain", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Well-behaved client of the flood harness (started by FloodMain).")
public final class FloodClientMain implements Callable<Integer>, LoadTarget.Responses
{
    static final String CONNECTED = "client connected";
    private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);
    private static final int RING = 1 << 16;

    @Option(names = "--dir", required = true, description = "The run's directory (the nodes' files).")
    File dir;

    @Option(names = "--port-base", description = "First UDP port of the nodes.")
    int portBase = FloodMain.PORT_BASE_DEFAULT;

    @Option(names = "--idle", description = "Idle strategy of the client and its embedded driver.")
    String idle = "yielding";

    @Option(names = "--rate", description = "Commands per second.")
    int rate = 1_000;

    @Option(names = "--message-length", description = "Command length in bytes.")
    int messageLength = 32;

    @Option(names = "--max-outstanding", description = "Commands outstanding at most; a late send still counts " +
        "from its intended time.")
    int maxOutstanding = 1024;

    @Option(names = "--interval-ms", description = "Length of one histogram interval.")
    int intervalMs = 100;

    @Option(names = "--hlog", required = true, description = "The HdrHistogram log to write.")
    File hlog;

    @Option(names = "--stop-file", required = true, description = "Stop when this file exists.")
    File stopFile;

    @Option(names = "--max-seconds", description = "Stop after this long whatever happens.")
    int maxSeconds = 3600;

    private final long[] sentNs = new long[RING];
    private final Histogram interval = new Histogram(HIGHEST_NS, 3);
    private long outstanding;

    /**
     * @param args see {@code --help}.
     */
    public static void main(final String[] args)
    {
        ChildProcesses.exitWithParent();
        System.exit(new CommandLine(new FloodClientMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        final LoadOptions options = LoadOptions.of(dir.getPath(), portBase, idle, messageLength, maxOutstanding,
            "SHARED"); // the nodes' setting; not used by the client
        final UnsafeBuffer command = new UnsafeBuffer(new byte[Math.max(16, messageLength)]);
        final IdleStrategy idleStrategy = Idle.of(idle);
        final long sendIntervalNs = TimeUnit.SECONDS.toNanos(1) / rate;
        final long histogramIntervalNs = TimeUnit.MILLISECONDS.toNanos(intervalMs);
        try (LoadTarget target = SynodSide.connect(options, dir, this);
            PrintStream hlogStream = new PrintStream(hlog))
        {
            final HistogramLogWriter writer = new HistogramLogWriter(hlogStream);
            writer.outputLogFormatVersion();
            writer.outputComment("flood harness client, " + rate + "/s, latency in ns from the intended send time");
            writer.outputLegend();
            hlogStream.flush();
            System.out.println(CONNECTED);
            final long startNs = System.nanoTime();
            final long endNs = startNs + TimeUnit.SECONDS.toNanos(maxSeconds);
            long nextSendNs = startNs;
            long nextIntervalNs = startNs + histogramIntervalNs;
            long intervalStartMs = System.currentTimeMillis();
            long nowNs;
            while ((nowNs = System.nanoTime()) < endNs)
            {
                while (nowNs >= nextSendNs && outstanding < maxOutstanding && send(target, command, nextSendNs))
                {
                    nextSendNs += sendIntervalNs;
                }
                idleStrategy.idle(target.poll());
                if (nowNs >= nextIntervalNs)
                {
                    final long nowMs = System.currentTimeMillis();
                    interval.setStartTimeStamp(intervalStartMs);
                    interval.setEndTimeStamp(nowMs);
                    writer.outputIntervalHistogram(interval);
                    hlogStream.flush();
                    interval.reset();
                    intervalStartMs = nowMs;
                    nextIntervalNs += histogramIntervalNs;
                    if (stopFile.exists())
                    {
                        break;
                    }
                }
            }
            System.out.printf("client stopped: %d commands outstanding, %d failed responses, %d new leaders%n",
                outstanding, target.failedResponses(), target.clientNewLeaders());
        }
        return 0;
    }

    private boolean send(final LoadTarget target, final UnsafeBuffer command, final long intendedNs)
    {
        final long sequence = target.offer(command);
        if (sequence <= 0)
        {
            return false;
        }
        sentNs[(int)(sequence & (RING - 1))] = intendedNs;
        outstanding++;
        return true;
    }

    @Override
    public void onResponse(final long sequence)
    {
        if (outstanding > 0)
        {
            outstanding--;
        }
        if (sequence <= 0)
        {
            return;
        }
        final long latencyNs = Math.min(HIGHEST_NS, Math.max(1, System.nanoTime() -
            sentNs[(int)(sequence & (RING - 1))]));
        interval.recordValue(latencyNs);
    }
}
