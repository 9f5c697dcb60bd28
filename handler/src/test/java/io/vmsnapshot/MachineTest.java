package io.vmsnapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MachineTest {
    @Test
    void theJvmsNamesForX86AreTranslatedToWhatUnameSays() {
        assertEquals(new Machine("x86_64"), Machine.fromOsArch("amd64"));
        assertEquals(new Machine("x86_64"), Machine.fromOsArch("x86_64"));
    }

    @Test
    void arm64IsNamedAarch64LikeTheKernelNamesIt() {
        assertEquals(new Machine("aarch64"), Machine.fromOsArch("aarch64"));
        assertEquals(new Machine("aarch64"), Machine.fromOsArch("arm64"));
    }

    @Test
    void anArchitectureThePackageDoesNotServeKeepsItsOwnName() {
        assertEquals(new Machine("riscv64"), Machine.fromOsArch("riscv64"));
    }

    @Test
    void whatTheLauncherPassedWinsOverTheJvmsGuess() {
        String before = System.getProperty(Machine.PROPERTY);
        try {
            System.setProperty(Machine.PROPERTY, "aarch64");
            assertEquals(new Machine("aarch64"), Machine.current());
        } finally {
            if (before == null) {
                System.clearProperty(Machine.PROPERTY);
            } else {
                System.setProperty(Machine.PROPERTY, before);
            }
        }
    }
}
