package io.synod.log;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.synod.log.LogFixtures.appendEntries;
import static io.synod.log.LogFixtures.assertEntries;
import static io.synod.log.LogFixtures.payloadLength;
import static io.synod.log.LogFixtures.segmentFile;
import static io.synod.log.LogFixtures.segmentOrdinals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recovery from damage on disk: whatever follows the synced mark is cut (it was never acknowledged), damage before it
 * is reported with file, offset and slot, never silently dropped.
 */
class MappedLogRecoveryTest
{
    private static final int BIG_SEGMENT = 64 * 1024;
    private static final int SMALL_SEGMENT = 4096;

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

    private MappedPaxosLog open(final int segmentLength)
    {
        if (log != null)
        {
            log.close();
            log = null;
        }
        log = LogFixtures.open(dir, segmentLength, DurabilityPolicy.NONE);
        return log;
    }

    private void writeAndClose(final int segmentLength, final int count)
    {
        open(segmentLength);
        appendEntries(log, count);
        log.close();
        log = null;
    }

    /** Offset of slot in the first segment, when every record so far is in it. */
    private static int offsetOf(final long slot)
    {
        int offset = LogSegment.SEGMENT_HEADER_LENGTH;
        for (long s = 0; s < slot; s++)
        {
            offset += LogSegment.recordLength(payloadLength(s));
        }
        return offset;
    }

    /** The last slot that fits the first segment of the given length, for fixture entries appended from slot 0. */
    private static long lastSlotOfFirstSegment(final int segmentLength)
    {
        long slot = 0;
        while (offsetOf(slot + 1) <= segmentLength)
        {
            slot++;
        }
        return slot - 1;
    }

    /** Append count entries after a sync and leave without syncing them, as a crash would. */
    private void appendUnsyncedAndCrash(final int segmentLength, final int synced, final int unsynced)
    {
        open(segmentLength);
        appendEntries(log, synced);
        log.sync();
        appendEntries(log, unsynced);
        log.closeAsCrashed();
        log = null;
    }

