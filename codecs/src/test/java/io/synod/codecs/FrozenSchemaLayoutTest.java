package io.synod.codecs;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import uk.co.real_logic.sbe.xml.EnumType;
import uk.co.real_logic.sbe.xml.Field;
import uk.co.real_logic.sbe.xml.Message;
import uk.co.real_logic.sbe.xml.MessageSchema;
import uk.co.real_logic.sbe.xml.ParserOptions;
import uk.co.real_logic.sbe.xml.Type;
import uk.co.real_logic.sbe.xml.XmlSchemaParser;

import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The schema's evolution rule, checked on the schema files themselves: against each released schema kept in
 * {@code src/test/resources/frozen/}, the current schema keeps the same id, keeps every message under the same id,
 * keeps every field at the same offset with the same id and encoding, keeps every enum value, and only appends:
 * a field that the frozen schema does not have lies past the frozen block and carries a {@code sinceVersion} above
 * the frozen version. A released version is never edited; the next change bumps the version. Every
 * {@code synod-schema-vN.xml} in that folder is checked: freezing a version is copying the schema there.
 * <p>
 * The codec round trips in {@link Version1PeerMessagesTest} and {@link Version1ClientMessagesTest} show what this means for bytes on the wire.
 */
class FrozenSchemaLayoutTest
{
    private static final String CURRENT = "/synod-schema.xml";

    static List<Integer> frozenVersions() throws Exception
    {
        final List<Integer> versions = new ArrayList<>();
        final Path dir = Paths.get(FrozenSchemaLayoutTest.class.getResource("/frozen").toURI());
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "synod-schema-v*.xml"))
        {
            for (final Path file : files)
            {
                final String name = file.getFileName().toString();
                versions.add(Integer.parseInt(name.substring("synod-schema-v".length(), name.length() - 4)));
            }
        }
        versions.sort(null);
        assertTrue(versions.contains(1), "version 1 is frozen: " + dir);
        return versions;
    }

    @ParameterizedTest(name = "frozen version {0}")
    @MethodSource("frozenVersions")
    void currentSchemaOnlyAppendsToFrozenSchema(final int frozenVersion) throws Exception
    {
        final MessageSchema frozen = parse("/frozen/synod-schema-v" + frozenVersion + ".xml");
        final MessageSchema current = parse(CURRENT);
        assertEquals(frozenVersion, frozen.version(), "the frozen file's version attribute");
        assertEquals(frozen.id(), current.id(), "schema id");
        assertTrue(current.version() >= frozen.version(), "the version never goes down");

        final List<String> violations = new ArrayList<>();
        for (final Message old : frozen.messages())
        {
            final Message now = current.getMessage(old.id());
            if (null == now || !now.name().equals(old.name()))
            {
                violations.add("message " + old.name() + " (id " + old.id() + ") is gone or renamed");
                continue;
            }
            compareBlock(old.name(), old.fields(), now.fields(), old.blockLength(), frozen, current, violations);
        }
        compareEnums(frozen, current, violations);

        assertTrue(violations.isEmpty(), "the current schema breaks frozen version " + frozenVersion +
            " (add fields at the end with sinceVersion=" + (frozen.version() + 1) + " and bump the version):\n  " +
            String.join("\n  ", violations));
    }

    private static void compareBlock(
        final String where,
        final List<Field> oldFields,
        final List<Field> newFields,
        final int oldBlockLength,
        final MessageSchema frozen,
        final MessageSchema current,
        final List<String> violations)
    {
        for (final Field old : oldFields)
        {
            final Field now = find(newFields, old.name());
            final String name = where + "." + old.name();
            if (null == now)
            {
                violations.add(name + " is gone or renamed");
                continue;
            }
            if (now.id() != old.id())
            {
                violations.add(name + " changed id " + old.id() + " -> " + now.id());
            }
            // Groups and var data follow the block whose length the wire carries: only fixed fields have fixed offsets.
            if (!old.isVariableLength() && null == old.groupFields() && now.computedOffset() != old.computedOffset())
            {
                violations.add(name + " moved from offset " + old.computedOffset() + " to " + now.computedOffset());
            }
            if (!encoding(old.type()).equals(encoding(now.type())))
            {
                violations.add(name + " changed type " + encoding(old.type()) + " -> " + encoding(now.type()));
            }
            if (null != old.groupFields())
            {
                compareBlock(name, old.groupFields(), now.groupFields(), old.computedBlockLength(),
                    frozen, current, violations);
            }
        }

        for (final Field now : newFields)
        {
            if (null != find(oldFields, now.name()))
            {
                continue;
            }
            final String name = where + "." + now.name();
            if (now.sinceVersion() <= frozen.version())
            {
                violations.add(name + " is new but has sinceVersion " + now.sinceVersion() +
                    ", not above " + frozen.version());
            }
            if (!now.isVariableLength() && null == now.groupFields() && now.computedOffset() < oldBlockLength)
            {
                violations.add(name + " is inserted at offset " + now.computedOffset() +
                    ", inside the frozen block of " + oldBlockLength + " bytes");
            }
        }
    }

    private static void compareEnums(
        final MessageSchema frozen, final MessageSchema current, final List<String> violations)
    {
        for (final Type type : frozen.types())
        {
            if (!(type instanceof EnumType))
            {
                continue;
            }
            final EnumType old = (EnumType)type;
            final Type found = current.getType(old.name());
            if (!(found instanceof EnumType))
            {
                violations.add("enum " + old.name() + " is gone");
                continue;
            }
            final EnumType now = (EnumType)found;
            if (now.encodingType() != old.encodingType())
            {
                violations.add("enum " + old.name() + " changed encoding");
            }
            for (final EnumType.ValidValue value : old.validValues())
            {
                final EnumType.ValidValue kept = now.getValidValue(value.name());
                if (null == kept || !kept.primitiveValue().equals(value.primitiveValue()))
                {
                    violations.add("enum value " + old.name() + "." + value.name() + " is gone or renumbered");
                }
            }
            for (final EnumType.ValidValue value : now.validValues())
            {
                if (null == old.getValidValue(value.name()) && value.sinceVersion() <= frozen.version())
                {
                    violations.add("enum value " + old.name() + "." + value.name() + " is new but has sinceVersion " +
                        value.sinceVersion() + ", not above " + frozen.version());
                }
            }
        }
    }

    private static String encoding(final Type type)
    {
        if (type instanceof EnumType)
        {
            return "enum " + type.name() + ":" + ((EnumType)type).encodingType();
        }
        return null == type ? "group" : type.name() + ":" + type.encodedLength();
    }

    private static Field find(final List<Field> fields, final String name)
    {
        for (final Field field : fields)
        {
            if (field.name().equals(name))
            {
                return field;
            }
        }
        return null;
    }

    private static MessageSchema parse(final String resource) throws Exception
    {
        try (InputStream in = FrozenSchemaLayoutTest.class.getResourceAsStream(resource))
        {
            assertNotNull(in, resource);
            return XmlSchemaParser.parse(in, ParserOptions.DEFAULT);
        }
    }
}
