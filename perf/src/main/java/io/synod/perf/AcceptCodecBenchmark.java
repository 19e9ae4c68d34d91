package io.synod.perf;

import io.synod.codecs.AcceptDecoder;
import io.synod.codecs.AcceptEncoder;
import io.synod.codecs.EntryType;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.MessageHeaderEncoder;
import io.synod.log.EntryChecksum;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * SBE encoding and decoding of one Accept batch as the core does them: header, fixed fields, then per entry its
 * fields, the CRC32C of the record the acceptor will write ({@link EntryChecksum}) and the payload; decoding walks the
 * group, wraps each payload in place (zero copy) and verifies its checksum. One operation is one whole batch of
 * {@code entries} entries into and out of a direct buffer (as an Aeron term is).
 * <p>
 * Run: {@code java -jar perf/target/synod-benchmarks.jar AcceptCodec -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class AcceptCodecBenchmark
{
    private static final long BALLOT = 7L << 16 | 2;
    private static final long FIRST_SLOT = 1_000_000;

    /** Entries in the batch. */
    @Param({"1", "64"})
    public int entries;

    /** Payload bytes per entry. */
    @Param({"32", "256"})
    public int payloadLength;

    private final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 20));
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[4096]);
    private final UnsafeBuffer received = new UnsafeBuffer(0, 0);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final AcceptEncoder encoder = new AcceptEncoder();
    private final AcceptDecoder decoder = new AcceptDecoder();
    private final EntryChecksum senderChecksum = new EntryChecksum();
    private final EntryChecksum receiverChecksum = new EntryChecksum();
    private long sequence;

    /** Fill the payload and encode one batch for the decode benchmark. */
    @Setup(Level.Trial)
    public void setUp()
    {
        for (int i = 0; i < payload.capacity(); i++)
        {
            payload.putByte(i, (byte)i);
        }
        encode();
    }

    /**
     * @return the encoded length.
     */
    @Benchmark
    public int encode()
    {
        encoder.wrapAndApplyHeader(message, 0, headerEncoder)
            .fromNodeId(2)
            .ballot(BALLOT)
            .firstSlot(FIRST_SLOT)
            .commitIndex(FIRST_SLOT)
            .clusterId(1);
        final AcceptEncoder.EntriesEncoder group = encoder.entriesCount(entries);
        for (int i = 0; i < entries; i++)
        {
            final long seq = ++sequence;
            payload.putLong(0, seq);
            final int checksum = senderChecksum.compute(
                FIRST_SLOT + i, BALLOT, (byte)EntryType.COMMAND.value(), 42, seq, seq, payload, 0, payloadLength);
            group.next()
                .entryType(EntryType.COMMAND)
                .sessionId(42)
                .sequence(seq)
                .timestamp(seq)
                .checksum(checksum)
                .putPayload(payload, 0, payloadLength);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /**
     * @return a value depending on every entry, so nothing is optimised away.
     */
    @Benchmark
    public long decode()
    {
        headerDecoder.wrap(message, 0);
        if (headerDecoder.templateId() != AcceptDecoder.TEMPLATE_ID)
        {
            throw new IllegalStateException("not an Accept: " + headerDecoder.templateId());
        }
        decoder.wrap(message, MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(),
            headerDecoder.version());
        final long ballot = decoder.ballot();
        long slot = decoder.firstSlot();
        long sum = decoder.commitIndex();
        for (final AcceptDecoder.EntriesDecoder entry : decoder.entries())
        {
            final byte type = (byte)entry.entryType().value();
            final long sessionId = entry.sessionId();
            final long seq = entry.sequence();
            final long timestamp = entry.timestamp();
            final int checksum = entry.checksum();
            final int length = entry.payloadLength();
            entry.wrapPayload(received);
            final int computed = receiverChecksum.compute(
                slot, ballot, type, sessionId, seq, timestamp, received, 0, length);
            if (computed != checksum)
            {
                throw new IllegalStateException("checksum mismatch at slot " + slot);
            }
            sum += seq + length;
            slot++;
        }
        return sum;
    }
}
