package io.synod.node;

import org.agrona.DirectBuffer;

/**
 * Decides on the node's agent thread whether a client's Connect is accepted, and under which principal, as Aeron
 * Cluster's {@code Authenticator} does. Called once per Connect with the credentials the client set in its
 * {@code ClientContext}; it must not block. A refused client is not registered: nothing it sends afterwards reaches
 * the core.
 * <p>
 * The principal names the owner for caps ({@code maxSessionsPerPrincipal}) and is kept in each session the client
 * opens: a request for that session is then taken only from a client authenticated as the same principal, and only
 * with the session's key. Not yet here: Aeron's challenge round (a challenge sent back, a response awaited).
 */
@FunctionalInterface
public interface Authenticator
{
    /** Principal of a client when no authenticator is configured, or when the authenticator names none. */
    String ANONYMOUS = "";

    /**
     * @param clientId          the client's connection (the Aeron session id of its ingress publication).
     * @param credentials       the Connect's credentials, from offset 0; empty if the client sent none.
     * @param credentialsLength bytes of credentials.
     * @return the principal (non-empty) or {@link #ANONYMOUS} if accepted; null if refused.
     */
    String authenticate(long clientId, DirectBuffer credentials, int credentialsLength);

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
