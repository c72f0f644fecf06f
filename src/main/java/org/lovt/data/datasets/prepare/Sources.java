package org.lovt.data.datasets.prepare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.lovt.LovtException;

/** Checks on a data set's source folder and on the numbers in its annotation files. */
public final class Sources {
    private static final Pattern FLOAT =
            Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INT = Pattern.compile("[+-]?\\d+");

    private Sources() {}

    /** {@code src/relative}, which must be a file. @throws LovtException naming it otherwise */
    public static Path file(Path src, String relative) {
        Path p = src.resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new LovtException(p + ": file not found (is " + src + " the data set's folder?)");
        }
        return p;
    }

    /** {@code src/relative}, which must be a folder. @throws LovtException naming it otherwise */
    public static Path dir(Path src, String relative) {
        Path p = src.resolve(relative);
        if (!Files.isDirectory(p)) {
            throw new LovtException(p + ": folder not found (is " + src + " the data set's folder?)");
        }
        return p;
    }

    /**
     * A decimal number as Python's {@code float()} reads it from a CSV field (surrounding blanks allowed; no Java
     * suffixes such as {@code 1.5f}); {@code what} names it in the error.
     *
     * @throws LovtException when the field is not a finite decimal number
     */
    public static double parseFloat(String field, String what) {
        String s = field.strip();
        if (!FLOAT.matcher(s).matches()) {
            throw new LovtException(what + " is not a number: '" + field + "'");
        }
        double v = Double.parseDouble(s);
        if (!Double.isFinite(v)) {
            throw new LovtException(what + " is out of range: '" + field + "'");
        }
        return v;
    }

    /** An integer as Python's {@code int()} reads it. @throws LovtException when it is not one */
    public static int parseInt(String field, String what) {
        String s = field.strip();
        if (!INT.matcher(s).matches()) {
            throw new LovtException(what + " is not an integer: '" + field + "'");
        }
        try {
            return Integer.parseInt(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            throw new LovtException(what + " is out of range: '" + field + "'");
        }
    }
}
