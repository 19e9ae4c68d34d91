package io.synod.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoreConfigTest
{
    @Test
    void defaultsConclude()
    {
        final CoreConfig config = new CoreConfig().nodeId(1).memberIds(2, 1, 0).conclude();
        assertEquals(2 * config.heartbeatIntervalNs(), config.electionTimeoutNs());
        assertEquals(2, config.majority());
        assertEquals(0, config.memberIds()[0], "sorted");
    }

    @Test
    void badSettingsAreNamed()
    {
        assertNamed("nodeId 5", new CoreConfig().nodeId(5).memberIds(0, 1, 2));
        assertNamed("listed twice", new CoreConfig().nodeId(0).memberIds(0, 1, 1));
        assertNamed("electionTimeoutNs", new CoreConfig().nodeId(0).memberIds(0).electionTimeoutNs(1));
        assertNamed("maxMessageLength", new CoreConfig().nodeId(0).memberIds(0).maxMessageLength(100));
        assertNamed("maxBatchEntries", new CoreConfig().nodeId(0).memberIds(0).maxBatchEntries(70000));
        assertNamed("memberIds", new CoreConfig().nodeId(0));
    }

    private static void assertNamed(final String setting, final CoreConfig config)
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class, config::conclude);
        assertTrue(ex.getMessage().contains(setting), "expected '" + setting + "' in: " + ex.getMessage());
    }
}
