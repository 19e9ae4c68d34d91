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
 * Plain mode: {@code commitIndex(slot + 1)} after each append. Superseding mode: the commit index lags
 * {@value #COMMIT_LAG} slots behind, and every {@value #SUPERSEDE_EVERY} appends the last {@value #SUPERSEDE_LENGTH}
 * unchosen slots are accepted again (superseded in place, as a new leader re-proposes them), then synced. No
 * acknowledgement is ever withdrawn: a SIGKILL at any instant of a supersede must lose no acknowledged slot.
 * <p>
 * Arguments: directory, durability policy, segment length, optionally {@code supersede}.
 */
public final class LogWriterProcess
{
    static final int COMMIT_LAG = 16;
    static final int SUPERSEDE_EVERY = 97;
    static final int SUPERSEDE_LENGTH = 8;
    private static final long MAX_LIFETIME_NS = TimeUnit.SECONDS.toNanos(20);

    private LogWriterProcess()
    {
    }

    /**
     * @param args directory, durability policy, segment length, optionally {@code supersede}.
     */
    public static void main(final String[] args)
    {
        final long deadline = System.nanoTime() + MAX_LIFETIME_NS;
        final boolean superseding = args.length > 3 && "supersede".equals(args[3]);
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[1024]);
        try (MappedPaxosLog log = LogFixtures.open(
            Path.of(args[0]), Integer.parseInt(args[2]), DurabilityPolicy.valueOf(args[1])))
        {
            long appends = 0;
            while (System.nanoTime() < deadline)
            {
                final long slot = log.nextSlot();
                LogFixtures.appendEntry(log, slot, scratch);
                log.commitIndex(superseding ? Math.max(log.commitIndex(), slot + 1 - COMMIT_LAG) : slot + 1);
                log.sync();
                System.out.println(slot);
                if (superseding && ++appends % SUPERSEDE_EVERY == 0)
                {
                    for (long from = Math.max(log.commitIndex(), log.nextSlot() - SUPERSEDE_LENGTH),
                        end = log.nextSlot(); from < end; from++)
                    {
                        LogFixtures.appendEntry(log, from, scratch);
                    }
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
     * @param superseding    run in superseding mode.
     * @param stderr        file for the child's stderr.
     * @return the started process.
     * @throws IOException if it cannot start.
     */
    static Process start(final Path directory, final DurabilityPolicy durability, final int segmentLength,
        final boolean superseding, final Path stderr) throws IOException
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
        if (superseding)
        {
            command.add("supersede");
        }
        return new ProcessBuilder(command)
            .redirectError(stderr.toFile())
            .start();
    }
}
