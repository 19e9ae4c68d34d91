package io.synod.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A script in the data-driven format of etcd raft's {@code testdata/*.txt}: each case is a command line, a line
 * {@code ----}, and the output it must produce, up to the next blank line. Lines starting with {@code #} and blank
 * lines between cases are comments and are kept as they are.
 * <pre>
 * # A comment says what the next steps show.
 * deliver 1->2
 * ----
 * 2->1 Promise 1.1 chunk=0 commit=0 last []
 * </pre>
 * Outputs never contain blank lines (an empty output is written {@code ok}), so a blank line always ends a case.
 */
final class DataDrivenFile
{
    /** The separator between a command and its expected output. */
    static final String SEPARATOR = "----";

    /**
     * A command, where it is and what it must print.
     */
    static final class Case
    {
        final int line;
        final String command;
        final List<String> expected;

        Case(final int line, final String command, final List<String> expected)
        {
            this.line = line;
            this.command = command;
            this.expected = expected;
        }
    }

    /**
     * The outcome of running a file: its text with every expected output replaced by the actual one, and the first
     * case whose output differed.
     */
    static final class Result
    {
        final String rewritten;
        final String firstMismatch;

        Result(final String rewritten, final String firstMismatch)
        {
            this.rewritten = rewritten;
            this.firstMismatch = firstMismatch;
        }
    }

    private DataDrivenFile()
    {
    }

    static String read(final Path file)
    {
        try
        {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static void write(final Path file, final String text)
    {
        try
        {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Run every case of a script in order, each through the interpreter.
     *
     * @param name        the file's name, for messages.
     * @param text        the file.
     * @param interpreter the output lines of one command; an exception stops the run with the case's line.
     * @return the file as it would be with the actual outputs, and the first difference.
     */
    static Result run(final String name, final String text, final Function<String, List<String>> interpreter)
    {
        final String[] lines = text.split("\n", -1);
        final StringBuilder out = new StringBuilder();
        String firstMismatch = null;
        int i = 0;
        while (i < lines.length)
        {
            final String line = lines[i];
            if (line.isBlank() || line.startsWith("#"))
            {
                out.append(line).append(i + 1 < lines.length ? "\n" : "");
                i++;
                continue;
            }
            final int commandLine = i + 1;
            if (i + 1 >= lines.length || !lines[i + 1].equals(SEPARATOR))
            {
                throw new IllegalArgumentException(name + ":" + commandLine + ": '" + line + "' is not followed by " +
                    SEPARATOR);
            }
            i += 2;
            final List<String> expected = new ArrayList<>();
            while (i < lines.length && !lines[i].isEmpty())
            {
                expected.add(lines[i++]);
            }
            final Case c = new Case(commandLine, line, expected);
            List<String> actual;
            try
            {
                actual = interpreter.apply(c.command);
            }
            catch (final RuntimeException ex)
            {
                throw new IllegalStateException(name + ":" + commandLine + ": " + c.command + ": " + ex, ex);
            }
            if (actual.isEmpty())
            {
                actual = List.of("ok");
            }
            if (firstMismatch == null && !actual.equals(expected))
            {
                firstMismatch = name + ":" + commandLine + ": " + c.command + "\nexpected:\n" +
                    String.join("\n", expected) + "\nactual:\n" + String.join("\n", actual);
            }
            out.append(c.command).append('\n').append(SEPARATOR).append('\n');
            for (final String outputLine : actual)
            {
                out.append(outputLine.isEmpty() ? "." : outputLine).append('\n');
            }
            if (i >= lines.length)
            {
                out.setLength(out.length() - 1); // the file ended right after the output
            }
        }
        return new Result(out.toString(), firstMismatch);
    }
}
