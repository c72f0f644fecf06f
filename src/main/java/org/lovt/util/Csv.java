package org.lovt.util;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.lovt.LovtException;

/**
 * The one CSV reader and writer: the data sets' comma-separated files (plain or {@code .csv.gz}, as PhysioNet ships
 * MIMIC-CXR) are parsed by Apache Commons CSV (RFC 4180: quoted fields may hold commas, doubled quotes and line
 * breaks), and the outputs are written the way Python's {@code csv.writer} and {@code pandas.DataFrame.to_csv}
 * write them, so the reference Python code reads them unchanged.
 *
 * <p>Reading, as {@code pandas.read_csv} does where it matters: a header row, blank lines skipped, a UTF-8 byte order
 * mark ignored, a quote inside an unquoted field taken literally and text after a closing quote appended to the
 * field. Every error names {@code file:line}, the line on which the record starts. {@link #read} is strict (the
 * first bad record fails the file); {@link #forEachRow} hands bad records to the caller and goes on.
 *
 * <p>Writing: Python's {@code QUOTE_MINIMAL}. A field is quoted only when it holds a comma, a quote or a line break
 * (quotes doubled), and a row of one empty field is written {@code ""}. Commons CSV's own {@code MINIMAL} mode is
 * not used because it also quotes an empty first field and fields that start with a space, {@code #} or
 * {@code !}, which Python does not. The line end is the caller's: {@link #LF} for what pandas writes, {@link #CRLF}
 * for what {@code csv.writer} / {@code csv.DictWriter} write by default.
 */
