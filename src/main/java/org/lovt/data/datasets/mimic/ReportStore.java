package org.lovt.data.datasets.mimic;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.lovt.LovtException;

/**
 * Where the free-text reports are read from: an extracted {@code files/} tree ({@code pXX/pSUBJECT/sSTUDY.txt}) or
 * PhysioNet's {@code mimic-cxr-reports.zip} read in place (the original extracts it first). Reports are decoded as
 * strict UTF-8, like the original's {@code open(..., encoding="utf-8")}. Thread-safe.
 */
abstract class ReportStore implements AutoCloseable {

    /** Outcome of reading one report. */
    sealed interface Read permits Text, Missing, Unreadable {}

    /** The report's text. */
    record Text(String text) implements Read {}

    /** No such report. */
    record Missing(String location) implements Read {}

    /** The report exists but cannot be used. */
    record Unreadable(String location, String reason) implements Read {}

    /** The report at {@code relative} ({@code pXX/pSUBJECT/sSTUDY.txt}). */
    abstract Read read(String relative);

    /** Human-readable location, for messages. */
    abstract String describe();

    @Override
    public void close() {}

    static ReportStore folder(Path filesDir) {
        return new Folder(filesDir);
    }

    static ReportStore zip(Path zipFile) {
        return new Zip(zipFile);
    }

    static Read decode(byte[] bytes, String location) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            // Python's text mode turns \r\n and lone \r into \n (universal newlines) before the section parser sees
            // the text; the parser's header pattern relies on \n.
            if (s.indexOf('\r') >= 0) {
                s = s.replace("\r\n", "\n").replace('\r', '\n');
            }
            return new Text(s);
        } catch (CharacterCodingException e) {
            return new Unreadable(location, "not valid UTF-8");
        }
    }

    private static final class Folder extends ReportStore {
        private final Path root;

        Folder(Path root) {
            this.root = root;
        }

        @Override
        Read read(String relative) {
            Path p = root.resolve(relative);
            try {
                return decode(Files.readAllBytes(p), p.toString());
            } catch (NoSuchFileException e) {
                return new Missing(p.toString());
            } catch (IOException e) {
                return new Unreadable(p.toString(), "cannot read: " + e.getMessage());
            }
        }

        @Override
        String describe() {
            return root.toString();
        }
    }

    private static final class Zip extends ReportStore {
        private final Path file;
        private final ZipFile zip;
        private final String prefix;

        Zip(Path file) {
            this.file = file;
            try {
                this.zip = new ZipFile(file.toFile(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new LovtException(file + ": cannot open the reports zip: " + e.getMessage(), e);
            }
            this.prefix = findPrefix(zip);
        }

        /** The entry-name prefix before {@code pXX/}: "files/" in PhysioNet's zip, found rather than assumed. */
        private static String findPrefix(ZipFile zip) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (name.endsWith(".txt")) {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(^|.*/)p1\\d/p\\d+/s\\d+\\.txt$")
                            .matcher(name);
                    if (m.matches()) {
                        return m.group(1);
                    }
                }
            }
            return "files/";
        }

        @Override
        Read read(String relative) {
            String name = prefix + relative;
            String location = file + "!/" + name;
            ZipEntry e = zip.getEntry(name);
            if (e == null) {
                return new Missing(location);
            }
            try (InputStream in = zip.getInputStream(e)) {
                return decode(in.readAllBytes(), location);
            } catch (IOException ex) {
                return new Unreadable(location, "cannot read: " + ex.getMessage());
            }
        }

        @Override
        String describe() {
            return file.toString();
        }

        @Override
        public void close() {
            try {
                zip.close();
            } catch (IOException ignored) {
                // read-only; nothing to lose
            }
        }
    }
}
