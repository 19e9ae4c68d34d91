package io.synod.log;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM with a small heap that appends many small entries to a mapped log, reopens it (recovery indexes every
 * entry again) and reads entries back, printing the heap used after GC at each step and "ok" at the end. Run by
 * {@link LargeLogProcessTest}; also usable by hand:
 * {@code java -Xmx256m -cp ... io.synod.log.LargeLogProcess <directory> <entries>}.
 */
public final class LargeLogProcess
{
    private static final int PAYLOAD_LENGTH = 8;

    private LargeLogProcess()
    {
    }

    /**
     * @param args directory of the log, number of entries.
     */
    public static void main(final String[] args)
    {
        final Path directory = Path.of(args[0]);
        final long entries = Long.parseLong(args[1]);
        final MappedLogConfig config = new MappedLogConfig()
            .directory(directory)
            .durability(DurabilityPolicy.NONE)
            .maxPayloadLength(PAYLOAD_LENGTH);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD_LENGTH]);
        final long start = System.nanoTime();
        try (MappedPaxosLog log = MappedPaxosLog.open(config))
        {
            for (long slot = 0; slot < entries; slot++)
            {
                payload.putLong(0, slot);
                log.append(slot, 1, (byte)1, 7, slot, 0, payload, 0, PAYLOAD_LENGTH);
                if ((slot & 1023) == 1023)
                {
                    log.commitIndex(slot + 1);
                    log.sync();
                }
                if (slot % 2_000_000 == 0)
                {
                    System.out.println("appended " + slot + " heap used after GC " + LogHeapTest.heapUsedAfterGc());
                }
            }
            System.out.println("appended " + log.nextSlot() + " in " + (System.nanoTime() - start) / 1_000_000 +
                " ms, heap used after GC " + LogHeapTest.heapUsedAfterGc() + ", segments " + log.segmentCount());
        }
        final long reopen = System.nanoTime();
        try (MappedPaxosLog log = MappedPaxosLog.open(config))
        {
            final LogEntry entry = new LogEntry();
            for (long slot = 0; slot < entries; slot += 1_000_003)
            {
                if (!log.read(slot, entry) || entry.payload().getLong(0) != slot)
                {
                    throw new IllegalStateException("slot " + slot + " read back wrong: " + entry);
                }
            }
            if (log.nextSlot() != entries || !log.read(entries - 1, entry) || entry.slot() != entries - 1)
            {
                throw new IllegalStateException("reopened log ends at " + log.nextSlot() + ", expected " + entries);
            }
            payload.putLong(0, entries);
            log.append(entries, 1, (byte)1, 7, entries, 0, payload, 0, PAYLOAD_LENGTH);
            System.out.println("reopened " + entries + " entries in " + (System.nanoTime() - reopen) / 1_000_000 +
                " ms, appended one more, heap used after GC " + LogHeapTest.heapUsedAfterGc());
        }
        System.out.println("ok");
    }

    static List<String> command(final Path directory, final long entries, final String maxHeap)
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
        command.add("-Xmx" + maxHeap);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LargeLogProcess.class.getName());
        command.add(directory.toString());
        command.add(Long.toString(entries));
        return command;
    }
}
