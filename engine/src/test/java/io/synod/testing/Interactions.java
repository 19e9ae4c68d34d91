package io.synod.testing;

import io.synod.Role;
import io.synod.core.Ballot;
import io.synod.core.PaxosNode;
import io.synod.log.InMemoryPaxosLog;
import io.synod.log.LogEntry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The commands of an interaction script (see docs/testing.md), each run on one {@link InteractionCluster}; the output
 * of a command is what the cluster traced while it ran, or the state it asked for.
 */
final class Interactions
{
    private static final int MAX_STEPS = 4000;
    private static final int ANY = Integer.MIN_VALUE;

    private InteractionCluster cluster;

    /**
     * @param line one command with its arguments.
     * @return its output lines.
     */
    List<String> run(final String line)
    {
        final String[] words = line.trim().split("\\s+");
        final String command = words[0];
        final String[] args = Arrays.copyOfRange(words, 1, words.length);
        if (!command.equals("add-nodes") && cluster == null)
        {
            throw new IllegalArgumentException("add-nodes first");
        }
        final List<String> output = new ArrayList<>();
        switch (command)
        {
            case "add-nodes":
                cluster = InteractionCluster.startedFromOne(
                    Integer.parseInt(args[0]), !option(args, "bootstrap", "true").equals("false"));
                break;
            case "trace":
                cluster.showHeartbeats(option(args, "heartbeats", "off").equals("on"));
                break;
            case "tick":
                for (long i = 0, steps = steps(args, 1); i < steps; i++)
                {
                    cluster.tick();
                }
                break;
            case "tick-election":
                for (int i = 0; i < 2 * InteractionCluster.T / InteractionCluster.STEP_NS; i++)
                {
                    cluster.tick();
                }
                break;
            case "run":
                for (long i = 0, steps = steps(args, 1); i < steps; i++)
                {
                    cluster.step();
                }
                break;
            case "campaign":
                runUntil(Integer.parseInt(args[0]), Role.CANDIDATE);
                break;
            case "run-until":
                runUntil(Integer.parseInt(args[0]), Role.valueOf(args[1].toUpperCase(Locale.ROOT)));
                break;
            case "deliver":
                final int delivered = cluster.deliver(filter(args), count(args));
                if (delivered == 0)
                {
                    output.add("nothing to deliver");
                }
                break;
            case "drop":
                dropped(cluster.drop(filter(args), count(args)), output);
                break;
            case "pending":
                output.addAll(cluster.network().describe(filter(args), cluster.showsHeartbeats()));
                break;
            case "corrupt":
                corrupt(args);
                break;
            case "partition":
                partition(args);
                break;
            case "heal":
                cluster.network().heal();
                break;
            case "block":
            case "unblock":
                final String[] link = args[0].split("->");
                cluster.network().block(Integer.parseInt(link[0]), Integer.parseInt(link[1]), command.equals("block"));
                break;
            case "hold":
            case "release":
                final String[] heldLink = args[0].split("->");
                final boolean hold = command.equals("hold");
                cluster.network().hold(Integer.parseInt(heldLink[0]), Integer.parseInt(heldLink[1]), hold);
                break;
            case "crash":
                cluster.stop(Integer.parseInt(args[0]));
                break;
            case "restart":
                cluster.start(Integer.parseInt(args[0]));
                break;
            case "wipe":
                cluster.wipe(Integer.parseInt(args[0]));
                break;
            case "client-open":
                cluster.clientOpen(Integer.parseInt(args[0]), Integer.parseInt(option(args, "window", "1")));
                break;
            case "propose":
                cluster.propose(Integer.parseInt(args[0]), args[1], Long.parseLong(option(args, "q", "-1")));
                break;
            case "status":
                output.addAll(status());
                break;
            case "log":
                output.addAll(logOf(Integer.parseInt(args[0])));
                break;
            case "applied":
                cluster.applied(Integer.parseInt(args[0])).forEach((slot, text) -> output.add(slot + " " + text));
                break;
            default:
                throw new IllegalArgumentException("unknown command " + command);
        }
        final List<String> all = cluster.takeTrace();
        all.addAll(output);
        return all;
    }

    /**
     * @return one line per node: role, ballot, the leader it follows, commit index, applied index, log end, promise,
     * and whether it votes.
     */
    private List<String> status()
    {
        final List<String> lines = new ArrayList<>();
        for (final int id : cluster.members())
        {
            final PaxosNode node = cluster.node(id);
            final InMemoryPaxosLog log = cluster.log(id);
            final String logState = "commit=" + log.commitIndex() + " next=" + log.nextSlot() +
                " promised=" + Ballot.toString(log.promisedBallot()) + (log.voting() ? "" : " learner");
            if (node == null)
            {
                lines.add(id + ": down " + logState);
            }
            else
            {
                lines.add(id + ": " + node.role() + (node.isFailed() ? " FAILED" : "") +
                    " ballot=" + Ballot.toString(node.ballot()) +
                    " last-leader=" + (node.leaderId() < 0 ? "none" : String.valueOf(node.leaderId())) +
                    " applied=" + node.appliedIndex() + " " + logState);
            }
        }
        return lines;
    }

