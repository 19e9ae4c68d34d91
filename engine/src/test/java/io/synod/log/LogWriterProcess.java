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
 * a commit index update and {@code sync()}, and prints the slot on stdout once that returned (its acknowledgement).
 * Stops by itself after a bounded time in case the test that started it is gone.
 * <p>
 * Plain mode: {@code commitIndex(slot + 1)} after each append. Truncating mode: the commit index lags
 * {@value #COMMIT_LAG} slots behind, and every {@value #TRUNCATE_EVERY} appends the last {@value #TRUNCATE_LENGTH}
 * slots are cut with {@code truncateFrom} (then re-appended with the same content), printing {@code T<slot>} just
 * before the cut: the acknowledgements of the slots about to be cut are withdrawn.
 * <p>
 * Arguments: directory, durability policy, segment length, optionally {@code truncate}.
 */
public final class LogWriterProcess
{
    static final int COMMIT_LAG = 16;
    static final int TRUNCATE_EVERY = 97;
    static final int TRUNCATE_LENGTH = 8;
    private static final long MAX_LIFETIME_NS = TimeUnit.SECONDS.toNanos(20);

    private LogWriterProcess()
    {
    }

    /**
     * @param args directory, durability policy, segment length, optionally {@code truncate}.
     */
    public static void main(final String[] args)
    {
        final long deadline = System.nanoTime() + MAX_LIFETIME_NS;
        final boolean truncating = args.length > 3 && "truncate".equals(args[3]);
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[1024]);
        try (MappedPaxosLog log = LogFixtures.open(
            Path.of(args[0]), Integer.parseInt(args[2]), DurabilityPolicy.valueOf(args[1])))
        {
            long appends = 0;
            while (System.nanoTime() < deadline)
            {
                final long slot = log.nextSlot();
                LogFixtures.appendEntry(log, slot, scratch);
                log.commitIndex(truncating ? Math.max(log.commitIndex(), slot + 1 - COMMIT_LAG) : slot + 1);
                log.sync();
                System.out.println(slot);
                if (truncating && ++appends % TRUNCATE_EVERY == 0)
                {
                    final long cut = Math.max(log.commitIndex(), log.nextSlot() - TRUNCATE_LENGTH);
                    // Withdraw the acknowledgements before cutting: a SIGKILL between the cut and the line would
                    // otherwise leave the test expecting slots that were rightly removed.
                    System.out.println("T" + cut);
                    log.truncateFrom(cut);
                    log.sync();
                }
            }
        }
    }

    /**
     * Start a writer with the classpath and module flags of this JVM; stderr goes to a file.
     *
     * @param directory     of the log.
     * @param durability    policy of the log.
     * @param segmentLength of the log.
     * @param truncating    run in truncating mode.
     * @param stderr        file for the child's stderr.
     * @return the started process.
     * @throws IOException if it cannot start.
     */
    static Process start(final Path directory, final DurabilityPolicy durability, final int segmentLength,
        final boolean truncating, final Path stderr) throws IOException
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
        if (truncating)
        {
            command.add("truncate");
        }
        return new ProcessBuilder(command)
            .redirectError(stderr.toFile())
            .start();
    }
}
