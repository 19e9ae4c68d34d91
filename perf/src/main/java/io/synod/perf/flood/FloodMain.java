package io.synod.perf.flood;

import io.synod.perf.compare.ChildProcesses;
import io.synod.perf.compare.CompareMain;
import io.synod.perf.compare.LoadOptions;
import io.synod.perf.compare.SynodSide;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.agrona.IoUtil;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Issue 11's floods, measured with real processes: 3 Synod node processes on loopback, one well-behaved client
 * process sending at a fixed rate for the whole run, and a flooder process aimed at the leader's ingress, run in
 * phases: a baseline without flood, then each flood for {@code --duration} seconds with a pause between, then a phase
 * without flood again. Per phase it prints, and writes as a markdown report, the client's latency percentiles and
 * their p99 against the baseline's (the goal: at most 10x, and no election), elections, the leader's RSS, its
 * publications and clients, log entries added, and the flood's achieved rate.
 */
@Command(name = "FloodMain", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
    description = {FloodMain.SUMMARY, FloodMain.EXAMPLE})
public final class FloodMain implements Callable<Integer>
{
    static final String SUMMARY = "Ingress floods at a 3-node Synod cluster, and what a well-behaved client sees.";
    static final String EXAMPLE = "Example: java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED " +
        "-cp perf/target/synod-benchmarks.jar io.synod.perf.flood.FloodMain --duration=30";
    static final int PORT_BASE_DEFAULT = 29200;
    static final List<String> FLOODS = List.of("commands", "opens", "opens-many", "connects-forged",
        "connects-many");
    private static final String DEFAULT_DIR = (Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" :
        System.getProperty("java.io.tmpdir")) + File.separator + "synod-flood";

    @Option(names = "--phases", split = ",", description = "Phases in order: baseline and after (no flood), " +
        "commands, opens, opens-many, connects-forged, connects-many. The first must be baseline.")
    List<String> phases = new ArrayList<>(List.of("baseline", "commands", "opens", "opens-many", "connects-forged",
        "connects-many", "after"));

    @Option(names = "--duration", description = "Seconds of each phase.")
    int duration = 30;

    @Option(names = "--pause", description = "Seconds between two phases (not measured).")
    int pause = 5;

    @Option(names = "--warmup", description = "Seconds the client runs before the baseline (not measured).")
    int warmup = 5;

    @Option(names = "--rate", description = "The well-behaved client's commands per second.")
    int rate = 1_000;

    @Option(names = "--message-length", description = "The well-behaved client's command length in bytes.")
    int messageLength = 32;

    @Option(names = "--flood-rate", description = "commands flood: 1 KiB commands per second for a session that " +
        "does not exist, from one connection.")
    int floodRate = 20_000;

    @Option(names = "--flood-payload", description = "commands flood: payload bytes per command.")
    int floodPayload = 1024;

    @Option(names = "--open-rate", description = "opens and opens-many floods: SessionOpens per second.")
    int openRate = 4_000;

    @Option(names = "--open-connections", description = "opens-many flood: connections the SessionOpens are " +
        "spread over.")
    int openConnections = 100;

    @Option(names = "--connect-rate", description = "connects-forged and connects-many floods: Connects per second " +
        "(connects-many: at most, each is a new connection).")
    int connectRate = 1_000;

    @Option(names = "--connections", description = "connects-many flood: distinct connections, each sending one " +
        "forged Connect.")
    int connections = 2_000;

    @Option(names = "--idle", description = "Idle strategy of the nodes and the client: yielding, busy-spin, " +
        "backoff, sleeping.")
    String idle = "yielding";

    @Option(names = "--flood-idle", description = "Idle strategy of the flooder's media driver.")
    String floodIdle = "backoff";

    @Option(names = "--synod-driver", description = "Threading of each node's embedded media driver: INVOKER or " +
        "SHARED.")
    String synodDriver = "SHARED";

    @Option(names = "--node-args", description = "Other flags for every node process, e.g. " +
        "--election.timeout.ns=500000000 (default: the engine's defaults).")
    String nodeArgs = "";

    @Option(names = "--port-base", description = "First UDP port; the harness uses 400 from it.")
    int portBase = PORT_BASE_DEFAULT;

