package io.synod.perf.compare;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The table: one row per figure, Synod and Aeron Cluster side by side (each run's value, in run order), and the
 * ratio Synod / Aeron of the runs' means (below 1 is better for latency, above 1 better for throughput).
 */
final class ComparisonReport
{
    private final List<PhaseResult> results;
    private final StringBuilder out = new StringBuilder();

    private final int gapMs;

    ComparisonReport(final List<PhaseResult> results, final int gapMs)
    {
        this.results = results;
        this.gapMs = gapMs;
    }

    /** @return the table in Markdown. */
    String table(final List<String> phases)
    {
        out.setLength(0);
        out.append("| figure | Synod | Aeron Cluster | Synod / Aeron |\n|---|---|---|---|\n");
        for (final PhaseResult ping : select("pingpong", "pingpong"))
        {
            final Histogram h = ping.histogram;
            out.append(String.format(Locale.ROOT, "| reference: raw Aeron UDP ping-pong round trip, p50 / p99 / " +
                "max (1 process pair, 1 in flight) | | %s / %s / %s | |%n", latency(h.getValueAtPercentile(50)),
                latency(h.getValueAtPercentile(99)), latency(h.getMaxValue())));
        }
        for (final String phase : phases)
        {
            final String name = phase.startsWith("window-") ?
                "window " + phase.substring("window-".length()) : "@" + phase.substring("rate-".length()) + "/s";
            row("throughput, " + name, phase, PhaseResult::throughput, ComparisonReport::rate);
            row("p50, " + name, phase, r -> r.histogram.getValueAtPercentile(50), ComparisonReport::latency);
            row("p99, " + name, phase, r -> r.histogram.getValueAtPercentile(99), ComparisonReport::latency);
            row("p99.9, " + name, phase, r -> r.histogram.getValueAtPercentile(99.9), ComparisonReport::latency);
            row("max, " + name, phase, r -> r.histogram.getMaxValue(), ComparisonReport::latency);
            row("gaps >= " + gapMs + " ms, " + name, phase, r -> r.gaps, ComparisonReport::count);
            row("longest gap, " + name, phase, r -> r.maxGapMs * 1e6, ComparisonReport::latency);
            row("elections (nodes' counters), " + name, phase, r -> r.leaderChanges, ComparisonReport::count);
            row("new leaders seen by the client, " + name, phase, r -> r.clientNewLeaders, ComparisonReport::count);
            row("commands failed or unanswered, " + name, phase, r -> r.failed + r.outstandingLeft,
                ComparisonReport::count);
        }
        return out.toString();
    }

    private interface Format
    {
        String of(double value);
    }

    private void row(
        final String figure, final String phase, final ToDoubleFunction<PhaseResult> value, final Format format)
    {
        final List<PhaseResult> synod = select(SynodSide.NAME, phase);
        final List<PhaseResult> aeron = select(AeronClusterSide.NAME, phase);
        final double synodMean = mean(synod, value);
        final double aeronMean = mean(aeron, value);
        final String ratio = synod.isEmpty() || aeron.isEmpty() || aeronMean == 0 ? "" :
            String.format(Locale.ROOT, "%.2f×", synodMean / aeronMean);
        out.append("| ").append(figure).append(" | ").append(values(synod, value, format)).append(" | ")
            .append(values(aeron, value, format)).append(" | ").append(ratio).append(" |\n");
    }

    private List<PhaseResult> select(final String system, final String phase)
    {
        final List<PhaseResult> selected = new ArrayList<>();
        for (final PhaseResult result : results)
        {
            if (result.system.equals(system) && result.phase.equals(phase))
            {
                selected.add(result);
            }
        }
        return selected;
    }

    private static String values(
        final List<PhaseResult> results, final ToDoubleFunction<PhaseResult> value, final Format format)
    {
        final StringBuilder values = new StringBuilder();
        for (final PhaseResult result : results)
        {
            values.append(values.length() == 0 ? "" : ", ").append(format.of(value.applyAsDouble(result)));
        }
        return values.length() == 0 ? "—" : values.toString();
    }

    private static double mean(final List<PhaseResult> results, final ToDoubleFunction<PhaseResult> value)
    {
        double sum = 0;
        for (final PhaseResult result : results)
        {
            sum += value.applyAsDouble(result);
        }
        return results.isEmpty() ? 0 : sum / results.size();
    }

    static String rate(final double perSecond)
    {
        return perSecond >= 10_000 ? String.format(Locale.ROOT, "%.0fk/s", perSecond / 1e3) :
            String.format(Locale.ROOT, "%.0f/s", perSecond);
    }

    static String latency(final double ns)
    {
        if (ns >= 1e6)
        {
            return String.format(Locale.ROOT, "%.1f ms", ns / 1e6);
        }
        return String.format(Locale.ROOT, "%.0f µs", ns / 1e3);
    }

    static String count(final double value)
    {
        return String.format(Locale.ROOT, "%.0f", value);
    }
}
