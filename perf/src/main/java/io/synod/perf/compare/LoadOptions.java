package io.synod.perf.compare;

import picocli.CommandLine.Option;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings the harness hands to every process it starts (nodes, load client, ping-pong), so that both systems
 * run with the same ones: parsed by picocli in each process and passed on by {@link #toArgs()}.
 */
public final class LoadOptions
{
    /** Default log directory: /dev/shm (memory) where it exists, else the temporary directory. */
    static final String DEFAULT_DIR = (Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" :
        System.getProperty("java.io.tmpdir")) + File.separator + "synod-compare";

    @Option(names = "--dir", description = "Directory for logs, archives and Aeron files, deleted after the run " +
        "(a subdirectory per run is made in it; /dev/shm where it exists, else java.io.tmpdir).")
    String dir = DEFAULT_DIR;

    @Option(names = "--port-base", description = "First UDP port; the harness uses up to 400 from it.")
    int portBase = 26000;

    @Option(names = "--idle", description = "Idle strategy of every agent, node and client: yielding, busy-spin, " +
        "backoff, sleeping.")
    String idle = "yielding";

    @Option(names = "--message-length", description = "Command length in bytes, at least 16.")
    int messageLength = 32;

    @Option(names = "--duration", description = "Seconds each phase is measured.")
    int durationSeconds = 10;

    @Option(names = "--warmup", description = "Seconds of unrecorded closed-loop load (window 64) before the phases " +
        "of each run.")
    int warmupSeconds = 5;

    @Option(names = "--windows", split = ",", description = "Closed-loop phases: commands outstanding.")
    List<Integer> windows = new ArrayList<>(List.of(64, 1024));

    @Option(names = "--rates", split = ",", description = "Fixed-rate phases in commands/s, latency from the " +
        "intended send time.")
    List<Integer> rates = new ArrayList<>(List.of(10_000, 50_000));

    @Option(names = "--max-outstanding", description = "Commands outstanding at most in the fixed-rate phases; " +
        "a late send still counts from its intended time.")
    int maxOutstanding = 1024;

    @Option(names = "--settle", description = "Seconds between two phases with nothing sent, so each phase starts " +
        "on a cluster done with the previous one's work (followers catching up after a saturating window).")
    int settleSeconds = 2;

    @Option(names = "--synod-driver", description = "Threading of each Synod node's embedded media driver: INVOKER " +
        "(run in the node agent's duty cycle: one thread per node) or SHARED (a thread of its own).")
    String synodDriver = "SHARED";

    @Option(names = "--gap-ms", description = "A pause between two responses at least this long is counted as a " +
        "gap.")
    int gapMs = 50;

    /**
     * The options another harness (the flood harness) gives {@link SynodSide}: no closed-loop windows.
     *
     * @param dir            the run's directory.
     * @param portBase       first UDP port.
     * @param idle           idle strategy name.
     * @param messageLength  command length in bytes.
     * @param maxOutstanding commands outstanding at most.
     * @param synodDriver    the nodes' driver threading.
     * @return the options.
     */
    public static LoadOptions of(
        final String dir,
        final int portBase,
        final String idle,
        final int messageLength,
        final int maxOutstanding,
        final String synodDriver)
    {
        final LoadOptions options = new LoadOptions();
        options.dir = dir;
        options.portBase = portBase;
        options.idle = idle;
        options.messageLength = messageLength;
        options.maxOutstanding = maxOutstanding;
        options.synodDriver = synodDriver;
        options.windows = new ArrayList<>();
        options.rates = new ArrayList<>();
        return options;
    }

    /** @return these options as command-line arguments for a child process. */
    List<String> toArgs()
    {
        return new ArrayList<>(List.of(
            "--dir=" + dir,
            "--port-base=" + portBase,
            "--idle=" + idle,
            "--message-length=" + messageLength,
            "--duration=" + durationSeconds,
            "--warmup=" + warmupSeconds,
            "--windows=" + join(windows),
            "--rates=" + join(rates),
            "--max-outstanding=" + maxOutstanding,
            "--gap-ms=" + gapMs,
            "--settle=" + settleSeconds,
            "--synod-driver=" + synodDriver));
    }

    /** @return a copy of these options. */
    LoadOptions copy()
    {
        final LoadOptions copy = new LoadOptions();
        copy.dir = dir;
        copy.portBase = portBase;
        copy.idle = idle;
        copy.messageLength = messageLength;
        copy.durationSeconds = durationSeconds;
        copy.warmupSeconds = warmupSeconds;
        copy.windows = new ArrayList<>(windows);
        copy.rates = new ArrayList<>(rates);
        copy.maxOutstanding = maxOutstanding;
        copy.gapMs = gapMs;
        copy.synodDriver = synodDriver;
        copy.settleSeconds = settleSeconds;
        return copy;
    }

    /** @return the phases in the order they run. */
    List<String> phases()
    {
        final List<String> phases = new ArrayList<>();
        for (final int window : windows)
        {
            phases.add("window-" + window);
        }
        for (final int rate : rates)
        {
            phases.add("rate-" + rate);
        }
        return phases;
    }

    private static String join(final List<Integer> values)
    {
        final StringBuilder out = new StringBuilder();
        for (final int value : values)
        {
            out.append(out.length() == 0 ? "" : ",").append(value);
        }
        return out.toString();
    }
}
