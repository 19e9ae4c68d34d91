package io.synod.node;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Challenge-response authentication with a secret shared per principal: the secret never crosses the network, and a
 * captured answer is worthless for the next Connect (unlike a {@link TokenAuthenticator} token).
 * <ol>
 *     <li>The client's Connect carries its principal's name (UTF-8) as credentials.</li>
 *     <li>The node challenges it with a fresh 32-byte nonce from {@link SecureRandom}; an unknown name is refused at
 *     once.</li>
 *     <li>The client answers with HMAC-SHA256 under the principal's secret over the nonce followed by the name
 *     ({@code io.synod.client.HmacChallengeResponder} computes it).</li>
 *     <li>The node accepts the name as the principal if the MAC verifies (compared in constant time).</li>
 * </ol>
 * Configured as {@code principal=hexSecret,...} ({@code synod.auth.challenge.secrets}); a secret shorter than 16
 * bytes is refused at startup. The node's MAC is {@link HmacSha256}, which allocates nothing; a Connect allocates the
 * pending nonce's record. What it does not protect: an on-path attacker who can change traffic can let the client
 * answer and then use the accepted connection (no channel binding; see docs/security.md).
 */
public final class HmacChallengeAuthenticator implements Authenticator
{
    /** Shortest secret accepted. */
    public static final int MIN_SECRET_LENGTH = 16;
    /** Bytes of a challenge's nonce. */
    public static final int NONCE_LENGTH = 32;

    private static final int MAX_NAME_LENGTH = 256;

    private final Map<String, HmacSha256> macs = new HashMap<>();
    private final Long2ObjectHashMap<Pending> pending = new Long2ObjectHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final byte[] name = new byte[MAX_NAME_LENGTH];
    private final byte[] expected = new byte[HmacSha256.LENGTH];
    private final byte[] given = new byte[HmacSha256.LENGTH];
    private final UnsafeBuffer nonceView = new UnsafeBuffer(0, 0);

    /**
     * @param secretsByPrincipal secret of each principal, at least {@link #MIN_SECRET_LENGTH} bytes.
     */
    public HmacChallengeAuthenticator(final Map<String, byte[]> secretsByPrincipal)
    {
        for (final Map.Entry<String, byte[]> entry : secretsByPrincipal.entrySet())
        {
            final String principal = entry.getKey();
            if (principal.isEmpty() || principal.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_LENGTH)
            {
                throw new IllegalArgumentException("a principal must have 1 to " + MAX_NAME_LENGTH + " bytes: '" +
                    principal + "'");
            }
            if (entry.getValue().length < MIN_SECRET_LENGTH)
            {
                throw new IllegalArgumentException("secret of principal " + principal + " must have at least " +
                    MIN_SECRET_LENGTH + " bytes, has " + entry.getValue().length);
            }
            macs.put(principal, new HmacSha256(entry.getValue()));
        }
    }

    /**
     * @param spec {@code principal=hexSecret,principal=hexSecret} (e.g. {@code openssl rand -hex 32} per principal).
     * @return the authenticator.
     */
    public static HmacChallengeAuthenticator parse(final String spec)
    {
        final Map<String, byte[]> secrets = new LinkedHashMap<>();
        for (final String item : spec.split(","))
        {
            final int equals = item.indexOf('=');
            if (equals <= 0)
            {
                throw new IllegalArgumentException("challenge secrets must read principal=hexSecret,...; got an item " +
                    "without '=' or without a principal");
            }
            final String principal = item.substring(0, equals).trim();
            final String hex = item.substring(equals + 1).trim();
            if (hex.length() % 2 != 0 || !hex.matches("[0-9a-fA-F]*"))
            {
                throw new IllegalArgumentException("secret of principal " + principal + " must be hex digits");
            }
            final byte[] secret = new byte[hex.length() / 2];
            for (int i = 0; i < secret.length; i++)
            {
                secret[i] = (byte)Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
            }
            secrets.put(principal, secret);
        }
        return new HmacChallengeAuthenticator(secrets);
    }

    /**
     * Without a challenge no one is accepted: this authenticator decides only on answers.
     */
    public String authenticate(final long clientId, final DirectBuffer credentials, final int credentialsLength)
    {
        return null;
    }

    /**
     * Challenge a known principal with a fresh nonce; refuse an unknown one at once.
     */
    public int challenge(
        final long clientId,
        final DirectBuffer credentials,
        final int credentialsLength,
        final MutableDirectBuffer challenge)
    {
        if (credentialsLength <= 0 || credentialsLength > MAX_NAME_LENGTH)
        {
            return -1;
        }
        credentials.getBytes(0, name, 0, credentialsLength);
        final String principal = new String(name, 0, credentialsLength, StandardCharsets.UTF_8); // once per Connect
        final HmacSha256 mac = macs.get(principal);
        if (null == mac)
        {
            return -1;
        }
        final Pending round = new Pending(principal, mac);
        random.nextBytes(round.nonce);
        pending.put(clientId, round); // replaces an earlier round of the same connection, if any
        challenge.putBytes(0, round.nonce);
        return NONCE_LENGTH;
    }

    /**
     * Accept the principal named in the Connect if the answer is its MAC over the nonce and the name.
     */
    public String onChallengeResponse(final long clientId, final DirectBuffer response, final int responseLength)
    {
        final Pending round = pending.remove(clientId);
        if (null == round || responseLength != HmacSha256.LENGTH)
        {
            return null;
        }
        nonceView.wrap(round.nonce);
        round.mac.update(nonceView, 0, NONCE_LENGTH);
        nonceView.wrap(round.name);
        round.mac.update(nonceView, 0, round.name.length);
        round.mac.doFinal(expected, 0);
        response.getBytes(0, given, 0, HmacSha256.LENGTH);
        return MessageDigest.isEqual(expected, given) ? round.principal : null;
    }

    /**
     * Forget the nonce of a round that ended unanswered.
     */
    public void onChallengeEnded(final long clientId)
    {
        pending.remove(clientId);
    }

    /**
     * @return rounds waiting for an answer (bounded by the node's pending-connect cap).
     */
    public int pendingChallenges()
    {
        return pending.size();
    }

    private static final class Pending
    {
        final String principal;
        final byte[] name;
        final HmacSha256 mac;
        final byte[] nonce = new byte[NONCE_LENGTH];

        Pending(final String principal, final HmacSha256 mac)
        {
            this.principal = principal;
            this.name = principal.getBytes(StandardCharsets.UTF_8);
            this.mac = mac;
        }
    }
}
