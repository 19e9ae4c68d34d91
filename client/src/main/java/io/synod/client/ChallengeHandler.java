package io.synod.client;

/**
 * Answers a node's authentication challenge: a node whose {@code Authenticator} challenges a Connect sends a
 * challenge (e.g. a nonce), and the client sends back what this returns, on the same connection. Called on the
 * client's thread (the caller's, or its own with {@link ClientContext#useOwnThread(boolean)}) once per challenge,
 * i.e. once per member the client connects to; it must not block.
 */
@FunctionalInterface
public interface ChallengeHandler
{
    /**
     * @param memberId  the member that sent the challenge.
     * @param challenge the challenge's bytes, a copy the handler may keep.
     * @return the credentials to answer with (e.g. a MAC of the challenge under a shared secret); null not to answer,
     * in which case the member refuses the client when its challenge timeout passes.
     */
    byte[] onChallenge(int memberId, byte[] challenge);
}
