package io.synod.testing;

import io.synod.ResponseWriter;
import io.synod.StateMachine;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/**
 * The state machine of {@link InteractionCluster}'s nodes: it records what it applies (slot to command text) and
 * answers with the command itself. A command starting with "poison" throws (the node must fail-stop); one starting
 * with "invalid" is refused by {@code validate}.
 */
final class EchoStateMachine implements StateMachine
{
    private final TreeMap<Long, String> applied;

    EchoStateMachine(final TreeMap<Long, String> applied)
    {
        this.applied = applied;
    }

    public void apply(
        final long slot,
        final long timestamp,
        final DirectBuffer command,
        final int offset,
        final int length,
        final ResponseWriter response)
    {
        final String text = command.getStringWithoutLengthAscii(offset, length);
        if (text.startsWith("poison"))
        {
            throw new IllegalStateException("poison command at slot " + slot);
        }
        applied.put(slot, text);
        response.put(command, offset, length);
    }

    public boolean validate(
        final long sessionId,
        final DirectBuffer command,
        final int offset,
        final int length,
        final ResponseWriter reason)
    {
        if (command.getStringWithoutLengthAscii(offset, length).startsWith("invalid"))
        {
            final byte[] why = "refused by validate".getBytes(StandardCharsets.US_ASCII);
            reason.put(new UnsafeBuffer(why), 0, why.length);
            return false;
        }
        return true;
    }
}
