package io.synod.samples.kv;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The reference the tests hold the store to: a HashMap of Strings, and its digest computed as the store's is.
 */
final class KeyValueModel
{
    private KeyValueModel()
    {
    }

    static long digest(final Map<String, String> model)
    {
        long digest = model.size();
        for (final Map.Entry<String, String> entry : model.entrySet())
        {
            final byte[] key = entry.getKey().getBytes(StandardCharsets.UTF_8);
            final byte[] value = entry.getValue().getBytes(StandardCharsets.UTF_8);
            final UnsafeBuffer bytes = new UnsafeBuffer(new byte[key.length + value.length]);
            bytes.putBytes(0, key);
            bytes.putBytes(key.length, value);
            digest += KeyValueStateMachine.entryDigest(bytes, 0, key.length, key.length, value.length);
        }
        return digest;
    }
}
