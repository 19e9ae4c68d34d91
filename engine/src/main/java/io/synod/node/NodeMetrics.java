package io.synod.node;

import io.synod.LatencyReport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.WriterReaderPhaser;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A node's latency histograms (HdrHistogram), recorded by the node agent without allocation and read from any
 * thread: a percentile table on demand ({@link #printTo(PrintStream)}, {@link #toString()}) and, when enabled,
 * interval logs (.hlog) for HdrHistogram's tools.
 * <ul>
 * <li>commit: a command's receipt by the leader until its slot is chosen (commit index passes it);</li>
 * <li>response: a command's receipt until its response is handed to Aeron (commit, apply, sync included);</li>
 * <li>apply: time spent in the core's end of cycle (replicate, commit, apply) in cycles that applied entries;</li>
 * <li>batch: commands proposed per duty cycle by the leader, one Accept batch (a count, not a time).</li>
 * </ul>
 */
public final class NodeMetrics implements AutoCloseable
{
    private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);
    private static final String[] NAMES = { "commit (received->chosen)", "response (received->sent)",
        "apply (per cycle)", "batch size (commands)" };

    /** Index of the commit histogram. */
    public static final int COMMIT = 0;
    /** Index of the response histogram. */
    public static final int RESPONSE = 1;
    /** Index of the apply histogram. */
    public static final int APPLY = 2;
    /** Index of the batch size histogram. */
    public static final int BATCH = 3;

    // The node thread records into plain histograms inside one writer critical section per duty cycle (two atomic
    // operations a cycle, not two per recorded value as a SingleWriterRecorder takes: at 800k commands/s those were a
    // fifth of the leader's samples); a reader swaps them with the phaser, as Recorder does.
    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    private volatile Histogram[] active = new Histogram[NAMES.length];
    private Histogram[] inactive = new Histogram[NAMES.length];
    private long criticalValue;
    private boolean inCycle;
    private final Histogram[] totals = new Histogram[NAMES.length];
    private final Histogram[] intervals = new Histogram[NAMES.length];
    private final HistogramLogWriter logWriter;
    private final PrintStream logStream;
    private final long startMs = System.currentTimeMillis();
    private long lastSampleMs = startMs;

    /**
     * @param histogramLogFile file for interval logs, or null for none.
     */
    public NodeMetrics(final String histogramLogFile)
    {
        for (int i = 0; i < NAMES.length; i++)
        {
            active[i] = new Histogram(1, HIGHEST_NS, 3);
            inactive[i] = new Histogram(1, HIGHEST_NS, 3);
            intervals[i] = new Histogram(1, HIGHEST_NS, 3);
            totals[i] = new Histogram(1, HIGHEST_NS, 3);
        }
        if (histogramLogFile != null)
        {
            try
            {
                logStream = new PrintStream(histogramLogFile, StandardCharsets.US_ASCII);
            }
            catch (final java.io.IOException ex)
            {
                throw new io.aeron.exceptions.ConfigurationException(
                    "histogramLogFile " + histogramLogFile + " cannot be written: " + ex.getMessage());
            }
            logWriter = new HistogramLogWriter(logStream);
            logWriter.outputLogFormatVersion();
            logWriter.outputStartTime(startMs);
            logWriter.setBaseTime(startMs);
            logWriter.outputLegend();
        }
        else
        {
            logStream = null;
            logWriter = null;
        }
    }

    /**
     * Record a value; the node agent's thread only (single writer).
     *
     * @param histogram {@link #COMMIT}, {@link #RESPONSE}, {@link #APPLY} or {@link #BATCH}.
     * @param value     nanoseconds, or a count for the batch size.
     */
    public void record(final int histogram, final long value)
    {
        if (inCycle)
        {
            active[histogram].recordValue(Math.max(1, Math.min(value, HIGHEST_NS)));
        }
        else
        {
            beginCycle();
            try
            {
                active[histogram].recordValue(Math.max(1, Math.min(value, HIGHEST_NS)));
            }
            finally
            {
                endCycle();
            }
        }
    }

    /**
     * Open the node thread's recording section for one duty cycle; {@link #endCycle()} must follow (in a finally).
     * A reader's {@link #sample()} waits for the section to end, so it never runs on the node thread inside one.
     */
    public void beginCycle()
    {
        criticalValue = phaser.writerCriticalSectionEnter();
        inCycle = true;
    }

    /** Close the recording section opened by {@link #beginCycle()}. */
    public void endCycle()
    {
        inCycle = false;
        phaser.writerCriticalSectionExit(criticalValue);
    }

    /**
     * Move what was recorded since the last sample into the totals, and into the interval log if enabled.
     */
    public synchronized void sample()
    {
        phaser.readerLock();
        try
        {
            final Histogram[] recorded = active;
            active = inactive;
            phaser.flipPhase(); // every value recorded into the old active set is in it once the writer left it
            inactive = recorded;
            for (int i = 0; i < NAMES.length; i++)
            {
                intervals[i].reset();
                intervals[i].add(recorded[i]);
                recorded[i].reset();
            }
        }
        finally
        {
            phaser.readerUnlock();
        }
        final long nowMs = System.currentTimeMillis();
        for (int i = 0; i < NAMES.length; i++)
        {
            intervals[i].setStartTimeStamp(lastSampleMs);
            intervals[i].setEndTimeStamp(nowMs);
            totals[i].add(intervals[i]);
            if (logWriter != null && intervals[i].getTotalCount() > 0)
            {
                intervals[i].setTag(tag(i));
                logWriter.outputIntervalHistogram(intervals[i]);
            }
        }
        lastSampleMs = nowMs;
        if (logStream != null)
        {
            logStream.flush();
        }
    }

    private static String tag(final int i)
    {
        return i == COMMIT ? "commit" : i == RESPONSE ? "response" : i == APPLY ? "apply" : "batch";
    }

    /**
     * A copy of the totals so far.
     *
     * @param histogram one of {@code commit}, {@code response}, {@code apply}, {@code batch}.
     * @return a copy of the histogram, ns or a count.
     */
    public synchronized Histogram histogram(final String histogram)
    {
        sample();
        for (int i = 0; i < NAMES.length; i++)
        {
            if (tag(i).equals(histogram))
            {
                return totals[i].copy();
            }
        }
        throw new IllegalArgumentException("no histogram " + histogram + ": commit, response, apply or batch");
    }

    /**
     * Print the percentile table of everything recorded so far, times in microseconds.
     *
     * @param out where to print.
     */
    public synchronized void printTo(final PrintStream out)
    {
        sample();
        LatencyReport.printHeader(out, "us; batch size in commands");
        for (int i = 0; i < NAMES.length; i++)
        {
            LatencyReport.printRow(out, NAMES[i], totals[i], i == BATCH ? 1.0 : 1000.0);
        }
    }

    /**
     * Forget everything recorded so far (e.g. after warm-up).
     */
    public synchronized void reset()
    {
        sample();
        for (final Histogram total : totals)
        {
            total.reset();
        }
    }

    public String toString()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        printTo(out);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    public synchronized void close()
    {
        if (logStream != null)
        {
            sample();
            logStream.close();
        }
    }
}
