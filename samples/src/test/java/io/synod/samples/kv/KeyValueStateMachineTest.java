package io.synod.samples.kv;

import io.synod.ResponseWriter;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static io.synod.samples.kv.KeyValueCommands.CAS_FAILED;
import static io.synod.samples.kv.KeyValueCommands.KEY_TOO_LONG;
import static io.synod.samples.kv.KeyValueCommands.MALFORMED;
import static io.synod.samples.kv.KeyValueCommands.NOT_FOUND;
import static io.synod.samples.kv.KeyValueCommands.NO_VALUE;
import static io.synod.samples.kv.KeyValueCommands.OK;
import static io.synod.samples.kv.KeyValueCommands.VALUE_TOO_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The key-value state machine on its own: each command's response and the state it leaves.
 */
class KeyValueStateMachineTest
{
    private static final int MAX_KEY = 16;
    private static final int MAX_VALUE = 32;

    private final KeyValueStateMachine store = new KeyValueStateMachine(MAX_KEY, MAX_VALUE);
    private final ResponseWriter response = new ResponseWriter(1024);
    private final ExpandableArrayBuffer command = new ExpandableArrayBuffer(256);
    private final KeyValueCommands.CommandEncoder encoder = new KeyValueCommands.CommandEncoder();
    private final KeyValueCommands.ResponseDecoder decoder = new KeyValueCommands.ResponseDecoder();
    private long slot;

    @Test
    void putThenGetAnswersTheValue()
    {
        assertEquals(OK, put("k", "v1").status());
        final KeyValueCommands.ResponseDecoder answer = get("k");
        assertEquals(OK, answer.status());
        assertEquals("v1", answer.valueAsString());
        assertEquals(1, store.size());
    }

    @Test
    void getOfAMissingKeyIsNotFoundWithoutValue()
    {
        final KeyValueCommands.ResponseDecoder answer = get("missing");
        assertEquals(NOT_FOUND, answer.status());
        assertEquals(NO_VALUE, answer.valueLength());
    }

    @Test
    void putReplacesTheValueOfAnExistingKey()
    {
        put("k", "a much longer first value");
        put("k", "short");
        assertEquals("short", get("k").valueAsString());
        assertEquals(1, store.size());
    }

    @Test
    void deleteRemovesTheKeyAndItsRecordIsReusedByTheNextNewKey()
    {
        put("a", "1");
        put("b", "2");
        assertEquals(OK, delete("a").status());
        assertEquals(NOT_FOUND, get("a").status());
        assertEquals(NOT_FOUND, delete("a").status());

        put("c", "3");
        assertEquals("3", get("c").valueAsString());
        assertEquals("2", get("b").valueAsString());
        assertEquals(2, store.size());
        assertEquals(
            "KeyValueStateMachine{keys=2, records=2, maxKeyLength=16, maxValueLength=32}", store.toString(),
            "the freed record was taken again");
    }

    @Test
    void compareAndSetStoresOnlyOverTheExpectedValue()
    {
        put("k", "old");
        final KeyValueCommands.ResponseDecoder failed = cas("k", "other", "new");
        assertEquals(CAS_FAILED, failed.status());
        assertEquals("old", failed.valueAsString(), "a failed CAS answers the current value");

        assertEquals(OK, cas("k", "old", "new").status());
        assertEquals("new", get("k").valueAsString());
    }

    @Test
    void compareAndSetWithNoExpectedValueCreatesOnlyAnAbsentKey()
    {
        assertEquals(OK, cas("k", null, "first").status());
        final KeyValueCommands.ResponseDecoder failed = cas("k", null, "second");
        assertEquals(CAS_FAILED, failed.status());
        assertEquals("first", failed.valueAsString());
        assertEquals(CAS_FAILED, cas("absent", "x", "y").status());
        assertEquals(NO_VALUE, decoder.valueLength(), "no current value to answer");
    }

