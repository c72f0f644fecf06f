package org.lovt.eval.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Python's repr(float), the text pandas writes into the original's tables (expected strings as CPython prints them). */
class PythonFloatsTest {
    @Test
    void fixedNotationBetweenExponentsMinus4And15() {
        assertEquals("0.2045329064130783", PythonFloats.repr(0.2045329064130783));
        assertEquals("0.30000000000000004", PythonFloats.repr(0.1 + 0.2));
        assertEquals("5.0", PythonFloats.repr(5));
        assertEquals("0.0001", PythonFloats.repr(1e-4));
        assertEquals("-0.0003", PythonFloats.repr(-3e-4));
        assertEquals("123456789012345.0", PythonFloats.repr(123456789012345.0));
        assertEquals("1000000000000000.0", PythonFloats.repr(1e15));
        assertEquals("0.0", PythonFloats.repr(0.0));
        assertEquals("-0.0", PythonFloats.repr(-0.0));
    }

    @Test
    void scientificNotationOutsideWithTwoDigitExponents() {
        assertEquals("1e-05", PythonFloats.repr(1e-5));
        assertEquals("3e-05", PythonFloats.repr(3e-5));
        assertEquals("-2.5e-07", PythonFloats.repr(-2.5e-7));
        assertEquals("1e+16", PythonFloats.repr(1e16));
        assertEquals("1.5e+16", PythonFloats.repr(1.5e16));
        assertEquals("1.2345e-100", PythonFloats.repr(1.2345e-100));
    }

    @Test
    void nanIsAnEmptyCellAndNanInText() {
        assertEquals("", PythonFloats.cell(Double.NaN));
        assertEquals("nan", PythonFloats.repr(Double.NaN));
        assertEquals("inf", PythonFloats.repr(Double.POSITIVE_INFINITY));
    }
}
