package io.synod.perf.flood;

import org.HdrHistogram.Histogram;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

/**
 * One phase of the flood harness: what the nodes' counters and the leader's memory said before and after it (and at
 * most during it, sampled), what the flooder achieved, and the well-behaved client's latencies in it.
 */
final class PhaseRecord
{
    final String name;
    final String flood;
    final String description;
    long startMs;
    long endMs;
    int leaderBefore = -1;
    int leaderAfter = -1;
    long electionsBefore;
    long electionsAfter;
    long rssBeforeKb = -1;
    long rssAfterKb = -1;
    volatile long rssMaxKb = -1;
    long publicationsBefore = -1;
    volatile long publicationsMax = -1;
    long publicationsAfter = -1;
    volatile long imagesMax = -1;
    volatile long clientsMax = -1;
    long commitBefore;
    long commitAfter;
    long sessionsBefore;
    long sessionsAfter;
    long refusedBefore;
    long refusedAfter;
    long floodSent;
    double floodSeconds;
    long floodConnections;
    long floodLeaderChanges;
    int floodExitCode;
    boolean floodStarted;
    final List<String> nodesExited = new java.util.ArrayList<>();
    final Histogram latency = new Histogram(3);

    PhaseRecord(final String name, final String flood, final String description)
    {
        this.name = name;
        this.flood = flood;
        this.description = description;
    }

    /** @return true for a phase without a flood (the baseline, the phase after the floods). */
    boolean quiet()
    {
        return flood == null;
    }

    long elections()
    {
        return electionsAfter - electionsBefore;
    }

    long entriesAdded()
    {
        return commitAfter - commitBefore;
    }

    double floodRate()
    {
        return floodSeconds > 0 ? floodSent / floodSeconds : 0;
    }

    /** @return the well-behaved client's responses per second in the phase. */
    double clientRate()
    {
        final double seconds = (endMs - startMs) / 1000.0;
        return seconds > 0 ? latency.getTotalCount() / seconds : 0;
    }

    /** Fold a {@code FLOOD key=value ...} line of the flooder into this record. */
    void onFloodResult(final String line)
    {
        for (final String field : line.substring(FloodSenderMain.RESULT.length()).trim().split(" "))
        {
            final int equals = field.indexOf('=');
            final String value = field.substring(equals + 1);
            switch (field.substring(0, equals))
            {
                case "sent":
                    floodSent = Long.parseLong(value);
                    break;
                case "seconds":
                    floodSeconds = Double.parseDouble(value);
                    break;
                case "connections":
                    floodConnections = Long.parseLong(value);
                    break;
                case "leaderChanges":
                    floodLeaderChanges = Long.parseLong(value);
                    break;
                default:
                    break;
            }
        }
    }

    /**
     * @param pid a process id.
     * @return its resident set size in KiB from /proc, -1 if unknown (not Linux, or the process is gone).
     */
    static long rssKb(final long pid)
    {
        try
        {
            final List<String> lines = Files.readAllLines(new File("/proc/" + pid + "/status").toPath(),
                StandardCharsets.UTF_8);
            for (final String line : lines)
            {
                if (line.startsWith("VmRSS:"))
                {
                    return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").trim());
                }
            }
            return -1;
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }
}
