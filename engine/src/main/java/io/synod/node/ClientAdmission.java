package io.synod.node;

import io.aeron.exceptions.ConfigurationException;
import io.synod.Configuration;

/**
 * The settings that decide which clients a {@link SynodNode} takes and what each may hold: who may connect (the
 * {@link Authenticator}), which response channels a Connect may name, how many clients, pending connects and
 * sessions, and how much of the node's memory and duty cycle one client may use. Part of the node's {@link Context},
 * reached as {@link Context#admission()}; defaults from {@link Configuration}; validated by {@link Context#conclude()}
 * with a {@link ConfigurationException} naming the setting. docs/security.md says why each limit exists.
 */
public final class ClientAdmission
{
    private Authenticator authenticator;
    private long challengeTimeoutNs =
        Configuration.duration(Configuration.CHALLENGE_TIMEOUT_PROP, Configuration.CHALLENGE_TIMEOUT_DEFAULT_NS);
    private int maxClients = Configuration.integer(Configuration.MAX_CLIENTS_PROP, Configuration.MAX_CLIENTS_DEFAULT);
    private int maxPendingConnects =
        Configuration.integer(Configuration.MAX_PENDING_CONNECTS_PROP, Configuration.MAX_PENDING_CONNECTS_DEFAULT);
    private int maxSessionsPerClient = Configuration.integer(
        Configuration.MAX_SESSIONS_PER_CLIENT_PROP, Configuration.MAX_SESSIONS_PER_CLIENT_DEFAULT);
    private int maxSessionsPerPrincipal = Configuration.integer(
        Configuration.MAX_SESSIONS_PER_PRINCIPAL_PROP, Configuration.MAX_SESSIONS_PER_PRINCIPAL_DEFAULT);
    private int maxResponseTermLength = Configuration.size(
        Configuration.MAX_RESPONSE_TERM_LENGTH_PROP, Configuration.MAX_RESPONSE_TERM_LENGTH_DEFAULT);
    private boolean allowIpcResponse =
        Configuration.bool(Configuration.ALLOW_IPC_RESPONSE_PROP, Configuration.ALLOW_IPC_RESPONSE_DEFAULT);
    private boolean allowAnyResponseAddress = Configuration.bool(
        Configuration.ALLOW_ANY_RESPONSE_ADDRESS_PROP, Configuration.ALLOW_ANY_RESPONSE_ADDRESS_DEFAULT);
    private long clientTimeoutNs =
        Configuration.duration(Configuration.CLIENT_TIMEOUT_PROP, Configuration.CLIENT_TIMEOUT_DEFAULT_NS);
    private int egressQueueCapacity =
        Configuration.size(Configuration.EGRESS_QUEUE_CAPACITY_PROP, Configuration.EGRESS_QUEUE_CAPACITY_DEFAULT);
    private int maxEgressQueueBytes =
        Configuration.size(Configuration.MAX_EGRESS_QUEUE_BYTES_PROP, Configuration.MAX_EGRESS_QUEUE_BYTES_DEFAULT);
    private int clientFragmentLimit =
        Configuration.integer(Configuration.CLIENT_FRAGMENT_LIMIT_PROP, Configuration.CLIENT_FRAGMENT_LIMIT_DEFAULT);
    private boolean requireSessionKey =
        Configuration.bool(Configuration.REQUIRE_SESSION_KEY_PROP, Configuration.REQUIRE_SESSION_KEY_DEFAULT);

