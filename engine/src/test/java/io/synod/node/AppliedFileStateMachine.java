package io.synod.node;

import io.synod.ResponseWriter;
import io.synod.StateMachine;
import org.agrona.DirectBuffer;

import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * For process tests: appends each applied command's value (its first 8 bytes) as a line to the file named by the
 * system property {@code synod.test.applied.file}, flushed at once so the test can read it while the node runs.
 * A new instance (a restarted node) starts the file afresh, as its state machine starts empty.
 */
public final class AppliedFileStateMachine implements StateMachine
{
    private final PrintWriter out;
    private long count;

    public AppliedFileStateMachine()
    {
        try
        {
            out = new PrintWriter(new FileWriter(System.getProperty("synod.test.applied.file"), false));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    public void apply(
        final long slot,
        final long timestamp,
        final DirectBuffer command,
        final int offset,
        final int length,
        final ResponseWriter response)
    {
        out.println(length >= 8 ? command.getLong(offset) : -length);
        out.flush();
        response.buffer().putLong(0, ++count);
        response.length(8);
    }

    public String toString()
    {
        return "applied=" + count;
    }
}
