package io.synod.perf;

import io.synod.Configuration;
import io.synod.log.DurabilityPolicy;
import io.synod.log.LogEntry;
import io.synod.log.MappedLogConfig;
import io.synod.log.MappedPaxosLog;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Throughput of {@link MappedPaxosLog}: appends, reads, and the time to recover (open and verify) a 1 GiB log.
 * <p>
 * Append: one op is one append. Every {@value #BATCH} appends the benchmark does what a duty cycle does: advance the
 * commit index, {@code sync()} (under FORCE: force the written range and the metadata, i.e. group commit of 64
 * entries) and {@code truncateBelow} so whole segments behind are deleted and the log stays bounded. The next
 * segment's 64 MiB of zeroes (forced under FORCE) and the slot index's next 8 MiB chunk are made by the log's
 * background threads, so they compete for the cores and the device but not for the measured thread; the roll (a
 * header and a rename) and taking the chunk made ahead are part of the measured cost.
 * <p>
 * Files go to {@code -Dsynod.bench.dir} (default {@code java.io.tmpdir}) and are deleted at tear down. Run with e.g.
 * {@code java -jar perf/target/synod-benchmarks.jar MappedLogBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s -prof gc}.
 */
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens", "java.base/java.nio=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class MappedLogBenchmark
{
    /** Appends per sync (the group commit batch). */
    public static final int BATCH = 64;
    /** Size of the log recovered by {@link #recover1GiB(RecoveryState)}. */
    public static final long RECOVERY_LOG_BYTES = 1L << 30;

    static Path newDirectory(final String prefix)
    {
        try
        {
            final Path base = Path.of(System.getProperty("synod.bench.dir", System.getProperty("java.io.tmpdir")));
            return Files.createTempDirectory(base, prefix);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static void delete(final Path directory)
    {
        if (directory == null)
        {
            return;
        }
        try (Stream<Path> files = Files.walk(directory))
        {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static UnsafeBuffer payload(final int length)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[Math.max(length, 1)]);
        for (int i = 0; i < length; i++)
        {
            payload.putByte(i, (byte)i);
        }
        return payload;
    }

    /** A log being appended to. */
    @State(Scope.Thread)
    public static class AppendState
    {
        /** Payload bytes per entry. */
        @Param({"32", "256", "1024"})
        public int payloadLength;

        /** Durability policy of the log. */
        @Param({"NONE", "FORCE"})
        public DurabilityPolicy durability;

        Path directory;
        MappedPaxosLog log;
        UnsafeBuffer payload;
        long slot;

        /** Open an empty log. */
        @Setup(Level.Trial)
        public void setUp()
        {
            directory = newDirectory("synod-append-bench");
            log = MappedPaxosLog.open(new MappedLogConfig().directory(directory).durability(durability)
                .maxPayloadLength(4096));
            payload = payload(payloadLength);
            slot = log.nextSlot();
        }

        /** Close and delete the log. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            log.close();
            delete(directory);
        }
    }

    /** A log of up to 4 M entries or 512 MiB to read, cycled over in slot order. */
    @State(Scope.Thread)
    public static class ReadState
    {
        static final long MAX_ENTRIES = 4 * 1024 * 1024;
        static final long MAX_BYTES = 512L * 1024 * 1024;

        /** Payload bytes per entry. */
        @Param({"32", "256", "1024"})
        public int payloadLength;

        Path directory;
        MappedPaxosLog log;
        final LogEntry entry = new LogEntry();
        long entries;
        long slot;

        /** Fill the log. */
        @Setup(Level.Trial)
        public void setUp()
        {
            directory = newDirectory("synod-read-bench");
            log = MappedPaxosLog.open(new MappedLogConfig().directory(directory).maxPayloadLength(4096));
            final UnsafeBuffer payload = payload(payloadLength);
            entries = Math.min(MAX_ENTRIES, MAX_BYTES / (payloadLength + 56));
            for (long s = 0; s < entries; s++)
            {
                log.append(s, 1, (byte)1, 0, s, s, payload, 0, payloadLength);
            }
        }

        /** Close and delete the log. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            log.close();
            delete(directory);
        }
    }

    /**
     * A closed 1 GiB log of 256-byte entries in 64 MiB segments, to recover. {@code warm}: its files are in the page
     * cache. {@code cold}: before each recovery its files' pages are dropped from the cache
     * ({@code dd iflag=nocache count=0}, per file; needs GNU dd), so recovery reads them from the device.
     */
    @State(Scope.Benchmark)
    public static class RecoveryState
    {
        /** Whether the log's pages are in the page cache when recovery starts. */
        @Param({"warm", "cold"})
        public String cache;

        Path directory;
        long entries;

        /** Cold: drop the log's files from the page cache (they are clean: forced after writing). */
        @Setup(Level.Invocation)
        public void dropCache() throws Exception
        {
            if ("cold".equals(cache))
            {
                try (Stream<Path> files = Files.list(directory))
                {
                    for (final Path file : (Iterable<Path>)files::iterator)
                    {
                        final Process dd = new ProcessBuilder(
                            "dd", "if=" + file, "iflag=nocache", "count=0", "status=none").inheritIO().start();
                        if (dd.waitFor() != 0)
                        {
                            throw new IllegalStateException("dd iflag=nocache failed for " + file);
                        }
                    }
                }
            }
        }

        /** Write the log. */
        @Setup(Level.Trial)
        public void setUp()
        {
            directory = newDirectory("synod-recovery-bench");
            final UnsafeBuffer payload = payload(256);
            try (MappedPaxosLog log = MappedPaxosLog.open(new MappedLogConfig().directory(directory)))
            {
                // Fill 16 segments: stop before the record that would start the 17th.
                final int recordsPerSegment = (Configuration.LOG_SEGMENT_LENGTH_DEFAULT - 32) / 312;
                final long records = RECOVERY_LOG_BYTES / Configuration.LOG_SEGMENT_LENGTH_DEFAULT * recordsPerSegment;
                for (long slot = 0; slot < records; slot++)
                {
                    log.append(slot, 1, (byte)1, 0, slot, slot, payload, 0, 256);
                }
                entries = log.nextSlot();
                log.commitIndex(entries);
            }
            try (Stream<Path> files = Files.list(directory))
            {
                for (final Path file : (Iterable<Path>)files::iterator)
                {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
                    {
                        channel.force(true); // clean pages, so the cold variant can drop them
                    }
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        /** Delete the log. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            delete(directory);
        }
    }

    /**
     * One append; every {@value #BATCH}: commit index, sync and compaction.
     *
     * @param state the log.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void append(final AppendState state)
    {
        final MappedPaxosLog log = state.log;
        final long slot = state.slot;
        log.append(slot, 1, (byte)1, 7, slot, slot, state.payload, 0, state.payloadLength);
        state.slot = slot + 1;
        if ((state.slot & (BATCH - 1)) == 0)
        {
            log.commitIndex(state.slot);
            log.sync();
            log.truncateBelow(state.slot);
        }
    }

    /**
     * Read the next entry (zero copy) and touch its payload, cycling over the log.
     *
     * @param state the log.
     * @param bh    sink.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void read(final ReadState state, final Blackhole bh)
    {
        final LogEntry entry = state.entry;
        state.log.read(state.slot, entry);
        bh.consume(entry.ballot() + entry.payload().getLong(entry.payloadLength() - 8));
        state.slot = state.slot + 1 == state.entries ? 0 : state.slot + 1;
    }

    /**
     * Open (recover: scan and verify every checksum) and close a 1 GiB log, its files in the page cache or not.
     *
     * @param state the log on disk.
     * @return the recovered nextSlot.
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2)
    @Measurement(iterations = 5)
    public long recover1GiB(final RecoveryState state)
    {
        try (MappedPaxosLog log = MappedPaxosLog.open(new MappedLogConfig().directory(state.directory)))
        {
            if (log.nextSlot() != state.entries)
            {
                throw new IllegalStateException("recovered " + log.nextSlot() + " entries, wrote " + state.entries);
            }
            return log.nextSlot();
        }
    }
}