    /**
     * Validate every setting and fill the authenticator's default; called by {@link Context#conclude()}.
     *
     * @param maxPayloadLength the node's largest command or response payload: one response must fit a client queue.
     */
    void conclude(final int maxPayloadLength)
    {
        requirePositive("clientTimeoutNs", Configuration.CLIENT_TIMEOUT_PROP, clientTimeoutNs);
        requirePositive("maxClients", Configuration.MAX_CLIENTS_PROP, maxClients);
        requirePositive("maxPendingConnects", Configuration.MAX_PENDING_CONNECTS_PROP, maxPendingConnects);
        requirePositive("maxSessionsPerClient", Configuration.MAX_SESSIONS_PER_CLIENT_PROP, maxSessionsPerClient);
        requirePositive(
            "maxSessionsPerPrincipal", Configuration.MAX_SESSIONS_PER_PRINCIPAL_PROP, maxSessionsPerPrincipal);
        requirePositive("maxResponseTermLength", Configuration.MAX_RESPONSE_TERM_LENGTH_PROP, maxResponseTermLength);
        requirePositive("clientFragmentLimit", Configuration.CLIENT_FRAGMENT_LIMIT_PROP, clientFragmentLimit);
        final int minQueue = 2 * (maxPayloadLength + 64);
        if (Integer.bitCount(egressQueueCapacity) != 1 || egressQueueCapacity < minQueue)
        {
            throw new ConfigurationException("egressQueueCapacity " + egressQueueCapacity +
                " must be a power of two of at least " + minQueue);
        }
        if (maxEgressQueueBytes < egressQueueCapacity)
        {
            throw new ConfigurationException("maxEgressQueueBytes (" + Configuration.MAX_EGRESS_QUEUE_BYTES_PROP +
                ") " + maxEgressQueueBytes + " must be at least egressQueueCapacity (" +
                Configuration.EGRESS_QUEUE_CAPACITY_PROP + ") " + egressQueueCapacity + ": one client's full queue");
        }
        if (null == authenticator)
        {
            final String tokens = Configuration.string(Configuration.AUTH_TOKENS_PROP, null);
            final String secrets = Configuration.string(Configuration.CHALLENGE_SECRETS_PROP, null);
            if (null != tokens && null != secrets)
            {
                throw new ConfigurationException("set one authenticator: " + Configuration.AUTH_TOKENS_PROP + " or " +
                    Configuration.CHALLENGE_SECRETS_PROP + ", not both");
            }
            authenticator = null != secrets ? HmacChallengeAuthenticator.parse(secrets) :
                null == tokens ? Authenticator.acceptAll() : TokenAuthenticator.parse(tokens);
        }
        requirePositive("challengeTimeoutNs", Configuration.CHALLENGE_TIMEOUT_PROP, challengeTimeoutNs);
    }

    private static void requirePositive(final String name, final String property, final long value)
    {
        if (value <= 0)
        {
            throw new ConfigurationException(name + " (" + property + ") must be > 0: " + value);
        }
    }

    public String toString()
    {
        return "ClientAdmission{authenticator=" + (null != authenticator ? authenticator.getClass().getSimpleName() :
            "(default)") + ", maxClients=" + maxClients + ", maxPendingConnects=" + maxPendingConnects +
            ", maxSessionsPerClient=" + maxSessionsPerClient + ", maxSessionsPerPrincipal=" + maxSessionsPerPrincipal +
            ", maxResponseTermLength=" + maxResponseTermLength + ", allowIpcResponse=" + allowIpcResponse +
            ", allowAnyResponseAddress=" + allowAnyResponseAddress + ", clientTimeoutNs=" + clientTimeoutNs +
            ", egressQueueCapacity=" + egressQueueCapacity + ", maxEgressQueueBytes=" + maxEgressQueueBytes +
            ", clientFragmentLimit=" + clientFragmentLimit + ", challengeTimeoutNs=" + challengeTimeoutNs +
            ", requireSessionKey=" + requireSessionKey + '}';
    }

    /** @return decides on each Connect; after conclude never null. */
    public Authenticator authenticator()
    {
        return authenticator;
    }

