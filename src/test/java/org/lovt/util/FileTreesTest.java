package org.lovt.util;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileTreesTest {
    @Test
    void deletesEverythingButNeverFollowsLinks(@TempDir Path tmp) throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("source-images"));
        Files.writeString(outside.resolve("keep.jpg"), "x");
        Path root = Files.createDirectories(tmp.resolve("prepared/train"));
        Files.writeString(root.resolve("samples.jsonl"), "{}");
        Files.createSymbolicLink(tmp.resolve("prepared/images"), outside);
        FileTrees.deleteTree(tmp.resolve("prepared"));
        assertFalse(Files.exists(tmp.resolve("prepared")));
        assertTrue(Files.exists(outside.resolve("keep.jpg")), "the link's target is untouched");
        FileTrees.deleteTree(tmp.resolve("absent"));             // no-op
    }
}