    @Option(names = "--network", description = "Network flags given to every JVM.")
    String network = CompareMain.NETWORK_DEFAULT;

    @Option(names = "--jvm-opts", description = "Other flags given to every JVM.")
    String jvmOpts = "-Xmx1g -XX:+UseParallelGC";

    @Option(names = "--dir", description = "Directory for logs and Aeron files, deleted after the run (/dev/shm " +
        "where it exists).")
    File dir = new File(DEFAULT_DIR);

    @Option(names = "--out", description = "Directory for the report (default: perf/target/flood-<timestamp> when " +
        "run from the repository root, else ./flood-<timestamp>).")
    File out;

    @Option(names = "--keep-logs", description = "Keep the run's directory (node output and logs).")
    boolean keepLogs;

    private final List<PhaseRecord> records = new ArrayList<>();
    private File runDir;
    private Process[] nodes;
    private final boolean[] exited = new boolean[NodeStats.NODES];
    private final java.util.Map<String, Long> lastKnown = new java.util.HashMap<>();

    /**
     * @param args see {@code --help}.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new FloodMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        for (final String phase : phases)
        {
            if (!"baseline".equals(phase) && !"after".equals(phase) && !FLOODS.contains(phase))
            {
                throw new CommandLine.ParameterException(new CommandLine(this), "--phases: unknown phase " + phase);
            }
        }
        if (phases.isEmpty() || !"baseline".equals(phases.get(0)))
        {
            throw new CommandLine.ParameterException(new CommandLine(this), "--phases: the first must be baseline");
        }
        final String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        if (out == null)
        {
            out = new File(new File("perf/target").isDirectory() ? "perf/target" : ".", "flood-" + stamp);
        }
        runDir = new File(dir, "run-" + ProcessHandle.current().pid());
        if (!out.mkdirs() && !out.isDirectory() || !runDir.mkdirs() && !runDir.isDirectory())
        {
            throw new IOException("cannot create " + out + " or " + runDir);
        }
        final List<String> jvmFlags = new ArrayList<>(split(jvmOpts));
        jvmFlags.addAll(split(network));
        final String configuration = configuration(jvmFlags);
        System.out.print(configuration);
        final double[] load = new double[2];
        load[0] = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        try (ChildProcesses children = new ChildProcesses(jvmFlags, this::deleteRunDir))
        {
            run(children);
        }
        finally
        {
            deleteRunDir();
        }
        load[1] = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        final String report = new FloodReport(records).table();
        final String loadLine = String.format("load average (1 min) at start %.1f, at end %.1f%n", load[0], load[1]);
        System.out.println();
        System.out.print(report);
        System.out.print(loadLine);
        Files.writeString(new File(out, "report.md").toPath(), "# Synod under ingress floods\n\n```\n" +
            configuration + loadLine + "```\n\n" + report, StandardCharsets.UTF_8);
        System.out.println("report: " + new File(out, "report.md").getAbsolutePath());
        return 0;
    }

    /** @return the phases measured so far (for tests). */
    List<PhaseRecord> records()
    {
        return records;
    }

    private void run(final ChildProcesses children) throws Exception
    {
        final LoadOptions nodeOptions = LoadOptions.of(runDir.getPath(), portBase, idle, messageLength, 1024,
            synodDriver);
        nodes = new Process[NodeStats.NODES];
        final File[] outputs = new File[NodeStats.NODES];
        System.out.printf("starting %d node processes%n", NodeStats.NODES);
        for (int id = 0; id < NodeStats.NODES; id++)
        {
            outputs[id] = new File(runDir, "node-" + id + ".out");
            final List<String> args = SynodSide.nodeArgs(nodeOptions, runDir, id);
            args.addAll(split(nodeArgs));
            nodes[id] = children.start(SynodSide.nodeMain(), args, outputs[id]);
        }
        final File clientOutput = new File(runDir, "client.out");
        final File hlog = new File(out, "client.hlog");
        final File stopFile = new File(runDir, "stop-client");
        final Process client = children.start(FloodClientMain.class, List.of(
            "--dir=" + runDir.getPath(), "--port-base=" + portBase, "--idle=" + idle, "--rate=" + rate,
            "--message-length=" + messageLength, "--hlog=" + hlog.getPath(), "--stop-file=" + stopFile.getPath()),
            clientOutput);
        awaitClient(client, clientOutput, outputs);
        System.out.printf("client connected; warm-up %d s%n", warmup);
        Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
        final PhaseSampler sampler = new PhaseSampler(runDir, nodes);
        sampler.start();
        try
        {
            for (int i = 0; i < phases.size(); i++)
            {
                if (i > 0)
                {
                    Thread.sleep(TimeUnit.SECONDS.toMillis(pause));
                }
                runPhase(children, sampler, phases.get(i));
            }
        }
        finally
        {
            sampler.close();
        }
        Files.writeString(stopFile.toPath(), "stop");
        if (!client.waitFor(15, TimeUnit.SECONDS))
        {
            System.out.println("client did not stop within 15 s; stopping it");
        }
        System.out.println(ChildProcesses.tail(clientOutput, 1));
        children.stopAll();
        readLatencies(hlog);
    }

