package org.lovt.data.datasets.prepare;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's {@code repr(float)}: the shortest decimal that reads back as the same double, in fixed notation for
 * decimal exponents -4..15 (always with a fractional part, {@code 162.0}) and scientific otherwise
 * ({@code 1e-05}, {@code 1.5e+16}). The original wrote its CSV boxes and JSON statistics with it, so the prepared
 * files read the same ({@code Double.toString} differs: {@code 1.0E-5}, and on Java 17 not always shortest).
 */
final class PyFloat {
    private PyFloat() {}

    /** {@code repr(x)} as Python 3 prints it ({@code nan}, {@code inf} and {@code -inf} for the special values). */
    public static String repr(double x) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        if (x == 0) {
            return (1 / x < 0) ? "-0.0" : "0.0";
        }
        BigDecimal d = shortest(x);
        String digits = d.unscaledValue().abs().toString();
        // Strip trailing zeros of the digit string; the exponent is that of the first digit.
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        int exp10 = digits.length() - 1 - d.scale();
        digits = digits.substring(0, end);
        StringBuilder sb = new StringBuilder(x < 0 ? "-" : "");
        if (exp10 >= -4 && exp10 < 16) {
            if (exp10 < 0) {
                sb.append("0.").append("0".repeat(-exp10 - 1)).append(digits);
            } else if (digits.length() <= exp10 + 1) {
                sb.append(digits).append("0".repeat(exp10 + 1 - digits.length())).append(".0");
            } else {
                sb.append(digits, 0, exp10 + 1).append('.').append(digits, exp10 + 1, digits.length());
            }
        } else {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exp10 < 0 ? '-' : '+');
            String e = Integer.toString(Math.abs(exp10));
            sb.append(e.length() < 2 ? "0" + e : e);
        }
        return sb.toString();
    }

    /** The shortest decimal that rounds to {@code x}; of two candidates with as many digits, the closer one. */
    private static BigDecimal shortest(double x) {
        BigDecimal exact = new BigDecimal(x);
        for (int p = 1; p <= 17; p++) {
            BigDecimal down = exact.round(new MathContext(p, RoundingMode.FLOOR));
            BigDecimal up = exact.round(new MathContext(p, RoundingMode.CEILING));
            boolean downOk = down.doubleValue() == x;
            boolean upOk = up.doubleValue() == x;
            if (downOk && upOk) {
                int c = exact.subtract(down).compareTo(up.subtract(exact));
                if (c != 0) {
                    return c < 0 ? down : up;
                }
                // A tie between two p-digit neighbours: the even last digit, as Python's dtoa.
                return down.unscaledValue().testBit(0) ? up : down;
            }
            if (downOk) {
                return down;
            }
            if (upOk) {
                return up;
            }
        }
        return exact.round(MathContext.DECIMAL64);
    }
}
