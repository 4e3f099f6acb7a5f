package org.meterspec.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entries come back as they were stored, or not at all. */
class DecoderCacheTest {
    static final String KEY = "0123456789abcdef".repeat(4);

    @TempDir
    Path tmp;

    static Map<String, byte[]> blobs(int size, int fill) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) fill);
        return Map.of("a.B", b, "a.B$1", new byte[] {1, 2, 3});
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.sorted().toList();
        }
    }

    @Test
    void anEntryComesBackAsStored() {
        DecoderCache cache = new DecoderCache(tmp.resolve("c"), 1 << 20);

        assertTrue(cache.put("netz_noe_p1", KEY, blobs(100, 7)));
        Map<String, byte[]> back = cache.get("netz_noe_p1", KEY);

        assertNotNull(back);
        assertEquals(Set.of("a.B", "a.B$1"), back.keySet());
        assertArrayEquals(blobs(100, 7).get("a.B"), back.get("a.B"));
        assertNull(cache.get("netz_noe_p1", KEY.replace('0', '1')), "another key");
        assertNull(cache.get("other", KEY), "another meter");
    }

    @Test
    void anEntryIsItsWholeKeysNotJustTheKeyItsFileIsNamedBy() {
        DecoderCache cache = new DecoderCache(tmp.resolve("c"), 1 << 20);
        String sameName = KEY.substring(0, 40) + "f".repeat(24);
        assertEquals(DecoderCache.fileName("m", KEY), DecoderCache.fileName("m", sameName));

        cache.put("m", KEY, blobs(10, 1));

        assertNull(cache.get("m", sameName));
        assertNotNull(cache.get("m", KEY));
    }

    @Test
    void theDirectoryIsTheOwnersAlone() throws IOException {
        DecoderCache cache = new DecoderCache(tmp.resolve("c"), 1 << 20);
        cache.put("m", KEY, blobs(10, 1));

        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView("posix"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("c"))));
        for (Path f : files(tmp.resolve("c"))) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
        }
    }

    @Test
    void aDamagedOrCutEntryIsAMiss() throws IOException {
        DecoderCache cache = new DecoderCache(tmp.resolve("c"), 1 << 20);
        cache.put("m", KEY, blobs(1000, 3));
        Path entry = files(tmp.resolve("c")).get(0);
        byte[] whole = Files.readAllBytes(entry);

        for (int at : new int[] {0, 20, whole.length / 2, whole.length - 1}) {
            byte[] damaged = whole.clone();
            damaged[at] ^= 0x40;
            Files.write(entry, damaged);
            assertNull(cache.get("m", KEY), "damaged at " + at);
        }
        for (int length : new int[] {0, 10, whole.length - 1}) {
            Files.write(entry, Arrays.copyOf(whole, length));
            assertNull(cache.get("m", KEY), "cut to " + length);
        }
        Files.write(entry, whole);
        assertNotNull(cache.get("m", KEY));
    }

    @Test
    void anEntryOthersMayWriteIsNotLoaded() throws IOException {
        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView("posix"));
        DecoderCache cache = new DecoderCache(tmp.resolve("c"), 1 << 20);
        cache.put("m", KEY, blobs(10, 1));
        Path entry = files(tmp.resolve("c")).get(0);

        Files.setPosixFilePermissions(entry, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertNull(cache.get("m", KEY));
        Files.setPosixFilePermissions(entry, PosixFilePermissions.fromString("rw-------"));
        assertNotNull(cache.get("m", KEY));
        Files.setPosixFilePermissions(tmp.resolve("c"), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertNull(cache.get("m", KEY), "a directory anyone may write to");
    }

    @Test
    void aLinkInPlaceOfAnEntryIsNotFollowed() throws IOException {
        DecoderCache cache = new DecoderCache(tmp.resolve("c"), 1 << 20);
        cache.put("m", KEY, blobs(10, 1));
        Path entry = files(tmp.resolve("c")).get(0);
        Path elsewhere = Files.move(entry, tmp.resolve("elsewhere"));

        Files.createSymbolicLink(entry, elsewhere);

        assertNull(cache.get("m", KEY));
    }

    @Test
    void theLeastRecentlyUsedEntriesGoWhenTheCacheIsFull() throws IOException {
        DecoderCache cache = new DecoderCache(tmp.resolve("c"), 25_000);
        String[] keys = {KEY, KEY.replace('0', '1'), KEY.replace('0', '2')};
        cache.put("m", keys[0], blobs(10_000, 0));
        cache.put("m", keys[1], blobs(10_000, 1));
        List<Path> stored = files(tmp.resolve("c"));
        // the first was stored earlier but used since: the second is the least recently used
        for (Path p : stored) {
            Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        }
        assertNotNull(cache.get("m", keys[0]));

        cache.put("m", keys[2], blobs(10_000, 2));

        assertNotNull(cache.get("m", keys[0]));
        assertNull(cache.get("m", keys[1]));
        assertNotNull(cache.get("m", keys[2]));
        assertEquals(2, files(tmp.resolve("c")).size());
    }

    @Test
    void temporaryFilesLeftByADeadRunAreRemoved() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("c"));
        Path old = Files.writeString(dir.resolve("m-123.tmp"), "half an entry");
        Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - 2 * 3600_000));
        Path young = Files.writeString(dir.resolve("m-456.tmp"), "being written");

        new DecoderCache(dir, 1 << 20).put("m", KEY, blobs(10, 1));

        assertFalse(Files.exists(old));
        assertTrue(Files.exists(young));
    }

    @Test
    void concurrentRunsStoringAndReadingTheSameEntrySeeItWholeOrNotAtAll() throws Exception {
        Path dir = tmp.resolve("c");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                runs.add(pool.submit(() -> {
                    int seen = 0;
                    for (int i = 0; i < 200; i++) {
                        DecoderCache cache = new DecoderCache(dir, 1 << 20);
                        Map<String, byte[]> got = cache.get("m", KEY);
                        if (got != null) {
                            assertArrayEquals(blobs(50_000, 9).get("a.B"), got.get("a.B"));
                            seen++;
                        }
                        assertTrue(cache.put("m", KEY, blobs(50_000, 9)));
                    }
                    return seen;
                }));
            }
            int seen = 0;
            for (Future<Integer> f : runs) {
                seen += f.get();
            }
            assertTrue(seen > 0);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, files(dir).size(), files(dir).toString());
    }

    @Test
    void aCacheWhereADirectoryCannotBeIsAlwaysAMiss() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        DecoderCache cache = new DecoderCache(file.resolve("c"), 1 << 20);

        assertFalse(cache.put("m", KEY, blobs(10, 1)));
        assertNull(cache.get("m", KEY));
    }
}
