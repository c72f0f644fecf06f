package org.lovt.verify;

import java.util.Arrays;

import org.bytedeco.pytorch.Tensor;
import org.lovt.torch.HostTensor;
import org.lovt.torch.Tensors;

/**
 * One reference tensor compared with what the project computed.
 *
 * @param name      the reference tensor's name in the IO file
 * @param maxAbs    max |actual − expected|
 * @param maxRel    max |actual − expected| / max |expected| (the fixtures' "relative to max |value|" measure)
 * @param tolerance the bound for this tensor
 * @param relative  whether the bound applies to {@code maxRel} (else to {@code maxAbs})
 * @param problem   a shape or dtype mismatch, else null
 */
public record Comparison(String name, double maxAbs, double maxRel, double tolerance, boolean relative,
                         String problem) {

    /** Whether the tensor is within its tolerance (NaN never is). */
    public boolean passed() {
        double err = relative ? maxRel : maxAbs;
        return problem == null && err <= tolerance;
    }

    /** Compares a computed tensor with a reference. */
    public static Comparison of(String name, Tensor actual, HostTensor expected, double tolerance, boolean relative) {
        long[] as = Tensors.shape(actual);
        // A scalar and a one-element reference (PyTorch files often hold losses as shape [1]) compare equal.
        if (!Arrays.equals(withoutOnes(as), withoutOnes(expected.shape()))) {
            return new Comparison(name, Double.NaN, Double.NaN, tolerance, relative,
                    "shape " + Arrays.toString(as) + " vs reference " + Arrays.toString(expected.shape()));
        }
        Tensor e = Tensors.fromHost(expected).to(org.bytedeco.pytorch.global.torch.ScalarType.Double);
        Tensor a = actual.detach().to(org.bytedeco.pytorch.global.torch.ScalarType.Double).reshape(expected.shape());
        double maxAbs = e.numel() == 0 ? 0 : a.sub(e).abs().max().item_double();
        double scale = e.numel() == 0 ? 1 : e.abs().max().item_double();
        double maxRel = maxAbs / Math.max(scale, 1e-30);
        if (Double.isNaN(maxAbs) || a.isnan().any().item_bool()) {
            maxAbs = Double.NaN;
            maxRel = Double.NaN;
        }
        return new Comparison(name, maxAbs, maxRel, tolerance, relative, null);
    }

    private static long[] withoutOnes(long[] shape) {
        return Arrays.stream(shape).filter(d -> d != 1).toArray();
    }

    /** A printable line: status, name, errors and the bound. */
    public String line() {
        String status = passed() ? "PASS" : "FAIL";
        if (problem != null) {
            return String.format("%s  %-48s  %s", status, name, problem);
        }
        return String.format("%s  %-48s  max_abs %.3e  max_rel %.3e  (tolerance %.0e %s)", status, name, maxAbs,
                maxRel, tolerance, relative ? "relative" : "absolute");
    }
}