    /**
     * @return the node's log, one entry a line, from its first slot.
     */
    private List<String> logOf(final int id)
    {
        final InMemoryPaxosLog log = cluster.log(id);
        final List<String> lines = new ArrayList<>();
        final LogEntry entry = new LogEntry();
        for (long slot = log.firstSlot(); slot < log.nextSlot(); slot++)
        {
            lines.add(log.read(slot, entry) ? MessageFormat.describe(entry) : slot + " (none)");
        }
        if (lines.isEmpty())
        {
            lines.add("empty");
        }
        return lines;
    }

    /**
     * Dropped messages, one a line; heartbeats counted in a last line unless the trace shows them.
     */
    private void dropped(final List<Message> messages, final List<String> output)
    {
        long heartbeats = 0;
        for (final Message message : messages)
        {
            if (!cluster.showsHeartbeats() && message.isHeartbeat())
            {
                heartbeats++;
            }
            else
            {
                output.add("dropped " + message);
            }
        }
        if (heartbeats > 0)
        {
            output.add("dropped " + heartbeats + " heartbeat" + (heartbeats > 1 ? "s" : ""));
        }
    }

    private void runUntil(final int id, final Role role)
    {
        for (int i = 0; i < MAX_STEPS; i++)
        {
            cluster.step();
            if (cluster.node(id) != null && cluster.node(id).role() == role)
            {
                return;
            }
        }
        throw new IllegalStateException("node " + id + " not " + role + " within " + MAX_STEPS + " steps: " +
            status());
    }

    /**
     * "1 | 2 3": every link between the groups is cut both ways, the others are restored.
     */
    private void partition(final String[] args)
    {
        cluster.network().heal();
        final List<Set<Integer>> groups = new ArrayList<>();
        groups.add(new HashSet<>());
        for (final String arg : args)
        {
            if (arg.equals("|"))
            {
                groups.add(new HashSet<>());
            }
            else
            {
                groups.get(groups.size() - 1).add(Integer.parseInt(arg));
            }
        }
        for (int a = 0; a < groups.size(); a++)
        {
            for (int b = 0; b < groups.size(); b++)
            {
                for (final int from : groups.get(a))
                {
                    for (final int to : groups.get(b))
                    {
                        cluster.network().block(from, to, a != b);
                    }
                }
            }
        }
    }

    /**
     * "3->2 hello": flip one bit of the first occurrence of the text in the first pending message on that link; the
     * message stays well formed.
     */
    private void corrupt(final String[] args)
    {
        final Predicate<Message> link = filter(new String[] {args[0]});
        final byte[] needle = args[1].getBytes(StandardCharsets.US_ASCII);
        for (final Message message : cluster.network().pending())
        {
            if (link.test(message))
            {
                for (int i = 0; i + needle.length <= message.bytes.length; i++)
                {
                    if (Arrays.equals(message.bytes, i, i + needle.length, needle, 0, needle.length))
                    {
                        message.bytes[i] ^= 0x01;
                        return;
                    }
                }
            }
        }
        throw new IllegalArgumentException("no pending message on " + args[0] + " holds '" + args[1] + "'");
    }

    /**
     * Which pending messages a deliver or drop takes: all, or those on a link {@code from->to} (either side may be
     * {@code *}, a node id or {@code client}), optionally only of one type ({@code type=Accept}).
     */
    private static Predicate<Message> filter(final String[] args)
    {
        Predicate<Message> which = message -> true;
        for (final String arg : args)
        {
            if (arg.startsWith("count="))
            {
                continue;
            }
            if (arg.startsWith("type="))
            {
                final String type = arg.substring("type=".length()) + " ";
                which = which.and(message -> (message.text + " ").startsWith(type));
            }
            else if (arg.contains("->"))
            {
                final String[] ends = arg.split("->");
                final int from = endpoint(ends[0]);
                final int to = endpoint(ends[1]);
                which = which.and(message -> (from == ANY || message.from == from) && (to == ANY || message.to == to));
            }
            else
            {
                throw new IllegalArgumentException("not a link or type: " + arg);
            }
        }
        return which;
    }

    private static int count(final String[] args)
    {
        return Integer.parseInt(option(args, "count", String.valueOf(Integer.MAX_VALUE)));
    }

    private static int endpoint(final String name)
    {
        if (name.equals("*"))
        {
            return ANY;
        }
        return name.equals(InteractionCluster.CLIENT) ? InteractionCluster.CLIENT_ID : Integer.parseInt(name);
    }

    /**
     * A count of ticks ("3"), or a duration in milliseconds ("2ms"), in ticks.
     */
    private static long steps(final String[] args, final long byDefault)
    {
        if (args.length == 0)
        {
            return byDefault;
        }
        if (args[0].endsWith("ms"))
        {
            final double ms = Double.parseDouble(args[0].substring(0, args[0].length() - 2));
            return Math.round(ms * 1_000_000 / InteractionCluster.STEP_NS);
        }
        return Long.parseLong(args[0]);
    }

    private static String option(final String[] args, final String name, final String byDefault)
    {
        for (final String arg : args)
        {
            if (arg.startsWith(name + "="))
            {
                return arg.substring(name.length() + 1);
            }
        }
        return byDefault;
    }
}
