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
 * <p>
 * If the system property {@code synod.test.run.id} is set, a command whose bytes 8 to 15 do not hold it came from
 * another test run's client (one sharing this run's ports) and is written as {@code foreign <value>}: two clients'
 * values 0, 1, 2... otherwise look like commands applied twice.
 */
public final class AppliedFileStateMachine implements StateMachine
{
    /** Bytes 8 to 15 of a test command: the id of the run whose client sent it. */
    static final int RUN_ID_OFFSET = 8;

    private final PrintWriter out;
    private final Long runId = Long.getLong("synod.test.run.id");
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
        final long value = length >= 8 ? command.getLong(offset) : -length;
        if (runId != null && (length < RUN_ID_OFFSET + 8 || command.getLong(offset + RUN_ID_OFFSET) != runId))
        {
            out.println("foreign " + value);
        }
        else
        {
            out.println(value);
        }
        out.flush();
        response.buffer().putLong(0, ++count);
        response.length(8);
    }

    public String toString()
    {
        return "applied=" + count;
    }
}