    /**
     * @param authenticator decides on each Connect and names the client's principal; default: a
     *                      {@link TokenAuthenticator} if {@code synod.auth.tokens} is set, a
     *                      {@link HmacChallengeAuthenticator} if {@code synod.auth.challenge.secrets} is, else
     *                      {@link Authenticator#acceptAll()}.
     * @return this.
     */
    public ClientAdmission authenticator(final Authenticator authenticator)
    {
        this.authenticator = authenticator;
        return this;
    }

    /** @return how long a challenged client has to answer before it is refused. */
    public long challengeTimeoutNs()
    {
        return challengeTimeoutNs;
    }

    /**
     * @param challengeTimeoutNs how long a client challenged by the {@link Authenticator} has to answer before it is
     *                           refused, on the node's clock ({@code synod.auth.challenge.timeout.ns}, default 5 s).
     * @return this.
     */
    public ClientAdmission challengeTimeoutNs(final long challengeTimeoutNs)
    {
        this.challengeTimeoutNs = challengeTimeoutNs;
        return this;
    }

    /** @return most registered clients (egress publications). */
    public int maxClients()
    {
        return maxClients;
    }

    /**
     * @param maxClients most clients registered at once ({@code synod.max.clients}, default 1024); a Connect beyond
     *                   it is refused, counted and reported naming this setting.
     * @return this.
     */
    public ClientAdmission maxClients(final int maxClients)
    {
        this.maxClients = maxClients;
        return this;
    }

    /** @return most registered clients whose egress has not connected yet. */
    public int maxPendingConnects()
    {
        return maxPendingConnects;
    }

    /**
     * @param maxPendingConnects most clients registered whose egress publication has not connected yet
     *                           ({@code synod.max.pending.connects}, default 64): bounds what forged Connects to
     *                           addresses that never answer can hold.
     * @return this.
     */
    public ClientAdmission maxPendingConnects(final int maxPendingConnects)
    {
        this.maxPendingConnects = maxPendingConnects;
        return this;
    }

    /** @return most session opens one client connection may ask this node for. */
    public int maxSessionsPerClient()
    {
        return maxSessionsPerClient;
    }

    /**
     * @param maxSessionsPerClient most session opens one client connection may ask this node for
     *                             ({@code synod.max.sessions.per.client}, default 16); more get TOO_MANY_SESSIONS.
     * @return this.
     */
    public ClientAdmission maxSessionsPerClient(final int maxSessionsPerClient)
    {
        this.maxSessionsPerClient = maxSessionsPerClient;
        return this;
    }

    /** @return most open sessions of one authenticated principal. */
    public int maxSessionsPerPrincipal()
    {
        return maxSessionsPerPrincipal;
    }

    /**
     * @param maxSessionsPerPrincipal most open sessions of one authenticated principal
     *                                ({@code synod.max.sessions.per.principal}, default 1024; anonymous clients are
     *                                bounded per client instead).
     * @return this.
     */
    public ClientAdmission maxSessionsPerPrincipal(final int maxSessionsPerPrincipal)
    {
        this.maxSessionsPerPrincipal = maxSessionsPerPrincipal;
        return this;
    }

    /** @return largest term length a Connect may ask for. */
    public int maxResponseTermLength()
    {
        return maxResponseTermLength;
    }

    /**
     * @param maxResponseTermLength largest term length a client's response channel may name
     *                              ({@code synod.max.response.term.length}, default 4 MiB).
     * @return this.
     */
    public ClientAdmission maxResponseTermLength(final int maxResponseTermLength)
    {
        this.maxResponseTermLength = maxResponseTermLength;
        return this;
    }

    /** @return whether response channels on aeron:ipc are accepted. */
    public boolean allowIpcResponse()
    {
        return allowIpcResponse;
    }

    /**
     * @param allowIpcResponse accept response channels on aeron:ipc ({@code synod.allow.ipc.response}, default
     *                         false): only for clients on the node's own media driver.
     * @return this.
     */
    public ClientAdmission allowIpcResponse(final boolean allowIpcResponse)
    {
        this.allowIpcResponse = allowIpcResponse;
        return this;
    }

