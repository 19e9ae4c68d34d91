package io.synod;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Percentile table rows of HdrHistograms: one line per histogram with count, p50, p90, p99, p99.9 and max.
 */
public final class LatencyReport
{
    private LatencyReport()
    {
    }

    /**
     * Print the header line.
     *
     * @param out  where to print.
     * @param unit unit of the values, e.g. "us".
     */
    public static void printHeader(final PrintStream out, final String unit)
    {
        out.printf(Locale.ROOT, "%-28s %10s %10s %10s %10s %10s %10s   (%s)%n",
            "histogram", "count", "p50", "p90", "p99", "p99.9", "max", unit);
    }

    /**
     * Print one row.
     *
     * @param out       where to print.
     * @param name      of the row.
     * @param histogram values.
     * @param scale     divide values by this (1000 for ns to us; 1 for counts).
     */
    public static void printRow(final PrintStream out, final String name, final Histogram histogram, final double scale)
    {
        out.printf(Locale.ROOT, "%-28s %10d %10.1f %10.1f %10.1f %10.1f %10.1f%n",
            name,
            histogram.getTotalCount(),
            histogram.getValueAtPercentile(50) / scale,
            histogram.getValueAtPercentile(90) / scale,
            histogram.getValueAtPercentile(99) / scale,
            histogram.getValueAtPercentile(99.9) / scale,
            histogram.getMaxValue() / scale);
    }
}
