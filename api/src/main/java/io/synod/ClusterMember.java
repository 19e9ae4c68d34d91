package io.synod;

import io.aeron.exceptions.ConfigurationException;

import java.util.ArrayList;
import java.util.List;

/**
 * One member of the cluster as the transport sees it: its id, the endpoint peers send to and the endpoint clients
 * send to. Parsed from {@code id=host:peerPort[:ingressPort]}, comma separated.
 */
public final class ClusterMember
{
    private final int id;
    private final String host;
    private final int peerPort;
    private final int ingressPort;

    /**
     * @param id          member id.
     * @param host        host name or IPv4 address.
     * @param peerPort    UDP port of peer traffic.
     * @param ingressPort UDP port of client ingress.
     */
    public ClusterMember(final int id, final String host, final int peerPort, final int ingressPort)
    {
        this.id = id;
        this.host = host;
        this.peerPort = peerPort;
        this.ingressPort = ingressPort;
    }

    /**
     * Parse a member list.
     *
     * @param members           {@code id=host:peerPort[:ingressPort],...}.
     * @param ingressPortOffset added to the peer port when a member names no ingress port.
     * @param settingName       named in errors.
     * @return the members in the order given.
     * @throws ConfigurationException naming the setting and the bad entry.
     */
    public static ClusterMember[] parse(final String members, final int ingressPortOffset, final String settingName)
    {
        if (members == null || members.isBlank())
        {
            throw new ConfigurationException(settingName + " is empty: expected id=host:peerPort[:ingressPort],...");
        }
        final List<ClusterMember> result = new ArrayList<>();
        for (final String raw : members.split(","))
        {
            final String entry = raw.trim();
            try
            {
                final int equals = entry.indexOf('=');
                final int id = Integer.parseInt(entry.substring(0, equals).trim());
                final String[] parts = entry.substring(equals + 1).trim().split(":");
                if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty())
                {
                    throw new IllegalArgumentException();
                }
                final int peerPort = Integer.parseInt(parts[1]);
                final int ingressPort = parts.length == 3 ? Integer.parseInt(parts[2]) : peerPort + ingressPortOffset;
                checkPort(peerPort);
                checkPort(ingressPort);
                for (final ClusterMember other : result)
                {
                    if (other.id == id)
                    {
                        throw new ConfigurationException(settingName + ": member id " + id + " listed twice");
                    }
                }
                result.add(new ClusterMember(id, parts[0], peerPort, ingressPort));
            }
            catch (final ConfigurationException ex)
            {
                throw ex;
            }
            catch (final RuntimeException ex)
            {
                throw new ConfigurationException(settingName + ": bad member '" + entry +
                    "', expected id=host:peerPort[:ingressPort] with ports in 1..65535");
            }
        }
        return result.toArray(new ClusterMember[0]);
    }

    private static void checkPort(final int port)
    {
        if (port < 1 || port > 65535)
        {
            throw new IllegalArgumentException("port " + port);
        }
    }

    /** @return member id. */
    public int id()
    {
        return id;
    }

    /** @return host name or address. */
    public String host()
    {
        return host;
    }

    /** @return UDP port of peer traffic. */
    public int peerPort()
    {
        return peerPort;
    }

    /** @return UDP port of client ingress. */
    public int ingressPort()
    {
        return ingressPort;
    }

    /** @return {@code host:peerPort}. */
    public String peerEndpoint()
    {
        return host + ':' + peerPort;
    }

    /** @return {@code host:ingressPort}. */
    public String ingressEndpoint()
    {
        return host + ':' + ingressPort;
    }

    /**
     * @param endpoint   host:port.
     * @param termLength term buffer length.
     * @return a UDP channel to or on the endpoint.
     */
    public static String udpChannel(final String endpoint, final int termLength)
    {
        return "aeron:udp?endpoint=" + endpoint + "|term-length=" + termLength;
    }

    public String toString()
    {
        return id + "=" + host + ':' + peerPort + ':' + ingressPort;
    }
}
