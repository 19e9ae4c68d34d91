package io.synod.log;

import io.synod.codecs.LogRecordHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.zip.CRC32C;

/**
 * The CRC32C of one entry, bit for bit the checksum a log record stores for the same slot, ballot, fields and payload
 * (see {@link LogSegment}): the CRC of the {@code LogRecordHeader} bytes without the checksum field, then the payload.
 * <p>
 * Messages carry it per entry so a payload damaged in transit is refused before it reaches any log, and because it
 * is the record's own checksum the value a leader sends is the value the acceptor's log stores for that record.
 * Reusable and allocation free; not thread safe (one per user).
 */
public final class EntryChecksum
{
    private static final int CHUNK = 4096;

    private final CRC32C crc = new CRC32C();
    private final byte[] header = new byte[LogSegment.HEADER_LENGTH];
    private final UnsafeBuffer headerBuffer = new UnsafeBuffer(header);
    private final LogRecordHeaderEncoder encoder = new LogRecordHeaderEncoder();
    private final byte[] chunk = new byte[CHUNK];

    /**
     * @param slot          of the entry.
     * @param ballot        the entry is (or will be) recorded under.
     * @param type          entry type code.
     * @param sessionId     client session, 0 for none.
     * @param sequence      client sequence, 0 for none.
     * @param timestamp     the leader's clock when it proposed the entry.
     * @param payload       buffer holding the payload.
     * @param payloadOffset of the payload in payload.
     * @param payloadLength of the payload.
     * @return the checksum a log record of this entry holds.
     */
    public int compute(
        final long slot,
        final long ballot,
        final byte type,
        final long sessionId,
        final long sequence,
        final long timestamp,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        encoder.wrap(headerBuffer, 0)
            .slot(slot)
            .ballot(ballot)
            .sessionId(sessionId)
            .sequence(sequence)
            .timestamp(timestamp)
            .payloadLength(payloadLength);
        headerBuffer.putByte(LogSegment.TYPE_OFFSET, type);
        crc.reset();
        crc.update(header, 0, LogSegment.CHECKSUM_OFFSET);
        crc.update(header, LogSegment.TYPE_OFFSET, LogSegment.HEADER_LENGTH - LogSegment.TYPE_OFFSET);
        if (payloadLength > 0)
        {
            updatePayload(payload, payloadOffset, payloadLength);
        }
        return (int)crc.getValue();
    }

    /**
     * @param entry a view of an entry as a log holds it.
     * @return {@link #compute} of its slot, ballot, fields and payload.
     */
    public int compute(final LogEntry entry)
    {
        return compute(entry.slot(), entry.ballot(), entry);
    }

    /**
     * @param slot   the entry is (or will be) recorded at.
     * @param ballot the entry is (or will be) recorded under: a message's ballot or chosen, not the view's own.
     * @param value  type, session, sequence, timestamp and payload of the entry.
     * @return {@link #compute} of those.
     */
    public int compute(final long slot, final long ballot, final LogEntry value)
    {
        return compute(slot, ballot, value.type(), value.sessionId(), value.sequence(), value.timestamp(),
            value.payload(), 0, value.payloadLength());
    }

    private void updatePayload(final DirectBuffer payload, final int offset, final int length)
    {
        final byte[] array = payload.byteArray();
        if (array != null)
        {
            crc.update(array, payload.wrapAdjustment() + offset, length);
            return;
        }
        // Off-heap (a mapped log, an Aeron term): through a small reused array, since CRC32C takes only arrays and
        // ByteBuffers and a ByteBuffer view per source buffer would allocate.
        for (int done = 0; done < length; )
        {
            final int n = Math.min(CHUNK, length - done);
            payload.getBytes(offset + done, chunk, 0, n);
            crc.update(chunk, 0, n);
            done += n;
        }
    }
}
