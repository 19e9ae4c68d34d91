package io.synod.perf.compare;

import org.agrona.IoUtil;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Synod side by side with a 3-node Aeron Cluster on this machine, with the same settings: 3 node processes and 1
 * load-client process per system, loopback UDP, the same idle strategy, message length, network flags and JVM flags
 * everywhere. Phases: closed loop with a window (maximum throughput and its latency), fixed rates (latency from the
 * intended send time); each system runs each phase {@code --runs} times, interleaved (Synod, Aeron, Synod, Aeron),
 * each run on a fresh cluster. Raw Aeron UDP ping-pong is the physical reference.
 * <p>
 * Prints the configuration, progress, and one table with both systems and the ratio Synod / Aeron; writes the table,
 * one HdrHistogram log per phase and run, and one latency-percentile PNG per phase under {@code --out}.
 */
@Command(name = "CompareMain", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
    description = {CompareMain.SUMMARY, CompareMain.EXAMPLE})
public final class CompareMain implements Callable<Integer>
{
    static final String SUMMARY = "Synod vs a 3-node Aeron Cluster, side by side, on this machine.";
    static final String EXAMPLE = "Example: java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED " +
        "-cp perf/target/synod-benchmarks.jar io.synod.perf.compare.CompareMain --duration=10";

    /** Aeron's throughput profile for loopback: 8 KiB datagrams, 2 MiB socket buffers and receiver window. */
    public static final String NETWORK_DEFAULT = "-Daeron.mtu.length=8k -Daeron.socket.so_sndbuf=2m " +
        "-Daeron.socket.so_rcvbuf=2m -Daeron.rcv.initial.window.length=2m";

    @Mixin
    LoadOptions options = new LoadOptions();

    @Option(names = "--runs", description = "Runs of each system, interleaved.")
    int runs = 2;

    @Option(names = "--systems", split = ",", description = "Systems to run: synod, aeron.")
    List<String> systems = new ArrayList<>(List.of(SynodSide.NAME, AeronClusterSide.NAME));

    @Option(names = "--ping", negatable = true, description = "Run the raw Aeron UDP ping-pong reference.")
    boolean ping = true;

    @Option(names = "--network", description = "Network flags given to every JVM.")
    String network = NETWORK_DEFAULT;

    @Option(names = "--jvm-opts", description = "Other flags given to every JVM.")
    String jvmOpts = "-Xms1g -Xmx1g -XX:+UseParallelGC";

    @Option(names = "--out", description = "Directory for the report, .hlog files and plots " +
        "(default: perf/target/compare-<timestamp> when run from the repository root, else ./compare-<timestamp>).")
    File out;

    @Option(names = "--keep-logs", description = "Keep --dir after the run (node output and logs).")
    boolean keepLogs;

    private final List<PhaseResult> results = new ArrayList<>();
    private File runDir;

    /**
     * @param args see {@code --help}.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new CompareMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        for (final String system : systems)
        {
            if (!SynodSide.NAME.equals(system) && !AeronClusterSide.NAME.equals(system))
            {
                throw new CommandLine.ParameterException(new CommandLine(this), "--systems: unknown system " + system +
                    " (synod or aeron)");
            }
        }
        final String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        if (out == null)
        {
            out = new File(new File("perf/target").isDirectory() ? "perf/target" : ".", "compare-" + stamp);
        }
        runDir = new File(options.dir, "run-" + ProcessHandle.current().pid());
        if (!out.mkdirs() && !out.isDirectory() || !runDir.mkdirs() && !runDir.isDirectory())
        {
            throw new IOException("cannot create " + out + " or " + runDir);
        }
        final List<String> jvmFlags = new ArrayList<>();
        jvmFlags.addAll(split(jvmOpts));
        jvmFlags.addAll(split(network));
        final String configuration = configuration(jvmFlags);
        System.out.print(configuration);
        final LoadOptions childOptions = childOptions();
        try (ChildProcesses children = new ChildProcesses(jvmFlags, this::deleteRunDir))
        {
            if (ping)
            {
                pingPong(children, childOptions);
            }
            for (int run = 1; run <= runs; run++)
            {
                for (final String system : systems)
                {
                    runSystem(children, childOptions, system, run);
                }
            }
        }
        finally
        {
            deleteRunDir();
        }
        final String table = new ComparisonReport(results, options.gapMs).table(options.phases());
        System.out.println();
        System.out.print(table);
        Files.writeString(new File(out, "report.md").toPath(), "# Synod vs Aeron Cluster\n\n```\n" + configuration +
            "```\n\n" + table, StandardCharsets.UTF_8);
        for (final String phase : options.phases())
        {
            final List<PhaseResult> series = new ArrayList<>();
            for (final PhaseResult result : results)
            {
                if (result.phase.equals(phase) || "pingpong".equals(result.phase))
                {
                    series.add(result);
                }
            }
            LatencyPlots.write(new File(out, "latency-" + phase + ".png"), phase.replace('-', ' ') +
                ": latency by percentile", series);
        }
        System.out.println("report, .hlog files and plots: " + out.getAbsolutePath());
        return 0;
    }

    private void deleteRunDir()
    {
        if (!keepLogs)
        {
            IoUtil.delete(runDir, true);
            try
            {
                Files.deleteIfExists(runDir.getParentFile().toPath()); // --dir too, unless another run uses it
            }
            catch (final IOException ex)
            {
                // not empty: another run's directory is in it
            }
        }
    }

    /** @return the results gathered so far (for tests). */
    List<PhaseResult> results()
    {
        return results;
    }

    private LoadOptions childOptions()
    {
        final LoadOptions child = options.copy();
        child.dir = runDir.getPath();
        return child;
    }

