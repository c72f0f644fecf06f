package org.lovt.data.datasets.prepare;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.lovt.LovtException;

/**
 * The comma-separated files of the published data sets, read the way {@code pandas.read_csv} reads them where it
 * matters (a header row, RFC 4180 quoting, blank lines skipped, short rows padded with empty fields, a UTF-8 BOM
 * ignored), and the split files written the way Python's {@code csv.writer} writes them (minimal quoting, {@code \n}
 * line ends as in the committed split files).
 */
public final class Csv {
    private Csv() {}

    /**
     * A parsed file: its header and its rows, each row as long as the header.
     *
     * @param file   where it came from (for messages)
     * @param header the column names of the first row
     * @param rows   the data rows
     * @param lines  the 1-based line number on which each row starts
     */
    public record Table(Path file, List<String> header, List<List<String>> rows, List<Integer> lines) {
        /** Index of the named column. @throws LovtException naming the file and the column when it is missing */
        public int column(String name) {
            int i = header.indexOf(name);
            if (i < 0) {
                throw new LovtException(file + ": missing column '" + name + "' (columns: " + header + ")");
            }
            return i;
        }

        /** Number of data rows. */
        public int size() {
            return rows.size();
        }

        /** The field of row {@code row} in column {@code col}. */
        public String get(int row, int col) {
            return rows.get(row).get(col);
        }

        /** {@code file:line} of a row, for messages. */
        public String where(int row) {
            return file + ":" + lines.get(row);
        }
    }

    /**
     * Reads a CSV file with a header row.
     *
     * @throws LovtException when the file is missing, not UTF-8, empty, or a row has more fields than the header
     */
    public static Table read(Path file) {
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new LovtException(file + ": file not found");
        } catch (CharacterCodingException e) {
            throw new LovtException(file + ": not a UTF-8 text file");
        } catch (IOException e) {
            throw new LovtException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<List<String>> records = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        parse(text, file, records, lines);
        if (records.isEmpty()) {
            throw new LovtException(file + ": empty file (a header row is expected)");
        }
        List<String> header = records.get(0);
        List<List<String>> rows = new ArrayList<>(records.size() - 1);
        List<Integer> rowLines = new ArrayList<>(records.size() - 1);
        for (int r = 1; r < records.size(); r++) {
            List<String> rec = records.get(r);
            if (rec.size() > header.size()) {
                throw new LovtException(file + ":" + lines.get(r) + ": " + rec.size() + " fields, but the header has "
                        + header.size());
            }
            while (rec.size() < header.size()) {
                rec.add("");
            }
            rows.add(rec);
            rowLines.add(lines.get(r));
        }
        return new Table(file, List.copyOf(header), rows, rowLines);
    }

    private static void parse(String text, Path file, List<List<String>> records, List<Integer> lines) {
        int n = text.length();
        int i = 0;
        int line = 1;
        while (i < n) {
            int startLine = line;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean endOfRecord = false;
            while (i < n && !endOfRecord) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            field.append('"');
                            i += 2;
                            continue;
                        }
                        quoted = false;
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        field.append(c);
                    }
                    i++;
                    continue;
                }
                switch (c) {
                    case '"' -> quoted = true;
                    case ',' -> {
                        fields.add(field.toString());
                        field.setLength(0);
                    }
                    case '\r' -> {
                        if (i + 1 < n && text.charAt(i + 1) == '\n') {
                            i++;
                        }
                        endOfRecord = true;
                        line++;
                    }
                    case '\n' -> {
                        endOfRecord = true;
                        line++;
                    }
                    default -> field.append(c);
                }
                i++;
            }
            if (quoted) {
                throw new LovtException(file + ":" + startLine + ": unterminated quoted field");
            }
            fields.add(field.toString());
            boolean blank = fields.size() == 1 && fields.get(0).isEmpty();
            if (!blank) {
                records.add(fields);
                lines.add(startLine);
            }
        }
    }

    /** One row as Python's {@code csv.writer} writes it (QUOTE_MINIMAL), without the line end. */
    public static String line(List<String> fields) {
        if (fields.size() == 1 && fields.get(0).isEmpty()) {
            return "\"\"";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String f = fields.get(i);
            if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
                sb.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(f);
            }
        }
        return sb.toString();
    }
}
