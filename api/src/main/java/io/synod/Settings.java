package io.synod;

import org.agrona.SystemUtil;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every setting of {@link Configuration} as one table: its property, kind, default and meaning. Usage text and flag
 * checks are generated from it, and a test checks that it names every property of {@link Configuration}, so the help
 * cannot drift from what a node and a client read.
 */
public final class Settings
{
    /** How a value is written. */
    public enum Kind
    {
        /** An integer. */
        INT("n"),
        /** A duration in ns, or with a unit: ns, us, ms, s (e.g. 100ms). */
        DURATION("time"),
        /** Bytes, or with a unit: k, m, g (e.g. 64m). */
        SIZE("bytes"),
        /** true or false. */
        BOOLEAN("bool"),
        /** Text. */
        STRING("text");

        private final String placeholder;

        Kind(final String placeholder)
        {
            this.placeholder = placeholder;
        }

        /** @return what the usage shows after the flag's '='. */
        public String placeholder()
        {
            return placeholder;
        }
    }

    /** Who reads a setting. */
    public enum Scope
    {
        /** A node only. */
        NODE,
        /** A client only. */
        CLIENT,
        /** Nodes and clients (the same value on both). */
        BOTH
    }

    /**
     * One setting.
     *
     * @param property     its system property, {@code synod.*}.
     * @param kind         how its value is written.
     * @param defaultValue its default as text, "" when it has none.
     * @param scope        who reads it.
     * @param meaning      one line on what it does.
     */
    public record Setting(String property, Kind kind, String defaultValue, Scope scope, String meaning)
    {
        /** @return the command line flag: the property without {@code synod.}, after {@code --}. */
        public String flag()
        {
            return "--" + shortName(property);
        }
    }

