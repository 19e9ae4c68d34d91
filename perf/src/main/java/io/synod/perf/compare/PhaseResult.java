package io.synod.perf.compare;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

import java.io.File;
import java.io.FileNotFoundException;
import java.util.HashMap;
import java.util.Map;

/** One phase of one run of one system, from the load client's {@code RESULT} line and its .hlog file. */
final class PhaseResult
{
    final String system;
    final int run;
    final String phase;
    final long count;
    final double seconds;
    final long gaps;
    final double maxGapMs;
    final long leaderChanges;
    final long clientNewLeaders;
    final long failed;
    final long outstandingLeft;
    final Histogram histogram;

    private PhaseResult(final Map<String, String> fields) throws FileNotFoundException
    {
        system = fields.get("system");
        run = Integer.parseInt(fields.get("run"));
        phase = fields.get("phase");
        count = Long.parseLong(fields.get("count"));
        seconds = Double.parseDouble(fields.get("seconds"));
        gaps = Long.parseLong(fields.get("gaps"));
        maxGapMs = Double.parseDouble(fields.get("maxGapMs"));
        leaderChanges = Long.parseLong(fields.get("leaderChanges"));
        clientNewLeaders = Long.parseLong(fields.get("clientNewLeaders"));
        failed = Long.parseLong(fields.get("failed"));
        outstandingLeft = Long.parseLong(fields.get("outstandingLeft"));
        histogram = read(new File(fields.get("hlog")));
    }

    /**
     * @param line a {@code RESULT key=value ...} line.
     * @return the result, its histogram read from the .hlog file the line names.
     * @throws FileNotFoundException if that file is missing.
     */
    static PhaseResult parse(final String line) throws FileNotFoundException
    {
        final Map<String, String> fields = new HashMap<>();
        for (final String field : line.substring("RESULT ".length()).trim().split(" "))
        {
            final int equals = field.indexOf('=');
            fields.put(field.substring(0, equals), field.substring(equals + 1));
        }
        return new PhaseResult(fields);
    }

    /** @return responses per second. */
    double throughput()
    {
        return seconds > 0 ? count / seconds : 0;
    }

    /** @return the sum of every interval histogram in the log. */
    static Histogram read(final File hlog) throws FileNotFoundException
    {
        final Histogram sum = new Histogram(3);
        final HistogramLogReader reader = new HistogramLogReader(hlog);
        while (reader.hasNext())
        {
            final Histogram interval = (Histogram)reader.nextIntervalHistogram();
            if (interval == null)
            {
                break;
            }
            sum.add(interval);
        }
        return sum;
    }
}
