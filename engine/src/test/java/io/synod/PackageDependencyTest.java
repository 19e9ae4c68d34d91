package io.synod;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Keeps the packages layered: the shared base ({@code io.synod}) depends on no other Synod package, the log on the
 * base only, the protocol core on the base and the log, the node on all three, and the client on the base alone (a
 * client never pulls in the node, its log or the core). Any import or fully qualified reference that breaks this
 * fails the build with the offending package pair named. The packages span three modules (run from engine/, it reads
 * the sibling modules' sources too), and each package lives in exactly one of them: api holds {@code io.synod},
 * client {@code io.synod.client}, engine the log, the core and the node.
 */
final class PackageDependencyTest
{
    /** Each module's main sources and the packages it alone may hold. */
    private static final Map<Path, Set<String>> MODULES = Map.of(
        Paths.get("../api/src/main/java/io/synod"), Set.of("io.synod"),
        Paths.get("../client/src/main/java/io/synod"), Set.of("io.synod.client"),
        Paths.get("src/main/java/io/synod"), Set.of("io.synod.log", "io.synod.core", "io.synod.node"));
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.synod\\.(core|log|node|client)\\.[A-Z]");

    private static final Map<String, Set<String>> ALLOWED = Map.of(
        "io.synod", Set.of(),
        "io.synod.log", Set.of("io.synod"),
        "io.synod.core", Set.of("io.synod", "io.synod.log"),
        "io.synod.node", Set.of("io.synod", "io.synod.core", "io.synod.log"),
        "io.synod.client", Set.of("io.synod"));

    @Test
    void packagesDependOnlyDownwards() throws IOException
    {
        final Map<String, Set<String>> violations = new TreeMap<>();
        for (final Path sources : MODULES.keySet())
        {
            for (final Path file : javaFiles(sources))
            {
                final String text = Files.readString(file);
                final String pkg = packageOf(text);
                final Set<String> allowed = ALLOWED.get(pkg);
                if (allowed == null)
                {
                    violations.computeIfAbsent(pkg, k -> new TreeSet<>()).add("(package not in the layering)");
                    continue;
                }
                final Matcher matcher = REFERENCE.matcher(text);
                while (matcher.find())
                {
                    final String target = "io.synod." + matcher.group(1);
                    if (!target.equals(pkg) && !allowed.contains(target) && !inJavadoc(text, matcher.start()))
                    {
                        violations.computeIfAbsent(pkg + " (" + file.getFileName() + ")", k -> new TreeSet<>())
                            .add(target);
                    }
                }
            }
        }
        assertEquals(Map.of(), violations, "packages that depend against the layering");
    }

    @Test
    void eachPackageLivesInItsOwnModule() throws IOException
    {
        final Map<String, Set<String>> misplaced = new TreeMap<>();
        for (final Map.Entry<Path, Set<String>> module : MODULES.entrySet())
        {
            final List<Path> files = javaFiles(module.getKey());
            assertFalse(files.isEmpty(), "no sources in " + module.getKey().toAbsolutePath().normalize());
            for (final Path file : files)
            {
                final String pkg = packageOf(Files.readString(file));
                if (!module.getValue().contains(pkg))
                {
                    misplaced.computeIfAbsent(pkg, k -> new TreeSet<>()).add(file.toString());
                }
            }
        }
        assertEquals(Map.of(), misplaced, "packages outside their module (a split package, or a new one)");
    }

    private static List<Path> javaFiles(final Path sources) throws IOException
    {
        try (Stream<Path> files = Files.walk(sources))
        {
            return files.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList());
        }
    }

    private static String packageOf(final String text)
    {
        final Matcher matcher = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE).matcher(text);
        return matcher.find() ? matcher.group(1) : "";
    }

    /** A javadoc link to a higher layer is documentation, not a dependency. */
    private static boolean inJavadoc(final String text, final int index)
    {
        final int lineStart = text.lastIndexOf('\n', index) + 1;
        final String prefix = text.substring(lineStart, index).trim();
        return prefix.startsWith("*") || prefix.startsWith("/**");
    }
}
