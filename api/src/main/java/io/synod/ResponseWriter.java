package io.synod;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Where a {@link StateMachine} writes the response to a command. Reused for every command: write into {@link
 * #buffer()} from offset 0 and then set {@link #length(int)}, or call {@link #put(DirectBuffer, int, int)}.
 */
public final class ResponseWriter
{
    private final ExpandableArrayBuffer buffer;
    private final int maxLength;
    private int length;

    /**
     * @param maxLength largest response accepted.
     */
    public ResponseWriter(final int maxLength)
    {
        this.maxLength = maxLength;
        this.buffer = new ExpandableArrayBuffer(Math.min(maxLength, 4096));
    }

    /**
     * @return the buffer to write the response into, from offset 0. It grows as written.
     */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Set how many bytes of {@link #buffer()} are the response.
     *
     * @param length from 0 to {@link #maxLength()}.
     * @return this.
     */
    public ResponseWriter length(final int length)
    {
        if (length < 0 || length > maxLength)
        {
            throw new IllegalArgumentException("response length " + length + " outside [0, " + maxLength + "]");
        }
        this.length = length;
        return this;
    }

    /**
     * Copy the response in.
     *
     * @param source bytes to copy.
     * @param offset of the bytes in source.
     * @param length of the bytes.
     * @return this.
     */
    public ResponseWriter put(final DirectBuffer source, final int offset, final int length)
    {
        if (length < 0 || length > maxLength)
        {
            throw new IllegalArgumentException("response length " + length + " outside [0, " + maxLength + "]");
        }
        buffer.putBytes(0, source, offset, length);
        this.length = length;
        return this;
    }

    /**
     * @return bytes of the response written so far.
     */
    public int length()
    {
        return length;
    }

    /**
     * @return the largest response accepted.
     */
    public int maxLength()
    {
        return maxLength;
    }

    /**
     * Empty the response before the next command. Called by the engine.
     */
    public void reset()
    {
        length = 0;
    }
}
