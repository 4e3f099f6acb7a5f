package org.meterspec.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.meterspec.runtime.Captures;

/**
 * Compiled decoders kept on disk between runs, so that decoding with a spec compiles it once.
 * An entry is a set of named blobs (class files) under a key the caller derives from everything
 * the blobs depend on; one file per entry, named by the meter and the key.
 *
 * <p>Safe to share between concurrent runs and never trusted blindly: an entry is written to a
 * temporary file and renamed into place (readers see a whole entry or none), carries its key and
 * a SHA-256 of its content (a truncated, corrupt or foreign file is a miss), is read only from a
 * regular file owned by the directory's owner and writable by no one else (the entries are code
 * that will run), and every failure to read or write is a miss, never an error: the caller
 * compiles instead. The directory is kept under a size bound by removing the entries used least
 * recently.
 */
public final class DecoderCache {
    /** Bound of the whole directory; an entry (one decoder's classes) takes some tens of KB. */
    public static final long DEFAULT_MAX_BYTES = 32L << 20;

    private static final long MAX_ENTRY_BYTES = 16L << 20;
    private static final String SUFFIX = ".cache";
    private static final String TEMP_SUFFIX = ".tmp";
    /** A temporary file this old was left by a run that died; younger ones may still be written. */
    private static final Duration ABANDONED = Duration.ofHours(1);
    private static final byte[] MAGIC = "meterspec cache 1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DIGEST_LENGTH = 32;
    /** Hex digits of the key in a file name: enough to keep entries apart; the file holds the whole key. */
    private static final int NAME_KEY_DIGITS = 20;

    private final Path dir;
    private final long maxBytes;

    /** A cache in {@code dir} (created when first written, only readable by its owner) of at most {@code maxBytes}. */
    public DecoderCache(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
    }