    /** Every setting of {@link Configuration}, in the order the usage lists them. */
    public static final List<Setting> ALL = List.of(
        node(Configuration.NODE_ID_PROP, Kind.INT, "", "this node's id, one of the members; required"),
        both(Configuration.MEMBERS_PROP, Kind.STRING, Configuration.MEMBERS_DEFAULT,
        "members, id=host:peerPort[:ingressPort],... (the same list on every node and client)"),
        both(Configuration.INGRESS_PORT_OFFSET_PROP, Kind.INT, Configuration.INGRESS_PORT_OFFSET_DEFAULT,
        "ingress port = peer port + this when a member names no ingress port"),
        both(Configuration.CLUSTER_ID_PROP, Kind.INT, Configuration.CLUSTER_ID_DEFAULT,
        "cluster id, carried in heartbeats, written into the log and checked at each client's Connect; 0 on " +
        "either side: clients not checked"),
        node(Configuration.BOOTSTRAP_PROP, Kind.BOOLEAN, Configuration.BOOTSTRAP_DEFAULT,
        "only for the first start of a new cluster with just a majority up; never on a node that lost its log"),
        node(Configuration.PEER_AUTHENTICATION_PROP, Kind.BOOLEAN, Configuration.PEER_AUTHENTICATION_DEFAULT,
        "authenticate every peer message with the cluster key; off only where nothing but members reach peer ports"),
        node(Configuration.CLUSTER_KEY_PROP, Kind.STRING, "",
        "the cluster key, hex or base64, >= 16 bytes, the same on every node; prefer --cluster.key.file"),
        node(Configuration.CLUSTER_KEY_FILE_PROP, Kind.STRING, "",
        "a file holding the cluster key (e.g. made by openssl rand -hex 32); required unless set inline or auth off"),
        node(Configuration.LOG_DIR_PROP, Kind.STRING, "",
        "directory of the node's memory-mapped log; required (none: in memory, only with --dev)"),
        node(Configuration.DURABILITY_PROP, Kind.STRING, Configuration.DURABILITY_DEFAULT,
        "NONE (survives a process crash) or FORCE (msync before replies: survives a power cut)"),
        node(Configuration.LOG_SEGMENT_LENGTH_PROP, Kind.SIZE, Configuration.LOG_SEGMENT_LENGTH_DEFAULT,
        "bytes of one log segment file, a multiple of 4096"),
        node(Configuration.HEARTBEAT_INTERVAL_PROP, Kind.DURATION, Configuration.HEARTBEAT_INTERVAL_DEFAULT_NS,
        "how often each node sends a heartbeat"),
        node(Configuration.ELECTION_TIMEOUT_PROP, Kind.DURATION, Configuration.ELECTION_TIMEOUT_DEFAULT_NS,
        "leader silence after which an election starts"),
        node(Configuration.PEER_STREAM_ID_PROP, Kind.INT, Configuration.PEER_STREAM_ID_DEFAULT,
        "stream id of peer data (Accepts, Successes)"),
        node(Configuration.PEER_CONTROL_STREAM_ID_PROP, Kind.INT, Configuration.PEER_CONTROL_STREAM_ID_DEFAULT,
        "stream id of the peers' control lane (heartbeats, votes, acknowledgements)"),
        both(Configuration.INGRESS_STREAM_ID_PROP, Kind.INT, Configuration.INGRESS_STREAM_ID_DEFAULT,
        "stream id of client requests"),
        client(Configuration.EGRESS_STREAM_ID_PROP, Kind.INT, Configuration.EGRESS_STREAM_ID_DEFAULT,
        "base stream id of responses (plus the member's index)"),
        client(Configuration.EGRESS_CHANNEL_PROP, Kind.STRING, Configuration.EGRESS_CHANNEL_DEFAULT,
        "channel a client receives responses on; port 0 picks a free port"),
        both(Configuration.TERM_LENGTH_PROP, Kind.SIZE, Configuration.TERM_LENGTH_DEFAULT,
        "term buffer of each publication, a power of two in [64k, 1g]; largest message = term / 8"),
        node(Configuration.MAX_MESSAGE_LENGTH_PROP, Kind.SIZE, Configuration.MAX_MESSAGE_LENGTH_DEFAULT,
        "largest peer message (an Accept batch, a Promise chunk)"),
        both(Configuration.MAX_PAYLOAD_LENGTH_PROP, Kind.SIZE, Configuration.MAX_PAYLOAD_LENGTH_DEFAULT,
        "largest command and response"),
        node(Configuration.MAX_BATCH_ENTRIES_PROP, Kind.INT, Configuration.MAX_BATCH_ENTRIES_DEFAULT,
        "most entries in one Accept"),
        node(Configuration.WINDOW_ENTRIES_PROP, Kind.INT, Configuration.WINDOW_ENTRIES_DEFAULT,
        "most slots proposed and not yet chosen; beyond it commands are answered BUSY"),
        node(Configuration.SESSION_TIMEOUT_PROP, Kind.DURATION, Configuration.SESSION_TIMEOUT_DEFAULT_NS,
        "a session idle this long in log time expires"),
        node(Configuration.MAX_SESSIONS_PROP, Kind.INT, Configuration.MAX_SESSIONS_DEFAULT,
        "most client sessions the cluster holds"),
        node(Configuration.MAX_SESSION_WINDOW_PROP, Kind.INT, Configuration.MAX_SESSION_WINDOW_DEFAULT,
        "most responses one session keeps for retries"),
        node(Configuration.CLIENT_TIMEOUT_PROP, Kind.DURATION, Configuration.CLIENT_TIMEOUT_DEFAULT_NS,
        "a silent client's egress publication is closed after this"),
        node(Configuration.PEER_QUEUE_CAPACITY_PROP, Kind.SIZE, Configuration.PEER_QUEUE_CAPACITY_DEFAULT,
        "bytes queued per peer while back-pressured, a power of two"),
        node(Configuration.PEER_DATA_BUDGET_PROP, Kind.SIZE, Configuration.PEER_DATA_BUDGET_DEFAULT,
        "bytes of Accepts and Successes in flight per peer; 0: a quarter of the term"),
        node(Configuration.EGRESS_QUEUE_CAPACITY_PROP, Kind.SIZE, Configuration.EGRESS_QUEUE_CAPACITY_DEFAULT,
        "bytes queued per client while back-pressured, a power of two"),
        node(Configuration.MAX_EGRESS_QUEUE_BYTES_PROP, Kind.SIZE, Configuration.MAX_EGRESS_QUEUE_BYTES_DEFAULT,
        "bytes all client queues hold together; a client whose queue cannot grow is a slow consumer"),
        node(Configuration.FRAGMENT_LIMIT_PROP, Kind.INT, Configuration.FRAGMENT_LIMIT_DEFAULT,
        "fragments polled per subscription per duty cycle"),
        node(Configuration.CLIENT_FRAGMENT_LIMIT_PROP, Kind.INT, Configuration.CLIENT_FRAGMENT_LIMIT_DEFAULT,
        "fragments polled from one client's ingress per duty cycle"),
        node(Configuration.MAX_CLIENTS_PROP, Kind.INT, Configuration.MAX_CLIENTS_DEFAULT,
        "most clients registered (egress publications) at once"),
        node(Configuration.MAX_PENDING_CONNECTS_PROP, Kind.INT, Configuration.MAX_PENDING_CONNECTS_DEFAULT,
        "most registered clients whose egress has not connected yet"),
        node(Configuration.MAX_SESSIONS_PER_CLIENT_PROP, Kind.INT, Configuration.MAX_SESSIONS_PER_CLIENT_DEFAULT,
        "most session opens one client connection may ask for"),
        node(Configuration.MAX_SESSIONS_PER_PRINCIPAL_PROP, Kind.INT, Configuration.MAX_SESSIONS_PER_PRINCIPAL_DEFAULT,
        "most open sessions of one authenticated principal"),
        node(Configuration.MAX_RESPONSE_TERM_LENGTH_PROP, Kind.SIZE, Configuration.MAX_RESPONSE_TERM_LENGTH_DEFAULT,
        "largest term-length a client's response channel may name"),
        node(Configuration.ALLOW_IPC_RESPONSE_PROP, Kind.BOOLEAN, Configuration.ALLOW_IPC_RESPONSE_DEFAULT,
        "accept response channels on aeron:ipc"),
        node(Configuration.ALLOW_ANY_RESPONSE_ADDRESS_PROP, Kind.BOOLEAN,
        Configuration.ALLOW_ANY_RESPONSE_ADDRESS_DEFAULT,
        "accept response endpoints other than the Connect's source address or loopback"),
        node(Configuration.REQUIRE_SESSION_KEY_PROP, Kind.BOOLEAN, Configuration.REQUIRE_SESSION_KEY_DEFAULT,
        "refuse session opens without a session key (clients of schema version 1)"),
        node(Configuration.AUTH_TOKENS_PROP, Kind.STRING, "",
        "principal=token,... for the token authenticator; none: every client accepted, anonymous"),
        node(Configuration.CHALLENGE_SECRETS_PROP, Kind.STRING, "",
        "principal=hexSecret,... for the HMAC challenge-response authenticator (instead of tokens)"),
        node(Configuration.CHALLENGE_TIMEOUT_PROP, Kind.DURATION, Configuration.CHALLENGE_TIMEOUT_DEFAULT_NS,
        "a challenged client that has not answered within this is refused"),
        both(Configuration.IDLE_STRATEGY_PROP, Kind.STRING, Configuration.IDLE_STRATEGY_DEFAULT,
        "busy-spin, yielding, backoff, sleeping, or auto (by the number of cores)"),
        both(Configuration.BUSY_SPIN_MIN_CORES_PROP, Kind.INT, Configuration.BUSY_SPIN_MIN_CORES_DEFAULT,
        "auto picks busy-spin only with at least this many cores"),
        node(Configuration.THREADING_MODE_PROP, Kind.STRING, Configuration.THREADING_MODE_DEFAULT,
        "embedded driver's threading: INVOKER (on the node's thread), SHARED, SHARED_NETWORK or DEDICATED"),
        both(Configuration.EMBEDDED_DRIVER_PROP, Kind.BOOLEAN, Configuration.EMBEDDED_DRIVER_DEFAULT,
        "launch a media driver in process; false: use the external one in the Aeron directory"),
        both(Configuration.AERON_DIR_PROP, Kind.STRING, "",
        "Aeron directory, one per embedded driver (default: Aeron's, plus -synod-node-<id>)"),
        node(Configuration.USE_AGENT_INVOKER_PROP, Kind.BOOLEAN, Configuration.USE_AGENT_INVOKER_DEFAULT,
        "run the node agent on the application's thread"),
        node(Configuration.HISTOGRAM_LOG_PROP, Kind.STRING, "", "file for interval histogram logs (.hlog); none: off"),
        node(Configuration.HISTOGRAM_LOG_INTERVAL_PROP, Kind.DURATION, Configuration.HISTOGRAM_LOG_INTERVAL_DEFAULT_NS,
        "interval of histogram logs"),
        client(Configuration.RESPONSE_TIMEOUT_PROP, Kind.DURATION, Configuration.RESPONSE_TIMEOUT_DEFAULT_NS,
        "a request unanswered this long fails over to the next node"),
        client(Configuration.CONNECT_TIMEOUT_PROP, Kind.DURATION, Configuration.CONNECT_TIMEOUT_DEFAULT_NS,
        "give up connecting or a blocking call after this"),
        client(Configuration.MAX_OUTSTANDING_PROP, Kind.INT, Configuration.MAX_OUTSTANDING_DEFAULT,
        "most commands outstanding in a session, a power of two"),
        client(Configuration.CLIENT_CREDENTIALS_PROP, Kind.STRING, "",
        "credentials (UTF-8) sent in each Connect to the node's authenticator"),
        client(Configuration.CLIENT_OWN_THREAD_PROP, Kind.BOOLEAN, Configuration.CLIENT_OWN_THREAD_DEFAULT,
        "run the client on a thread of its own fed by a command queue"),
        client(Configuration.COMMAND_QUEUE_CAPACITY_PROP, Kind.SIZE, Configuration.COMMAND_QUEUE_CAPACITY_DEFAULT,
        "own-thread client: bytes of the command queue, a power of two; 0 sizes it"));

