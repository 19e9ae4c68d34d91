package io.synod.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The case issue 10 reproduced: at {@code -Xmx256m} the node thread died with OutOfMemoryError when the on-heap index
 * doubled past 8,388,608 slots. A child JVM with that heap appends 10 M entries to a mapped log, reopens it and
 * appends again (see {@link LargeLogProcess}). The log lives in /dev/shm when there is one (640 MB of segments).
 */
class LargeLogProcessTest
{
    private static final long ENTRIES = 10_000_000;

    @TempDir
    Path dir;

    @Test
    void tenMillionEntriesAppendAndReopenWithA256MiBHeap() throws Exception
    {
        final Path shm = Path.of("/dev/shm");
        final boolean inMemory = Files.isDirectory(shm) && Files.isWritable(shm);
        final Path base = inMemory ? Files.createTempDirectory(shm, "synod-") : dir;
        final Path output = dir.resolve("output.txt");
        try
        {
            final Process process = new ProcessBuilder(LargeLogProcess.command(base.resolve("log"), ENTRIES, "256m"))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
            final boolean exited = process.waitFor(180, TimeUnit.SECONDS);
            if (!exited)
            {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            final String printed = Files.readString(output);
            System.out.print(printed);
            assertTrue(exited, "child did not finish in 180 s: " + printed);
            assertEquals(0, process.exitValue(), printed);
            assertTrue(printed.endsWith("ok\n"), printed);
        }
        finally
        {
            deleteTree(base);
        }
    }

    private static void deleteTree(final Path root) throws Exception
    {
        if (Files.exists(root))
        {
            try (var paths = Files.walk(root))
            {
                paths.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
            }
        }
    }
}
