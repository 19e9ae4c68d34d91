package io.synod.node;

import io.aeron.ChannelUri;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connect policy's rules, the token authenticator and principal ids, without a network.
 */
class ConnectPolicyRulesTest
{
    private final ConnectPolicy policy = new ConnectPolicy(10, 10, 1024 * 1024, false, false);

    @Test
    void hostOfAnIdentityOrEndpoint()
    {
        assertEquals("127.0.0.1", ConnectPolicy.host("127.0.0.1:40000"));
        assertEquals("::1", ConnectPolicy.host("[::1]:40000"));
        assertEquals("10.0.0.5", ConnectPolicy.host("10.0.0.5:1"));
        assertEquals("localhost", ConnectPolicy.host("localhost:0"));
    }

    @Test
    void udpToTheSenderOrLoopbackWithABoundedTermIsAllowed()
    {
        assertDoesNotThrow(() -> policy.check(ChannelUri.parse("aeron:udp?endpoint=10.0.0.5:40000"), "10.0.0.5"));
        assertDoesNotThrow(() -> policy.check(ChannelUri.parse("aeron:udp?endpoint=127.0.0.1:40000"), null));
        assertDoesNotThrow(() -> policy.check(
            ChannelUri.parse("aeron:udp?endpoint=[::1]:40000|term-length=1m"), "10.0.0.5"));
    }

    @Test
    void otherHostsIpcLargeTermsAndMultiDestinationAreRefusedNamingTheSetting()
    {
        final IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
            () -> policy.check(ChannelUri.parse("aeron:udp?endpoint=10.0.0.6:40000"), "10.0.0.5"));
        assertTrue(other.getMessage().contains("synod.allow.any.response.address"), other.getMessage());
        final IllegalArgumentException ipc = assertThrows(IllegalArgumentException.class,
            () -> policy.check(ChannelUri.parse("aeron:ipc"), "10.0.0.5"));
        assertTrue(ipc.getMessage().contains("synod.allow.ipc.response"), ipc.getMessage());
        final IllegalArgumentException term = assertThrows(IllegalArgumentException.class,
            () -> policy.check(ChannelUri.parse("aeron:udp?endpoint=127.0.0.1:1|term-length=2m"), null));
        assertTrue(term.getMessage().contains("synod.max.response.term.length"), term.getMessage());
        assertThrows(IllegalArgumentException.class, () -> policy.check(
            ChannelUri.parse("aeron:udp?control=10.0.0.6:40000|control-mode=dynamic"), "10.0.0.5"));
    }

    @Test
    void tokensNamePrincipalsAndRefuseEverythingElse()
    {
        final TokenAuthenticator tokens = TokenAuthenticator.parse("alice=0123456789abcdef-a,bob=0123456789abcdef-b");
        assertEquals("alice", tokens.authenticate(1, bytes("0123456789abcdef-a"), 18));
        assertEquals("bob", tokens.authenticate(1, bytes("0123456789abcdef-b"), 18));
        assertNull(tokens.authenticate(1, bytes("0123456789abcdef-c"), 18));
        assertNull(tokens.authenticate(1, bytes(""), 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenAuthenticator(Map.of("short", "123")));
    }

    @Test
    void principalIdsAreStableAndAnonymousIsZero()
    {
        assertEquals(0, IngressAdapter.principalId(Authenticator.ANONYMOUS));
        assertEquals(IngressAdapter.principalId("alice"), IngressAdapter.principalId("alice"));
        assertNotEquals(IngressAdapter.principalId("alice"), IngressAdapter.principalId("bob"));
        assertNotEquals(0, IngressAdapter.principalId("alice"));
    }

    private static UnsafeBuffer bytes(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }
}