    /** The settings a node reads ({@link Scope#NODE} and {@link Scope#BOTH}). */
    public static final List<Setting> NODE = of(Scope.NODE);

    private Settings()
    {
    }

    private static List<Setting> of(final Scope scope)
    {
        final List<Setting> settings = new ArrayList<>();
        for (final Setting setting : ALL)
        {
            if (setting.scope() == scope || setting.scope() == Scope.BOTH)
            {
                settings.add(setting);
            }
        }
        return Collections.unmodifiableList(settings);
    }

    private static Setting node(final String property, final Kind kind, final Object defaultValue, final String meaning)
    {
        return new Setting(property, kind, format(kind, defaultValue), Scope.NODE, meaning);
    }

    private static Setting both(final String property, final Kind kind, final Object defaultValue, final String meaning)
    {
        return new Setting(property, kind, format(kind, defaultValue), Scope.BOTH, meaning);
    }

    private static Setting client(
        final String property, final Kind kind, final Object defaultValue, final String meaning)
    {
        return new Setting(property, kind, format(kind, defaultValue), Scope.CLIENT, meaning);
    }

    private static String format(final Kind kind, final Object value)
    {
        if (value instanceof Number && kind == Kind.DURATION)
        {
            return SystemUtil.formatDuration(((Number)value).longValue());
        }
        if (value instanceof Number && kind == Kind.SIZE && ((Number)value).longValue() != 0)
        {
            return SystemUtil.formatSize(((Number)value).longValue());
        }
        return String.valueOf(value);
    }

