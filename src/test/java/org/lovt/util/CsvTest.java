package org.lovt.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lovt.LovtException;

class CsvTest {
    @TempDir
    Path tmp;

    @Test
    void quotesOnlyWhatPythonQuotes() {
        // csv.writer(QUOTE_MINIMAL): commas, quotes and line breaks; quotes doubled; nothing else.
        assertEquals("a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\"",
                Csv.line("a", "b,c", "say \"hi\"", "two\nlines", "cr\rhere"));
        // Unlike Commons CSV's MINIMAL mode: no quotes for an empty first field, a leading space, # or !.
        assertEquals(",x, lead,#hash,!bang,trail ", Csv.line("", "x", " lead", "#hash", "!bang", "trail "));
        assertEquals(",", Csv.line("", ""));
        // A row of one empty field would be a blank line, which readers skip.
        assertEquals("\"\"", Csv.line(""));
    }

    @Test
    void writtenFilesReadBackUnchanged() throws IOException {
        List<List<String>> rows = List.of(List.of("id", "text", "n"), List.of("1", "a, b", ""),
                List.of("2", "q\"uote\"", "3"), List.of("3", "multi\r\nline\nfield", "x"), List.of("", "", ""));
        for (String end : List.of(Csv.LF, Csv.CRLF)) {
            Path f = tmp.resolve("round" + end.length() + ".csv");
            try (Csv.Writer w = Csv.Writer.create(f, end)) {
                for (List<String> r : rows) {
                    w.row(r);
                }
            }
            String text = Files.readString(f);
            assertTrue(text.endsWith("x" + end + ",," + end), text);
            Csv.Table t = Csv.read(f);
            assertEquals(rows.get(0), t.header());
            assertEquals(rows.subList(1, rows.size()), t.rows());
            // Each row's line: the multi-line field starts on line 4 and takes three lines.
            assertEquals(List.of(2, 3, 4, 7), t.lines());
        }
    }

    @Test
    void readsGzipBomBlankLinesAndShortRows() throws IOException {
        Path f = tmp.resolve("t.csv.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(f))) {
            o.write("\uFEFFa,b,c\n\n1,2,3\r\n4\n\"x\"y,a\"b,\n".getBytes(StandardCharsets.UTF_8));
        }
        Csv.Table t = Csv.read(f);
        assertEquals(List.of("a", "b", "c"), t.header());
        assertEquals(List.of(List.of("1", "2", "3"), List.of("4", "", ""), List.of("xy", "a\"b", "")), t.rows());
        assertEquals(f + ":5", t.where(2));
    }

    @Test
    void strictReadNamesFileAndLine() throws IOException {
        Path f = tmp.resolve("bad.csv");
        Files.writeString(f, "a,b\n1,2\n3,\"open\n4,5\n");
        LovtException e = assertThrows(LovtException.class, () -> Csv.read(f));
        assertEquals(f + ":3: unterminated quoted field", e.getMessage());
        Files.writeString(f, "a,b\n1,2\n\n3,4,5\n");
        e = assertThrows(LovtException.class, () -> Csv.read(f));
        assertEquals(f + ":4: 3 fields, but the header has 2", e.getMessage());
        Files.write(f, new byte[] {'a', '\n', '1', '\n', 'x', (byte) 0xC3, '\n'});
        e = assertThrows(LovtException.class, () -> Csv.read(f));
        assertTrue(e.getMessage().startsWith(f + ":3: not UTF-8 text"), e.getMessage());
        Files.writeString(f, "");
        e = assertThrows(LovtException.class, () -> Csv.read(f));
        assertTrue(e.getMessage().startsWith(f + ": empty file"), e.getMessage());
        Path missing = tmp.resolve("missing.csv");
        assertEquals(missing + ": file not found", assertThrows(LovtException.class, () -> Csv.read(missing))
                .getMessage());
        Files.writeString(f, "a,b\n1,2\n");
        Csv.Table t = Csv.read(f);
        e = assertThrows(LovtException.class, () -> t.column("c"));
        assertTrue(e.getMessage().startsWith(f + ": missing column 'c'"), e.getMessage());
    }

    @Test
    void rowByRowHandsMalformedRecordsToTheCaller() throws IOException {
        Path f = tmp.resolve("rows.csv");
        Files.writeString(f, "x, id ,name\n1,10,a\n2,20\n3,30,\"c,d\"\n4,40,e,f\n5,\"50\n");
        List<String> seen = new ArrayList<>();
        Csv.forEachRow(f, List.of("name", "id"), new Csv.Visitor() {
            @Override
            public void row(Csv.Row row) {
                seen.add(row.line() + ":" + row.get(0) + "/" + row.get(1));
            }

            @Override
            public void malformed(int line, String reason) {
                seen.add(line + "! " + reason);
            }
        });
        assertEquals(List.of("2:a/10", "3! 2 fields, the header has 3", "4:c,d/30", "5! 4 fields, the header has 3",
                "6! unterminated quoted field"), seen);
        Csv.Visitor ignore = new Csv.Visitor() {
            @Override
            public void row(Csv.Row row) {}

            @Override
            public void malformed(int line, String reason) {}
        };
        LovtException e = assertThrows(LovtException.class, () -> Csv.forEachRow(f, List.of("age"), ignore));
        assertTrue(e.getMessage().startsWith(f + ": no column 'age'"), e.getMessage());
        Files.writeString(f, "\"a,b\n1,2\n");
        e = assertThrows(LovtException.class, () -> Csv.forEachRow(f, List.of("a"), ignore));
        assertEquals(f + ":1: malformed CSV header: unterminated quoted field", e.getMessage());
    }
}
