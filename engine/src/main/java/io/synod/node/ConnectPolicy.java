package io.synod.node;

import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import org.agrona.SystemUtil;

/**
 * Which response channels a Connect may name, and how many clients a node takes. By default a channel must be
 * {@code aeron:udp} with an endpoint at the address the Connect came from (or loopback), a term length within bounds,
 * and no multi-destination control: otherwise any sender could make the node publish to any host, or to IPC, with
 * buffers of its choosing.
 */
final class ConnectPolicy
{
    /** No limits: for the registry's tests. */
    static final ConnectPolicy OPEN =
        new ConnectPolicy(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, true, true);

    final int maxClients;
    final int maxPendingConnects;
    final int maxTermLength;
    final boolean allowIpc;
    final boolean allowAnyAddress;

    ConnectPolicy(
        final int maxClients,
        final int maxPendingConnects,
        final int maxTermLength,
        final boolean allowIpc,
        final boolean allowAnyAddress)
    {
        this.maxClients = maxClients;
        this.maxPendingConnects = maxPendingConnects;
        this.maxTermLength = maxTermLength;
        this.allowIpc = allowIpc;
        this.allowAnyAddress = allowAnyAddress;
    }

    static ConnectPolicy of(final ClientAdmission admission)
    {
        return new ConnectPolicy(admission.maxClients(), admission.maxPendingConnects(),
            admission.maxResponseTermLength(), admission.allowIpcResponse(), admission.allowAnyResponseAddress());
    }

    /**
     * @param uri        the response channel.
     * @param sourceHost the address the Connect came from, null if unknown (then only loopback passes).
     * @throws IllegalArgumentException naming the rule and the setting that would allow it.
     */
    void check(final ChannelUri uri, final String sourceHost)
    {
        if ("ipc".equals(uri.media()))
        {
            if (!allowIpc)
            {
                throw new IllegalArgumentException("media ipc is not allowed (allowIpcResponse, " +
                    "synod.allow.ipc.response)");
            }
        }
        else
        {
            if (uri.containsKey(CommonContext.MDC_CONTROL_PARAM_NAME) ||
                uri.containsKey(CommonContext.MDC_CONTROL_MODE_PARAM_NAME))
            {
                throw new IllegalArgumentException("multi-destination control is not allowed");
            }
            final String endpoint = uri.get(CommonContext.ENDPOINT_PARAM_NAME);
            if (null == endpoint)
            {
                throw new IllegalArgumentException("an endpoint is required");
            }
            final String host = host(endpoint);
            if (!allowAnyAddress && !isLoopback(host) && !host.equals(sourceHost))
            {
                throw new IllegalArgumentException("endpoint host " + host + " is not the address the Connect came " +
                    "from (" + sourceHost + ") nor loopback (allowAnyResponseAddress, " +
                    "synod.allow.any.response.address)");
            }
        }
        final String termLength = uri.get(CommonContext.TERM_LENGTH_PARAM_NAME);
        if (null != termLength)
        {
            final long length = SystemUtil.parseSize(CommonContext.TERM_LENGTH_PARAM_NAME, termLength);
            if (length > maxTermLength)
            {
                throw new IllegalArgumentException("term-length " + length + " is above maxResponseTermLength " +
                    maxTermLength + " (synod.max.response.term.length)");
            }
        }
    }

    /**
     * @param identity "host:port" or "[v6]:port", as an Aeron image's source identity or a channel's endpoint.
     * @return the host, without brackets.
     */
    static String host(final String identity)
    {
        final int colon = identity.lastIndexOf(':');
        String host = colon > 0 && identity.indexOf(':') == colon || identity.startsWith("[") && colon > 0 ?
            identity.substring(0, colon) : identity;
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        return host;
    }

    static boolean isLoopback(final String host)
    {
        return host.startsWith("127.") || "localhost".equals(host) || "::1".equals(host);
    }
}