public final class Csv {
    /** Line end of {@code DataFrame.to_csv} (on Linux) and of the committed split files. */
    public static final String LF = "\n";
    /** Default line end of Python's {@code csv.writer} and {@code csv.DictWriter}. */
    public static final String CRLF = "\r\n";

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setIgnoreEmptyLines(false) // skipped here, so that every record's first line is known
            .setTrailingData(true)
            .get();

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
     * Reads a whole CSV file with a header row; rows shorter than the header are padded with empty fields (as pandas
     * gives NaN).
     *
     * @throws LovtException naming the file (and the line) when it is missing, not UTF-8, empty, has an unterminated
     *                       quoted field, or a row has more fields than the header
     */
    public static Table read(Path file) {
        List<List<String>> records = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        parse(file, true, (line, fields) -> {
            records.add(fields);
            lines.add(line);
        }, (line, reason) -> {
            throw new LovtException(file + ":" + line + ": " + reason);
        });
        if (records.isEmpty()) {
            throw new LovtException(file + ": empty file (a header row is expected)");
        }
        List<String> header = records.get(0);
        List<List<String>> rows = new ArrayList<>(records.size() - 1);
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
        }
        return new Table(file, List.copyOf(header), rows, lines.subList(1, lines.size()));
    }

    /**
     * One data row of {@link #forEachRow}.
     *
     * @param line    1-based line number where the row starts (the header is line 1)
     * @param fields  the fields, as many as the header has columns
     * @param columns indices of the required columns in {@code fields}
     */
    public record Row(int line, List<String> fields, int[] columns) {
        /** The field of the {@code i}-th required column. */
        public String get(int i) {
            return fields.get(columns[i]);
        }
    }

    /** Callback for the rows of {@link #forEachRow}. */
    public interface Visitor {
        /** A well-formed data row. */
        void row(Row row);

        /**
         * A record that could not be read: a field count other than the header's, or an unterminated quoted field
         * (which runs to the end of the file, so it is the last call).
         *
         * @param line   1-based line number where the record starts
         * @param reason what is wrong, without the file name
         */
        void malformed(int line, String reason);
    }

    /**
     * Reads a large CSV file row by row, by column name (so the column order does not matter; header names are
     * matched without surrounding spaces). A malformed record is handed to the visitor instead of failing the
     * file; bytes that are not UTF-8 are read as U+FFFD. A file that cannot be read, has no header or lacks a
     * required column fails at once, before any row is visited.
     *
     * @param required columns that must exist; {@link Row#get(int)} reads them in this order
     * @throws LovtException naming the file
     */
    public static void forEachRow(Path file, List<String> required, Visitor visitor) {
        int[][] cols = {null};
        int[] width = {0};
        parse(file, false, (line, fields) -> {
            if (cols[0] == null) {
                cols[0] = columns(file, fields, required);
                width[0] = fields.size();
            } else if (fields.size() != width[0]) {
                visitor.malformed(line, fields.size() + " fields, the header has " + width[0]);
            } else {
                visitor.row(new Row(line, fields, cols[0]));
            }
        }, (line, reason) -> {
            if (cols[0] == null) {
                throw new LovtException(file + ":" + line + ": malformed CSV header: " + reason);
            }
            visitor.malformed(line, reason);
        });
        if (cols[0] == null) {
            throw new LovtException(file + ": empty CSV file (no header)");
        }
    }

    private static int[] columns(Path file, List<String> header, List<String> required) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            index.putIfAbsent(header.get(i).strip(), i);
        }
        int[] cols = new int[required.size()];
        for (int i = 0; i < cols.length; i++) {
            Integer c = index.get(required.get(i));
            if (c == null) {
                throw new LovtException(file + ": no column '" + required.get(i) + "' in the header " + header);
            }
            cols[i] = c;
        }
        return cols;
    }

    private interface Records {
        void record(int line, List<String> fields);
    }

    private interface Errors {
        void error(int line, String reason);
    }

    /** Parses every non-blank record; an unterminated quote or undecodable text ends the file after one error. */
    private static void parse(Path file, boolean strictUtf8, Records records, Errors errors) {
        try (Reader reader = open(file, strictUtf8); CSVParser p = CSVParser.builder().setReader(reader)
                .setFormat(FORMAT).get()) {
            Iterator<CSVRecord> it = p.iterator();
            while (true) {
                // Blank lines are records here, so the line after the last record is where the next one starts.
                int line = (int) p.getCurrentLineNumber() + 1;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                } catch (UncheckedIOException e) {
                    errors.error(line, reason(file, e.getCause()));
                    break;
                }
                List<String> fields = new ArrayList<>(it.next().toList());
                if (fields.size() == 1 && fields.get(0).isEmpty()) {
                    continue; // a blank line
                }
                if (line == 1 && !fields.isEmpty() && fields.get(0).startsWith("\uFEFF")) {
                    fields.set(0, fields.get(0).substring(1));
                }
                records.record(line, fields);
            }
        } catch (NoSuchFileException e) {
            throw new LovtException(file + ": file not found");
        } catch (IOException e) {
            throw new LovtException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static String reason(Path file, IOException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("EOF reached before encapsulated token finished")) {
            return "unterminated quoted field";
        }
        if (e instanceof CSVException) {
            return m.replaceFirst("^\\(line \\d+\\) ", "").replaceFirst("^\\(startline \\d+\\) ", "");
        }
        throw new LovtException(file + ": cannot read: " + m, e);
    }

    private static Reader open(Path file, boolean strictUtf8) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            if (file.getFileName().toString().endsWith(".gz")) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            if (strictUtf8) {
                try (InputStream all = in) {
                    return new StringReader(strictUtf8(file, all.readAllBytes()));
                }
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Decodes the whole file, so that the first byte that is not UTF-8 can be named by its line. */
    private static String strictUtf8(Path file, byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = StandardCharsets.UTF_8.newDecoder().decode(in, out, true);
        if (r.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new LovtException(file + ":" + line + ": not UTF-8 text (byte " + in.position() + ")");
        }
        return out.flip().toString();
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

    /** {@link #line(List)} of the given fields. */
    public static String line(String... fields) {
        return line(List.of(fields));
    }

    /** Writes a CSV file row by row (UTF-8, {@link #line(List)} quoting, a fixed line end). */
    public static final class Writer implements Closeable {
        private final java.io.Writer out;
        private final String lineEnd;

        private Writer(java.io.Writer out, String lineEnd) {
            this.out = out;
            this.lineEnd = lineEnd;
        }

        /**
         * Creates (or truncates) {@code file}.
         *
         * @param lineEnd {@link #LF} or {@link #CRLF}
         */
        public static Writer create(Path file, String lineEnd) throws IOException {
            if (!lineEnd.equals(LF) && !lineEnd.equals(CRLF)) {
                throw new IllegalArgumentException("line end must be \\n or \\r\\n");
            }
            return new Writer(new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file),
                    StandardCharsets.UTF_8), 1 << 16), lineEnd);
        }

        /** Writes one row. */
        public Writer row(List<String> fields) throws IOException {
            out.write(line(fields));
            out.write(lineEnd);
            return this;
        }

        /** Writes one row. */
        public Writer row(String... fields) throws IOException {
            return row(List.of(fields));
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
