package org.lovt.data.datasets.mimic;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.lovt.LovtException;

/**
 * A small RFC 4180 reader for the MIMIC-CXR CSV files, plain or gzip-compressed ({@code .csv.gz}, as PhysioNet
 * ships them). Rows are read by column name, so the column order does not matter. A row with the wrong number of
 * fields or an unterminated quote is handed to the caller as malformed (with its line number) instead of failing
 * the whole file; an unreadable file or a missing column fails at once, before anything is written.
 */
final class CsvFile {
    private CsvFile() {}

    /**
     * One data row.
     *
     * @param line    1-based line number where the row starts (the header is line 1)
     * @param fields  the fields, as many as the header has columns
     * @param columns indices of the required columns in {@code fields}
     */
    record Row(int line, String[] fields, int[] columns) {
        /** The field of the {@code i}-th required column. */
        String get(int i) {
            return fields[columns[i]];
        }
    }

    /**
     * A row that could not be read.
     *
     * @param line   1-based line number
     * @param reason what is wrong
     */
    record Malformed(int line, String reason) {}

    /** Callback for the rows of a file. */
    interface Visitor {
        void row(Row row);

        void malformed(Malformed row);
    }

    /**
     * Reads {@code file} and calls the visitor for every data row, in file order.
     *
     * @param required columns that must exist; {@link Row#get(int)} reads them in this order
     */
    static void read(Path file, List<String> required, Visitor visitor) {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            Parser p = new Parser(r);
            List<String> header;
            try {
                header = p.next();
            } catch (MalformedRowException e) {
                throw new LovtException(file + ": malformed CSV header: " + e.getMessage());
            }
            if (header == null) {
                throw new LovtException(file + ": empty CSV file (no header)");
            }
            if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
                header.set(0, header.get(0).substring(1));
            }
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
            while (true) {
                int line = p.line + 1;
                List<String> fields;
                try {
                    fields = p.next();
                } catch (MalformedRowException e) {
                    visitor.malformed(new Malformed(line, e.getMessage()));
                    continue;
                }
                if (fields == null) {
                    break;
                }
                if (fields.size() == 1 && fields.get(0).isEmpty()) {
                    continue; // blank line
                }
                if (fields.size() != header.size()) {
                    visitor.malformed(new Malformed(line, fields.size() + " fields, the header has " + header.size()));
                    continue;
                }
                visitor.row(new Row(line, fields.toArray(new String[0]), cols));
            }
        } catch (IOException e) {
            throw new LovtException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static final class MalformedRowException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedRowException(String message) {
            super(message, null, false, false);
        }
    }

    /** Splits records; a quoted field may span lines. */
    private static final class Parser {
        private final BufferedReader reader;
        int line;

        Parser(BufferedReader reader) {
            this.reader = reader;
        }

        List<String> next() throws IOException, MalformedRowException {
            String text = reader.readLine();
            if (text == null) {
                return null;
            }
            line++;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean wasQuoted = false;
            int i = 0;
            while (true) {
                if (i >= text.length()) {
                    if (!quoted) {
                        break;
                    }
                    String more = reader.readLine();
                    if (more == null) {
                        throw new MalformedRowException("unterminated quoted field");
                    }
                    line++;
                    field.append('\n');
                    text = more;
                    i = 0;
                    continue;
                }
                char c = text.charAt(i++);
                if (quoted) {
                    if (c == '"') {
                        if (i < text.length() && text.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        field.append(c);
                    }
                } else if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                    wasQuoted = false;
                } else if (c == '"' && field.length() == 0 && !wasQuoted) {
                    quoted = true;
                    wasQuoted = true;
                } else if (c == '\r' && i == text.length()) {
                    // a stray CR of a CRLF file read line by line
                } else {
                    field.append(c);
                }
            }
            fields.add(field.toString());
            return fields;
        }
    }
}
