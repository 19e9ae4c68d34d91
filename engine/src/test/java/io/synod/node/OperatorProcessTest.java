package io.synod.node;

import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator sees from {@link SynodNodeMain} as a process: its exit code and its output when it is asked for
 * help, misconfigured, or started where another node already runs. UDP ports 27000-27099.
 */
class OperatorProcessTest
{
    private static final int BASE_PORT = 27000;
    private static final long EXIT_TIMEOUT_S = 60;

    private final File dir = new File("target/operator-test-" + System.nanoTime()).getAbsoluteFile();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void close() throws InterruptedException
    {
        for (final Process process : processes)
        {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        IoUtil.delete(dir, true);
    }

    private static String members(final int basePort)
    {
        return "0=127.0.0.1:" + basePort + ":" + (basePort + 50) + ",1=127.0.0.1:" + (basePort + 1) + ":" +
            (basePort + 51) + ",2=127.0.0.1:" + (basePort + 2) + ":" + (basePort + 52);
    }

    private Process start(final File output, final String... args) throws IOException
    {
        if (!dir.exists() && !dir.mkdirs())
        {
            throw new IllegalStateException("cannot create " + dir);
        }
        final List<String> command = new ArrayList<>(Arrays.asList(
            ProcessHandle.current().info().command().orElse("java"),
            "-cp", System.getProperty("java.class.path"),
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            SynodNodeMain.class.getName()));
        command.addAll(Arrays.asList(args));
        final Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(output))
            .start();
        processes.add(process);
        return process;
    }

    private static int exitCode(final Process process) throws InterruptedException
    {
        assertTrue(process.waitFor(EXIT_TIMEOUT_S, TimeUnit.SECONDS),
            "the process to exit in " + EXIT_TIMEOUT_S + " s");
        return process.exitValue();
    }

    private static String read(final File file) throws IOException
    {
        return file.exists() ? Files.readString(file.toPath()) : "";
    }

    private String[] nodeArgs(final int id, final int basePort, final String aeronDir, final String... more)
    {
        final List<String> args = new ArrayList<>(Arrays.asList(
            "--node.id=" + id,
            "--members=" + members(basePort),
            "--cluster.key=" + TestCluster.CLUSTER_KEY,
            "--aeron.dir=" + new File(dir, aeronDir),
            "--log.dir=" + new File(dir, "log-" + id + "-" + aeronDir),
            "--log.segment.length=4m",
            "--term.length=1m",
            "--max.message.length=64k",
            "--max.payload.length=1k",
            "--peer.queue.capacity=1m",
            "--idle.strategy=sleeping",
            "--heartbeat.interval.ns=10ms",
            "--election.timeout.ns=150ms",
            "--status.interval.ms=0"));
        args.addAll(Arrays.asList(more));
        return args.toArray(new String[0]);
    }

    /** Wait for the node's startup summary, the line printed once it runs. */
    private static void awaitStarted(final Process process, final File output)
    {
        TestCluster.awaitTrue(() -> !process.isAlive() || read0(output).contains(" started: "), 30_000,
            () -> "the node's startup summary in " + read0(output));
        assertTrue(process.isAlive(), "the node to run, output: " + read0(output));
    }

