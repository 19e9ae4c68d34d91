package io.synod.node;

import io.aeron.exceptions.ConfigurationException;
import io.synod.ClusterMember;
import io.synod.Configuration;
import io.synod.Settings;
import io.synod.Settings.Kind;
import io.synod.Settings.Scope;
import io.synod.Settings.Setting;
import io.synod.StateMachine;
import org.agrona.SystemUtil;
import org.agrona.concurrent.ShutdownSignalBarrier;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Runs one node as its own process, so a cluster can run as separate processes:
 * <pre>
 * java -jar engine/target/synod-node.jar [node.properties] --node.id=1 --members=... --log.dir=...
 * </pre>
 * Settings are the {@code synod.*} properties of {@link Configuration} ({@link Settings#NODE}), from a properties
 * file, then {@code --name=value} flags (the {@code synod.} prefix may be left out), then the main's own:
 * {@code synod.state.machine}, {@code synod.status.interval.ms} and {@code synod.dev}. {@code --help} prints them all.
 * An unknown or misspelt setting is refused naming the nearest valid one; the node id, the members and the log
 * directory are required unless {@code --dev} asks for an in-memory node. Exit codes: 0 after {@code --help} or a
 * signal, 1 when the node stopped itself after a failure or failed to start, 2 for a usage or configuration error
 * (one line naming the setting). Stops on SIGINT or SIGTERM.
 */
public final class SynodNodeMain
{
    /** Class name of the state machine: {@code synod.state.machine}. */
    public static final String STATE_MACHINE_PROP = "synod.state.machine";
    /** Status line interval: {@code synod.status.interval.ms}. */
    public static final String STATUS_INTERVAL_PROP = "synod.status.interval.ms";
    /** Development mode, members and log directory may be left out (an in-memory log): {@code synod.dev}. */
    public static final String DEV_PROP = "synod.dev";
    /** Exit code of a usage or configuration error. */
    public static final int EXIT_USAGE = 2;
    /** Exit code of a node that failed to start or stopped itself after a failure. */
    public static final int EXIT_FAILED = 1;

    /** The main's own settings, beside {@link Settings#NODE}. */
    static final List<Setting> MAIN_SETTINGS = List.of(
        new Setting(STATE_MACHINE_PROP, Kind.STRING, CounterStateMachine.class.getName(), Scope.NODE,
        "class name of the state machine (public, no-argument constructor)"),
        new Setting(STATUS_INTERVAL_PROP, Kind.DURATION, "5000", Scope.NODE,
        "how often to print a status line, in ms or with a unit; 0: none"),
        new Setting(DEV_PROP, Kind.BOOLEAN, "false", Scope.NODE,
        "development: members may default to three nodes on localhost and the log may stay in memory"));

    private SynodNodeMain()
    {
    }

    /**
     * A usage error: printed as one line, exit code {@link #EXIT_USAGE}.
     */
    static final class UsageException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        UsageException(final String message)
        {
            super(message);
        }
    }

    /**
     * @param args an optional properties file, then {@code --name=value} flags; {@code --help} for usage.
     */
    public static void main(final String[] args)
    {
        final int exitCode = execute(args, System.out, System.err);
        if (exitCode != 0)
        {
            System.exit(exitCode);
        }
    }

    /**
     * Check the settings, then run the node until a signal or a failure.
     *
     * @param args an optional properties file, then {@code --name=value} flags.
     * @param out  where usage and log lines go.
     * @param err  where errors go.
     * @return the exit code.
     */
    static int execute(final String[] args, final PrintStream out, final PrintStream err)
    {
        final Properties settings;
        try
        {
            settings = readSettings(args);
            if (settings == null)
            {
                printUsage(out);
                return 0;
            }
            requireSettings(settings);
        }
        catch (final UsageException | ConfigurationException ex)
        {
            print(err, "error: " + ex.getMessage() + " (--help lists every setting)");
            return EXIT_USAGE;
        }
        warnOfUnknownSystemProperties(err);
        for (final String name : settings.stringPropertyNames())
        {
            System.setProperty(name, settings.getProperty(name)); // the one place a node process takes settings from
        }
        final StateMachine stateMachine;
        final Context ctx;
        try
        {
            final String className = Configuration.string(STATE_MACHINE_PROP, CounterStateMachine.class.getName());
            stateMachine = newStateMachine(className);
            ctx = new Context().stateMachine(stateMachine).errorHandler(new io.synod.ErrorPrinter(
                "synod node " + Configuration.string(Configuration.NODE_ID_PROP, "?"), err));
        }
        catch (final UsageException | ConfigurationException ex)
        {
            print(err, "error: " + ex.getMessage());
            return EXIT_USAGE;
        }
        try
        {
            return run(ctx, stateMachine, statusIntervalMs(), out) ? EXIT_FAILED : 0;
        }
        catch (final ConfigurationException ex)
        {
            print(err, "error: node " + ctx.nodeId() + " cannot start: " + ex.getMessage());
            return EXIT_USAGE;
        }
        catch (final RuntimeException ex)
        {
            print(err, "error: node " + ctx.nodeId() + " failed to start: " + ex);
            return EXIT_FAILED;
        }
    }

    /**
     * Read the properties file and flags, refusing unknown settings.
     *
     * @return the {@code synod.*} settings and any other property of the file, or null if usage was asked for.
     */
    static Properties readSettings(final String[] args)
    {
        final Properties settings = new Properties();
        for (final String arg : args)
        {
            if ("--help".equals(arg) || "-h".equals(arg))
            {
                return null;
            }
            if (arg.startsWith("-"))
            {
                final int equals = arg.indexOf('=');
                if (!arg.startsWith("--") || (equals < 0 && !"--dev".equals(arg)))
                {
                    throw new UsageException("expected --name=value, got " + arg);
                }
                final String name = arg.substring(2, equals < 0 ? arg.length() : equals);
                final String property = "synod." + Settings.shortName(name);
                check(property, "--" + name, true);
                settings.setProperty(property, equals < 0 ? "true" : arg.substring(equals + 1));
            }
            else
            {
                final Properties file = new Properties();
                try (InputStream in = new FileInputStream(arg))
                {
                    file.load(in);
                }
                catch (final IOException ex)
                {
                    throw new UsageException("cannot read the properties file " + arg + ": " + ex.getMessage());
                }
                for (final String name : file.stringPropertyNames())
                {
                    if (name.startsWith("synod."))
                    {
                        check(name, name + " in " + arg, false);
                    }
                    settings.setProperty(name, file.getProperty(name)); // others (aeron.*) pass through
                }
            }
        }
        return settings;
    }

    private static void check(final String property, final String given, final boolean flag)
    {
        if (find(property) != null)
        {
            return;
        }
        final Setting clientSetting = Settings.find(property, Settings.ALL);
        if (clientSetting != null)
        {
            throw new UsageException(given + " is a client setting; a node does not read it");
        }
        final List<String> names = new ArrayList<>();
        for (final Setting setting : settings())
        {
            names.add(flag ? Settings.shortName(setting.property()) : setting.property());
        }
        final String nearest = Settings.nearest(flag ? Settings.shortName(property) : property, names);
        throw new UsageException("unknown setting " + given + "; did you mean " + (flag ? "--" : "") + nearest + "?");
    }

    /**
     * A misspelt {@code -Dsynod.*} JVM property is only warned of, not refused: a state machine or a test may read
     * properties of its own under {@code synod.}.
     */
    static void warnOfUnknownSystemProperties(final PrintStream err)
    {
        final List<String> names = new ArrayList<>();
        for (final Setting setting : settings())
        {
            names.add(setting.property());
        }
        for (final String name : System.getProperties().stringPropertyNames())
        {
            if (name.startsWith("synod.") && find(name) == null && Settings.find(name, Settings.ALL) == null)
            {
                print(err, "warning: -D" + name + " is not a node setting (nearest: " +
                    Settings.nearest(name, names) + "); ignored unless the state machine reads it");
            }
        }
    }

    private static Setting find(final String property)
    {
        return Settings.find(property, settings());
    }

    private static List<Setting> settings()
    {
        final List<Setting> all = new ArrayList<>(Settings.NODE);
        all.addAll(MAIN_SETTINGS);
        return all;
    }

    /**
     * No silent defaults for what decides safety: a node id always, and the members and the log directory unless
     * development mode is asked for.
     */
    private static void requireSettings(final Properties settings)
    {
        final boolean dev = Boolean.parseBoolean(value(settings, DEV_PROP));
        require(settings, Configuration.NODE_ID_PROP, "this node's id");
        if (!dev)
        {
            require(settings, Configuration.MEMBERS_PROP, "the members of the cluster");
            require(settings, Configuration.LOG_DIR_PROP, "the log directory (or --dev for an in-memory log)");
        }
        else if (value(settings, Configuration.CLUSTER_KEY_PROP) == null &&
            value(settings, Configuration.CLUSTER_KEY_FILE_PROP) == null &&
            value(settings, Configuration.PEER_AUTHENTICATION_PROP) == null)
        {
            // A development node on its own has no key to share; the startup summary says peers are not authenticated.
            settings.setProperty(Configuration.PEER_AUTHENTICATION_PROP, "false");
        }
    }

    private static void require(final Properties settings, final String property, final String what)
    {
        final String value = value(settings, property);
        if (value == null || value.isEmpty())
        {
            throw new UsageException("--" + Settings.shortName(property) + " (" + property + ") is required: " + what);
        }
    }

    private static String value(final Properties settings, final String property)
    {
        final String value = settings.getProperty(property);
        return value != null ? value : System.getProperty(property);
    }

    private static StateMachine newStateMachine(final String className)
    {
        try
        {
            return (StateMachine)Class.forName(className).getConstructor().newInstance();
        }
        catch (final ReflectiveOperationException | ClassCastException ex)
        {
            throw new UsageException(STATE_MACHINE_PROP + "=" + className + " is not a StateMachine class with a " +
                "public no-argument constructor: " + ex);
        }
    }

    private static long statusIntervalMs()
    {
        final String value = Configuration.string(STATUS_INTERVAL_PROP, "5000").trim();
        try
        {
            return Character.isDigit(value.charAt(value.length() - 1)) ? Long.parseLong(value) :
                SystemUtil.parseDuration(STATUS_INTERVAL_PROP, value) / 1_000_000;
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigurationException(STATUS_INTERVAL_PROP + "=" + value + " is not a duration");
        }
    }

    private static void printUsage(final PrintStream out)
    {
        out.println("usage: java -jar synod-node.jar [file.properties] --node.id=<n> --members=<list> " +
            "--log.dir=<dir> [--name=value ...]");
        out.println("   or: java -cp <jars> " + SynodNodeMain.class.getName() + " <the same>");
        out.println("  --help                               this text");
        out.println("  --dev                                development mode: members and log dir may be left out");
        out.println("durations take ns or a unit (100ms, 2s); sizes take bytes or a unit (64k, 4m, 1g)");
        out.println("node settings:");
        Settings.printUsage(Settings.NODE, out);
        out.println("process settings:");
        Settings.printUsage(MAIN_SETTINGS, out);
    }

    /**
     * One log line: a timestamp, then the text.
     *
     * @param out  where.
     * @param text what.
     */
    static void print(final PrintStream out, final String text)
    {
        out.println(Instant.now() + " synod: " + text);
    }

    /**
     * Launch the node, print its configuration and a status line now and then, and wait for SIGINT or SIGTERM, or
     * for the node to stop itself after a failure (fail-stop, e.g. its log's file system is full).
     *
     * @param ctx          settings.
     * @param stateMachine the state machine, printed in status lines.
     * @return true if the node stopped itself after a failure.
     */
    public static boolean run(final Context ctx, final StateMachine stateMachine)
    {
        return run(ctx, stateMachine, 5000, System.out);
    }

    private static boolean run(
        final Context ctx, final StateMachine stateMachine, final long statusIntervalMs, final PrintStream out)
    {
        final boolean failed;
        final SynodNode closed;
        // Closed last: the signal's shutdown hook waits for it, so the node closes before the JVM exits.
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier(); SynodNode node = SynodNode.launch(ctx))
        {
            print(out, summary(ctx, stateMachine));
            final Thread status = new Thread(() ->
            {
                while (statusIntervalMs > 0 && !Thread.currentThread().isInterrupted())
                {
                    try
                    {
                        Thread.sleep(statusIntervalMs);
                    }
                    catch (final InterruptedException ex)
                    {
                        return;
                    }
                    print(out, node.status() + " " + stateMachine);
                }
            }, "synod-status");
            status.setDaemon(true);
            status.start();
            final Thread failureWatch = new Thread(() ->
            {
                while (!node.isFailed() && !Thread.currentThread().isInterrupted())
                {
                    try
                    {
                        Thread.sleep(100);
                    }
                    catch (final InterruptedException ex)
                    {
                        return;
                    }
                }
                barrier.signal();
            }, "synod-failure-watch");
            failureWatch.setDaemon(true);
            failureWatch.start();
            barrier.await();
            status.interrupt();
            failureWatch.interrupt();
            failed = node.isFailed();
            print(out, "node " + node.nodeId() + (failed ? " FAILED, stopping: " + node.failureCause() : " stopping"));
            node.metrics().printTo(out);
            closed = node;
        }
        if (closed.savedErrorLog() != null)
        {
            print(out, "node " + ctx.nodeId() + ": errors, with stack traces, saved to " + closed.savedErrorLog());
        }
        return failed;
    }

    /**
     * @return the one startup line: who the node is, whom it talks to, where its log is and how it runs.
     */
    static String summary(final Context ctx, final StateMachine stateMachine)
    {
        final ClusterMember self = ctx.member(ctx.nodeId());
        final int voters = ctx.clusterMembers().length;
        final LogSettings log = ctx.log();
        return "node " + ctx.nodeId() + " started: members " + ctx.members() + " (" + voters + ", majority " +
            (voters / 2 + 1) + "); peer " + self.peerEndpoint() + ", ingress " + self.ingressEndpoint() +
            "; log " + (log.logDirectory() != null ? log.logDirectory() + " (durability " + log.durability() +
            ", segments " + SystemUtil.formatSize(log.logSegmentLength()) + ")" :
            "in memory (development: lost when the process stops)") +
            "; idle " + ctx.idleStrategy().getClass().getSimpleName() + " for " +
            Runtime.getRuntime().availableProcessors() + " cores; driver " +
            (ctx.embeddedDriver() ? "embedded " + ctx.threadingMode() : "external") + " at " +
            ctx.aeronDirectoryName() + "; agent " + (ctx.useAgentInvoker() ? "invoker" : "own thread") +
            "; cluster " + ctx.clusterId() + (ctx.bootstrap() ? " (bootstrap)" : "") +
            (ctx.peers().peerAuthentication() ? "; peers authenticated (cluster key)" : "; peers NOT authenticated") +
            "; state machine " +
            stateMachine.getClass().getSimpleName();
    }
}
