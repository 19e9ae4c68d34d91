package io.synod.samples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the samples on the public API: no main or test source of this module may name the protocol core
 * ({@code io.synod.core}), the log ({@code io.synod.log}) or the generated codecs ({@code io.synod.codecs}), in an
 * import or a fully qualified name; a sample shows what a user writes with {@code io.synod}, {@code io.synod.node}
 * and {@code io.synod.client}. Fails with each offending file and the packages it names.
 */
final class PublicApiOnlyTest
{
    private static final Path[] SOURCES = {Paths.get("src/main/java"), Paths.get("src/test/java")};
    private static final Pattern INTERNAL = Pattern.compile("\\bio\\.synod\\.(core|log|codecs)\\b");

    @Test
    void samplesNameNoInternalPackage() throws IOException
    {
        final Map<String, Set<String>> violations = new TreeMap<>();
        int files = 0;
        for (final Path root : SOURCES)
        {
            try (Stream<Path> paths = Files.walk(root))
            {
                for (final Path file : (Iterable<Path>)paths.filter(p -> p.toString().endsWith(".java"))::iterator)
                {
                    files++;
                    if (file.getFileName().toString().equals("PublicApiOnlyTest.java"))
                    {
                        continue; // names the packages it forbids
                    }
                    final Matcher matcher = INTERNAL.matcher(Files.readString(file));
                    while (matcher.find())
                    {
                        violations.computeIfAbsent(root.relativize(file).toString(), k -> new TreeSet<>())
                            .add(matcher.group());
                    }
                }
            }
        }
        assertTrue(files > 10, "found only " + files + " sources: is the test run from the samples module?");
        assertEquals(Map.of(), violations, "samples that name internal packages instead of the public API");
    }
}
