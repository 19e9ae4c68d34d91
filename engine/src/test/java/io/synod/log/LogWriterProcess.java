package io.synod.log;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM for the crash tests: opens the log, then appends the fixture entries from nextSlot on, each followed by
 * {@code commitIndex(slot + 1)} and {@code sync()}, and prints the slot on stdout once that returned (its
 * acknowledgement). Stops by itself after a bounded time in case the test that started it is gone.
 * <p>
 * Arguments: directory, durability policy, segment length.
 */
public final class LogWriterProcess
{
    private static final long MAX_LIFETIME_NS = TimeUnit.SECONDS.toNanos(20);

    private LogWriterProcess()
    {
    }

    /**
     * @param args directory, durability policy, segment length.
     */
    public static void main(final String[] args)
    {
        final long deadline = System.nanoTime() + MAX_LIFETIME_NS;
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[1024]);
        try (MappedPaxosLog log = LogFixtures.open(
            Path.of(args[0]), Integer.parseInt(args[2]), DurabilityPolicy.valueOf(args[1])))
        {
            while (System.nanoTime() < deadline)
            {
                final long slot = log.nextSlot();
                LogFixtures.appendEntry(log, slot, scratch);
                log.commitIndex(slot + 1);
                log.sync();
                System.out.println(slot);
            }
        }
    }

    /**
     * Start a writer with the classpath and module flags of this JVM; stderr goes to a file.
     *
     * @param directory     of the log.
     * @param durability    policy of the log.
     * @param segmentLength of the log.
     * @param stderr        file for the child's stderr.
     * @return the started process.
     * @throws IOException if it cannot start.
     */
    static Process start(final Path directory, final DurabilityPolicy durability, final int segmentLength,
        final Path stderr) throws IOException
    {
        final String java = ProcessHandle.current().info().command()
            .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        final List<String> command = new ArrayList<>();
        command.add(java);
        command.add("--add-opens");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/java.nio=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/sun.nio.ch=ALL-UNNAMED");
        command.add("-Xmx128m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LogWriterProcess.class.getName());
        command.add(directory.toString());
        command.add(durability.name());
        command.add(Integer.toString(segmentLength));
        return new ProcessBuilder(command)
            .redirectError(stderr.toFile())
            .start();
    }
}
