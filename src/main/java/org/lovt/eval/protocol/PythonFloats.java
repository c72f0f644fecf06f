package org.lovt.eval.protocol;

import java.math.BigDecimal;

/**
 * Python's {@code repr(float)}, which pandas' {@code to_csv} and {@code str(value)} write: the shortest decimal that
 * reads back as the same double, in fixed notation for decimal exponents −4 … 15 ({@code 0.2045329064130783},
 * {@code 5.0}) and in scientific notation with a two-digit exponent otherwise ({@code 1e-05}, {@code 1.5e+16}).
 */
final class PythonFloats {
    private PythonFloats() {}

    /** {@code repr(value)}; NaN is {@code nan}, infinities {@code inf} / {@code -inf}. */
    static String repr(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return (1 / value < 0) ? "-0.0" : "0.0";
        }
        BigDecimal bd = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - bd.scale();
        String sign = value < 0 ? "-" : "";
        if (exponent >= -4 && exponent < 16) {
            String plain = bd.abs().toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "")
                + Math.abs(exponent);
    }

    /** What pandas writes for a cell: {@link #repr} except that NaN is an empty field. */
    static String cell(double value) {
        return Double.isNaN(value) ? "" : repr(value);
    }
}
