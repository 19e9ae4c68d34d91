package io.synod.testing;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One test per script in {@code src/test/resources/interaction/*.txt}: the commands run on a fresh
 * {@link InteractionCluster} and each must print what the file says. With {@code -Dsynod.interaction.rewrite=true}
 * the files are rewritten with what the commands print now (review the diff before committing it). docs/testing.md
 * describes the commands and the output.
 */
class InteractionTest
{
    /** Set to true to rewrite the expected outputs instead of checking them. */
    static final String REWRITE_PROPERTY = "synod.interaction.rewrite";

    @TestFactory
    Stream<DynamicTest> scripts() throws IOException
    {
        final Path directory = directory();
        final List<Path> files;
        try (Stream<Path> listing = Files.list(directory))
        {
            files = listing.filter(p -> p.toString().endsWith(".txt")).sorted().collect(Collectors.toList());
        }
        assertFalse(files.isEmpty(), "no scripts in " + directory.toAbsolutePath());
        return files.stream().map(file -> DynamicTest.dynamicTest(
            file.getFileName().toString().replace(".txt", ""), file.toUri(), () -> runScript(file)));
    }

    private static void runScript(final Path file)
    {
        final String text = DataDrivenFile.read(file);
        final Interactions interactions = new Interactions();
        final DataDrivenFile.Result result =
            DataDrivenFile.run(file.getFileName().toString(), text, interactions::run);
        if (Boolean.getBoolean(REWRITE_PROPERTY))
        {
            if (!result.rewritten.equals(text))
            {
                DataDrivenFile.write(file, result.rewritten);
            }
            return;
        }
        if (result.firstMismatch != null)
        {
            fail(result.firstMismatch + "\n(run with -D" + REWRITE_PROPERTY + "=true to rewrite " + file + ")");
        }
    }

    /**
     * The scripts' source folder (not the copy on the class path), so that a rewrite changes the files under version
     * control; Maven runs tests in the module's folder.
     */
    private static Path directory()
    {
        final Path inModule = Path.of("src", "test", "resources", "interaction");
        return Files.isDirectory(inModule) ? inModule : Path.of("engine").resolve(inModule);
    }
}
