package io.synod.node;

import io.synod.Configuration;
import io.synod.Settings;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node main's argument checks, in process: only cases that stop before any setting becomes a system property.
 * Running nodes are in {@link OperatorProcessTest}.
 */
class SynodNodeMainTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int execute(final String... args)
    {
        return SynodNodeMain.execute(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    private String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsEverySettingWithItsPropertyDefaultAndMeaning()
    {
        assertEquals(0, execute("--help"));
        final String usage = out.toString(StandardCharsets.UTF_8);
        for (final Settings.Setting setting : Settings.NODE)
        {
            assertTrue(usage.contains(setting.flag() + "=") && usage.contains(setting.property()) &&
                usage.contains(setting.meaning()), setting.property() + " in\n" + usage);
        }
        for (final Settings.Setting setting : SynodNodeMain.MAIN_SETTINGS)
        {
            assertTrue(usage.contains(setting.property()), setting.property() + " in\n" + usage);
        }
        assertTrue(usage.contains("default: 10ms"), usage);
    }

    @Test
    void misspeltFlagIsRefusedNamingTheNearestValidOne()
    {
        assertEquals(2, execute("--node.id=0", "--members=0=localhost:1", "--log.directory=/tmp/x"));
        assertTrue(err().contains("unknown setting --log.directory; did you mean --log.dir?"), err());
    }

    @Test
    void misspeltFlagWithThePrefixIsRefusedToo()
    {
        assertEquals(2, execute("--synod.heartbeat.interval=10ms"));
        assertTrue(err().contains("did you mean --heartbeat.interval.ns?"), err());
    }

    @Test
    void clientSettingIsRefusedAsSuch()
    {
        assertEquals(2, execute("--client.max.outstanding=8"));
        assertTrue(err().contains("is a client setting"), err());
    }

    @Test
    void flagWithoutValueIsRefused()
    {
        assertEquals(2, execute("--node.id"));
        assertTrue(err().contains("expected --name=value, got --node.id"), err());
    }

    @Test
    void membersAreRequiredOutsideDevelopmentMode()
    {
        assertEquals(2, execute("--node.id=0", "--log.dir=/tmp/x"));
        assertTrue(err().contains("--members (" + Configuration.MEMBERS_PROP + ") is required"), err());
    }

    @Test
    void logDirectoryIsRequiredOutsideDevelopmentMode()
    {
        assertEquals(2, execute("--node.id=0", "--members=0=localhost:1"));
        assertTrue(err().contains("--log.dir (" + Configuration.LOG_DIR_PROP + ") is required"), err());
    }

    @Test
    void nodeIdIsRequiredEvenInDevelopmentMode()
    {
        assertEquals(2, execute("--dev"));
        assertTrue(err().contains("--node.id (" + Configuration.NODE_ID_PROP + ") is required"), err());
    }

    @Test
    void misspeltSystemPropertyIsWarnedOf()
    {
        System.setProperty("synod.log.directory", "/tmp/x");
        try
        {
            SynodNodeMain.warnOfUnknownSystemProperties(new PrintStream(err, true));
        }
        finally
        {
            System.clearProperty("synod.log.directory");
        }
        assertTrue(err().contains("warning: -Dsynod.log.directory is not a node setting (nearest: synod.log.dir)"),
            err());
    }

    @Test
    void errorLinesCarryATimestamp()
    {
        execute("--nonsense=1");
        assertTrue(err().matches("(?s)\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*synod: error: .*"), err());
    }
}
