package org.lovt.data.datasets.mimic;

/**
 * The few Python {@code str} semantics the original's text processing relies on, where Java's differ:
 * Python's {@code str.isspace()}/{@code strip()} and the {@code \s} of a {@code re} str pattern treat more characters
 * as whitespace than {@link String#strip()} and Java's {@code \s} (for example U+00A0, U+0085 and U+001C..U+001F).
 */
final class PyText {
    private PyText() {}

    /**
     * A regex character class matching exactly what Python's {@code re} matches with {@code \s} in a str pattern
     * (the characters for which {@code str.isspace()} is true).
     */
    static final String SPACE_CLASS =
            "[\\t\\n\\x0B\\f\\r\\x1C-\\x1F \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]";

    /** Python's {@code str.isspace()} for one character. */
    static boolean isSpace(char c) {
        return switch (c) {
            case '\t', '\n', '\u000B', '\f', '\r', '\u001C', '\u001D', '\u001E', '\u001F', ' ', '\u0085', '\u00A0',
                    '\u1680', '\u2028', '\u2029', '\u202F', '\u205F', '\u3000' -> true;
            default -> c >= '\u2000' && c <= '\u200A';
        };
    }

    /** Python's {@code s.strip()} (no argument). */
    static String strip(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && isSpace(s.charAt(b))) {
            b++;
        }
        while (e > b && isSpace(s.charAt(e - 1))) {
            e--;
        }
        return s.substring(b, e);
    }
}
