package io.synod.log;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Power cut under {@link DurabilityPolicy#FORCE}: a writer appends and syncs on a loop-mounted ext4, is SIGKILLed, then
 * the file system is shut down without flushing ({@code xfs_io -x -c shutdown}), which drops every page not yet on the
 * device, as a power cut would. After a remount every acknowledged (synced) entry must be there.
 * <p>
 * Needs root, mkfs.ext4, mount with loop devices and xfs_io (package xfsprogs); skipped with the reason otherwise.
 */
class MappedLogPowerCutTest
{
    private static final int SEGMENT = 1024 * 1024;
    private static final int ROUNDS = 3;

    @TempDir
    Path dir;

    private Path image;
    private Path mountPoint;
    private boolean mounted;

    @BeforeEach
    void mountLoopFileSystem() throws Exception
    {
        assumeTrue(SystemCommands.isRoot(), "needs root to mount a loop file system");
        for (final String tool : new String[] {"mkfs.ext4", "mount", "umount", "losetup", "xfs_io"})
        {
            assumeTrue(SystemCommands.available(tool), tool + " not installed (xfs_io: apt-get install xfsprogs)");
        }
        image = dir.resolve("fs.img");
        try (RandomAccessFile raf = new RandomAccessFile(image.toFile(), "rw"))
        {
            raf.setLength(128L * 1024 * 1024);
        }
        final SystemCommands.Result mkfs = SystemCommands.run("mkfs.ext4", "-q", "-F", image.toString());
        assumeTrue(mkfs.ok(), "mkfs.ext4 failed: " + mkfs.output());
        mountPoint = Files.createDirectory(dir.resolve("mnt"));
        mount();
    }

    private void mount()
    {
        final SystemCommands.Result result =
            SystemCommands.run("mount", "-o", "loop", image.toString(), mountPoint.toString());
        assumeTrue(result.ok(), "cannot loop-mount ext4 here: " + result.output());
        mounted = true;
    }

    private void unmount()
    {
        final SystemCommands.Result result = SystemCommands.run("umount", mountPoint.toString());
        assertTrue(result.ok(), "umount failed: " + result.output());
        mounted = false;
    }

    @AfterEach
    void cleanUp()
    {
        if (mounted)
        {
            unmount();
        }
    }

    @Test
    void everySyncedEntrySurvivesAPowerCut() throws Exception
    {
        runRounds(false, 0);
    }

    @Test
    void everySyncedEntrySurvivesAPowerCutInTheMiddleOfSupersedes() throws Exception
    {
        runRounds(true, LogWriterProcess.COMMIT_LAG);
    }

    private void runRounds(final boolean superseding, final long commitLag) throws Exception
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final Path log = mountPoint.resolve("log");
        for (int round = 0; round < ROUNDS; round++)
        {
            final String context = "seed " + seed + " round " + round + (superseding ? " (superseding)" : "");
            final long highestAck = CrashRounds.runAndKill(
                log, DurabilityPolicy.FORCE, SEGMENT, superseding, dir.resolve("stderr-" + round + ".txt"), 200 + random.nextInt(300));

            final SystemCommands.Result shutdown = SystemCommands.run("xfs_io", "-x", "-c", "shutdown",
                mountPoint.toString());
            assertTrue(shutdown.ok(), "xfs_io shutdown failed: " + shutdown.output());
            unmount();
            mount();
            CrashRounds.verify(log, SEGMENT, highestAck, commitLag, context);
        }
    }
}
