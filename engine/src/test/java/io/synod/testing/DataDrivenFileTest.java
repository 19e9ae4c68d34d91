package io.synod.testing;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The script format: a mismatch names the file, line and command; a rewrite keeps comments and commands and replaces
 * only the outputs.
 */
class DataDrivenFileTest
{
    private static final String SCRIPT = "# a comment\nsay hello\n----\nhello\n\nsay\n----\nok\n";

    @Test
    void matchingScriptHasNoMismatchAndRewritesToItself()
    {
        final DataDrivenFile.Result result = DataDrivenFile.run("t.txt", SCRIPT, DataDrivenFileTest::say);

        assertNull(result.firstMismatch);
        assertEquals(SCRIPT, result.rewritten);
    }

    @Test
    void mismatchNamesFileLineAndCommandAndRewriteReplacesOnlyTheOutput()
    {
        final String stale = SCRIPT.replace("hello\n\n", "goodbye\nagain\n\n");

        final DataDrivenFile.Result result = DataDrivenFile.run("t.txt", stale, DataDrivenFileTest::say);

        assertTrue(result.firstMismatch.startsWith("t.txt:2: say hello\nexpected:\ngoodbye\nagain\nactual:\nhello"),
            result.firstMismatch);
        assertEquals(SCRIPT, result.rewritten);
    }

    @Test
    void emptyExpectedOutputIsFilledIn()
    {
        final DataDrivenFile.Result result =
            DataDrivenFile.run("t.txt", "say hello\n----\n\nsay\n----\n", DataDrivenFileTest::say);

        assertEquals("say hello\n----\nhello\n\nsay\n----\nok\n", result.rewritten);
    }

    @Test
    void commandWithoutSeparatorIsAnError()
    {
        assertThrows(IllegalArgumentException.class,
            () -> DataDrivenFile.run("t.txt", "say hello\nhello\n", DataDrivenFileTest::say));
    }

    private static List<String> say(final String command)
    {
        return command.length() > 4 ? List.of(command.substring(4)) : List.of();
    }
}
