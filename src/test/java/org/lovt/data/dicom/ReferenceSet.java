package org.lovt.data.dicom;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.lovt.TestData;

/** The pydicom 2.3.1 reference set under {@code testdata/data/dicom}: {@code manifest.csv} plus one JSON per file. */
final class ReferenceSet {
    private ReferenceSet() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One manifest row, with its JSON. */
    record Entry(String file, Map<String, String> row, JsonNode json) {
        String stem() {
            return file.substring(0, file.length() - ".dcm".length());
        }

        Path path() {
            return dir().resolve(file);
        }

        boolean malformed() {
            return json.path("malformed").asBoolean(false);
        }

        boolean pixelsExpected() {
            return json.path("pixels_expected").asBoolean(false);
        }

        boolean optionalDecoder() {
            return !json.path("optional_decoder").isNull() && !json.path("optional_decoder").isMissingNode();
        }

        byte[] expectedPixels() {
            return read(dir().resolve(json.get("pixels_file").asText()));
        }

        @Override
        public String toString() {
            return file;
        }
    }

    static Path dir() {
        return TestData.require("data/dicom");
    }

    static List<Entry> entries() {
        Path manifest = TestData.require("data/dicom/manifest.csv");
        List<Entry> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(manifest);
            List<String> header = parseCsvLine(lines.get(0));
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                List<String> cells = parseCsvLine(line);
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    row.put(header.get(i), i < cells.size() ? cells.get(i) : "");
                }
                String file = row.get("file");
                String stem = file.substring(0, file.length() - ".dcm".length());
                JsonNode json = JSON.readTree(TestData.require("data/dicom/" + stem + ".json").toFile());
                out.add(new Entry(file, row, json));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static Entry entry(String file) {
        return entries().stream().filter(e -> e.file().equals(file)).findFirst()
                .orElseThrow(() -> new AssertionError(file + " is not in manifest.csv"));
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RFC 4180 fields: commas inside quotes, doubled quotes as a literal quote. */
    static List<String> parseCsvLine(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        cells.add(cur.toString());
        return cells;
    }
}
