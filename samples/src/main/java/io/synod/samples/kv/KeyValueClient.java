package io.synod.samples.kv;

import io.synod.samples.cluster.CommandSender;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * The client side of the key-value store: encodes each call as a command, sends it through a {@link CommandSender}
 * (a Synod client session through {@link io.synod.samples.cluster.ClientCommandSender}), and decodes the response.
 * <p>
 * The buffer methods allocate nothing and answer a {@link KeyValueCommands.ResponseDecoder} over the response, valid
 * until the next call. The String methods are conveniences for tests and demos: they encode UTF-8 and allocate.
 * Not thread safe: one client per thread, like the session under it.
 */
public final class KeyValueClient
{
    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);

    private final CommandSender sender;
    private final ExpandableArrayBuffer commandBuffer = new ExpandableArrayBuffer(256);
    private final KeyValueCommands.CommandEncoder encoder = new KeyValueCommands.CommandEncoder();
    private final KeyValueCommands.ResponseDecoder decoder = new KeyValueCommands.ResponseDecoder();
    private final UnsafeBuffer keyText = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer valueText = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer expectedText = new UnsafeBuffer(0, 0);

    /**
     * @param sender where commands go.
     */
    public KeyValueClient(final CommandSender sender)
    {
        this.sender = sender;
    }

    /**
     * Store a value under a key, replacing any value.
     *
     * @param key         bytes of the key.
     * @param keyOffset   of the key.
     * @param keyLength   of the key.
     * @param value       bytes of the value.
     * @param valueOffset of the value.
     * @param valueLength of the value.
     * @return the response: OK, KEY_TOO_LONG or VALUE_TOO_LONG.
     */
    public KeyValueCommands.ResponseDecoder put(
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength)
    {
        encoder.wrap(commandBuffer, 0).put(key, keyOffset, keyLength, value, valueOffset, valueLength);
        return send();
    }

    /**
     * Read a value. The read goes through the log like any command, so it sees every write chosen before it.
     *
     * @param key       bytes of the key.
     * @param keyOffset of the key.
     * @param keyLength of the key.
     * @return the response: OK with the value, NOT_FOUND, or KEY_TOO_LONG.
     */
    public KeyValueCommands.ResponseDecoder get(final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        encoder.wrap(commandBuffer, 0).get(key, keyOffset, keyLength);
        return send();
    }

    /**
     * Remove a key.
     *
     * @param key       bytes of the key.
     * @param keyOffset of the key.
     * @param keyLength of the key.
     * @return the response: OK, NOT_FOUND, or KEY_TOO_LONG.
     */
    public KeyValueCommands.ResponseDecoder delete(final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        encoder.wrap(commandBuffer, 0).delete(key, keyOffset, keyLength);
        return send();
    }

    /**
     * Store a value if the key holds the expected one.
     *
     * @param key            bytes of the key.
     * @param keyOffset      of the key.
     * @param keyLength      of the key.
     * @param expected       bytes of the expected value.
     * @param expectedOffset of the expected value.
     * @param expectedLength of the expected value, or {@link KeyValueCommands#NO_VALUE}: the key must be absent.
     * @param value          bytes of the new value.
     * @param valueOffset    of the new value.
     * @param valueLength    of the new value.
     * @return the response: OK, CAS_FAILED with the current value, KEY_TOO_LONG or VALUE_TOO_LONG.
     */
    public KeyValueCommands.ResponseDecoder compareAndSet(
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final DirectBuffer expected,
        final int expectedOffset,
        final int expectedLength,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength)
    {
        encoder.wrap(commandBuffer, 0).compareAndSet(
            key, keyOffset, keyLength, expected, expectedOffset, expectedLength, value, valueOffset, valueLength);
        return send();
    }

    /**
     * @param key   text of the key.
     * @param value text of the value.
     * @return the status: OK, KEY_TOO_LONG or VALUE_TOO_LONG.
     */
    public byte put(final String key, final String value)
    {
        text(keyText, key);
        text(valueText, value);
        return put(keyText, 0, keyText.capacity(), valueText, 0, valueText.capacity()).status();
    }

    /**
     * @param key text of the key.
     * @return the value, or null if the key is not stored.
     * @throws IllegalStateException if the store refuses the key.
     */
    public String get(final String key)
    {
        text(keyText, key);
        final KeyValueCommands.ResponseDecoder response = get(keyText, 0, keyText.capacity());
        final byte status = response.status();
        if (status != KeyValueCommands.OK && status != KeyValueCommands.NOT_FOUND)
        {
            throw new IllegalStateException("GET " + key + ": " + KeyValueCommands.statusName(status));
        }
        return response.valueAsString();
    }

    /**
     * @param key text of the key.
     * @return true if the key was stored and is now removed.
     */
    public boolean delete(final String key)
    {
        text(keyText, key);
        return delete(keyText, 0, keyText.capacity()).status() == KeyValueCommands.OK;
    }

    /**
     * @param key      text of the key.
     * @param expected the value expected, or null: the key must be absent.
     * @param value    the new value.
     * @return true if the value was stored.
     */
    public boolean compareAndSet(final String key, final String expected, final String value)
    {
        text(keyText, key);
        text(valueText, value);
        final int expectedLength;
        if (expected == null)
        {
            expectedText.wrap(EMPTY);
            expectedLength = KeyValueCommands.NO_VALUE;
        }
        else
        {
            text(expectedText, expected);
            expectedLength = expectedText.capacity();
        }
        return compareAndSet(
            keyText, 0, keyText.capacity(),
            expectedText, 0, expectedLength,
            valueText, 0, valueText.capacity()).status() == KeyValueCommands.OK;
    }

    private KeyValueCommands.ResponseDecoder send()
    {
        final DirectBuffer response = sender.send(commandBuffer, 0, encoder.length());
        return decoder.wrap(response, 0);
    }

    private static void text(final UnsafeBuffer buffer, final String text)
    {
        buffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
