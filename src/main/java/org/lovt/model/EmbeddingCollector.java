package org.lovt.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.torch.Tensors;

/**
 * The original's {@code EmbeddingMetrics} ({@code src/metrics/embedding_metrics.py}, spec lovt-data-eval §5.2) over a
 * LoVT model's forward passes: the embeddings of each batch ({@code yg_*}, {@code yl_*}, {@code zg_*}, {@code zl_*}, the
 * cross-attended {@code zl_b2a}, {@code zl_a2b}, the local weights and the sentence mask) go into every single space,
 * the centroid spaces and the pairs ({@link EmbeddingStatistics}), keyed {@code emb/<space>/<metric>}. Spaces a model
 * does not have (CLIP and ConVIRT: no local projections, no cross-attention) are left out, as the original skips
 * {@code None} embeddings. With {@code covariance} false (validation: {@code compute_cov=False}) the covariance
 * statistics are not computed.
 *
 * <p>The local spaces are reduced batch by batch as they are added ({@link EmbeddingStatistics.LocalSpace}); what the
 * pair statistics need (the projections, cross-attended embeddings, weights and global embeddings) is held in memory as
 * doubles ({@link #bytes()} says how much: about 0.15 MB per study at full size). Add the batches of the original
 * (the pre-training batch size, samples in order) and pass that size to {@link #compute}.
 */
public final class EmbeddingCollector {
    private final boolean covariance;
    private final List<double[]> ygA = new ArrayList<>();
    private final List<double[]> ygB = new ArrayList<>();
    private final List<double[]> zgA = new ArrayList<>();
    private final List<double[]> zgB = new ArrayList<>();
    private final EmbeddingStatistics.LocalSpace ylASpace;
    private final EmbeddingStatistics.LocalSpace ylBSpace;
    private final EmbeddingStatistics.LocalSpace zlASpace;
    private final EmbeddingStatistics.LocalSpace zlBSpace;
    private final EmbeddingStatistics.LocalSpace zlABSpace;
    private final List<double[][]> zlA = new ArrayList<>();
    private final List<double[][]> zlB = new ArrayList<>();
    private final List<double[][]> zlB2a = new ArrayList<>();
    private final List<double[][]> zlA2b = new ArrayList<>();
    private final List<double[]> weightsA = new ArrayList<>();
    private final List<double[]> weightsB = new ArrayList<>();
    private long values;
    private int samples;

    /** The analysis' collector ({@code compute_cov=True}). */
    public EmbeddingCollector() {
        this(true);
    }

    /** @param covariance whether to compute the covariance statistics ({@code compute_cov}) */
    public EmbeddingCollector(boolean covariance) {
        this.covariance = covariance;
        ylASpace = new EmbeddingStatistics.LocalSpace("yl_a", false, covariance);
        ylBSpace = new EmbeddingStatistics.LocalSpace("yl_b", false, covariance);
        zlASpace = new EmbeddingStatistics.LocalSpace("zl_a", true, covariance);
        zlBSpace = new EmbeddingStatistics.LocalSpace("zl_b", true, covariance);
        zlABSpace = new EmbeddingStatistics.LocalSpace("zl_a&b", false, covariance);
    }

    /** Number of samples collected. */
    public int size() {
        return samples;
    }

    /** Bytes held. */
    public long bytes() {
        return values * Double.BYTES;
    }

    /** Whether the model's outputs had local projections and cross-attention (the pair spaces). */
    public boolean hasLocalProjections() {
        return !zlA.isEmpty();
    }

