package io.synod.node;

import io.synod.ClusterMember;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The member list as every peer message vouches for it: a canonical text (members sorted by id, so the order they
 * were configured in does not matter) and its hash, the first 8 bytes of SHA-256 read little-endian.
 */
final class MemberListHash
{
    private MemberListHash()
    {
    }

    /**
     * @param members as configured, any order.
     * @return {@code id=host:peerPort:ingressPort} sorted by id, joined by commas.
     */
    static String canonical(final ClusterMember[] members)
    {
        final ClusterMember[] sorted = members.clone();
        Arrays.sort(sorted, Comparator.comparingInt(ClusterMember::id));
        final StringBuilder text = new StringBuilder();
        for (final ClusterMember member : sorted)
        {
            text.append(text.length() == 0 ? "" : ",").append(member);
        }
        return text.toString();
    }

    /**
     * @param canonical the text of {@link #canonical(ClusterMember[])}.
     * @return its hash.
     */
    static long hash(final String canonical)
    {
        try
        {
            final byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(canonical.getBytes(StandardCharsets.US_ASCII));
            long hash = 0;
            for (int i = 7; i >= 0; i--)
            {
                hash = (hash << 8) | (digest[i] & 0xFF);
            }
            return hash;
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
        }
    }
}
