package io.synod.node;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shared-secret tokens: a client's credentials are its token (bytes), and the principal is the name the operator gave
 * that token. Compared in constant time. Configured as {@code principal=token,principal=token}
 * ({@code synod.auth.tokens}); a token shorter than 16 bytes is refused at startup, as it could be guessed.
 * <p>
 * The token travels in clear text in the Connect: it authenticates against off-path senders, not against one who can
 * read the client's traffic (see docs/security.md).
 */
public final class TokenAuthenticator implements Authenticator
{
    /** Shortest token accepted. */
    public static final int MIN_TOKEN_LENGTH = 16;

    private final String[] principals;
    private final byte[][] tokens;
    private final byte[] scratch = new byte[1024];

    /**
     * @param tokensByPrincipal token of each principal.
     */
    public TokenAuthenticator(final Map<String, String> tokensByPrincipal)
    {
        principals = new String[tokensByPrincipal.size()];
        tokens = new byte[principals.length][];
        int i = 0;
        for (final Map.Entry<String, String> entry : tokensByPrincipal.entrySet())
        {
            if (entry.getKey().isEmpty())
            {
                throw new IllegalArgumentException("a token's principal must not be empty");
            }
            final byte[] token = entry.getValue().getBytes(StandardCharsets.UTF_8);
            if (token.length < MIN_TOKEN_LENGTH || token.length > 1024)
            {
                throw new IllegalArgumentException("token of principal " + entry.getKey() + " must be " +
                    MIN_TOKEN_LENGTH + " to 1024 bytes, is " + token.length);
            }
            principals[i] = entry.getKey();
            tokens[i] = token;
            i++;
        }
    }

    /**
     * @param spec {@code principal=token,principal=token}.
     * @return the authenticator.
     */
    public static TokenAuthenticator parse(final String spec)
    {
        final Map<String, String> tokens = new LinkedHashMap<>();
        for (final String item : spec.split(","))
        {
            final int equals = item.indexOf('=');
            if (equals <= 0)
            {
                throw new IllegalArgumentException("auth tokens must read principal=token,...; got an item without " +
                    "'=' or without a principal");
            }
            tokens.put(item.substring(0, equals).trim(), item.substring(equals + 1).trim());
        }
        return new TokenAuthenticator(tokens);
    }

    /**
     * @param clientId          the client.
     * @param credentials       its token.
     * @param credentialsLength bytes of it.
     * @return the principal whose token it is, or null.
     */
    public String authenticate(final long clientId, final DirectBuffer credentials, final int credentialsLength)
    {
        if (credentialsLength <= 0 || credentialsLength > scratch.length)
        {
            return null;
        }
        final byte[] given = new byte[credentialsLength]; // once per Connect
        credentials.getBytes(0, given, 0, credentialsLength);
        String found = null;
        for (int i = 0; i < tokens.length; i++)
        {
            if (MessageDigest.isEqual(tokens[i], given)) // constant time for equal lengths
            {
                found = principals[i];
            }
        }
        return found;
    }
}