    /** Adds the samples of one batch (a forward pass in eval mode). */
    public void add(LovtModel.Output out) {
        int b = (int) out.a().global().size(0);
        boolean projections = out.projA() != null && out.projB() != null;
        boolean locals = projections && out.projA().zl() != null && out.projB().zl() != null
                && out.a().weights() != null && out.b().weights() != null;
        boolean attention = locals && out.attention() != null && out.attention().b2a() != null
                && out.attention().a2b() != null;
        double[][] yga = rows(out.a().global());
        double[][] ygb = rows(out.b().global());
        double[][] zga = projections ? rows(out.projA().zg()) : null;
        double[][] zgb = projections ? rows(out.projB().zg()) : null;
        double[][][] yla = out.a().local() == null ? null : locals(out.a().local());
        double[][][] ylb = out.b().local() == null ? null : locals(out.b().local());
        double[][][] zla = locals ? locals(out.projA().zl()) : null;
        double[][][] zlb = locals ? locals(out.projB().zl()) : null;
        double[][][] b2a = attention ? locals(out.attention().b2a()) : null;
        double[][][] a2b = attention ? locals(out.attention().a2b()) : null;
        double[][] wa = locals ? rows(out.a().weights()) : null;
        double[][] wb = locals ? rows(out.b().weights()) : null;
        int sentences = ylb != null ? ylb[0].length : zlb != null ? zlb[0].length : 0;
        boolean[][] maskB = mask(out.b().mask(), b, sentences);
        List<double[][]> batchYlA = new ArrayList<>();
        List<double[][]> batchYlB = new ArrayList<>();
        List<double[][]> batchZlA = new ArrayList<>();
        List<double[][]> batchZlB = new ArrayList<>();
        List<double[][]> batchBoth = new ArrayList<>();
        List<double[]> batchWA = new ArrayList<>();
        List<double[]> batchWB = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            ygA.add(yga[i]);
            ygB.add(ygb[i]);
            values += yga[i].length + ygb[i].length;
            if (projections) {
                zgA.add(zga[i]);
                zgB.add(zgb[i]);
                values += zga[i].length + zgb[i].length;
            }
            if (yla != null) {
                batchYlA.add(yla[i]);
            }
            if (ylb != null) {
                batchYlB.add(valid(ylb[i], maskB[i]));
            }
            if (locals) {
                double[][] validZlB = valid(zlb[i], maskB[i]);
                double[] validWB = validWeights(wb[i], maskB[i]);
                double[][] both = new double[zla[i].length + validZlB.length][];
                System.arraycopy(zla[i], 0, both, 0, zla[i].length);
                System.arraycopy(validZlB, 0, both, zla[i].length, validZlB.length);
                batchZlA.add(zla[i]);
                batchZlB.add(validZlB);
                batchBoth.add(both);
                batchWA.add(wa[i]);
                batchWB.add(validWB);
                zlA.add(zla[i]);
                zlB.add(validZlB);
                weightsA.add(wa[i]);
                weightsB.add(validWB);
                values += count(zla[i]) + count(validZlB);
            }
            if (attention) {
                double[][] validA2b = valid(a2b[i], maskB[i]);
                zlB2a.add(b2a[i]);
                zlA2b.add(validA2b);
                values += count(b2a[i]) + count(validA2b);
            }
        }
        samples += b;
        if (yla != null) {
            ylASpace.add(batchYlA, null);
        }
        if (ylb != null) {
            ylBSpace.add(batchYlB, null);
        }
        if (locals) {
            zlASpace.add(batchZlA, batchWA);
            zlBSpace.add(batchZlB, batchWB);
            zlABSpace.add(batchBoth, null);
        }
    }

    private static long count(double[][] x) {
        return x.length == 0 ? 0 : (long) x.length * x[0].length;
    }

    private static double[][] rows(Tensor t) {
        Tensor d = t.detach().to(torch.ScalarType.Double).cpu().contiguous();
        int n = (int) d.size(0);
        int c = (int) (d.numel() / Math.max(1, n));
        double[] all = Tensors.toDoubles(d.reshape(-1));
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = java.util.Arrays.copyOfRange(all, i * c, i * c + c);
        }
        return out;
    }

    private static double[][][] locals(Tensor t) {
        Tensor d = t.detach().to(torch.ScalarType.Double).cpu().contiguous();
        int b = (int) d.size(0);
        int n = (int) d.size(1);
        int c = (int) d.size(2);
        double[] all = Tensors.toDoubles(d.reshape(-1));
        double[][][] out = new double[b][n][];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < n; j++) {
                int at = (i * n + j) * c;
                out[i][j] = java.util.Arrays.copyOfRange(all, at, at + c);
            }
        }
        return out;
    }

    private static boolean[][] mask(Tensor m, int b, int n) {
        boolean[][] out = new boolean[b][n];
        if (m == null) {
            for (boolean[] row : out) {
                java.util.Arrays.fill(row, true);
            }
            return out;
        }
        long[] v = Tensors.toLongs(m.detach().to(torch.ScalarType.Long).cpu().contiguous().reshape(-1));
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < n; j++) {
                out[i][j] = v[i * n + j] != 0;
            }
        }
        return out;
    }

    private static double[][] valid(double[][] x, boolean[] mask) {
        List<double[]> out = new ArrayList<>();
        for (int j = 0; j < x.length; j++) {
            if (mask[j]) {
                out.add(x[j]);
            }
        }
        return out.toArray(double[][]::new);
    }

    private static double[] validWeights(double[] w, boolean[] mask) {
        double[] out = new double[w.length];
        int k = 0;
        for (int j = 0; j < w.length; j++) {
            if (mask[j]) {
                out[k++] = w[j];
            }
        }
        return java.util.Arrays.copyOf(out, k);
    }

    /**
     * The original's {@code EmbeddingMetrics.compute()} over the collected samples, batch statistics in batches of
     * {@code batchSize} in collection order (as added), keys sorted. Spaces without data are left out.
     */
    public Map<String, Double> compute(int batchSize) {
        if (size() < 2) {
            throw new LovtException("the embedding statistics need at least 2 samples, got " + size());
        }
        Map<String, Double> m = new LinkedHashMap<>();
        if (ylASpace.size() > 0) {
            m.putAll(ylASpace.compute());
        }
        if (ylBSpace.size() > 0) {
            m.putAll(ylBSpace.compute());
        }
        if (!zlA.isEmpty()) {
            m.putAll(zlASpace.compute());
            m.putAll(zlBSpace.compute());
            m.putAll(EmbeddingStatistics.centroids("zl_a_avg", zlA, batchSize));
            m.putAll(EmbeddingStatistics.centroids("zl_b_avg", zlB, batchSize));
            m.putAll(zlABSpace.compute());
            m.putAll(EmbeddingStatistics.distributionPair("zl_a||zl_b", zlA, zlB, weightsA, weightsB, batchSize));
            m.putAll(EmbeddingStatistics.globalPair("zl_a_avg;zl_b_avg", EmbeddingStatistics.centroidsOf("zl_a", zlA),
                    EmbeddingStatistics.centroidsOf("zl_b", zlB), batchSize, false));
        }
        if (!zlB2a.isEmpty()) {
            m.putAll(EmbeddingStatistics.localPair("zl_a;zl_b2a", zlA, zlB2a, weightsA, batchSize));
            m.putAll(EmbeddingStatistics.localPair("zl_b;zl_a2b", zlB, zlA2b, weightsB, batchSize));
        }
        m.putAll(EmbeddingStatistics.global("yg_a", ygA.toArray(double[][]::new), batchSize));
        m.putAll(EmbeddingStatistics.global("yg_b", ygB.toArray(double[][]::new), batchSize));
        if (!zgA.isEmpty()) {
            m.putAll(EmbeddingStatistics.global("zg_a", zgA.toArray(double[][]::new), batchSize));
            m.putAll(EmbeddingStatistics.global("zg_b", zgB.toArray(double[][]::new), batchSize));
            m.putAll(EmbeddingStatistics.globalPair("zg_a;zg_b", zgA.toArray(double[][]::new),
                    zgB.toArray(double[][]::new), batchSize, true));
        }
        if (!covariance) {
            m.keySet().removeIf(k -> k.contains("/cov_offdiagonal"));
        }
        return new LinkedHashMap<>(new TreeMap<>(m));
    }

    /**
     * The alignment distances of the original's {@code plot_alignment}: ‖zg_a − zg_b‖ per sample ({@code global}),
     * ‖zl_a − zl_b2a‖ per region ({@code report-to-image}) and ‖zl_b − zl_a2b‖ per valid sentence
     * ({@code image-to-report}), each with the embeddings L2-normalised ({@code normalized}: true) or as they are.
     * Keys are {@code <kind>} and {@code <kind>/normalized}; kinds the model lacks are left out.
     */
    public Map<String, double[]> alignmentDistances() {
        Map<String, double[]> out = new LinkedHashMap<>();
        if (!zgA.isEmpty()) {
            out.put("global", distances(zgA, zgB, false));
            out.put("global/normalized", distances(zgA, zgB, true));
        }
        if (!zlB2a.isEmpty()) {
            out.put("report-to-image", distances(flatten(zlA), flatten(zlB2a), false));
            out.put("report-to-image/normalized", distances(flatten(zlA), flatten(zlB2a), true));
            out.put("image-to-report", distances(flatten(zlB), flatten(zlA2b), false));
            out.put("image-to-report/normalized", distances(flatten(zlB), flatten(zlA2b), true));
        }
        return out;
    }

    private static List<double[]> flatten(List<double[][]> samples) {
        List<double[]> out = new ArrayList<>();
        samples.forEach(s -> out.addAll(List.of(s)));
        return out;
    }

    private static double[] distances(List<double[]> a, List<double[]> b, boolean normalize) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            double[] x = normalize ? EmbeddingStatistics.normalized(a.get(i)) : a.get(i);
            double[] y = normalize ? EmbeddingStatistics.normalized(b.get(i)) : b.get(i);
            double sq = 0;
            for (int c = 0; c < x.length; c++) {
                sq += (x[c] - y[c]) * (x[c] - y[c]);
            }
            d[i] = Math.sqrt(sq);
        }
        return d;
    }
}
