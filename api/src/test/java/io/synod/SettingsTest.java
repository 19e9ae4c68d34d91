package io.synod;

import io.aeron.exceptions.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest
{
    @Test
    void tableNamesEveryPropertyOfConfigurationAndNothingElse() throws IllegalAccessException
    {
        final Set<String> properties = new HashSet<>();
        for (final Field field : Configuration.class.getFields())
        {
            if (Modifier.isStatic(field.getModifiers()) && field.getName().endsWith("_PROP"))
            {
                properties.add((String)field.get(null));
            }
        }
        final Set<String> inTable = new HashSet<>();
        for (final Settings.Setting setting : Settings.ALL)
        {
            assertTrue(inTable.add(setting.property()), "listed once: " + setting.property());
            assertTrue(!setting.meaning().isEmpty(), setting.property() + " says what it does");
        }
        assertEquals(properties, inTable);
    }

    @Test
    void defaultsAreFormattedWithUnitsThatReadBackToTheSameValue()
    {
        final Settings.Setting heartbeat = Settings.find(Configuration.HEARTBEAT_INTERVAL_PROP, Settings.ALL);
        assertEquals("10ms", heartbeat.defaultValue());
        final Settings.Setting segment = Settings.find(Configuration.LOG_SEGMENT_LENGTH_PROP, Settings.ALL);
        assertEquals("64m", segment.defaultValue());
    }

    @Test
    void nearestNameByEditDistance()
    {
        assertEquals(0, Settings.editDistance("log.dir", "log.dir"));
        assertEquals(3, Settings.editDistance("kitten", "sitting"));
        assertEquals("log.dir", Settings.nearest("log.directory", List.of("log.dir", "node.id", "log.durability")));
        assertEquals("members", Settings.nearest("memebrs", List.of("log.dir", "node.id", "members")));
    }

    @Test
    void durationsAndSizesTakeUnitsAndPlainNumbers()
    {
        final String name = "synod.test.settings.value";
        try
        {
            System.setProperty(name, "100ms");
            assertEquals(100_000_000L, Configuration.duration(name, 1));
            System.setProperty(name, "2500");
            assertEquals(2500L, Configuration.duration(name, 1));
            System.setProperty(name, "64m");
            assertEquals(64 * 1024 * 1024, Configuration.size(name, 1));
            System.setProperty(name, "4096");
            assertEquals(4096, Configuration.size(name, 1));
            System.setProperty(name, "3g");
            final ConfigurationException tooLarge =
                assertThrows(ConfigurationException.class, () -> Configuration.size(name, 1));
            assertTrue(tooLarge.getMessage().contains(name), tooLarge.getMessage());
            System.setProperty(name, "fast");
            final ConfigurationException notADuration =
                assertThrows(ConfigurationException.class, () -> Configuration.duration(name, 1));
            assertTrue(notADuration.getMessage().contains(name + "=fast"), notADuration.getMessage());
        }
        finally
        {
            System.clearProperty(name);
        }
    }
}
