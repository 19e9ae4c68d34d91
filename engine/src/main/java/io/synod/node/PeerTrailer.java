package io.synod.node;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The 24 bytes that follow every peer message on the wire, outside the SBE schema: the sender's member list hash
 * (int64, little-endian) and a MAC, HMAC-SHA256 keyed with the cluster key over the message and the hash, truncated
 * to 16 bytes (RFC 2104 allows truncation to half the hash; 128 bits cannot be guessed). With peer authentication
 * off the MAC is zeros and nobody checks it. The runtime adds the trailer to what the core sends and removes it from
 * what the core receives, after checking it: the core never sees a trailer, nor a message that failed its check.
 * One instance per direction: it owns the HMAC state.
 */
final class PeerTrailer
{
    static final int HASH_OFFSET = 0;
    static final int MAC_OFFSET = HASH_OFFSET + Long.BYTES;
    static final int MAC_LENGTH = 16;
    static final int LENGTH = MAC_OFFSET + MAC_LENGTH;

    private final HmacSha256 hmac;
    private final long memberListHash;
    private final byte[] mac = new byte[HmacSha256.LENGTH];
    private final byte[] received = new byte[HmacSha256.LENGTH];

    /**
     * @param clusterKey     the cluster key, or null if peer authentication is off.
     * @param memberListHash this node's member list hash.
     */
    PeerTrailer(final byte[] clusterKey, final long memberListHash)
    {
        this.hmac = clusterKey != null ? new HmacSha256(clusterKey) : null;
        this.memberListHash = memberListHash;
    }

    /** @return whether MACs are made and checked. */
    boolean authenticates()
    {
        return hmac != null;
    }

    /** @return this node's member list hash. */
    long memberListHash()
    {
        return memberListHash;
    }

    /**
     * Write the trailer of a message this node sends.
     *
     * @param trailer receives {@link #LENGTH} bytes at 0.
     */
    void seal(final DirectBuffer message, final int offset, final int length, final MutableDirectBuffer trailer)
    {
        trailer.putLong(HASH_OFFSET, memberListHash, ByteOrder.LITTLE_ENDIAN);
        if (hmac == null)
        {
            trailer.setMemory(MAC_OFFSET, MAC_LENGTH, (byte)0);
            return;
        }
        hmac.update(message, offset, length);
        hmac.update(trailer, HASH_OFFSET, Long.BYTES);
        hmac.doFinal(mac, 0);
        trailer.putBytes(MAC_OFFSET, mac, 0, MAC_LENGTH);
    }

    /**
     * Check the MAC of a received message (true when authentication is off).
     *
     * @param length of the message and its trailer.
     * @return whether the trailer's MAC is the cluster key's over the message and the hash.
     */
    boolean verify(final DirectBuffer buffer, final int offset, final int length)
    {
        if (hmac == null)
        {
            return true;
        }
        final int trailerOffset = offset + length - LENGTH;
        hmac.update(buffer, offset, length - LENGTH + Long.BYTES); // the message and the hash
        hmac.doFinal(mac, 0);
        buffer.getBytes(trailerOffset + MAC_OFFSET, received, 0, MAC_LENGTH);
        // Constant time, so the time taken tells a forger nothing about how many leading bytes were right.
        int difference = 0;
        for (int i = 0; i < MAC_LENGTH; i++)
        {
            difference |= mac[i] ^ received[i];
        }
        return difference == 0;
    }

    /**
     * @param length of the message and its trailer.
     * @return the sender's member list hash.
     */
    static long memberListHash(final DirectBuffer buffer, final int offset, final int length)
    {
        return buffer.getLong(offset + length - LENGTH + HASH_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }
}
