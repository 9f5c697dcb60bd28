package io.vmsnapshot.network;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NoProxyTest {
    @Test
    void aNameCoversItselfAndItsSubdomainsButNotLookalikes() {
        NoProxy noProxy = NoProxy.parse("example.com");

        assertTrue(noProxy.matches("example.com"));
        assertTrue(noProxy.matches("blob.EXAMPLE.com"));
        assertFalse(noProxy.matches("badexample.com"));
    }

    @Test
    void aLeadingDotOrStarDotMeansTheSame() {
        assertTrue(NoProxy.parse(".core.windows.net").matches("acct.blob.core.windows.net"));
        assertTrue(NoProxy.parse("*.core.windows.net").matches("acct.blob.core.windows.net"));
        assertTrue(NoProxy.parse(".core.windows.net").matches("core.windows.net"));
    }

    @Test
    void addressesNetworksAndStar() {
        NoProxy noProxy = NoProxy.parse(" 127.0.0.1 , 10.0.0.0/8,::1");

        assertTrue(noProxy.matches("127.0.0.1"));
        assertTrue(noProxy.matches("10.200.3.4"));
        assertFalse(noProxy.matches("11.0.0.1"));
        assertTrue(noProxy.matches("[::1]"));
        assertFalse(noProxy.matches("127.0.0.2"));
        assertTrue(NoProxy.parse("*").matches("anything.example"));
    }

    @Test
    void aPortAfterANameIsIgnored() {
        assertTrue(NoProxy.parse("storage.example:443").matches("storage.example"));
    }

    @Test
    void emptyMatchesNothing() {
        assertFalse(NoProxy.parse("").matches("example.com"));
        assertFalse(NoProxy.parse(",,").matches("example.com"));
    }
}
