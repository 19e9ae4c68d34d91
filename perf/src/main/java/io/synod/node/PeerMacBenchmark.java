package io.synod.node;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The cost of authenticating peer messages: the trailer a sender makes ({@code seal}, heap buffer, as the core's
 * outbox hands it over) and the check a receiver makes ({@code verify}, direct buffer, as Aeron's term buffers are),
 * for a heartbeat (55 bytes) and a 4 KiB Accept batch; beside them the JDK's {@code javax.crypto.Mac} with
 * HmacSHA256 and HmacSHA512 into a preallocated array, which the trailer does not use because it allocates per MAC.
 * In package {@code io.synod.node} to reach the runtime's internal classes.
 * <p>
 * Run: {@code java -jar perf/target/synod-benchmarks.jar PeerMac -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class PeerMacBenchmark
{
    @Param({"55", "4096"})
    int messageLength;

    private final byte[] key = ClusterKey.parse(ClusterKey.generate(), "benchmark");
    private final PeerTrailer sender = new PeerTrailer(key, 0x1234_5678_9abc_def0L);
    private final PeerTrailer receiver = new PeerTrailer(key, 0x1234_5678_9abc_def0L);
    private final UnsafeBuffer trailer = new UnsafeBuffer(new byte[PeerTrailer.LENGTH]);
    private final byte[] out = new byte[64];
    private UnsafeBuffer heapMessage;
    private UnsafeBuffer directWire;
    private byte[] messageBytes;
    private Mac jdkSha256;
    private Mac jdkSha512;

    @Setup
    public void setup() throws Exception
    {
        messageBytes = new byte[messageLength];
        new Random(42).nextBytes(messageBytes);
        heapMessage = new UnsafeBuffer(messageBytes);
        directWire = new UnsafeBuffer(ByteBuffer.allocateDirect(messageLength + PeerTrailer.LENGTH));
        directWire.putBytes(0, messageBytes);
        sender.seal(heapMessage, 0, messageLength, trailer);
        directWire.putBytes(messageLength, trailer, 0, PeerTrailer.LENGTH);
        if (!receiver.verify(directWire, 0, messageLength + PeerTrailer.LENGTH))
        {
            throw new IllegalStateException("the sealed message does not verify");
        }
        jdkSha256 = Mac.getInstance("HmacSHA256");
        jdkSha256.init(new SecretKeySpec(key, "HmacSHA256"));
        jdkSha512 = Mac.getInstance("HmacSHA512");
        jdkSha512.init(new SecretKeySpec(key, "HmacSHA512"));
    }

    /** What the sender adds per message and peer. */
    @Benchmark
    public UnsafeBuffer seal()
    {
        sender.seal(heapMessage, 0, messageLength, trailer);
        return trailer;
    }

    /** What the receiver checks per message, from a direct buffer (Aeron's term buffers). */
    @Benchmark
    public boolean verify()
    {
        return receiver.verify(directWire, 0, messageLength + PeerTrailer.LENGTH);
    }

    /** The JDK's HMAC-SHA256 into a preallocated array. */
    @Benchmark
    public byte[] jdkHmacSha256() throws Exception
    {
        jdkSha256.update(messageBytes, 0, messageLength);
        jdkSha256.doFinal(out, 0);
        return out;
    }

    /** The JDK's HMAC-SHA512 into a preallocated array (SHA-512 is faster per byte without SHA extensions). */
    @Benchmark
    public byte[] jdkHmacSha512() throws Exception
    {
        jdkSha512.update(messageBytes, 0, messageLength);
        jdkSha512.doFinal(out, 0);
        return out;
    }
}
