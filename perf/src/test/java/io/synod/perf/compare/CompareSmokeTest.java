package io.synod.perf.compare;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole harness, shortened: ping-pong, then Synod and Aeron Cluster (3 node processes and a load client each)
 * for 2 s, 1 s with a small window and 1 s at a low rate; the report must have both systems' figures in every row, and
 * the .hlog files and plots must be written. UDP ports 26500-26899. Asserts no timing.
 */
class CompareSmokeTest
{
    @TempDir
    Path out;

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void reportHasBothSystemsSideBySide() throws Exception
    {
        final File logs = Files.createTempDirectory("synod-compare-smoke").toFile();
        final CompareMain harness = new CompareMain();
        final int exitCode = new CommandLine(harness).execute(
            "--duration=1", "--warmup=0", "--runs=1", "--windows=16", "--rates=500",
            "--port-base=26500", "--jvm-opts=-Xmx256m",
            "--dir=" + logs, "--out=" + out);

        assertEquals(0, exitCode, "harness exit code");
        final List<String> seen = new ArrayList<>();
        for (final PhaseResult result : harness.results())
        {
            seen.add(result.system + "/" + result.phase);
            assertTrue(result.count > 0, "responses recorded in " + result.system + " " + result.phase);
        }
        assertEquals(List.of("pingpong/pingpong", "synod/window-16", "synod/rate-500", "aeron/window-16",
            "aeron/rate-500"), seen, "phases run");

        final String report = Files.readString(out.resolve("report.md"), StandardCharsets.UTF_8);
        for (final String figure : List.of("| throughput, window 16 |", "| p99, @500/s |", "| reference: raw Aeron"))
        {
            assertTrue(report.contains(figure), "report has row " + figure + ":\n" + report);
        }
        for (final String line : report.split("\n"))
        {
            if (line.startsWith("| throughput") || line.startsWith("| p50"))
            {
                final String[] cells = line.split("\\|");
                assertFalse(cells[2].isBlank() || cells[2].contains("—"), "Synod value in " + line);
                assertFalse(cells[3].isBlank() || cells[3].contains("—"), "Aeron Cluster value in " + line);
                assertTrue(cells[4].contains("×"), "ratio in " + line);
            }
        }
        for (final String file : List.of("synod-run1-window-16.hlog", "aeron-run1-rate-500.hlog", "pingpong.hlog",
            "latency-window-16.png", "latency-rate-500.png"))
        {
            assertTrue(Files.size(out.resolve(file)) > 0, file + " written");
        }
        assertFalse(new File(logs, "run-" + ProcessHandle.current().pid()).exists(), "logs deleted");
        Files.deleteIfExists(logs.toPath());
    }
}