    private void pingPong(final ChildProcesses children, final LoadOptions child) throws Exception
    {
        System.out.println("ping-pong: raw Aeron UDP, one process pair");
        final File pongOutput = new File(runDir, "pong.log");
        final List<String> pongArgs = child.toArgs();
        pongArgs.add("--role=pong");
        final Process pong = children.start(PingPongMain.class, pongArgs, pongOutput);
        final List<String> pingArgs = child.toArgs();
        pingArgs.add("--role=ping");
        pingArgs.add("--out=" + out.getPath());
        final int exitCode = children.run(PingPongMain.class, pingArgs, this::onClientLine);
        pong.destroy();
        if (exitCode != 0)
        {
            throw new IllegalStateException("ping-pong failed with exit code " + exitCode + "; pong's output:\n" +
                ChildProcesses.tail(pongOutput, 20));
        }
        children.stopAll();
    }

    private void runSystem(final ChildProcesses children, final LoadOptions child, final String system, final int run)
        throws Exception
    {
        final File dir = new File(runDir, system + "-" + run);
        if (!dir.mkdirs())
        {
            throw new IOException("cannot create " + dir);
        }
        final LoadOptions systemOptions = child.copy();
        systemOptions.dir = dir.getPath();
        System.out.printf("%s run %d: starting %d node processes%n", system, run, AeronClusterSide.NODES);
        final File[] outputs = new File[AeronClusterSide.NODES];
        for (int id = 0; id < AeronClusterSide.NODES; id++)
        {
            outputs[id] = new File(dir, "node-" + id + ".out");
            if (SynodSide.NAME.equals(system))
            {
                children.start(SynodSide.nodeMain(), SynodSide.nodeArgs(systemOptions, dir, id), outputs[id]);
            }
            else
            {
                children.start(AeronClusterNode.class, AeronClusterSide.nodeArgs(systemOptions, dir, id), outputs[id]);
            }
        }
        final List<String> args = systemOptions.toArgs();
        args.add("--system=" + system);
        args.add("--run=" + run);
        args.add("--out=" + out.getPath());
        final int exitCode = children.run(LoadClientMain.class, args, this::onClientLine);
        children.stopAll();
        if (!keepLogs && exitCode == 0)
        {
            // Each run starts on memory as clean as the first run's: a run's logs left in /dev/shm made every
            // later run of either system slower (707k, 588k, 501k/s at window 1024 for three Synod runs).
            IoUtil.delete(dir, true);
        }
        if (exitCode != 0)
        {
            final StringBuilder message = new StringBuilder(system + " run " + run + ": load client failed with " +
                "exit code " + exitCode);
            for (int id = 0; id < outputs.length; id++)
            {
                message.append("\n--- node ").append(id).append(":\n").append(ChildProcesses.tail(outputs[id], 20));
            }
            throw new IllegalStateException(message.toString());
        }
    }

    private void onClientLine(final String line)
    {
        if (line.startsWith("RESULT "))
        {
            try
            {
                results.add(PhaseResult.parse(line));
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException("cannot read the histogram of " + line, ex);
            }
        }
        else
        {
            System.out.println(line);
        }
    }

    private String configuration(final List<String> jvmFlags)
    {
        final StringBuilder config = new StringBuilder();
        final String java = ProcessHandle.current().info().command().orElse("java");
        config.append(String.format("configuration%n"))
            .append(String.format("  machine:        %d cores, %s %s, %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"),
                ManagementFactory.getRuntimeMXBean().getVmName() + " " + System.getProperty("java.version")))
            .append(String.format("  processes:      per system 3 node processes + 1 load-client process, all %s%n",
                java))
            .append(String.format("  jvm flags:      %s%n", String.join(" ", jvmFlags)))
            .append(String.format("  network:        loopback UDP, ports %d-%d%n", options.portBase,
                options.portBase + 399))
            .append(String.format("  idle strategy:  %s on every agent (nodes, drivers, archive, consensus module, " +
                "service, clients, load loop)%n", options.idle))
            .append(String.format("  synod:          %s%n", SynodSide.describe(options.synodDriver)))
            .append(String.format("  aeron cluster:  %s%n", AeronClusterSide.describe()))
            .append(String.format("  load client:    one thread offering and polling; its own embedded SHARED " +
                "driver%n"))
            .append(String.format("  commands:       %d bytes%n", options.messageLength))
            .append(String.format("  phases:         warm-up %d s (window 64, unrecorded), then closed loop with " +
                "windows %s, then fixed rates %s/s (at most %d outstanding, latency from the intended send time), " +
                "%d s each, %d s with nothing sent between two phases%n", options.warmupSeconds, options.windows,
                options.rates, options.maxOutstanding, options.durationSeconds, options.settleSeconds))
            .append(String.format("  runs:           %d per system, interleaved %s, each on a fresh cluster%n", runs,
                systems))
            .append(String.format("  gaps:           pauses of %d ms or more between two responses%n",
                options.gapMs))
            .append(String.format("  elections:      synod: 'elections started' summed over the nodes' counters; " +
                "aeron: the most any node's 'Cluster election count' rose; and new-leader events at each client%n"))
            .append(String.format("  logs:           %s (deleted after: %s)%n", runDir, !keepLogs))
            .append(String.format("  output:         %s%n", out.getAbsolutePath()));
        return config.toString();
    }

    private static List<String> split(final String flags)
    {
        final String trimmed = flags.trim();
        return trimmed.isEmpty() ? new ArrayList<>() : new ArrayList<>(Arrays.asList(trimmed.split("\\s+")));
    }
}
