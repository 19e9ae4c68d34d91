package io.synod.log;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.synod.log.LogFixtures.appendEntries;
import static io.synod.log.LogFixtures.assertEntries;
import static io.synod.log.LogFixtures.assertNoEntryAt;
import static io.synod.log.LogFixtures.segmentFile;
import static io.synod.log.LogFixtures.segmentOrdinals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MappedPaxosLogTest
{
    private static final int SEGMENT = 4096;

    @TempDir
    Path dir;

    private MappedPaxosLog log;

    @AfterEach
    void closeLog()
    {
        if (log != null)
        {
            log.close();
        }
    }

    private MappedPaxosLog reopen()
    {
        if (log != null)
        {
            log.close();
        }
        log = LogFixtures.open(dir, SEGMENT, DurabilityPolicy.NONE);
        return log;
    }

    @Test
    void emptyLogHoldsNothingAndPreallocatesFirstSegment() throws Exception
    {
        reopen();
        assertEquals(0, log.firstSlot());
        assertEquals(0, log.nextSlot());
        assertEquals(0, log.commitIndex());
        assertEquals(0, log.promisedBallot());
        assertNoEntryAt(log, 0);
        assertEquals(SEGMENT, Files.size(segmentFile(dir, 0)));
        assertEquals(0, reopen().nextSlot());
    }

    @Test
    void readReturnsEveryFieldWithPayloadInTheMapping()
    {
        reopen();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[] {1, 2, 3, 4, 5});
        log.append(0, 42, (byte)3, 7, 8, 9, payload, 1, 3);
        final LogEntry entry = new LogEntry();
        assertTrue(log.read(0, entry));
        assertEquals(0, entry.slot());
        assertEquals(42, entry.ballot());
        assertEquals(3, entry.type());
        assertEquals(7, entry.sessionId());
        assertEquals(8, entry.sequence());
        assertEquals(9, entry.timestamp());
        assertEquals(3, entry.payloadLength());
        assertEquals(2, entry.payload().getByte(0));
        assertEquals(4, entry.payload().getByte(2));
        assertNull(entry.payload().byteArray(), "payload must be a view of the mapping, not a heap copy");
        assertEquals(42, log.ballotAt(0));
    }

    @Test
    void emptyPayloadIsAccepted()
    {
        reopen();
        log.append(0, 1, (byte)0, 0, 0, 0, new UnsafeBuffer(new byte[0]), 0, 0);
        final LogEntry entry = new LogEntry();
        assertTrue(reopen().read(0, entry));
        assertEquals(0, entry.payloadLength());
    }

    @Test
    void appendRejectsSlotBeyondNextSlot()
    {
        reopen();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> log.append(1, 1, (byte)1, 0, 0, 0, payload, 0, 8));
        assertTrue(ex.getMessage().contains("outside [0, 0]"), ex.getMessage());
    }

    @Test
    void appendRejectsOversizePayload()
    {
        reopen();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[2048]);
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> log.append(0, 1, (byte)1, 0, 0, 0, payload, 0, 1025));
        assertTrue(ex.getMessage().contains("1025"), ex.getMessage());
        assertEquals(0, log.nextSlot());
    }

    @Test
    void openRejectsMaxPayloadThatCannotFitASegment()
    {
        final MappedLogConfig config = new MappedLogConfig().directory(dir).segmentLength(SEGMENT).maxPayloadLength(
            SEGMENT);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> MappedPaxosLog.open(config));
        assertTrue(ex.getMessage().contains("maxPayloadLength=4096") && ex.getMessage().contains("segmentLength=4096"),
            ex.getMessage());
    }

    @Test
    void openRejectsSegmentLengthNotAMultipleOfPageSize()
    {
        final MappedLogConfig config = new MappedLogConfig().directory(dir).segmentLength(5000).maxPayloadLength(16);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> MappedPaxosLog.open(config));
        assertTrue(ex.getMessage().contains("segmentLength=5000"), ex.getMessage());
    }

    @Test
    void largestPayloadFillsAWholeSegmentThenNextRecordRolls() throws Exception
    {
        final int largest = SEGMENT - LogSegment.SEGMENT_HEADER_LENGTH - LogSegment.HEADER_LENGTH;
        log = MappedPaxosLog.open(new MappedLogConfig().directory(dir).segmentLength(SEGMENT).maxPayloadLength(largest));
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[SEGMENT]);
        payload.setMemory(0, SEGMENT, (byte)7);
        log.append(0, 1, (byte)1, 0, 0, 0, payload, 0, largest);
        log.append(1, 1, (byte)1, 0, 0, 0, payload, 0, 1);
        assertArrayEquals(new long[] {0, 1}, segmentOrdinals(dir));
        log.close();
        log = MappedPaxosLog.open(new MappedLogConfig().directory(dir).segmentLength(SEGMENT).maxPayloadLength(largest));
        final LogEntry entry = new LogEntry();
        assertTrue(log.read(0, entry));
        assertEquals(largest, entry.payloadLength());
        assertEquals(7, entry.payload().getByte(largest - 1));
        assertEquals(2, log.nextSlot());
    }

    @Test
    void recordThatDoesNotFitRollsToTheNextSegment() throws Exception
    {
        reopen();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[1024]);
        // Records of 1024 + 49 -> 1080 bytes: three fit in 4096 (3240), the fourth does not.
        for (int slot = 0; slot < 7; slot++)
        {
            log.append(slot, 1, (byte)1, 0, 0, 0, payload, 0, 1024);
        }
        assertArrayEquals(new long[] {0, 1, 2}, segmentOrdinals(dir));
        assertEquals(3, log.segmentCount());
        assertEquals(7, reopen().nextSlot());
    }

    @Test
    void nextSegmentIsPreparedOffTheAppendingThreadBeforeItIsNeeded() throws Exception
    {
        // Issue 10 item 1: the roll must not write a whole segment of zeroes on the node thread.
        reopen();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[1024]);
        log.append(0, 1, (byte)1, 0, 0, 0, payload, 0, 1024);
        log.append(1, 1, (byte)1, 0, 0, 0, payload, 0, 1024);
        log.append(2, 1, (byte)1, 0, 0, 0, payload, 0, 1024); // appended past half of the first segment
        final Path prepared = dir.resolve(segmentFile(dir, 1).getFileName() + ".tmp");
        final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!(Files.exists(prepared) && Files.size(prepared) == SEGMENT) && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        assertEquals(SEGMENT, Files.size(prepared), "the next segment is zero-filled in the background");
        log.append(3, 1, (byte)1, 0, 0, 0, payload, 0, 1024); // rolls: the prepared file is installed
        assertTrue(Files.notExists(prepared));
        assertArrayEquals(new long[] {0, 1}, segmentOrdinals(dir));
        assertEquals(4, reopen().nextSlot());
    }

    @Test
    void supersedingASlotKeepsEveryOtherSlotAndSurvivesReopen()
    {
        reopen();
        appendEntries(log, 10);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
        payload.putLong(0, 0xCAFE);
        log.append(3, 99L << 16, (byte)1, 0, 0, 0, payload, 0, 16);
        assertEquals(10, log.nextSlot());
        assertSuperseded(log, 3, 4);
        assertEntries(log, 0, 3);
        assertEntries(log, 4, 10);
        reopen();
        assertEquals(10, log.nextSlot());
        assertSuperseded(log, 3, 4);
        assertEntries(log, 4, 10);
    }

    @Test
    void supersedingAtTheEndExtendsTheLog()
    {
        reopen();
        appendEntries(log, 3);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
        payload.putLong(0, 0xCAFE);
        log.append(2, 99L << 16, (byte)1, 0, 0, 0, payload, 0, 16);
        log.append(3, 99L << 16, (byte)1, 0, 0, 0, payload, 0, 16);
        assertEquals(4, reopen().nextSlot());
        assertSuperseded(log, 2, 4);
    }

    @Test
    void reopenKeepsEntriesPromiseCommitIndexAndFirstSlot()
    {
        reopen();
        appendEntries(log, 100);
        log.promisedBallot(5 << 16 | 2);
        log.commitIndex(60);
        log.truncateBelow(20);
        log.sync();
        reopen();
        assertEquals(20, log.firstSlot());
        assertEquals(100, log.nextSlot());
        assertEquals(60, log.commitIndex());
        assertEquals(5 << 16 | 2, log.promisedBallot());
        assertEntries(log, 20, 100);
        assertNoEntryAt(log, 19);
        assertNoEntryAt(log, 100);
    }

    @Test
    void supersedingARangeAcrossSegmentsLeavesTheSlotsAfterIt() throws Exception
    {
        reopen();
        appendEntries(log, 100);
        final int before = segmentOrdinals(dir).length;
        assertTrue(before > 4, "expected several segments, saw " + before);
        log.commitIndex(10);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
        payload.putLong(0, 0xCAFE);
        for (long slot = 30; slot < 60; slot++)
        {
            log.append(slot, 99L << 16, (byte)1, 0, 0, 0, payload, 0, 16);
        }
        reopen();
        assertEquals(100, log.nextSlot());
        assertEntries(log, 0, 30);
        assertSuperseded(log, 30, 60);
        assertEntries(log, 60, 100);
    }

    @Test
    void unsyncedSupersedeIsForgottenByACrashAndTheOldRecordsRemain()
    {
        // Issue 7 section 1 at the log level: a crash between replacing slots and the sync must leave the old
        // accepted records, never a log cut short.
        reopen();
        appendEntries(log, 20);
        log.commitIndex(5);
        log.sync();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
        for (long slot = 5; slot < 12; slot++)
        {
            log.append(slot, 99L << 16, (byte)1, 0, 0, 0, payload, 0, 16);
        }
        log.commitIndex(8);
        log.closeAsCrashed();
        log = LogFixtures.open(dir, SEGMENT, DurabilityPolicy.NONE);
        assertEquals(20, log.nextSlot());
        assertEquals(5, log.commitIndex());
        assertEntries(log, 0, 20);
    }

    @Test
    void unsyncedAppendsPromiseAndCommitIndexAreCutByACrash()
    {
        reopen();
        appendEntries(log, 10);
        log.promisedBallot(7);
        log.commitIndex(4);
        log.sync();
        appendEntries(log, 25);
        log.promisedBallot(9);
        log.commitIndex(30);
        log.closeAsCrashed();
        log = LogFixtures.open(dir, SEGMENT, DurabilityPolicy.NONE);
        assertEquals(10, log.nextSlot());
        assertEquals(4, log.commitIndex());
        assertEquals(7, log.promisedBallot());
        assertEntries(log, 0, 10);
        appendEntries(log, 5);
        assertEntries(reopen(), 0, 15);
    }

    @Test
    void appendRejectsAChosenSlot()
    {
        reopen();
        appendEntries(log, 10);
        log.commitIndex(5);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
        assertThrows(IllegalArgumentException.class, () -> log.append(4, 99L << 16, (byte)1, 0, 0, 0, payload, 0, 16));
        assertThrows(IllegalArgumentException.class, () -> log.append(11, 99L << 16, (byte)1, 0, 0, 0, payload, 0, 16));
        assertEquals(10, log.nextSlot());
        assertEntries(log, 0, 10);
    }

    @Test
    void truncateBelowDeletesOnlyWholeSegmentsBelowTheSlotAfterTheSync() throws Exception
    {
        reopen();
        appendEntries(log, 100);
        final long[] before = segmentOrdinals(dir);
        log.commitIndex(100);
        final long cut = 50;
        log.truncateBelow(cut);
        assertEquals(cut, log.firstSlot());
        assertArrayEquals(before, segmentOrdinals(dir), "nothing is deleted before the new first slot is durable");
        log.sync();
        final long[] after = segmentOrdinals(dir);
        assertTrue(after.length < before.length && after[0] > before[0], "segments below slot " + cut + " deleted");
        assertNoEntryAt(log, cut - 1);
        assertEntries(log, cut, 100);
        assertEquals(cut, reopen().firstSlot());
        assertEntries(log, cut, 100);
    }

    @Test
    void truncateBelowEverythingKeepsTheActiveSegmentAndAppendsContinue()
    {
        reopen();
        appendEntries(log, 100);
        log.commitIndex(100);
        log.truncateBelow(100);
        log.sync();
        assertEquals(100, log.firstSlot());
        assertEquals(100, log.nextSlot());
        assertEquals(1, log.segmentCount());
        appendEntries(log, 10);
        reopen();
        assertEquals(100, log.firstSlot());
        assertEntries(log, 100, 110);
    }

    @Test
    void truncateBelowRejectsUnchosenSlot()
    {
        reopen();
        appendEntries(log, 10);
        log.commitIndex(5);
        assertThrows(IllegalArgumentException.class, () -> log.truncateBelow(6));
    }

    @Test
    void steadyAppendAndCompactionKeepsTheIndexAndSegmentsBounded()
    {
        reopen();
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[1024]);
        for (long slot = 0; slot < 20_000; slot++)
        {
            LogFixtures.appendEntry(log, slot, scratch);
            if (slot % 500 == 499)
            {
                log.commitIndex(slot + 1);
                log.truncateBelow(slot - 100);
                log.sync();
                assertTrue(log.segmentCount() < 20, "segments should be deleted, saw " + log.segmentCount());
            }
        }
        assertEntries(log, 19_900, 20_000);
        assertEntries(reopen(), 19_900, 20_000);
    }

    @Test
    void commitIndexMustStayWithinTheLogAndNeverGoDown()
    {
        reopen();
        appendEntries(log, 10);
        log.commitIndex(5);
        assertThrows(IllegalArgumentException.class, () -> log.commitIndex(4));
        assertThrows(IllegalArgumentException.class, () -> log.commitIndex(11));
        log.commitIndex(10);
        assertEquals(10, log.commitIndex());
    }

    @Test
    void promiseMayNotGoDown()
    {
        reopen();
        log.promisedBallot(10);
        assertThrows(IllegalArgumentException.class, () -> log.promisedBallot(9));
        assertEquals(10, reopen().promisedBallot());
    }

    @Test
    void secondOpenOfTheSameDirectoryFails()
    {
        reopen();
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> LogFixtures.open(dir, SEGMENT, DurabilityPolicy.NONE));
        assertTrue(ex.getMessage().contains(dir.toString()), ex.getMessage());
    }

    @Test
    void forcePolicySyncsAndReopens()
    {
        log = LogFixtures.open(dir, SEGMENT, DurabilityPolicy.FORCE);
        appendEntries(log, 50);
        log.promisedBallot(3);
        log.commitIndex(40);
        log.sync();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
        payload.putLong(0, 0xCAFE);
        log.append(45, 99L << 16, (byte)1, 0, 0, 0, payload, 0, 16);
        log.sync();
        log.close();
        log.close();
        log = LogFixtures.open(dir, SEGMENT, DurabilityPolicy.FORCE);
        assertEquals(50, log.nextSlot());
        assertEquals(40, log.commitIndex());
        assertEquals(3, log.promisedBallot());
        assertEntries(log, 0, 45);
        assertSuperseded(log, 45, 46);
        assertEntries(log, 46, 50);
    }

    @Test
    void readOutsideTheLogReturnsFalse()
    {
        reopen();
        appendEntries(log, 3);
        assertNoEntryAt(log, -1);
        assertNoEntryAt(log, 3);
        assertFalse(log.read(Long.MAX_VALUE, new LogEntry()));
    }

    private static void assertSuperseded(final MappedPaxosLog log, final long from, final long to)
    {
        final LogEntry entry = new LogEntry();
        for (long slot = from; slot < to; slot++)
        {
            assertTrue(log.read(slot, entry), "slot " + slot);
            assertEquals(99L << 16, entry.ballot(), "slot " + slot);
            assertEquals(0xCAFE, entry.payload().getLong(0), "slot " + slot);
        }
    }
}