    /**
     * The user's cache directory for {@code engine}'s entries: {@code $METERSPEC_CACHE} (or the
     * system property {@code meterspec.cache}) when set, else {@code $XDG_CACHE_HOME/meterspec},
     * else {@code ~/.cache/meterspec}; then a folder per engine. Null when there is no home.
     */
    public static Path userDirectory(String engine) {
        String own = System.getProperty("meterspec.cache");
        if (own == null || own.isBlank()) {
            own = System.getenv("METERSPEC_CACHE");
        }
        Path base;
        if (own != null && !own.isBlank()) {
            base = Path.of(own);
        } else {
            String xdg = System.getenv("XDG_CACHE_HOME");
            // the XDG spec: a relative value is invalid and is ignored
            if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
                base = Path.of(xdg, "meterspec");
            } else {
                String home = System.getProperty("user.home");
                if (home == null || home.isBlank() || home.equals("?")) {
                    return null;
                }
                base = Path.of(home, ".cache", "meterspec");
            }
        }
        return base.resolve(engine);
    }

    public Path directory() {
        return dir;
    }

    /** The entry of {@code meter} under {@code key}, or null when there is none that can be trusted. */
    public Map<String, byte[]> get(String meter, String key) {
        Path file = dir.resolve(fileName(meter, key));
        try {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) || !trusted(file)) {
                return null;
            }
            Map<String, byte[]> entry = decode(Captures.readBytes(file, MAX_ENTRY_BYTES), key);
            if (entry != null) {
                // the least recently used entries go first when the cache is full
                Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
            }
            return entry;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Stores an entry; a failure leaves the cache as it was. Returns whether it was stored. */
    public boolean put(String meter, String key, Map<String, byte[]> blobs) {
        Path temp = null;
        try {
            createDirectory();
            byte[] content = encode(key, blobs);
            if (content.length > MAX_ENTRY_BYTES) {
                return false;
            }
            temp = Files.createTempFile(dir, safe(meter) + "-", TEMP_SUFFIX); // owner-only on POSIX
            Files.write(temp, content);
            Files.move(temp, dir.resolve(fileName(meter, key)), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            temp = null;
            prune();
            return true;
        } catch (AtomicMoveNotSupportedException e) {
            return false; // without an atomic rename a reader could see half an entry
        } catch (IOException | RuntimeException e) {
            return false;
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a leftover temporary file is removed by a later prune
                }
            }
        }
    }

    private void createDirectory() throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    /**
     * Whether an entry may be loaded: a regular file (not a link to elsewhere) with the owner of
     * its directory, and neither it nor the directory writable by group or others. Where the file
     * system has no POSIX permissions, a regular file is enough.
     */
    private boolean trusted(Path file) throws IOException {
        PosixFileAttributes f;
        PosixFileAttributes d;
        try {
            f = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            d = Files.readAttributes(dir, PosixFileAttributes.class);
        } catch (UnsupportedOperationException e) {
            return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
        }
        return f.isRegularFile() && f.owner().equals(d.owner()) && !othersMayWrite(f.permissions())
                && !othersMayWrite(d.permissions());
    }

    private static boolean othersMayWrite(Set<PosixFilePermission> p) {
        return p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE);
    }

    /** Removes abandoned temporary files, then the least recently used entries while over the bound. */
    private void prune() {
        List<Path> entries = new ArrayList<>();
        Map<Path, Long> sizes = new LinkedHashMap<>();
        Map<Path, Long> used = new LinkedHashMap<>();
        long now = System.currentTimeMillis();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(dir)) {
            for (Path p : list) {
                String name = p.getFileName().toString();
                try {
                    long modified = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis();
                    if (name.endsWith(TEMP_SUFFIX)) {
                        if (now - modified > ABANDONED.toMillis()) {
                            Files.deleteIfExists(p);
                        }
                    } else if (name.endsWith(SUFFIX)) {
                        entries.add(p);
                        sizes.put(p, Files.size(p));
                        used.put(p, modified);
                    }
                } catch (IOException e) {
                    // gone meanwhile (another run pruned it): nothing to count
                }
            }
        } catch (IOException | RuntimeException e) {
            return;
        }
        long total = sizes.values().stream().mapToLong(Long::longValue).sum();
        entries.sort(Comparator.comparing(used::get));
        for (Path p : entries) {
            if (total <= maxBytes) {
                break;
            }
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // another run may hold or remove it; the bound is kept on a later put
            }
            total -= sizes.get(p);
        }
    }

    static String fileName(String meter, String key) {
        return safe(meter) + "-" + key.substring(0, Math.min(NAME_KEY_DIGITS, key.length())) + SUFFIX;
    }

    private static String safe(String meter) {
        String s = meter.replaceAll("[^A-Za-z0-9_]", "_");
        return s.substring(0, Math.min(64, s.length()));
    }

    /** {@code MAGIC, key, count, (name, length, bytes)…, SHA-256 of all before}. */
    static byte[] encode(String key, Map<String, byte[]> blobs) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buf)) {
            out.write(MAGIC);
            out.writeUTF(key);
            Map<String, byte[]> sorted = new TreeMap<>(blobs);
            out.writeInt(sorted.size());
            for (Map.Entry<String, byte[]> e : sorted.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().length);
                out.write(e.getValue());
            }
        }
        byte[] body = buf.toByteArray();
        byte[] digest = sha256().digest(body);
        byte[] all = Arrays.copyOf(body, body.length + DIGEST_LENGTH);
        System.arraycopy(digest, 0, all, body.length, DIGEST_LENGTH);
        return all;
    }

    /** The blobs of an encoded entry, or null when it is damaged or another key's. */
    static Map<String, byte[]> decode(byte[] all, String key) {
        if (all.length < MAGIC.length + DIGEST_LENGTH) {
            return null;
        }
        int bodyLength = all.length - DIGEST_LENGTH;
        byte[] digest = sha256().digest(Arrays.copyOf(all, bodyLength));
        if (!MessageDigest.isEqual(digest, Arrays.copyOfRange(all, bodyLength, all.length))) {
            return null;
        }
        if (!Arrays.equals(MAGIC, Arrays.copyOf(all, MAGIC.length))) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, MAGIC.length,
                bodyLength - MAGIC.length))) {
            if (!in.readUTF().equals(key)) {
                return null;
            }
            int n = in.readInt();
            if (n < 0 || n > 10_000) {
                return null;
            }
            Map<String, byte[]> out = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                int length = in.readInt();
                if (length < 0 || length > in.available()) {
                    return null;
                }
                out.put(name, in.readNBytes(length));
            }
            return in.available() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