    @Test
    void oversizeKeysAndValuesAreRefusedAndChangeNothing()
    {
        assertEquals(KEY_TOO_LONG, put("k".repeat(MAX_KEY + 1), "v").status());
        assertEquals(VALUE_TOO_LONG, put("k", "v".repeat(MAX_VALUE + 1)).status());
        assertEquals(OK, put("k".repeat(MAX_KEY), "v".repeat(MAX_VALUE)).status(), "the limits themselves fit");
        assertEquals(1, store.size());
    }

    @Test
    void commandsThatBreakTheLayoutAreMalformed()
    {
        encoder.wrap(command, 0).put(text("k"), 0, 1, text("v"), 0, 1);
        apply(encoder.length() - 1);
        assertEquals(MALFORMED, decoder.status(), "lengths do not add up");

        command.putByte(0, (byte)99);
        apply(encoder.length());
        assertEquals(MALFORMED, decoder.status(), "unknown op");

        apply(3);
        assertEquals(MALFORMED, decoder.status(), "shorter than the header");
        assertEquals(0, store.size());
    }

    @Test
    void randomCommandsAgreeWithAHashMapModel()
    {
        final long seed = 42;
        final Random random = new Random(seed);
        final Map<String, String> model = new HashMap<>();
        for (int i = 0; i < 20_000; i++)
        {
            final String key = "key" + random.nextInt(200);
            final String value = "v" + random.nextInt(1_000_000);
            final String current = model.get(key);
            final int op = random.nextInt(4);
            if (op == 0)
            {
                assertEquals(OK, put(key, value).status());
                model.put(key, value);
            }
            else if (op == 1)
            {
                assertEquals(current, get(key).valueAsString(),
                    "GET " + key + " at command " + i + " (seed " + seed + ")");
            }
            else if (op == 2)
            {
                assertEquals(current == null ? NOT_FOUND : OK, delete(key).status());
                model.remove(key);
            }
            else
            {
                final String expected = random.nextBoolean() ? current : (random.nextBoolean() ? null : "v0");
                final boolean swaps = expected == null ? current == null : expected.equals(current);
                assertEquals(swaps ? OK : CAS_FAILED, cas(key, expected, value).status(),
                    "CAS at command " + i + " (seed " + seed + ")");
                if (swaps)
                {
                    model.put(key, value);
                }
            }
        }
        assertEquals(model.size(), store.size());
        assertEquals(KeyValueModel.digest(model), store.digest());
    }

    private KeyValueCommands.ResponseDecoder put(final String key, final String value)
    {
        final UnsafeBuffer keyBytes = text(key);
        final UnsafeBuffer valueBytes = text(value);
        encoder.wrap(command, 0).put(keyBytes, 0, keyBytes.capacity(), valueBytes, 0, valueBytes.capacity());
        return apply(encoder.length());
    }

    private KeyValueCommands.ResponseDecoder get(final String key)
    {
        final UnsafeBuffer keyBytes = text(key);
        encoder.wrap(command, 0).get(keyBytes, 0, keyBytes.capacity());
        return apply(encoder.length());
    }

    private KeyValueCommands.ResponseDecoder delete(final String key)
    {
        final UnsafeBuffer keyBytes = text(key);
        encoder.wrap(command, 0).delete(keyBytes, 0, keyBytes.capacity());
        return apply(encoder.length());
    }

    private KeyValueCommands.ResponseDecoder cas(final String key, final String expected, final String value)
    {
        final UnsafeBuffer keyBytes = text(key);
        final UnsafeBuffer expectedBytes = text(expected == null ? "" : expected);
        final UnsafeBuffer valueBytes = text(value);
        encoder.wrap(command, 0).compareAndSet(
            keyBytes, 0, keyBytes.capacity(),
            expectedBytes, 0, expected == null ? NO_VALUE : expectedBytes.capacity(),
            valueBytes, 0, valueBytes.capacity());
        return apply(encoder.length());
    }

    private KeyValueCommands.ResponseDecoder apply(final int length)
    {
        response.reset();
        store.apply(slot++, 0, command, 0, length, response);
        return decoder.wrap(response.buffer(), 0);
    }

    private static UnsafeBuffer text(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }
}
