package io.synod.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;

/**
 * Process crash (SIGKILL) of a writer under {@link DurabilityPolicy#NONE}: everything it acknowledged must survive,
 * because the mapping lives in the page cache, and recovery must cut whatever it was in the middle of writing after
 * its last sync, including a supersede of slots already held (issue 7 section 1: a cut-then-append here once lost
 * acknowledged entries).
 */
class MappedLogProcessCrashTest
{
    private static final int SEGMENT = 64 * 1024;
    private static final int ROUNDS = 5;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedEntrySurvivesSigkillAtRandomMoments() throws Exception
    {
        runRounds(false, 0);
    }

    @Test
    void supersedesInterruptedBySigkillLoseNoAcknowledgedSlot() throws Exception
    {
        runRounds(true, LogWriterProcess.COMMIT_LAG);
    }

    private void runRounds(final boolean superseding, final long commitLag) throws Exception
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final Path log = dir.resolve("log");
        for (int round = 0; round < ROUNDS; round++)
        {
            final String context = "seed " + seed + " round " + round + (superseding ? " (superseding)" : "");
            final long highestAck = CrashRounds.runAndKill(log, DurabilityPolicy.NONE, SEGMENT, superseding,
                dir.resolve("stderr-" + round + ".txt"), 150 + random.nextInt(300));
            CrashRounds.verify(log, SEGMENT, highestAck, commitLag, context);
        }
    }
}
