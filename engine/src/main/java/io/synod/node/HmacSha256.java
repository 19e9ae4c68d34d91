package io.synod.node;

import org.agrona.DirectBuffer;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA256 (RFC 2104) over two reused {@link MessageDigest}s, allocation free: the JDK's {@code javax.crypto.Mac}
 * gives the same bytes (a test checks) but allocates its inner digest on every {@code doFinal} (measured in
 * {@code PeerMacBenchmark}). SHA-256 runs on the CPU's SHA extensions where the JVM has them. One instance per
 * direction and thread.
 */
final class HmacSha256
{
    static final int LENGTH = 32;
    private static final int BLOCK = 64;
    private static final int CHUNK = 1024;

    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] innerHash = new byte[LENGTH];
    // Bytes of a buffer not backed by an array (Aeron's mapped terms) pass through here: MessageDigest takes arrays.
    private final byte[] chunk = new byte[CHUNK];

    HmacSha256(final byte[] key)
    {
        try
        {
            inner = MessageDigest.getInstance("SHA-256");
            outer = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
        }
        final byte[] k = key.length > BLOCK ? inner.digest(key) : key;
        for (int i = 0; i < BLOCK; i++)
        {
            final byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte)(b ^ 0x36);
            outerPad[i] = (byte)(b ^ 0x5c);
        }
        inner.reset();
        inner.update(innerPad);
    }

    /**
     * Add bytes to the message being authenticated.
     */
    void update(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            inner.update(array, buffer.wrapAdjustment() + offset, length);
            return;
        }
        for (int done = 0; done < length; )
        {
            final int n = Math.min(CHUNK, length - done);
            buffer.getBytes(offset + done, chunk, 0, n);
            inner.update(chunk, 0, n);
            done += n;
        }
    }

    /**
     * Finish the MAC of what was added and start the next one.
     *
     * @param out    receives the 32-byte MAC at outOffset.
     */
    void doFinal(final byte[] out, final int outOffset)
    {
        try
        {
            inner.digest(innerHash, 0, LENGTH);
            outer.update(outerPad);
            outer.update(innerHash);
            outer.digest(out, outOffset, LENGTH);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException(ex);
        }
        inner.update(innerPad);
    }
}