    /**
     * @param property a property name, with or without {@code synod.}.
     * @return the name without {@code synod.}.
     */
    public static String shortName(final String property)
    {
        return property.startsWith("synod.") ? property.substring("synod.".length()) : property;
    }

    /**
     * @param property a property, {@code synod.*}.
     * @param settings where to look.
     * @return the setting, or null.
     */
    public static Setting find(final String property, final List<Setting> settings)
    {
        for (final Setting setting : settings)
        {
            if (setting.property().equals(property))
            {
                return setting;
            }
        }
        return null;
    }

    /**
     * @param name  a mistyped name.
     * @param names the valid ones.
     * @return the valid name closest to it by edit distance (Levenshtein), the first of equals.
     */
    public static String nearest(final String name, final List<String> names)
    {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String candidate : names)
        {
            final int distance = editDistance(name, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /**
     * @param a one string.
     * @param b another.
     * @return the Levenshtein distance: fewest single-character insertions, deletions and substitutions from a to b.
     */
    public static int editDistance(final String a, final String b)
    {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++)
            {
                final int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            final int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /**
     * Print one line per setting: flag, property, default and meaning.
     *
     * @param settings to print.
     * @param out      where.
     */
    public static void printUsage(final List<Setting> settings, final PrintStream out)
    {
        for (final Setting setting : settings)
        {
            final String flag = setting.flag() + "=<" + setting.kind().placeholder() + ">";
            out.printf("  %-36s %s%n", flag, setting.meaning());
            out.printf("  %-36s (%s, default: %s)%n", "", setting.property(),
                setting.defaultValue().isEmpty() ? "none" : setting.defaultValue());
        }
    }
}
