package io.synod.client;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * The client's half of {@code io.synod.node.HmacChallengeAuthenticator}: the Connect names the principal, and each
 * challenge (a nonce) is answered with HMAC-SHA256 under the principal's secret over the nonce followed by the name.
 * The secret never leaves the client. Use it as both halves of the client's credentials:
 * <pre>{@code
 * HmacChallengeResponder responder = new HmacChallengeResponder("alice", secret);
 * ClientContext ctx = new ClientContext().credentials(responder.credentials()).challengeHandler(responder);
 * }</pre>
 */
public final class HmacChallengeResponder implements ChallengeHandler
{
    private final byte[] name;
    private final Mac mac;

    /**
     * @param principal the name the node knows the secret by.
     * @param secret    the principal's secret, the same bytes the node was given.
     */
    public HmacChallengeResponder(final String principal, final byte[] secret)
    {
        this.name = principal.getBytes(StandardCharsets.UTF_8);
        try
        {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.clone(), "HmacSHA256"));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 unavailable", ex);
        }
    }

    /**
     * @return the Connect's credentials: the principal's name (UTF-8).
     */
    public byte[] credentials()
    {
        return name.clone();
    }

    /**
     * @return HMAC-SHA256(secret, challenge || name).
     */
    public byte[] onChallenge(final int memberId, final byte[] challenge)
    {
        mac.update(challenge);
        mac.update(name);
        return mac.doFinal();
    }
}
