package io.synod.node;

import io.synod.client.HmacChallengeResponder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The HMAC challenge-response pair without a network: the node's {@link HmacChallengeAuthenticator} (its own
 * allocation-free HMAC) and the client's {@code HmacChallengeResponder} (the JDK's) agree; anything else is refused.
 */
class HmacChallengeAuthenticatorTest
{
    private static final byte[] SECRET = "0123456789abcdef0123".getBytes(StandardCharsets.UTF_8);

    private final HmacChallengeAuthenticator authenticator =
        new HmacChallengeAuthenticator(Map.of("alice", SECRET, "bob", "bob-secret-0123456789".getBytes()));
    private final UnsafeBuffer challenge = new UnsafeBuffer(new byte[Authenticator.MAX_CHALLENGE_LENGTH]);

    @Test
    void theRightAnswerNamesThePrincipal()
    {
        final byte[] nonce = challenge(1, "alice");
        final byte[] answer = new HmacChallengeResponder("alice", SECRET).onChallenge(0, nonce);
        assertEquals("alice", authenticator.onChallengeResponse(1, new UnsafeBuffer(answer), answer.length));
        assertEquals(0, authenticator.pendingChallenges(), "the round is over");
    }

    @Test
    void eachChallengeIsAFreshNonce()
    {
        final byte[] first = challenge(1, "alice");
        final byte[] second = challenge(2, "alice");
        assertEquals(HmacChallengeAuthenticator.NONCE_LENGTH, first.length);
        assertEquals(false, java.util.Arrays.equals(first, second));
    }

    @Test
    void wrongSecretAnotherPrincipalsAnswerAndUnknownNamesAreRefused()
    {
        final byte[] nonce = challenge(1, "alice");
        final byte[] wrong = new HmacChallengeResponder("alice", "another-secret-0123456".getBytes())
            .onChallenge(0, nonce);
        assertNull(authenticator.onChallengeResponse(1, new UnsafeBuffer(wrong), wrong.length));

        // bob's valid MAC of alice's nonce is not alice's answer: the name is inside the MAC.
        final byte[] nonce2 = challenge(2, "alice");
        final byte[] bobs = new HmacChallengeResponder("bob", "bob-secret-0123456789".getBytes())
            .onChallenge(0, nonce2);
        assertNull(authenticator.onChallengeResponse(2, new UnsafeBuffer(bobs), bobs.length));

        final byte[] mallory = "mallory".getBytes(StandardCharsets.UTF_8);
        assertEquals(-1, authenticator.challenge(3, new UnsafeBuffer(mallory), mallory.length, challenge));
        assertNull(authenticator.authenticate(3, new UnsafeBuffer(mallory), mallory.length), "no challenge, no entry");
    }

    @Test
    void anEndedRoundIsForgotten()
    {
        final byte[] nonce = challenge(1, "alice");
        authenticator.onChallengeEnded(1);
        assertEquals(0, authenticator.pendingChallenges());
        final byte[] answer = new HmacChallengeResponder("alice", SECRET).onChallenge(0, nonce);
        assertNull(authenticator.onChallengeResponse(1, new UnsafeBuffer(answer), answer.length));
    }

    @Test
    void shortSecretsAndBadSpecsAreRefusedAtStartup()
    {
        assertThrows(IllegalArgumentException.class, () -> HmacChallengeAuthenticator.parse("alice=00ff"));
        assertThrows(IllegalArgumentException.class, () -> HmacChallengeAuthenticator.parse("alice"));
        assertThrows(IllegalArgumentException.class, () -> HmacChallengeAuthenticator.parse("alice=zz"));
        assertEquals(0, HmacChallengeAuthenticator.parse("alice=000102030405060708090a0b0c0d0e0f").pendingChallenges());
    }

    private byte[] challenge(final long clientId, final String name)
    {
        final byte[] credentials = name.getBytes(StandardCharsets.UTF_8);
        final int length = authenticator.challenge(clientId, new UnsafeBuffer(credentials), credentials.length,
            challenge);
        final byte[] nonce = new byte[length];
        challenge.getBytes(0, nonce);
        return nonce;
    }
}
