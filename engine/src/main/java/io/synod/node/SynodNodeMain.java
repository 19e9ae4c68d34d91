package io.synod.node;

import io.synod.StateMachine;
import org.agrona.concurrent.ShutdownSignalBarrier;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Runs one node as its own process, so a cluster can run as separate processes:
 * <pre>
 * java -cp synod-benchmarks.jar io.synod.node.SynodNodeMain [node.properties] [--synod.node.id=1 ...]
 * </pre>
 * Settings are the {@code synod.*} properties of {@link io.synod.Configuration}, from the properties file, then
 * {@code --name=value} flags (the {@code synod.} prefix may be left out). Also: {@code synod.state.machine}, the
 * class name of the state machine (default {@link CounterStateMachine}), and {@code synod.status.interval.ms}, how
 * often to print a status line (default 5000, 0 for none). Stops on SIGINT or SIGTERM.
 */
public final class SynodNodeMain
{
    /** Class name of the state machine: {@code synod.state.machine}. */
    public static final String STATE_MACHINE_PROP = "synod.state.machine";
    /** Status line interval: {@code synod.status.interval.ms}. */
    public static final String STATUS_INTERVAL_PROP = "synod.status.interval.ms";

    private SynodNodeMain()
    {
    }

    /**
     * @param args an optional properties file, then {@code --name=value} flags.
     * @throws Exception if the node cannot start.
     */
    public static void main(final String[] args) throws Exception
    {
        loadSettings(args);
        final StateMachine stateMachine = (StateMachine)Class.forName(
            System.getProperty(STATE_MACHINE_PROP, CounterStateMachine.class.getName()))
            .getConstructor().newInstance();
        if (run(new Context().stateMachine(stateMachine), stateMachine))
        {
            System.exit(1); // fail-stop: let the supervisor see the node died
        }
    }

    /**
     * Read a properties file and flags into system properties: the single place a node process takes settings from.
     *
     * @param args an optional properties file, then {@code --name=value} flags.
     * @throws IOException if the file cannot be read.
     */
    public static void loadSettings(final String[] args) throws IOException
    {
        for (final String arg : args)
        {
            if (arg.startsWith("--"))
            {
                final int equals = arg.indexOf('=');
                if (equals < 0)
                {
                    throw new IllegalArgumentException("expected --name=value, got " + arg);
                }
                final String name = arg.substring(2, equals);
                System.setProperty(name.startsWith("synod.") ? name : "synod." + name, arg.substring(equals + 1));
            }
            else
            {
                final Properties properties = new Properties();
                try (InputStream in = new FileInputStream(arg))
                {
                    properties.load(in);
                }
                for (final String name : properties.stringPropertyNames())
                {
                    System.setProperty(name, properties.getProperty(name));
                }
            }
        }
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
        final boolean failed;
        final long statusIntervalMs = Long.getLong(STATUS_INTERVAL_PROP, 5000);
        // Closed last: the signal's shutdown hook waits for it, so the node closes before the JVM exits.
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier(); SynodNode node = SynodNode.launch(ctx))
        {
            System.out.println("synod: " + node.describeRuntime());
            System.out.println("synod: " + ctx);
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
                    System.out.println("synod: status node=" + node.nodeId() + " role=" + node.role() +
                        (node.isVoting() ? "" : " (learner: rejoining)") + " leader=" +
                        node.leaderId() + " commit=" + node.commitIndex() + " applied=" + node.appliedIndex() +
                        " clients=" + node.counters().connectedClients() + " " + stateMachine);
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
            System.out.println("synod: node " + node.nodeId() + (failed ?
                " FAILED, stopping: " + node.failureCause() : " stopping"));
            node.metrics().printTo(System.out);
        }
        return failed;
    }
}
