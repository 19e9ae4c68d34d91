package io.synod.perf.flood;

import java.util.List;

/**
 * The flood harness's tables: the well-behaved client's latency per phase against the goal (p99 at most 10x the
 * baseline's, no election), and what each flood cost the leader.
 */
final class FloodReport
{
    /** The goal of issue 11: a flood multiplies the well-behaved client's p99 by at most this. */
    static final double GOAL_RATIO = 10.0;

    private final List<PhaseRecord> records;

    FloodReport(final List<PhaseRecord> records)
    {
        this.records = records;
    }

    /** @return both tables, markdown. */
    String table()
    {
        final StringBuilder out = new StringBuilder();
        final long baselineP99 = records.isEmpty() ? 0 : records.get(0).latency.getValueAtPercentile(99);
        out.append("Well-behaved client (latency from the intended send time; goal: p99 <= ")
            .append(String.format("%.0f", GOAL_RATIO)).append("x the baseline's, and no election):\n\n")
            .append("| phase | flood achieved | client responses/s | p50 | p99 | p99.9 | max | p99 / baseline " +
                "| elections | goal |\n")
            .append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (final PhaseRecord r : records)
        {
            final long p99 = r.latency.getValueAtPercentile(99);
            final double ratio = baselineP99 > 0 ? (double)p99 / baselineP99 : 0;
            final boolean served = r.latency.getTotalCount() > 0;
            final boolean met = served && ratio <= GOAL_RATIO && r.elections() == 0 && r.floodExitCode == 0 &&
                r.nodesExited.isEmpty() && (r.quiet() || r.floodStarted);
            out.append(String.format("| %s | %s | %,.0f | %s | %s | %s | %s | %s | %d | %s |%n", r.name,
                floodAchieved(r), r.clientRate(),
                ms(r.latency.getValueAtPercentile(50)), ms(p99), ms(r.latency.getValueAtPercentile(99.9)),
                ms(r.latency.getMaxValue()), served ? String.format("%.1fx", ratio) : "—", r.elections(),
                met ? "met" : served ? "NOT met" : "NOT met: client not served"));
        }
        out.append("\nWhat each phase cost the leader (RSS from /proc/<pid>/status; publications and images from " +
            "its media driver's counters: 4 peer publications (two lanes to each peer), then one egress " +
            "publication per registered client, and removed ones the driver still lingers on; " +
            "highest seen in 200 ms samples):\n\n")
            .append("| phase | flood | leader | leader RSS before -> max -> after | publications before -> max " +
                "-> after | images max | clients max | log entries added | client responses | refused before " +
                "the log |\n")
            .append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (final PhaseRecord r : records)
        {
            out.append(String.format("| %s | %s | %s | %s -> %s -> %s MB | %d -> %d -> %d | %d | %d | %,d | %,d " +
                "| %,d |%n", r.name, r.description + (r.quiet() ? "" : String.format(": %,d sent in %.1f s%s",
                r.floodSent, r.floodSeconds, r.floodConnections > 1 ? ", " + r.floodConnections + " connections" :
                "")), leader(r), mb(r.rssBeforeKb), mb(r.rssMaxKb), mb(r.rssAfterKb),
                r.publicationsBefore, r.publicationsMax, r.publicationsAfter, r.imagesMax, r.clientsMax,
                r.entriesAdded(), r.latency.getTotalCount(), r.refusedAfter - r.refusedBefore));
        }
        out.append("\nLog entries added and client responses are counted over slightly different instants (counter " +
            "samples vs 100 ms histogram intervals), so they agree to within about a tenth of a second's commands; " +
            "a gap larger than that is entries the flood put in the log (a SessionOpen admitted under the " +
            "per-connection cap is one).\n");
        return out.toString();
    }

    private static String floodAchieved(final PhaseRecord r)
    {
        if (r.quiet())
        {
            return "—";
        }
        if (!r.floodStarted)
        {
            return "never started (no leader)";
        }
        return r.floodExitCode != 0 ? String.format("flooder failed (exit %d) after %,.0f/s", r.floodExitCode,
            r.floodRate()) : String.format("%,.0f/s", r.floodRate());
    }

    private static String leader(final PhaseRecord r)
    {
        final String before = r.leaderBefore < 0 ? "none" : Integer.toString(r.leaderBefore);
        final String after = r.leaderAfter < 0 ? "none" : Integer.toString(r.leaderAfter);
        return (before.equals(after) ? after : before + " -> " + after) +
            (r.nodesExited.isEmpty() ? "" : "; " + String.join(", ", r.nodesExited));
    }

    private static String ms(final long ns)
    {
        if (ns <= 0)
        {
            return "—";
        }
        return ns >= 10_000_000 ? String.format("%,.0f ms", ns / 1e6) : String.format("%.2f ms", ns / 1e6);
    }

    private static String mb(final long kb)
    {
        return kb < 0 ? "?" : Long.toString(kb / 1024);
    }
}
