package io.synod.perf.compare;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Starts the harness's processes with this process's java and classpath and the same JVM flags, and stops every one
 * of them: when asked, when the harness fails, and from a shutdown hook on Ctrl-C. A child stops itself when the
 * harness dies without a chance to stop it ({@link #exitWithParent()}).
 */
public final class ChildProcesses implements AutoCloseable
{
    /** Needed by Agrona and Aeron on JDK 17. */
    static final List<String> ADD_OPENS = List.of(
        "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED");

    private final List<String> jvmFlags;
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final Thread shutdownHook;

    /**
     * @param jvmFlags  flags for every JVM started.
     * @param onCtrlC   run after the processes are stopped when this JVM is shutting down (Ctrl-C, SIGTERM) with
     *                  processes still started: deletes what they left behind.
     */
    public ChildProcesses(final List<String> jvmFlags, final Runnable onCtrlC)
    {
        this.jvmFlags = jvmFlags;
        shutdownHook = new Thread(() ->
        {
            stopAll();
            onCtrlC.run();
        }, "compare-stop-children");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** @return the full command line of a JVM running that main class. */
    List<String> command(final Class<?> mainClass, final List<String> args)
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ADD_OPENS);
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        return command;
    }

    /**
     * Start a process whose output goes to a file.
     *
     * @return the process.
     * @throws IOException if it cannot start.
     */
    public Process start(final Class<?> mainClass, final List<String> args, final File output) throws IOException
    {
        final Process process = new ProcessBuilder(command(mainClass, args))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(output))
            .start();
        processes.add(process);
        return process;
    }

    /**
     * Run a process to its end, handing each line it prints to {@code lines}.
     *
     * @return its exit code.
     * @throws IOException if it cannot start.
     * @throws InterruptedException if interrupted while waiting.
     */
    public int run(final Class<?> mainClass, final List<String> args, final Consumer<String> lines)
        throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command(mainClass, args)).redirectErrorStream(true).start();
        processes.add(process);
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                lines.accept(line);
            }
        }
        final int exitCode = process.waitFor();
        processes.remove(process);
        return exitCode;
    }

    /** Stop every process started so far: SIGTERM, then SIGKILL for one still alive after 5 s. */
    public void stopAll()
    {
        for (final Process process : processes)
        {
            process.destroy();
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (final Process process : processes)
        {
            try
            {
                final long leftNs = Math.max(0, deadline - System.nanoTime());
                if (!process.waitFor(leftNs, TimeUnit.NANOSECONDS))
                {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            catch (final InterruptedException ex)
            {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            processes.remove(process);
        }
    }

    /** @return the last lines of a process's output file, for a failure message. */
    public static String tail(final File output, final int lines)
    {
        try
        {
            final List<String> all = Files.readAllLines(output.toPath(), StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        }
        catch (final IOException ex)
        {
            return "(no output: " + ex.getMessage() + ")";
        }
    }

    /** Called by a child: exit when the harness that started it is gone (killed without running its hook). */
    public static void exitWithParent()
    {
        final ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        if (parent == null)
        {
            return;
        }
        final Thread watch = new Thread(() ->
        {
            parent.onExit().join();
            System.exit(3);
        }, "compare-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }

    @Override
    public void close()
    {
        stopAll();
        try
        {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        catch (final IllegalStateException ex)
        {
            // already shutting down: the hook does the same
        }
    }
}
