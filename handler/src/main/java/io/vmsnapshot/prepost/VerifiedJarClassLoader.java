package io.vmsnapshot.prepost;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

/**
 * Defines the plugin host's classes from jar bytes already in memory (the bytes whose digest was
 * just checked), so no file is opened again after the check. Classes of the plugin host package
 * are only ever taken from these bytes, never from the parent: a copy elsewhere on the class path
 * cannot stand in for the verified one. Everything else (the prepost API, the JDK, slf4j, Jackson)
 * comes from the handler's own class loader.
 */
final class VerifiedJarClassLoader extends ClassLoader {
    static final String VERIFIED_PACKAGE = "io.vmsnapshot.pluginhost.";

    static {
        registerAsParallelCapable();
    }

    private final Map<String, byte[]> classes;

    VerifiedJarClassLoader(byte[] jar, ClassLoader parent) throws IOException {
        super("pluginhost", parent);
        this.classes = classesOf(jar);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(VERIFIED_PACKAGE)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                loaded = findClass(name);
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) {
            throw new ClassNotFoundException(name + " is not in the verified plugin host jar");
        }
        return defineClass(name, bytes, 0, bytes.length);
    }

    private static Map<String, byte[]> classesOf(byte[] jar) throws IOException {
        Map<String, byte[]> classes = new HashMap<>();
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                String name = entry.getName();
                if (!entry.isDirectory() && name.endsWith(".class")) {
                    classes.put(name.substring(0, name.length() - ".class".length()).replace('/', '.'),
                            in.readAllBytes());
                }
            }
        }
        if (classes.isEmpty()) {
            throw new IOException("contains no classes");
        }
        return Map.copyOf(classes);
    }
}
