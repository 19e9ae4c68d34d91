package io.synod.node;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Decides on the node's agent thread whether a client's Connect is accepted, and under which principal, as Aeron
 * Cluster's {@code Authenticator} does. Every method runs on the node's duty cycle and must not block.
 * <p>
 * <b>One call</b> (the usual case, and all a lambda implements): {@link #authenticate} is called once per Connect with
 * the credentials the client set in its {@code ClientContext} and returns the principal, or null to refuse. A refused
 * client is not registered: nothing it sends afterwards reaches the core.
 * <p>
 * <b>With a challenge round</b> (optional): {@link #challenge} is asked first. If it writes a challenge (e.g. a fresh
 * nonce) the node registers the connection as challenged, sends the challenge to the client, takes nothing from it but
 * its answer, and calls {@link #onChallengeResponse} with the credentials the client's {@code ChallengeHandler}
 * computed; that call accepts (a principal) or refuses (null). A challenge unanswered within the node's
 * {@code challengeTimeoutNs} is refused, and {@link #onChallengeEnded} lets the authenticator forget it. Once a
 * connection is accepted after a challenge, the client's periodic Connect refreshes on it are not challenged again.
 * Pending challenges count against {@code maxPendingConnects}.
 * <p>
 * The principal names the owner for caps ({@code maxSessionsPerPrincipal}) and is kept in each session the client
 * opens: a request for that session is then taken only from a client authenticated as the same principal, and only
 * with the session's key.
 */
@FunctionalInterface
public interface Authenticator
{
    /** Principal of a client when no authenticator is configured, or when the authenticator names none. */
    String ANONYMOUS = "";

    /** Most bytes of a challenge: the capacity of the buffer {@link #challenge} writes into. */
    int MAX_CHALLENGE_LENGTH = 1024;

    /**
     * @param clientId          the client's connection (the Aeron session id of its ingress publication).
     * @param credentials       the Connect's credentials, from offset 0; empty if the client sent none.
     * @param credentialsLength bytes of credentials.
     * @return the principal (non-empty) or {@link #ANONYMOUS} if accepted; null if refused.
     */
    String authenticate(long clientId, DirectBuffer credentials, int credentialsLength);

    /**
     * Asked first on each Connect that does not refresh a connection already challenged: challenge the client
     * instead of deciding now. The default challenges no one, so {@link #authenticate} decides.
     *
     * @param clientId          the client's connection.
     * @param credentials       the Connect's credentials, from offset 0 (e.g. the name the client claims).
     * @param credentialsLength bytes of credentials.
     * @param challenge         where to write the challenge, from offset 0, at most {@link #MAX_CHALLENGE_LENGTH}
     *                          bytes; reused by the node, so copy what must be remembered.
     * @return bytes of challenge written: above 0 to challenge (then {@link #authenticate} is not called); 0 to
     * decide with {@link #authenticate}; below 0 to refuse at once.
     */
    default int challenge(
        final long clientId,
        final DirectBuffer credentials,
        final int credentialsLength,
        final MutableDirectBuffer challenge)
    {
        return 0;
    }

    /**
     * The client's answer to the challenge its connection was sent: the round ends here, whatever is returned.
     *
     * @param clientId       the connection that was challenged (the answer came on it and echoed the challenge's id).
     * @param response       the answer's credentials, from offset 0.
     * @param responseLength bytes of the answer.
     * @return the principal (or {@link #ANONYMOUS}) if accepted; null if refused.
     */
    default String onChallengeResponse(final long clientId, final DirectBuffer response, final int responseLength)
    {
        return null;
    }

    /**
     * A challenge ended without an answer: it timed out, the connection went away or named another response
     * channel, or the node could not register it. Forget what was kept for it.
     *
     * @param clientId the connection that was challenged.
     */
    default void onChallengeEnded(final long clientId)
    {
    }

    /**
     * The default: every client accepted, anonymous. Sessions stay protected by their keys; per-principal caps do not
     * apply (per-client caps do).
     *
     * @return an authenticator that accepts all.
     */
    static Authenticator acceptAll()
    {
        return (clientId, credentials, credentialsLength) -> ANONYMOUS;
    }
}
