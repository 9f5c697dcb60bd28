package io.vmsnapshot.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomHexTest {
    @Test
    void givesTwoLowerCaseHexDigitsPerByte() {
        String hex = RandomHex.of(8);

        assertEquals(16, hex.length(), hex);
        assertTrue(hex.matches("[0-9a-f]{16}"), hex);
    }

    @Test
    void neverRepeatsItselfInAThousandDraws() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertTrue(seen.add(RandomHex.of(8)), "a repeated value after " + i + " draws");
        }
    }
}
