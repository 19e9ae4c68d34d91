package io.synod.node;

import io.synod.ResponseWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The process tests' state machine tells a command of another run's client from a command applied twice.
 */
class AppliedFileStateMachineTest
{
    @TempDir
    File dir;

    @Test
    void aCommandOfAnotherTestRunIsWrittenAsForeign() throws Exception
    {
        final File file = new File(dir, "applied.txt");
        System.setProperty("synod.test.applied.file", file.getPath());
        System.setProperty("synod.test.run.id", "42");
        try
        {
            final AppliedFileStateMachine stateMachine = new AppliedFileStateMachine();
            final UnsafeBuffer command = new UnsafeBuffer(new byte[32]);
            final ResponseWriter response = new ResponseWriter(64);

            command.putLong(AppliedFileStateMachine.RUN_ID_OFFSET, 42);
            command.putLong(0, 0);
            stateMachine.apply(0, 0, command, 0, command.capacity(), response);
            command.putLong(AppliedFileStateMachine.RUN_ID_OFFSET, 7); // another run, its first value too
            stateMachine.apply(1, 0, command, 0, command.capacity(), response);

            assertEquals(List.of("0", "foreign 0"), Files.readAllLines(file.toPath()));
        }
        finally
        {
            System.clearProperty("synod.test.applied.file");
            System.clearProperty("synod.test.run.id");
        }
    }
}