    private static void flipByte(final Path file, final long position) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(position);
            final int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0x40);
        }
    }

    private static void fill(final Path file, final long from, final long to, final byte value) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(from);
            for (long i = from; i < to; i++)
            {
                raf.write(value);
            }
        }
    }

    private LogCorruptedException assertCorrupted(final int segmentLength, final Path file, final long offset,
        final long slot)
    {
        final LogCorruptedException ex = assertThrows(LogCorruptedException.class, () -> open(segmentLength));
        assertEquals(file, ex.file(), ex.getMessage());
        assertEquals(offset, ex.offset(), ex.getMessage());
        assertEquals(slot, ex.slot(), ex.getMessage());
        assertTrue(ex.getMessage().contains(file.toString()) && ex.getMessage().contains("offset=" + offset) &&
            ex.getMessage().contains("slot=" + slot), ex.getMessage());
        return ex;
    }

    @Test
    void flippedPayloadByteInAMiddleRecordIsReportedWithFileOffsetAndSlot() throws Exception
    {
        writeAndClose(BIG_SEGMENT, 10);
        final Path file = segmentFile(dir, 0);
        flipByte(file, offsetOf(5) + LogSegment.HEADER_LENGTH + 3);
        assertCorrupted(BIG_SEGMENT, file, offsetOf(5), 5);
    }

    @Test
    void damagedLengthInAMiddleRecordIsReportedNotCut() throws Exception
    {
        writeAndClose(BIG_SEGMENT, 10);
        final Path file = segmentFile(dir, 0);
        flipByte(file, offsetOf(5) + LogSegment.LENGTH_OFFSET + 1);
        assertCorrupted(BIG_SEGMENT, file, offsetOf(5), 5);
    }

    @Test
    void damagedSlotInAMiddleRecordIsReportedNotCut() throws Exception
    {
        writeAndClose(BIG_SEGMENT, 10);
        final Path file = segmentFile(dir, 0);
        flipByte(file, offsetOf(5) + LogSegment.SLOT_OFFSET);
        assertCorrupted(BIG_SEGMENT, file, offsetOf(5), 5);
    }

    @Test
    void flippedByteInTheLastSyncedRecordIsReported() throws Exception
    {
        writeAndClose(BIG_SEGMENT, 10);
        final Path file = segmentFile(dir, 0);
        flipByte(file, offsetOf(9) + LogSegment.HEADER_LENGTH + 1);
        assertCorrupted(BIG_SEGMENT, file, offsetOf(9), 9);
    }

    @Test
    void tornUnsyncedRecordIsCutAndTheTailZeroed() throws Exception
    {
        appendUnsyncedAndCrash(BIG_SEGMENT, 9, 1);
        final Path file = segmentFile(dir, 0);
        flipByte(file, offsetOf(9) + LogSegment.HEADER_LENGTH + 1);
        open(BIG_SEGMENT);
        assertEquals(9, log.nextSlot());
        assertEntries(log, 0, 9);
        log.close();
        log = null;
        final byte[] bytes = Files.readAllBytes(file);
        for (int i = offsetOf(9); i < bytes.length; i++)
        {
            assertEquals(0, bytes[i], "byte " + i + " after the cut should be zero");
        }
        open(BIG_SEGMENT);
        appendEntries(log, 5);
        assertEntries(open(BIG_SEGMENT), 0, 14);
    }

    @Test
    void unsyncedPagesWrittenBackOutOfOrderAreCut() throws Exception
    {
        // Issue 7 section 2: under FORCE pages reach the disk in any order. A damaged unsynced record followed by
        // intact ones is an ordinary power cut, not corruption: everything after the synced mark goes.
        appendUnsyncedAndCrash(BIG_SEGMENT, 5, 20);
        fill(segmentFile(dir, 0), offsetOf(8), offsetOf(9), (byte)0);
        open(BIG_SEGMENT);
        assertEquals(5, log.nextSlot());
        assertEntries(log, 0, 5);
        appendEntries(log, 3);
        assertEntries(open(BIG_SEGMENT), 0, 8);
    }

    @Test
    void zeroFilledSyncedRecordsAreReported() throws Exception
    {
        writeAndClose(BIG_SEGMENT, 10);
        fill(segmentFile(dir, 0), offsetOf(8) + 30, offsetOf(10), (byte)0);
        assertCorrupted(BIG_SEGMENT, segmentFile(dir, 0), offsetOf(8), 8);
    }

    @Test
    void garbageAfterTheLastRecordIsCut() throws Exception
    {
        writeAndClose(BIG_SEGMENT, 10);
        fill(segmentFile(dir, 0), offsetOf(10), offsetOf(10) + 1000, (byte)0x5A);
        open(BIG_SEGMENT);
        assertEquals(10, log.nextSlot());
        appendEntries(log, 3);
        assertEntries(open(BIG_SEGMENT), 0, 13);
    }

    @Test
    void truncatedLastSegmentFileThatLostSyncedRecordsIsReported() throws Exception
    {
        writeAndClose(BIG_SEGMENT, 10);
        final Path file = segmentFile(dir, 0);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(offsetOf(7) + 20);
        }
        assertCorrupted(BIG_SEGMENT, file, offsetOf(7), 7);
    }

    @Test
    void truncatedLastSegmentFileThatLostOnlyUnsyncedRecordsIsExtendedAndCut() throws Exception
    {
        appendUnsyncedAndCrash(BIG_SEGMENT, 7, 3);
        final Path file = segmentFile(dir, 0);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(offsetOf(8) + 20);
        }
        open(BIG_SEGMENT);
        assertEquals(7, log.nextSlot());
        assertEquals(BIG_SEGMENT, Files.size(file), "the last segment is extended back to its length");
        appendEntries(log, 3);
        assertEntries(open(BIG_SEGMENT), 0, 10);
    }

    @Test
    void damageInASegmentThatIsNotTheLastIsReported() throws Exception
    {
        writeAndClose(SMALL_SEGMENT, 100);
        final long lastSlotOfFirst = lastSlotOfFirstSegment(SMALL_SEGMENT);
        final Path file = segmentFile(dir, 0);
        flipByte(file, offsetOf(lastSlotOfFirst) + LogSegment.HEADER_LENGTH);
        assertCorrupted(SMALL_SEGMENT, file, offsetOf(lastSlotOfFirst), lastSlotOfFirst);
    }

    @Test
    void truncatedSegmentThatIsNotTheLastIsReported() throws Exception
    {
        writeAndClose(SMALL_SEGMENT, 100);
        final long[] segments = segmentOrdinals(dir);
        try (RandomAccessFile raf = new RandomAccessFile(segmentFile(dir, 0).toFile(), "rw"))
        {
            raf.setLength(offsetOf(2) + 10);
        }
        final LogCorruptedException ex = assertThrows(LogCorruptedException.class, () -> open(SMALL_SEGMENT));
        assertTrue(ex.getMessage().contains("segment-"), ex.getMessage());
        assertTrue(segments.length > 2);
    }

    @Test
    void emptiedMiddleSegmentFileIsReported() throws Exception
    {
        writeAndClose(SMALL_SEGMENT, 100);
        final long[] segments = segmentOrdinals(dir);
        try (RandomAccessFile raf = new RandomAccessFile(segmentFile(dir, segments[1]).toFile(), "rw"))
        {
            raf.setLength(0);
        }
        final LogCorruptedException ex = assertThrows(LogCorruptedException.class, () -> open(SMALL_SEGMENT));
        assertEquals(segmentFile(dir, segments[1]), ex.file(), ex.getMessage());
    }

    @Test
    void emptiedLastSegmentFileHoldingSyncedRecordsIsReported() throws Exception
    {
        writeAndClose(SMALL_SEGMENT, 100);
        final long[] segments = segmentOrdinals(dir);
        final long last = segments[segments.length - 1];
        try (RandomAccessFile raf = new RandomAccessFile(segmentFile(dir, last).toFile(), "rw"))
        {
            raf.setLength(0);
        }
        final LogCorruptedException ex = assertThrows(LogCorruptedException.class, () -> open(SMALL_SEGMENT));
        assertEquals(segmentFile(dir, last), ex.file(), ex.getMessage());
    }

    @Test
    void segmentCreatedAfterTheLastSyncIsDeleted() throws Exception
    {
        appendUnsyncedAndCrash(SMALL_SEGMENT, 3, 60);
        assertTrue(segmentOrdinals(dir).length > 2);
        open(SMALL_SEGMENT);
        assertEquals(3, log.nextSlot());
        assertEquals(1, segmentOrdinals(dir).length);
        appendEntries(log, 97);
        assertEntries(open(SMALL_SEGMENT), 0, 100);
    }

    @Test
    void missingMiddleSegmentIsReported() throws Exception
    {
        writeAndClose(SMALL_SEGMENT, 100);
        Files.delete(segmentFile(dir, 2));
        final LogCorruptedException ex = assertThrows(LogCorruptedException.class, () -> open(SMALL_SEGMENT));
        assertEquals(segmentFile(dir, 2), ex.file(), ex.getMessage());
        assertTrue(ex.getMessage().contains("missing"), ex.getMessage());
    }

    @Test
    void missingMetadataWhileSegmentsExistRefusesToOpen() throws Exception
    {
        // Issue 7 section 6: an acceptor that forgot its promise breaks Paxos; it must not start.
        writeAndClose(BIG_SEGMENT, 10);
        Files.delete(dir.resolve(LogMetadata.FILE_NAME));
        final LogCorruptedException ex = assertThrows(LogCorruptedException.class, () -> open(BIG_SEGMENT));
        assertTrue(ex.getMessage().contains("metadata file is missing"), ex.getMessage());
        assertTrue(Files.notExists(dir.resolve(LogMetadata.FILE_NAME)), "nothing is created in its place");
    }

    @Test
    void logOfAnotherClusterOrNodeRefusesToOpen()
    {
        // Issue 7 section 6: a node started over another cluster's (or node's) log directory must refuse.
        log = MappedPaxosLog.open(new MappedLogConfig().directory(dir).segmentLength(BIG_SEGMENT).maxPayloadLength(1024)
            .clusterId(7).nodeId(1));
        appendEntries(log, 10);
        log.close();
        log = null;
        final IllegalStateException otherCluster = assertThrows(IllegalStateException.class, () -> MappedPaxosLog.open(
            new MappedLogConfig().directory(dir).segmentLength(BIG_SEGMENT).maxPayloadLength(1024).clusterId(8).nodeId(1)));
        assertTrue(otherCluster.getMessage().contains("belongs to cluster 7 node 1"), otherCluster.getMessage());
        final IllegalStateException otherNode = assertThrows(IllegalStateException.class, () -> MappedPaxosLog.open(
            new MappedLogConfig().directory(dir).segmentLength(BIG_SEGMENT).maxPayloadLength(1024).clusterId(7).nodeId(2)));
        assertTrue(otherNode.getMessage().contains("not to cluster 7 node 2"), otherNode.getMessage());
        log = MappedPaxosLog.open(new MappedLogConfig().directory(dir).segmentLength(BIG_SEGMENT).maxPayloadLength(1024)
            .clusterId(7).nodeId(1));
        assertEntries(log, 0, 10);
    }

    @Test
    void hostRestartUnderNoneOpensTheLogNonVotingButUnderForceVoting() throws Exception
    {
        for (final DurabilityPolicy policy : DurabilityPolicy.values())
        {
            final Path logDir = dir.resolve(policy.name());
            try (MappedPaxosLog voter = LogFixtures.open(logDir, BIG_SEGMENT, policy))
            {
                appendEntries(voter, 10);
                voter.voting(true);
            }
            rewriteBootIds(logDir.resolve(LogMetadata.FILE_NAME), 42);
            try (MappedPaxosLog reopened = LogFixtures.open(logDir, BIG_SEGMENT, policy))
            {
                assertEquals(policy == DurabilityPolicy.FORCE, reopened.voting(), policy.name());
                assertEntries(reopened, 0, 10);
                if (policy == DurabilityPolicy.NONE)
                {
                    assertTrue(reopened.rejoinReason().contains("host restarted"), reopened.rejoinReason());
                }
            }
        }
    }

    /** Pretend both metadata copies were written during another boot of the host. */
    private static void rewriteBootIds(final Path file, final long bootId) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            for (final int copy : new int[] {0, LogMetadata.COPY_STRIDE})
            {
                final byte[] bytes = new byte[LogMetadata.CHECKSUM_OFFSET];
                raf.seek(copy);
                raf.readFully(bytes);
                final java.nio.ByteBuffer image = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                image.putLong(LogMetadata.BOOT_ID_OFFSET, bootId);
                final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
                crc.update(bytes, 0, bytes.length);
                raf.seek(copy);
                raf.write(bytes);
                raf.write(java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putInt((int)crc.getValue()).array());
            }
        }
    }

    @Test
    void votingFlagIsDurableAndANewLogVotesOnlyWhenBootstrapping()
    {
        log = MappedPaxosLog.open(new MappedLogConfig().directory(dir).segmentLength(BIG_SEGMENT).maxPayloadLength(1024));
        assertTrue(!log.voting(), "a log created empty does not vote unless it bootstraps a new cluster");
        log.voting(true);
        log.sync();
        log.closeAsCrashed();
        log = null;
        assertTrue(open(BIG_SEGMENT).voting());
        log.close();
        log = null;
        final Path other = dir.resolve("other");
        log = MappedPaxosLog.open(new MappedLogConfig().directory(other).segmentLength(BIG_SEGMENT).maxPayloadLength(1024)
            .bootstrap(true));
        assertTrue(log.voting());
    }

    @Test
    void leftoverTemporarySegmentFromAnInterruptedRollIsRemoved() throws Exception
    {
        writeAndClose(SMALL_SEGMENT, 10);
        final Path temp = dir.resolve(segmentFile(dir, 10).getFileName() + ".tmp");
        Files.write(temp, new byte[100]);
        open(SMALL_SEGMENT);
        assertTrue(Files.notExists(temp));
        assertEquals(10, log.nextSlot());
    }

    @Test
    void tornNewerMetadataCopyFallsBackToTheOlderOne() throws Exception
    {
        open(BIG_SEGMENT);
        appendEntries(log, 10);
        log.promisedBallot(5);
        log.sync();            // write 1 -> copy B
        log.commitIndex(3);
        log.sync();            // write 2 -> copy A, the newer
        log.close();
        log = null;
        flipByte(dir.resolve(LogMetadata.FILE_NAME), LogMetadata.COMMIT_INDEX_OFFSET);
        open(BIG_SEGMENT);
        assertEquals(5, log.promisedBallot());
        assertEquals(0, log.commitIndex());
        assertEquals(10, log.nextSlot(), "the older copy's mark covers the records synced with it");
    }

    @Test
    void metadataWriteInterruptedHalfwayLeavesTheOldValue() throws Exception
    {
        open(BIG_SEGMENT);
        appendEntries(log, 10);
        log.promisedBallot(5);
        log.sync();            // copy B: sequence 1
        log.commitIndex(3);
        log.sync();            // copy A: sequence 2
        log.close();
        log = null;
        // A crash while writing sequence 3 into copy B: sequence and ballot landed, the rest and the checksum did not.
        try (RandomAccessFile raf = new RandomAccessFile(dir.resolve(LogMetadata.FILE_NAME).toFile(), "rw"))
        {
            raf.seek(LogMetadata.COPY_STRIDE + LogMetadata.SEQUENCE_OFFSET);
            raf.write(new byte[] {3, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0});
        }
        open(BIG_SEGMENT);
        assertEquals(5, log.promisedBallot());
        assertEquals(3, log.commitIndex());
        log.promisedBallot(9);
        log.sync();            // the next write goes over the torn copy and wins
        assertEquals(9, open(BIG_SEGMENT).promisedBallot());
        assertEquals(3, log.commitIndex());
    }

    @Test
    void bothMetadataCopiesDamagedIsReported() throws Exception
    {
        open(BIG_SEGMENT);
        log.promisedBallot(5);
        log.close();
        log = null;
        final Path file = dir.resolve(LogMetadata.FILE_NAME);
        flipByte(file, LogMetadata.PROMISED_BALLOT_OFFSET);
        flipByte(file, LogMetadata.COPY_STRIDE + LogMetadata.PROMISED_BALLOT_OFFSET);
        final LogCorruptedException ex = assertThrows(LogCorruptedException.class, () -> open(BIG_SEGMENT));
        assertEquals(file, ex.file());
    }

    @Test
    void loweringMaxPayloadLengthDoesNotCutExistingRecords()
    {
        writeAndClose(BIG_SEGMENT, 10); // payloads up to 299 bytes
        log = MappedPaxosLog.open(new MappedLogConfig().directory(dir).segmentLength(BIG_SEGMENT).maxPayloadLength(8));
        assertEquals(10, log.nextSlot());
        assertEntries(log, 0, 10);
    }

    @Test
    void segmentsOnlyBelowTheFirstSlotAfterCompactionStillRecover() throws Exception
    {
        open(SMALL_SEGMENT);
        appendEntries(log, 100);
        log.commitIndex(100);
        log.truncateBelow(95);
        log.close();
        log = null;
        open(SMALL_SEGMENT);
        assertEquals(95, log.firstSlot());
        assertEquals(100, log.nextSlot());
        assertEntries(log, 95, 100);
        assertEquals(log.segmentCount(), segmentOrdinals(dir).length);
    }
}