    private void awaitClient(final Process client, final File clientOutput, final File[] nodeOutputs)
        throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!ChildProcesses.tail(clientOutput, 50).contains(FloodClientMain.CONNECTED))
        {
            if (!client.isAlive() || System.nanoTime() > deadline)
            {
                final StringBuilder message = new StringBuilder("the client did not connect; its output:\n")
                    .append(ChildProcesses.tail(clientOutput, 20));
                for (int id = 0; id < nodeOutputs.length; id++)
                {
                    message.append("\n--- node ").append(id).append(":\n")
                        .append(ChildProcesses.tail(nodeOutputs[id], 20));
                }
                throw new IllegalStateException(message.toString());
            }
            Thread.sleep(100);
        }
    }

    private void runPhase(final ChildProcesses children, final PhaseSampler sampler, final String name)
        throws Exception
    {
        final PhaseRecord record = new PhaseRecord(name, FLOODS.contains(name) ? name : null, describe(name));
        System.out.printf("phase %s: %s, %d s%n", name, record.description, duration);
        if (record.quiet())
        {
            before(record);
            sampler.phase(record);
            Thread.sleep(TimeUnit.SECONDS.toMillis(duration));
        }
        else
        {
            // Elections, memory and refusals count from the flooder's start (its connections are part of the
            // flood); the client's latency and the log entries from its first flooding message.
            before(record);
            sampler.phase(record);
            final int exitCode = children.run(FloodSenderMain.class, floodArgs(name), (line) ->
            {
                if (line.startsWith(FloodSenderMain.STARTED))
                {
                    record.commitBefore = maxOver(NodeStats.COMMIT_INDEX);
                    record.startMs = System.currentTimeMillis();
                    record.floodStarted = true;
                }
                else if (line.startsWith(FloodSenderMain.RESULT))
                {
                    record.onFloodResult(line);
                }
                else
                {
                    System.out.println(line);
                }
            });

            if (exitCode != 0)
            {
                record.floodExitCode = exitCode;
                System.out.printf("  %s: the flooder failed with exit code %d (its output is above); the report " +
                    "marks the phase%n", name, exitCode);
            }
        }
        sampler.phase(null);
        after(record);
        noteExits(record);
        records.add(record);
        System.out.printf("  %s: elections %d, leader %d -> %d, leader RSS %,d -> %,d KiB, publications max %d, " +
            "log entries added %,d, flood %,.0f/s%n", name, record.elections(), record.leaderBefore,
            record.leaderAfter, record.rssBeforeKb, record.rssAfterKb, record.publicationsMax, record.entriesAdded(),
            record.floodRate());
    }

    private List<String> floodArgs(final String flood)
    {
        final List<String> args = new ArrayList<>(List.of("--dir=" + runDir.getPath(), "--port-base=" + portBase,
            "--flood=" + flood, "--seconds=" + duration, "--idle=" + floodIdle, "--payload=" + floodPayload));
        switch (flood)
        {
            case "commands":
                args.add("--rate=" + floodRate);
                break;
            case "opens":
                args.add("--rate=" + openRate);
                break;
            case "opens-many":
                args.add("--rate=" + openRate);
                args.add("--connections=" + openConnections);
                break;
            case "connects-forged":
                args.add("--rate=" + connectRate);
                break;
            default:
                args.add("--rate=" + connectRate);
                args.add("--connections=" + connections);
                break;
        }
        return args;
    }

    private String describe(final String phase)
    {
        switch (phase)
        {
            case "commands":
                return String.format("%,d-byte commands for a session that does not exist, %,d/s, one connection",
                    floodPayload, floodRate);
            case "opens":
                return String.format("SessionOpen storm, %,d/s, one connection", openRate);
            case "opens-many":
                return String.format("SessionOpen storm, %,d/s over %d connections", openRate, openConnections);
            case "connects-forged":
                return String.format("forged Connects naming other response channels, %,d/s, one connection",
                    connectRate);
            case "connects-many":
                return String.format("%,d distinct connections, one forged Connect each, at most %,d/s",
                    connections, connectRate);
            default:
                return "no flood";
        }
    }

    private void before(final PhaseRecord record)
    {
        record.leaderBefore = NodeStats.leader(runDir);
        record.electionsBefore = elections();
        record.commitBefore = maxOver(NodeStats.COMMIT_INDEX);
        record.sessionsBefore = leaderCounter(record.leaderBefore, NodeStats.SESSIONS);
        record.refusedBefore = refusals();
        if (record.leaderBefore >= 0)
        {
            record.rssBeforeKb = PhaseRecord.rssKb(nodes[record.leaderBefore].pid());
            record.publicationsBefore = NodeStats.publications(runDir, record.leaderBefore);
        }
        record.startMs = System.currentTimeMillis();
    }

    private void after(final PhaseRecord record)
    {
        record.endMs = System.currentTimeMillis();
        record.leaderAfter = NodeStats.leader(runDir);
        record.electionsAfter = elections();
        record.commitAfter = maxOver(NodeStats.COMMIT_INDEX);
        record.sessionsAfter = leaderCounter(record.leaderAfter, NodeStats.SESSIONS);
        record.refusedAfter = refusals();
        if (record.leaderAfter >= 0)
        {
            record.rssAfterKb = PhaseRecord.rssKb(nodes[record.leaderAfter].pid());
            record.publicationsAfter = NodeStats.publications(runDir, record.leaderAfter);
        }
    }

    private long leaderCounter(final int leader, final String label)
    {
        return leader < 0 ? -1 : NodeStats.counter(runDir, leader, label);
    }

    private long maxOver(final String label)
    {
        long max = -1;
        for (int id = 0; id < NodeStats.NODES; id++)
        {
            max = Math.max(max, NodeStats.counter(runDir, id, label));
        }
        return max;
    }

    /**
     * @return requests and connects refused or dropped before the log, summed over the nodes (each counter at the
     * last value read: a node that exited takes its counters with it, which must not read as fewer refusals).
     */
    private long refusals()
    {
        long sum = 0;
        for (int id = 0; id < NodeStats.NODES; id++)
        {
            for (final String label : List.of(NodeStats.UNKNOWN_SESSION, NodeStats.CONNECTS_REFUSED,
                NodeStats.OPENS_OVER_CAP, NodeStats.UNCONNECTED))
            {
                sum += lastKnown(id, label);
            }
        }
        return sum;
    }

    /** @return elections started, summed over the nodes, each at the last value read (as for refusals). */
    private long elections()
    {
        long sum = 0;
        for (int id = 0; id < NodeStats.NODES; id++)
        {
            sum += lastKnown(id, NodeStats.ELECTIONS);
        }
        return sum;
    }

    /** @return a monotonic counter of node {@code id} at the highest value read so far. */
    private long lastKnown(final int id, final String label)
    {
        final long value = Math.max(lastKnown.getOrDefault(id + " " + label, 0L),
            NodeStats.counter(runDir, id, label));
        lastKnown.put(id + " " + label, value);
        return value;
    }

    /** A node process that exited during the phase is named in the report, with the end of its output printed. */
    private void noteExits(final PhaseRecord record)
    {
        for (int id = 0; id < nodes.length; id++)
        {
            if (!nodes[id].isAlive() && !exited[id])
            {
                exited[id] = true;
                record.nodesExited.add("node " + id + " exited (code " + nodes[id].exitValue() + ")");
                final File output = new File(runDir, "node-" + id + ".out");
                System.out.printf("  node %d exited with code %d; why, and the end of its output:%n%s%n%s%n", id,
                    nodes[id].exitValue(), failedLines(output), ChildProcesses.tail(output, 15));
            }
        }
    }

    /** @return the lines of a node's output that say why it stopped (its fail-stop line, a JVM crash's frame). */
    private static String failedLines(final File output)
    {
        final StringBuilder lines = new StringBuilder();
        try
        {
            for (final String line : Files.readAllLines(output.toPath(), StandardCharsets.UTF_8))
            {
                if (line.contains(" FAILED") || line.contains("SIGSEGV") || line.contains("Problematic frame") ||
                    line.startsWith("# J ") || line.startsWith("# C "))
                {
                    lines.append(line).append(System.lineSeparator());
                }
            }
        }
        catch (final IOException ex)
        {
            return "(no output: " + ex.getMessage() + ")";
        }
        return lines.toString().trim();
    }

    /** Cut the client's histogram log into the phases: each interval goes to the phase its middle falls in. */
    private void readLatencies(final File hlog) throws IOException
    {
        final HistogramLogReader reader = new HistogramLogReader(hlog);
        while (reader.hasNext())
        {
            final Histogram interval = (Histogram)reader.nextIntervalHistogram();
            if (interval == null)
            {
                break;
            }
            final long middleMs = (interval.getStartTimeStamp() + interval.getEndTimeStamp()) / 2;
            for (final PhaseRecord record : records)
            {
                if (middleMs >= record.startMs && middleMs < record.endMs)
                {
                    record.latency.add(interval);
                }
            }
        }
    }

    private void deleteRunDir()
    {
        if (!keepLogs && runDir != null)
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

    private String configuration(final List<String> jvmFlags)
    {
        final StringBuilder config = new StringBuilder();
        line(config, "configuration%n");
        line(config, "  machine:        %d cores, %s %s, %s%n", Runtime.getRuntime().availableProcessors(),
            System.getProperty("os.name"), System.getProperty("os.arch"),
            ManagementFactory.getRuntimeMXBean().getVmName() + " " + System.getProperty("java.version"));
        line(config, "  processes:      3 node processes, 1 well-behaved client process, 1 flooder process per " +
            "flood phase, all on this host%n");
        line(config, "  jvm flags:      %s%n", String.join(" ", jvmFlags));
        line(config, "  network:        loopback UDP, ports %d-%d%n", portBase, portBase + 399);
        line(config, "  nodes:          %s%n", SynodSide.describe(synodDriver));
        line(config, "  node flags:     %s%n", nodeArgs.isBlank() ?
            "none beyond the above (election timeout and heartbeat at the engine's defaults)" : nodeArgs);
        line(config, "  idle strategy:  %s (nodes, client and its driver); flooder's driver %s%n", idle, floodIdle);
        line(config, "  client:         SynodClient, one session, %,d commands/s of %d bytes, latency from the " +
            "intended send time, at most 1024 outstanding; embedded SHARED driver%n", rate, messageLength);
        line(config, "  flooder:        plain Aeron exclusive publications (term 64 KiB) to the leader's ingress, " +
            "SBE messages, follows the leader by the nodes' role counters%n");
        line(config, "  phases:         %s; %d s each, %d s pause between, client warm-up %d s%n",
            String.join(", ", phases), duration, pause, warmup);
        for (final String phase : phases)
        {
            if (FLOODS.contains(phase))
            {
                line(config, "    %-18s%s%n", phase + ":", describe(phase));
            }
        }
        line(config, "  logs:           %s (deleted after: %s)%n", runDir, !keepLogs);
        line(config, "  output:         %s%n", out.getAbsolutePath());
        return config.toString();
    }

    private static void line(final StringBuilder config, final String format, final Object... args)
    {
        config.append(String.format(format, args));
    }

    private static List<String> split(final String flags)
    {
        final String trimmed = flags.trim();
        return trimmed.isEmpty() ? new ArrayList<>() : new ArrayList<>(Arrays.asList(trimmed.split("\\s+")));
    }
}
