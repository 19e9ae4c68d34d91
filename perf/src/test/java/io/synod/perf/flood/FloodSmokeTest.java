package io.synod.perf.flood;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flood harness, shortened: 3 node processes, the well-behaved client and every flood for 2 s each at low rates;
 * the report must have every phase, the client must have been served in each, and the run's files must be gone.
 * Asserts no timing. UDP ports 29400-29599, held by the lease file {@code synod-test-ports-29400.lock} in the
 * temporary directory (as the engine's process tests hold theirs) so two clones' runs take turns.
 */
class FloodSmokeTest
{
    private static final int PORT_BASE = 29400;

    @TempDir
    Path out;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void reportHasEveryPhaseAndTheClientWasServed() throws Exception
    {
        final File lease = new File(System.getProperty("java.io.tmpdir"), "synod-test-ports-" + PORT_BASE + ".lock");
        try (FileChannel channel = FileChannel.open(lease.toPath(), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
            FileLock ignored = channel.lock())
        {
            final File logs = Files.createTempDirectory("synod-flood-smoke").toFile();
            final FloodMain harness = new FloodMain();
            final int exitCode = new CommandLine(harness).execute(
                "--duration=2", "--pause=1", "--warmup=1", "--rate=200",
                "--flood-rate=2000", "--open-rate=500", "--open-connections=5", "--connect-rate=200",
                "--connections=50", "--port-base=" + PORT_BASE, "--jvm-opts=-Xmx256m",
                "--dir=" + logs, "--out=" + out);

            assertEquals(0, exitCode, "harness exit code");
            final List<String> seen = new ArrayList<>();
            for (final PhaseRecord record : harness.records())
            {
                seen.add(record.name);
                assertTrue(record.latency.getTotalCount() > 0, "client served in " + record.name);
                if (!record.quiet())
                {
                    assertTrue(record.floodSent > 0, "flood sent in " + record.name);
                    assertEquals(0, record.floodExitCode, "flooder exit code in " + record.name);
                    assertTrue(record.floodStarted, "flood started in " + record.name);
                }
            }
            assertEquals(List.of("baseline", "commands", "opens", "opens-many", "connects-forged", "connects-many",
                "after"), seen, "phases run");

            final String report = Files.readString(out.resolve("report.md"), StandardCharsets.UTF_8);
            for (final String phase : seen)
            {
                assertTrue(report.contains("| " + phase + " |"), "report has phase " + phase + ":\n" + report);
            }
            assertTrue(report.contains("p99 / baseline"), report);
            assertTrue(report.contains("idle strategy:"), "configuration in the report:\n" + report);
            assertFalse(new File(logs, "run-" + ProcessHandle.current().pid()).exists(), "logs deleted");
            Files.deleteIfExists(logs.toPath());
        }
    }
}