    private static String read0(final File file)
    {
        try
        {
            return read(file);
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }

    private static void assertNoStackTrace(final String output)
    {
        assertFalse(output.contains("\tat "), "one line, no stack trace:\n" + output);
    }

    @Test
    void helpPrintsEverySettingAndExitsZero() throws Exception
    {
        final File output = new File(dir, "help.txt");
        dir.mkdirs();
        final Process process = start(output, "--help");
        final int exit = exitCode(process);
        final String text = read(output);
        assertEquals(0, exit, text);
        for (final io.synod.Settings.Setting setting : io.synod.Settings.NODE)
        {
            assertTrue(text.contains(setting.property()), "usage names " + setting.property() + ":\n" + text);
        }
        assertTrue(text.contains("--log.dir") && text.contains("--dev"), text);
    }

    @Test
    void misspeltFlagIsRejectedNamingTheNearestSetting() throws Exception
    {
        final File output = new File(dir, "misspelt.txt");
        dir.mkdirs();
        final Process process = start(output, "--node.id=0", "--members=" + members(BASE_PORT),
            "--log.directory=" + new File(dir, "log"));
        final int exit = exitCode(process);
        final String text = read(output);
        assertEquals(2, exit, text);
        assertTrue(text.contains("--log.directory") && text.contains("--log.dir"), text);
        assertNoStackTrace(text);
    }

    @Test
    void developmentModeRunsWithoutALogDirectoryOnAnInMemoryLogAndSaysSo() throws Exception
    {
        final int basePort = BASE_PORT + 40;
        final File output = new File(dir, "dev.txt");
        dir.mkdirs();
        final Process process = start(output, "--dev", "--node.id=0",
            "--members=0=127.0.0.1:" + basePort + ":" + (basePort + 50), "--aeron.dir=" + new File(dir, "aeron-dev"),
            "--term.length=1m", "--max.message.length=64k", "--max.payload.length=1k", "--peer.queue.capacity=1m",
            "--idle.strategy=sleeping", "--status.interval.ms=200ms");
        awaitStarted(process, output);
        TestCluster.awaitTrue(() -> read0(output).contains("synod: node 0 LEADER leader=0"), 30_000,
            () -> "a status line of the single node leading, in " + read0(output));
        final String text = read(output);
        assertTrue(text.contains("; log in memory (development: lost when the process stops);"), text);
    }

    @Test
    void secondNodeOnOneAeronDirectoryRefusesAndLeavesTheFirstRunning() throws Exception
    {
        final int basePort = BASE_PORT + 10;
        final File firstOutput = new File(dir, "first.txt");
        dir.mkdirs();
        final Process first = start(firstOutput, nodeArgs(0, basePort, "aeron-shared"));
        awaitStarted(first, firstOutput);

        final File secondOutput = new File(dir, "second.txt");
        final Process second = start(secondOutput, nodeArgs(1, basePort, "aeron-shared"));
        final int exit = exitCode(second);
        final String text = read(secondOutput);
        assertEquals(2, exit, text);
        assertTrue(text.contains("synod.aeron.dir") && text.contains("in use"), text);
        assertNoStackTrace(text);
        assertTrue(first.isAlive(), "the first node still runs");
        assertTrue(new File(new File(dir, "aeron-shared"), "cnc.dat").exists(), "the first node's driver files stay");
    }

    @Test
    void twoNodesWithOneIdRefuseNamingTheIdAndTheAddress() throws Exception
    {
        final int basePort = BASE_PORT + 20;
        final File firstOutput = new File(dir, "first.txt");
        dir.mkdirs();
        final Process first = start(firstOutput, nodeArgs(1, basePort, "aeron-a"));
        awaitStarted(first, firstOutput);

        final File secondOutput = new File(dir, "second.txt");
        final Process second = start(secondOutput, nodeArgs(1, basePort, "aeron-b"));
        final int exit = exitCode(second);
        final String text = read(secondOutput);
        assertEquals(2, exit, text);
        assertTrue(text.contains("node 1") && text.contains("127.0.0.1:" + (basePort + 1)), text);
        assertNoStackTrace(text);
        assertTrue(first.isAlive(), "the first node still runs");
    }

    @Test
    void ingressPortInUseIsOneLineNamingThePortAndTheSetting() throws Exception
    {
        final int basePort = BASE_PORT + 30;
        final File output = new File(dir, "port.txt");
        dir.mkdirs();
        try (DatagramSocket socket = new DatagramSocket(
            new InetSocketAddress(InetAddress.getByName("127.0.0.1"), basePort + 50)))
        {
            final Process process = start(output, nodeArgs(0, basePort, "aeron-port"));
            final int exit = exitCode(process);
            final String text = read(output);
            assertEquals(2, exit, text);
            assertTrue(text.contains("127.0.0.1:" + (basePort + 50)) && text.contains("synod.members"), text);
            assertNoStackTrace(text);
            assertTrue(socket.isBound());
        }
    }
}
