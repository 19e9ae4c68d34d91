package io.synod.log;

import io.synod.codecs.LogRecordHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The wire checksum of an entry is the checksum its log record stores, whatever buffer the payload comes from.
 */
class EntryChecksumTest
{
    @TempDir
    Path dir;

    @Test
    void equalsTheChecksumTheLogRecordStores()
    {
        final LogSegment segment = LogSegment.create(dir, 0, 0, 64 * 1024, false, ByteBuffer.allocateDirect(4096));
        try
        {
            final EntryChecksum checksum = new EntryChecksum();
            final LogRecordHeaderEncoder encoder = new LogRecordHeaderEncoder();
            final CRC32C crc = new CRC32C();
            int offset = LogSegment.SEGMENT_HEADER_LENGTH;
            for (int slot = 0; slot < 50; slot++)
            {
                final UnsafeBuffer payload = new UnsafeBuffer(new byte[LogFixtures.payloadLength(slot)]);
                for (int i = 0; i < payload.capacity(); i++)
                {
                    payload.putByte(i, (byte)(slot * 31 + i));
                }
                final long ballot = LogFixtures.ballotOf(slot);
                segment.append(encoder, crc, slot, ballot, (byte)(slot % 4), slot * 3, slot * 5, slot * 7,
                    payload, 0, payload.capacity());
                final int stored = segment.buffer().getInt(offset + LogSegment.CHECKSUM_OFFSET);

                assertEquals(stored, checksum.compute(slot, ballot, (byte)(slot % 4), slot * 3, slot * 5, slot * 7,
                    payload, 0, payload.capacity()), "heap payload, slot " + slot);
                assertEquals(stored, checksum.compute(slot, ballot, (byte)(slot % 4), slot * 3, slot * 5, slot * 7,
                    segment.buffer(), offset + LogSegment.HEADER_LENGTH, payload.capacity()),
                    "mapped payload, slot " + slot);
                if (payload.capacity() > 0)
                {
                    assertNotEquals(stored, checksum.compute(slot, ballot + 1, (byte)(slot % 4), slot * 3, slot * 5,
                        slot * 7, payload, 0, payload.capacity()), "the ballot is covered");
                }
                offset = segment.limit();
            }
        }
        finally
        {
            segment.closeAndDelete();
        }
    }

    @Test
    void offsetHeapPayloadAndLargeOffHeapPayloadAgree()
    {
        final EntryChecksum checksum = new EntryChecksum();
        final byte[] bytes = new byte[20_000];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)(i * 13);
        }
        final UnsafeBuffer heap = new UnsafeBuffer(bytes, 100, 10_000);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(10_007));
        direct.putBytes(7, bytes, 100, 10_000);

        assertEquals(
            checksum.compute(1, 2, (byte)1, 3, 4, 5, heap, 0, 10_000),
            checksum.compute(1, 2, (byte)1, 3, 4, 5, direct, 7, 10_000));
    }
}