    /** @return whether a response channel may name any address. */
    public boolean allowAnyResponseAddress()
    {
        return allowAnyResponseAddress;
    }

    /**
     * @param allowAnyResponseAddress accept response channels to any address ({@code synod.allow.any.response.address},
     *                                default false: only the address the Connect came from, or loopback).
     * @return this.
     */
    public ClientAdmission allowAnyResponseAddress(final boolean allowAnyResponseAddress)
    {
        this.allowAnyResponseAddress = allowAnyResponseAddress;
        return this;
    }

    /** @return time after which a silent, disconnected client's egress publication is closed. */
    public long clientTimeoutNs()
    {
        return clientTimeoutNs;
    }

    /**
     * @param clientTimeoutNs a client that sent nothing for this long and whose egress is not connected is forgotten.
     * @return this.
     */
    public ClientAdmission clientTimeoutNs(final long clientTimeoutNs)
    {
        this.clientTimeoutNs = clientTimeoutNs;
        return this;
    }

    /** @return bytes queued per client while back-pressured. */
    public int egressQueueCapacity()
    {
        return egressQueueCapacity;
    }

    /**
     * @param egressQueueCapacity bytes queued per client while back-pressured or connecting, power of two; beyond
     *                            it the oldest responses are dropped (counted) and the client retries.
     * @return this.
     */
    public ClientAdmission egressQueueCapacity(final int egressQueueCapacity)
    {
        this.egressQueueCapacity = egressQueueCapacity;
        return this;
    }

    /** @return most bytes all client queues hold together. */
    public int maxEgressQueueBytes()
    {
        return maxEgressQueueBytes;
    }

    /**
     * @param maxEgressQueueBytes most bytes all client queues of the node hold together
     *                            ({@code synod.max.egress.queue.bytes}, default 256 MiB; at least
     *                            egressQueueCapacity). Each queue grows lazily up to egressQueueCapacity and keeps
     *                            what it grew to until its client is forgotten; a growth beyond this budget is
     *                            refused, and that client is handled as a slow consumer: its oldest responses are
     *                            dropped (counted), it retries, and it is reported naming this setting.
     * @return this.
     */
    public ClientAdmission maxEgressQueueBytes(final int maxEgressQueueBytes)
    {
        this.maxEgressQueueBytes = maxEgressQueueBytes;
        return this;
    }

    /** @return fragments polled from one client's ingress per duty cycle. */
    public int clientFragmentLimit()
    {
        return clientFragmentLimit;
    }

    /**
     * @param clientFragmentLimit fragments polled from one client's ingress image per duty cycle
     *                            ({@code synod.client.fragment.limit}, default 32; the whole ingress still takes at
     *                            most {@link Context#fragmentLimit()}): a client that floods gets its share, not the
     *                            cycle.
     * @return this.
     */
    public ClientAdmission clientFragmentLimit(final int clientFragmentLimit)
    {
        this.clientFragmentLimit = clientFragmentLimit;
        return this;
    }

    /** @return whether session opens without a session key are refused. */
    public boolean requireSessionKey()
    {
        return requireSessionKey;
    }

    /**
     * @param requireSessionKey refuse session opens that carry no session key ({@code synod.require.session.key},
     *                          default false). Only clients of schema version 1 (released before sessions had keys)
     *                          open such sessions, and anyone who learns their session id may use them. Off by
     *                          default so that those clients keep working while a cluster is upgraded; turn it on,
     *                          on every member, once every client sends keys. A refused open is answered
     *                          TOO_MANY_SESSIONS (the one refusal of an open a version-1 client knows: it gives up
     *                          instead of retrying), counted, and reported naming this setting.
     * @return this.
     */
    public ClientAdmission requireSessionKey(final boolean requireSessionKey)
    {
        this.requireSessionKey = requireSessionKey;
        return this;
    }
}
