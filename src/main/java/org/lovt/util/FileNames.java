package org.lovt.util;

import org.lovt.LovtException;

/**
 * Names read from input files (sample ids in CSV tables) that become file names in an output folder. A name that is
 * not one plain path component could place a file outside that folder ({@code ../../x}, {@code /etc/x}), so it is
 * refused before any path is built from it.
 */
public final class FileNames {
    private FileNames() {}

    /** Why {@code name} is not a plain file name, or null when it is one. */
    public static String problem(String name) {
        if (name.isEmpty()) {
            return "is empty";
        }
        if (name.equals(".") || name.equals("..")) {
            return "is '" + name + "'";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\') {
                return "contains a path separator ('" + c + "')";
            }
            if (c == 0) {
                return "contains a NUL character";
            }
        }
        return null;
    }

    /**
     * Returns {@code name} when it is one plain path component.
     *
     * @param what what the name is and where it was read, for the message (e.g. "train.csv:3: image id")
     * @throws LovtException naming the value otherwise
     */
    public static String requirePlain(String name, String what) {
        String p = problem(name);
        if (p != null) {
            throw new LovtException(what + " '" + name + "' " + p + "; it must be a plain file name, so that no file "
                    + "is written outside the output folder");
        }
        return name;
    }
}
