package io.synod.samples.kv;

import org.agrona.DirectBuffer;

/**
 * A key as a flyweight over bytes in some buffer, with equality and hash by content: the key type of the store's
 * index. The store keeps one per record slot, over the key bytes in its arena, and one probe that it wraps over each
 * command's key, so a lookup allocates nothing.
 * <p>
 * The hash is computed once at {@link #wrap}: a stored key must not be rewrapped or its bytes changed while it is in
 * the index.
 */
final class KeyBytes
{
    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int hash;

    KeyBytes wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.hash = hash(buffer, offset, length);
        return this;
    }

    static int hash(final DirectBuffer buffer, final int offset, final int length)
    {
        int hash = 0x811C9DC5; // FNV-1a: fixed, so every replica's index has the same shape
        for (int i = 0; i < length; i++)
        {
            hash = (hash ^ (buffer.getByte(offset + i) & 0xFF)) * 0x01000193;
        }
        return hash;
    }

    public int hashCode()
    {
        return hash;
    }

    public boolean equals(final Object other)
    {
        if (!(other instanceof KeyBytes))
        {
            return false;
        }
        final KeyBytes that = (KeyBytes)other;
        return hash == that.hash && length == that.length &&
            sameBytes(buffer, offset, that.buffer, that.offset, length);
    }

    static boolean sameBytes(
        final DirectBuffer left,
        final int leftOffset,
        final DirectBuffer right,
        final int rightOffset,
        final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (left.getByte(leftOffset + i) != right.getByte(rightOffset + i))
            {
                return false;
            }
        }
        return true;
    }

    public String toString()
    {
        return "KeyBytes{length=" + length + ", hash=" + hash + '}';
    }
}
