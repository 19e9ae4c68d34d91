package io.synod.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs the system commands the file-system tests need (mount, mkfs, xfs_io), bounded in time. Public for the
 * runtime's disk-full test.
 */
public final class SystemCommands
{
    private SystemCommands()
    {
    }

    /** Result of a command: its exit code (-1 if it could not run or timed out) and its merged output. */
    public record Result(int exitCode, String output)
    {
        public boolean ok()
        {
            return exitCode == 0;
        }
    }

    public static Result run(final String... command)
    {
        Process process = null;
        try
        {
            final Path output = Files.createTempFile("synod-cmd", ".txt");
            try
            {
                process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
                if (!process.waitFor(30, TimeUnit.SECONDS))
                {
                    return new Result(-1, String.join(" ", command) + ": timed out");
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            }
            finally
            {
                Files.deleteIfExists(output);
            }
        }
        catch (final IOException ex)
        {
            return new Result(-1, String.join(" ", command) + ": " + ex.getMessage());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return new Result(-1, String.join(" ", command) + ": interrupted");
        }
        finally
        {
            if (process != null)
            {
                process.destroyForcibly();
            }
        }
    }

    public static boolean isRoot()
    {
        final Result id = run("id", "-u");
        return id.ok() && id.output().trim().equals("0");
    }

    static boolean available(final String tool)
    {
        return run("sh", "-c", "command -v " + tool).ok();
    }
}
