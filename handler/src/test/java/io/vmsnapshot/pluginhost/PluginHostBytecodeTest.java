package io.vmsnapshot.pluginhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The plugin host's classes have no {@code invokedynamic} (see package-info): its class loader is
 * not one the AOT cache resolves call sites for, so each one would cost every backup with scripts
 * lambda and method-handle classes spun at run time. Reads the constant pool of every compiled class
 * of the package: a lambda, a method reference, a record without its own {@code equals}, {@code
 * hashCode} or {@code toString}, or a string concatenation compiled without {@code
 * -XDstringConcat=inline} each leave a {@code CONSTANT_InvokeDynamic} entry; a dynamic constant a
 * {@code CONSTANT_Dynamic} one.
 */
class PluginHostBytecodeTest {
    private static final Path PLUGIN_HOST_CLASSES = Path.of("target/classes/io/vmsnapshot/pluginhost");
    private static final int UTF8 = 1;
    private static final int INTEGER = 3;
    private static final int FLOAT = 4;
    private static final int LONG = 5;
    private static final int DOUBLE = 6;
    private static final int CLASS = 7;
    private static final int STRING = 8;
    private static final int FIELD_REF = 9;
    private static final int METHOD_REF = 10;
    private static final int INTERFACE_METHOD_REF = 11;
    private static final int NAME_AND_TYPE = 12;
    private static final int METHOD_HANDLE = 15;
    private static final int METHOD_TYPE = 16;
    private static final int DYNAMIC = 17;
    private static final int INVOKE_DYNAMIC = 18;
    private static final int MODULE = 19;
    private static final int PACKAGE = 20;

    @Test
    void noPluginHostClassHasADynamicCallSiteOrConstant() throws IOException {
        List<Path> classes = classFiles(PLUGIN_HOST_CLASSES);
        assertFalse(classes.isEmpty(), "no compiled classes under " + PLUGIN_HOST_CLASSES);
        List<String> offenders = new ArrayList<>();
        for (Path file : classes) {
            List<String> dynamic = dynamicEntries(Files.readAllBytes(file));
            if (!dynamic.isEmpty()) {
                offenders.add(PLUGIN_HOST_CLASSES.relativize(file) + " " + dynamic);
            }
        }
        assertEquals(List.of(), offenders, "classes of the plugin host with invokedynamic or a dynamic constant"
                + " (write a loop or a named class; give the record equals, hashCode and toString)");
    }

    @Test
    void theCheckFindsTheCallSiteOfALambda() throws IOException {
        Supplier<String> lambda = () -> "a lambda";
        Path self = Path.of("target/test-classes/io/vmsnapshot/pluginhost/PluginHostBytecodeTest.class");
        assertFalse(dynamicEntries(Files.readAllBytes(self)).isEmpty(), lambda.get());
    }

    private static List<Path> classFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(file -> file.toString().endsWith(".class")).sorted().toList();
        }
    }

    /** The constant pool's InvokeDynamic and Dynamic entries, as "#index InvokeDynamic". */
    private static List<String> dynamicEntries(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor version
        in.readUnsignedShort(); // major version
        int count = in.readUnsignedShort();
        List<String> dynamic = new ArrayList<>();
        for (int index = 1; index < count; index++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case UTF8 -> in.skipNBytes(in.readUnsignedShort());
                case CLASS, STRING, METHOD_TYPE, MODULE, PACKAGE -> in.skipNBytes(2);
                case METHOD_HANDLE -> in.skipNBytes(3);
                case INTEGER, FLOAT, FIELD_REF, METHOD_REF, INTERFACE_METHOD_REF, NAME_AND_TYPE -> in.skipNBytes(4);
                case LONG, DOUBLE -> {
                    in.skipNBytes(8);
                    index++; // takes two entries of the pool
                }
                case DYNAMIC, INVOKE_DYNAMIC -> {
                    in.skipNBytes(4);
                    dynamic.add("#" + index + (tag == DYNAMIC ? " Dynamic" : " InvokeDynamic"));
                }
                default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + index);
            }
        }
        return dynamic;
    }
}
