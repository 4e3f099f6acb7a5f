package org.meterspec.gen.c;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The hand-written part of the C component (runtime, crypto ports, harness, build files), as the
 * generator jar carries it from {@code generated-c/}: what {@code generate --lang c} writes beside
 * the meters it generates.
 */
final class Component {
    private static final String ROOT = "component/";

    private Component() {
    }

    /** Every file, by its path in the component, in path order. */
    static Map<String, String> files() {
        URL root = Component.class.getResource(ROOT);
        if (root == null) {
            throw new IllegalStateException("the C runtime is missing from the generator");
        }
        Map<String, String> out = new TreeMap<>();
        try {
            if (root.getProtocol().equals("jar")) {
                JarURLConnection c = (JarURLConnection) root.openConnection();
                c.setUseCaches(false);
                String prefix = c.getEntryName();
                try (JarFile jar = c.getJarFile()) {
                    Enumeration<JarEntry> entries = jar.entries();
                    while (entries.hasMoreElements()) {
                        JarEntry e = entries.nextElement();
                        if (!e.isDirectory() && e.getName().startsWith(prefix)) {
                            try (InputStream in = jar.getInputStream(e)) {
                                out.put(e.getName().substring(prefix.length()), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                            }
                        }
                    }
                }
            } else {
                Path dir = Path.of(root.toURI());
                try (Stream<Path> walk = Files.walk(dir)) {
                    for (Path f : walk.filter(Files::isRegularFile).toList()) {
                        out.put(dir.relativize(f).toString().replace('\\', '/'), Files.readString(f, StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
