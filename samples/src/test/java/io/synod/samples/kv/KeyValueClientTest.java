package io.synod.samples.kv;

import io.synod.ResponseWriter;
import io.synod.samples.cluster.CommandSender;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client facade over a sender that applies each command to a local store, as a replica would.
 */
class KeyValueClientTest
{
    private final KeyValueStateMachine store = new KeyValueStateMachine(32, 64);
    private final ResponseWriter response = new ResponseWriter(1024);
    private final UnsafeBuffer answer = new UnsafeBuffer(0, 0);
    private long slot;
    private final CommandSender local = (command, offset, length) ->
    {
        response.reset();
        store.apply(slot++, 0, command, offset, length, response);
        answer.wrap(response.buffer(), 0, response.length());
        return answer;
    };
    private final KeyValueClient client = new KeyValueClient(local);

    @Test
    void textCallsRoundTripThroughTheCommandLayout()
    {
        assertEquals(KeyValueCommands.OK, client.put("colour", "blue"));
        assertEquals("blue", client.get("colour"));
        assertFalse(client.compareAndSet("colour", "red", "green"));
        assertTrue(client.compareAndSet("colour", "blue", "green"));
        assertEquals("green", client.get("colour"));
        assertTrue(client.delete("colour"));
        assertFalse(client.delete("colour"));
        assertNull(client.get("colour"));
        assertTrue(client.compareAndSet("colour", null, "new"));
    }

    @Test
    void aRefusedKeyIsAnErrorForGet()
    {
        assertEquals(KeyValueCommands.KEY_TOO_LONG, client.put("k".repeat(33), "v"));
        final IllegalStateException refused =
            assertThrows(IllegalStateException.class, () -> client.get("k".repeat(33)));
        assertTrue(refused.getMessage().endsWith("KEY_TOO_LONG"), refused.getMessage());
    }
}
