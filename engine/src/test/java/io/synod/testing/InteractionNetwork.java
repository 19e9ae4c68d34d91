package io.synod.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The network of an {@link InteractionCluster}: every message sent waits here, in the order sent, until the test
 * delivers or drops it. Links can be cut one way (what arrives on them is lost), held (what is sent on them waits
 * through the cluster's steps until delivered explicitly, dropped or released), and given a byte budget per duty
 * cycle beyond which the oldest messages of the cycle are dropped, as the runtime's bounded drop-oldest per-peer
 * queue does. It counts what every link was offered.
 */
public final class InteractionNetwork
{
    private final List<Message> pending = new ArrayList<>();
    private final boolean[][] blocked;
    private final boolean[][] held;
    private final Map<String, Long> bytesSent = new HashMap<>();
    private final Map<String, Integer> sentCount = new HashMap<>();
    private int linkCapBytes = Integer.MAX_VALUE;
    private long linkDrops;

    InteractionNetwork(final int endpoints)
    {
        blocked = new boolean[endpoints][endpoints];
        held = new boolean[endpoints][endpoints];
    }

    /** Cut (or restore) the link from one node to another, one way. */
    public void block(final int from, final int to, final boolean cut)
    {
        blocked[from][to] = cut;
    }

    /** Cut (or restore) the link between two nodes, both ways. */
    public void partition(final int a, final int b, final boolean cut)
    {
        blocked[a][b] = cut;
        blocked[b][a] = cut;
    }

    /**
     * Hold (or release) the link from one node to another: what is sent on it stays pending through the cluster's
     * steps (a delay as long as the test wants) until released, delivered explicitly or dropped.
     */
    public void hold(final int from, final int to, final boolean hold)
    {
        held[from][to] = hold;
    }

    /** Restore every cut link (held ones stay held). */
    public void heal()
    {
        for (final boolean[] row : blocked)
        {
            Arrays.fill(row, false);
        }
    }

    /**
     * Bound what each link carries per duty cycle: beyond the cap, the oldest messages a node sent to a peer in that
     * cycle are dropped.
     */
    public void linkCapBytes(final int capBytes)
    {
        this.linkCapBytes = capBytes;
    }

    /** @return messages dropped by the link cap so far. */
    public long linkDrops()
    {
        return linkDrops;
    }

    /** @return bytes of messages of this SBE template a node sent to another so far (before any cap or cut). */
    public long bytesSent(final int from, final int to, final int templateId)
    {
        return bytesSent.getOrDefault(from + "->" + to + ":" + templateId, 0L);
    }

    /** @return messages of this SBE template a node sent to another so far (before any cap or cut). */
    public int sent(final int from, final int to, final int templateId)
    {
        return sentCount.getOrDefault(from + "->" + to + ":" + templateId, 0);
    }

    /** @return the messages sent and neither delivered nor dropped yet, oldest first. */
    public List<Message> pending()
    {
        return pending;
    }

    boolean isCut(final Message message)
    {
        return message.from != InteractionCluster.CLIENT_ID && message.to != InteractionCluster.CLIENT_ID &&
            blocked[message.from][message.to];
    }

    boolean isHeld(final Message message)
    {
        return message.from != InteractionCluster.CLIENT_ID && held[message.from][message.to];
    }

    /**
     * A request from the client: queued as it is, never capped.
     */
    void add(final Message message)
    {
        pending.add(message);
    }

    /**
     * Queue what the nodes sent in one duty cycle, counted, and capped per link.
     */
    void addCycle(final List<Message> sent)
    {
        final Map<String, Long> budget = new HashMap<>();
        final boolean[] keep = new boolean[sent.size()];
        for (int i = sent.size() - 1; i >= 0; i--)
        {
            final Message message = sent.get(i);
            final String key = message.from + "->" + message.to + ":" + message.templateId();
            bytesSent.merge(key, (long)message.bytes.length, Long::sum);
            sentCount.merge(key, 1, Integer::sum);
            final long used = budget.merge(message.from + "->" + message.to, (long)message.bytes.length, Long::sum);
            keep[i] = used <= linkCapBytes;
            linkDrops += keep[i] ? 0 : 1;
        }
        for (int i = 0; i < sent.size(); i++)
        {
            if (keep[i])
            {
                pending.add(sent.get(i));
            }
        }
    }

    /** Lose every pending message to this node. */
    void lose(final int to)
    {
        pending.removeIf(message -> message.to == to);
    }

    /**
     * @return the first count pending messages that match, oldest first, taken out of the network.
     */
    List<Message> take(final Predicate<Message> which, final int count)
    {
        final List<Message> taken = new ArrayList<>();
        pending.removeIf(message ->
        {
            if (taken.size() < count && which.test(message))
            {
                taken.add(message);
                return true;
            }
            return false;
        });
        return taken;
    }

    /**
     * @param showHeartbeats false to count heartbeats in a last line instead of listing them.
     * @return the pending messages that match, one a line, oldest first.
     */
    List<String> describe(final Predicate<Message> which, final boolean showHeartbeats)
    {
        final List<String> lines = new ArrayList<>();
        int heartbeats = 0;
        for (final Message message : pending)
        {
            if (!which.test(message))
            {
                continue;
            }
            if (!showHeartbeats && message.isHeartbeat())
            {
                heartbeats++;
            }
            else
            {
                lines.add(message.toString());
            }
        }
        if (heartbeats > 0)
        {
            lines.add("and " + heartbeats + " heartbeat" + (heartbeats > 1 ? "s" : ""));
        }
        return lines;
    }
}
