package io.vmsnapshot.e2e.freeze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.fixtures.LoopMount;
import io.vmsnapshot.e2e.fixtures.WriteProbe;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * kill -9 of the handler's JVM while the file systems are frozen: the helper sees end of file on
 * its control pipe and thaws at once — the case that left upstream's VMs frozen until its timeout.
 * Speed is a benchmark's question; here the bound only has to be far below the holder's
 * 120 s auto-thaw, with room for a loaded machine to tear down a killed JVM.
 */
class ParentDeathTest {
    @TempDir
    Path runDir;

    @BeforeEach
    void root() {
        FreezeFixtures.assumeRoot();
    }

    @ParameterizedTest
    @EnumSource(LoopMount.FsType.class)
    void sigkillOfTheJvmHoldingTheFreeze_thawsAtOnceNotAtTheHelpersTimeout(LoopMount.FsType type) throws Exception {
        try (LoopMount loop = LoopMount.create(type)) {
            Process holder = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData",
                    "-cp", System.getProperty("java.class.path"), FreezeHolder.class.getName(),
                    FreezeFixtures.helper().toString(), runDir.toString(), loop.mountPoint().toString()))
                    .redirectError(Redirect.DISCARD)
                    .start();
            try {
                assertEquals("frozen", firstLine(holder), "the holder JVM did not freeze");
                assertTrue(WriteProbe.isFrozen(loop.mountPoint()));

                try (WriteProbe writer = WriteProbe.start(loop.mountPoint())) {
                    holder.destroyForcibly();
                    assertTrue(writer.completesWithin(Duration.ofSeconds(20)), "not thawed within 20 s of the kill");
                }
            } finally {
                holder.destroyForcibly();
                holder.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String firstLine(Process process) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                return "read failed: " + e.getMessage();
            }
        }).get(60, TimeUnit.SECONDS);
    }
}
