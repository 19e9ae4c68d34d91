package io.synod.node;

import io.aeron.exceptions.ConfigurationException;
import io.synod.ClusterMember;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trailer of peer messages: its MAC is HMAC-SHA256 as the JDK computes it, any changed byte fails it, and the
 * member list hash does not depend on the order members were listed in.
 */
class PeerTrailerTest
{
    private static final byte[] KEY = ClusterKey.parse(TestCluster.CLUSTER_KEY, "test");

    @Test
    void hmacIsTheJdksHmacSha256ForHeapAndDirectBuffers() throws Exception
    {
        final Mac jdk = Mac.getInstance("HmacSHA256");
        jdk.init(new SecretKeySpec(KEY, "HmacSHA256"));
        final HmacSha256 ours = new HmacSha256(KEY);
        final Random random = new Random(7);
        for (final int length : new int[]{ 0, 1, 63, 64, 65, 1023, 1024, 4096, 70_000 })
        {
            final byte[] message = new byte[length];
            random.nextBytes(message);
            final byte[] expected = jdk.doFinal(message);
            final byte[] heap = new byte[HmacSha256.LENGTH];
            ours.update(new UnsafeBuffer(message), 0, length);
            ours.doFinal(heap, 0);
            assertArrayEquals(expected, heap, "heap buffer, " + length + " bytes");

            final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(length + 8));
            direct.putBytes(8, message);
            final byte[] fromDirect = new byte[HmacSha256.LENGTH];
            ours.update(direct, 8, length);
            ours.doFinal(fromDirect, 0);
            assertArrayEquals(expected, fromDirect, "direct buffer, " + length + " bytes");
        }
    }

    @Test
    void aSealedMessageVerifiesAndAnyChangedByteFails()
    {
        final PeerTrailer sender = new PeerTrailer(KEY, 42);
        final PeerTrailer receiver = new PeerTrailer(KEY, 42);
        final UnsafeBuffer wire = sealed(sender, 100);
        final int length = 100 + PeerTrailer.LENGTH;
        assertTrue(receiver.verify(wire, 0, length));
        assertEquals(42, PeerTrailer.memberListHash(wire, 0, length));
        for (int i = 0; i < length; i++)
        {
            wire.putByte(i, (byte)(wire.getByte(i) ^ 1));
            assertFalse(receiver.verify(wire, 0, length), "byte " + i + " changed");
            wire.putByte(i, (byte)(wire.getByte(i) ^ 1));
        }
        assertTrue(receiver.verify(wire, 0, length));
        assertFalse(receiver.verify(wire, 0, length - 1), "truncated");

        final byte[] otherKey = KEY.clone();
        otherKey[0] ^= 1;
        assertFalse(new PeerTrailer(otherKey, 42).verify(wire, 0, length), "another cluster key");
    }

    @Test
    void withoutAuthenticationTheMacIsZerosAndUnchecked()
    {
        final PeerTrailer off = new PeerTrailer(null, 42);
        final UnsafeBuffer wire = sealed(off, 100);
        for (int i = 0; i < PeerTrailer.MAC_LENGTH; i++)
        {
            assertEquals(0, wire.getByte(100 + PeerTrailer.MAC_OFFSET + i));
        }
        assertTrue(off.verify(wire, 0, 100 + PeerTrailer.LENGTH));
        assertFalse(new PeerTrailer(KEY, 42).verify(wire, 0, 100 + PeerTrailer.LENGTH),
            "a node with a key refuses a node without");
    }

    @Test
    void memberListHashIgnoresOrderAndSeesEveryAddress()
    {
        final ClusterMember[] members = ClusterMember.parse("0=h:1:2,1=h:3:4,2=h:5:6", 1000, "members");
        final ClusterMember[] reordered = ClusterMember.parse("2=h:5:6,0=h:1:2,1=h:3:4", 1000, "members");
        final ClusterMember[] otherPort = ClusterMember.parse("0=h:1:2,1=h:3:4,2=h:5:7", 1000, "members");
        assertEquals("0=h:1:2,1=h:3:4,2=h:5:6", MemberListHash.canonical(reordered));
        assertEquals(MemberListHash.hash(MemberListHash.canonical(members)),
            MemberListHash.hash(MemberListHash.canonical(reordered)));
        assertNotEquals(MemberListHash.hash(MemberListHash.canonical(members)),
            MemberListHash.hash(MemberListHash.canonical(otherPort)));
    }

    @Test
    void clusterKeyReadsHexBase64AndFilesAndRefusesShortKeys(final @org.junit.jupiter.api.io.TempDir Path dir)
        throws Exception
    {
        final byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte)0xAB);
        assertArrayEquals(bytes, ClusterKey.read("ab".repeat(32), null));
        assertArrayEquals(bytes, ClusterKey.read(Base64.getEncoder().encodeToString(bytes), null));
        final Path file = dir.resolve("cluster.key");
        Files.writeString(file, "AB".repeat(32) + "\n");
        assertArrayEquals(bytes, ClusterKey.read(null, file.toString()));
        assertEquals(null, ClusterKey.read(null, null));
        assertEquals(64, ClusterKey.generate().length());
        assertNotEquals(ClusterKey.generate(), ClusterKey.generate());

        assertThrows(ConfigurationException.class, () -> ClusterKey.read("abcd", null), "2 bytes");
        assertThrows(ConfigurationException.class, () -> ClusterKey.read("not base64!", null));
        assertThrows(ConfigurationException.class, () -> ClusterKey.read("ab".repeat(32), file.toString()));
        assertThrows(ConfigurationException.class, () -> ClusterKey.read(null, dir.resolve("none").toString()));
    }

    @Test
    void aNodeWithoutAClusterKeyRefusesToStartUnlessAuthenticationIsOff()
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class, () -> new Context()
            .nodeId(1).stateMachine(new RecordingStateMachine()).conclude());
        assertTrue(ex.getMessage().contains("synod.cluster.key") &&
            ex.getMessage().contains("synod.cluster.key.file") &&
            ex.getMessage().contains("synod.peer.authentication"), ex.getMessage());
        final Context off = new Context().nodeId(1).stateMachine(new RecordingStateMachine());
        off.peers().peerAuthentication(false);
        assertEquals(null, off.conclude().peers().peerKey());
        final Context on = new Context().nodeId(1).stateMachine(new RecordingStateMachine());
        on.peers().clusterKey(TestCluster.CLUSTER_KEY);
        assertArrayEquals(KEY, on.conclude().peers().peerKey());
        assertFalse(on.toString().contains(TestCluster.CLUSTER_KEY), "the key is never printed");
    }

    private static UnsafeBuffer sealed(final PeerTrailer trailer, final int length)
    {
        final UnsafeBuffer wire = new UnsafeBuffer(new byte[length + PeerTrailer.LENGTH]);
        for (int i = 0; i < length; i++)
        {
            wire.putByte(i, (byte)i);
        }
        final UnsafeBuffer trailerBytes = new UnsafeBuffer(new byte[PeerTrailer.LENGTH]);
        trailer.seal(wire, 0, length, trailerBytes);
        wire.putBytes(length, trailerBytes, 0, PeerTrailer.LENGTH);
        return wire;
    }
}
