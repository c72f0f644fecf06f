package org.lovt.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.lovt.LovtException;
import org.lovt.model.LovtModel;
import org.lovt.torch.Tensors;

/**
 * Collects the embeddings of a LoVT model's forward passes (the original's {@code EmbeddingsData}: {@code yg_*},
 * {@code yl_*}, {@code zg_*}, {@code zl_*}, the cross-attended {@code zl_b2a}, {@code zl_a2b}, the local weights and the
 * sentence mask) sample by sample, and computes the original's {@code EmbeddingMetrics(compute_cov=True)} over them
 * ({@link EmbeddingStatistics}, spec lovt-data-eval §5.2): every single space, the centroid spaces and the pairs, keyed
 * {@code emb/<space>/<metric>}.
 *
 * <p>The local spaces are reduced batch by batch as they are added ({@link EmbeddingStatistics.LocalSpace}); what the
 * pair statistics need (the projections, cross-attended embeddings, weights and global embeddings) is held in memory as
 * doubles ({@link #bytes()} says how much: about 0.2 MB per study at full size). Add the batches of the original's
 * analysis (32 samples in order) and pass that size to {@link #compute}.
 */
public final class EmbeddingCollector {
    private final List<double[]> ygA = new ArrayList<>();
    private final List<double[]> ygB = new ArrayList<>();
    private final List<double[]> zgA = new ArrayList<>();
    private final List<double[]> zgB = new ArrayList<>();
    private final EmbeddingStatistics.LocalSpace ylASpace = new EmbeddingStatistics.LocalSpace("yl_a", false);
    private final EmbeddingStatistics.LocalSpace ylBSpace = new EmbeddingStatistics.LocalSpace("yl_b", false);
    private final EmbeddingStatistics.LocalSpace zlASpace = new EmbeddingStatistics.LocalSpace("zl_a", true);
    private final EmbeddingStatistics.LocalSpace zlBSpace = new EmbeddingStatistics.LocalSpace("zl_b", true);
    private final EmbeddingStatistics.LocalSpace zlABSpace = new EmbeddingStatistics.LocalSpace("zl_a&b", false);
    private final List<double[][]> zlA = new ArrayList<>();
    private final List<double[][]> zlB = new ArrayList<>();
    private final List<double[][]> zlB2a = new ArrayList<>();
    private final List<double[][]> zlA2b = new ArrayList<>();
    private final List<double[]> weightsA = new ArrayList<>();
    private final List<double[]> weightsB = new ArrayList<>();
    private long values;

    /** Number of samples collected. */
    public int size() {
        return ygA.size();
    }

    /** Bytes held. */
    public long bytes() {
        return values * Double.BYTES;
    }

    /**
     * Adds the samples of one batch (a forward pass in eval mode). The model must have cross-attention (LoVT; CLIP and
     * ConVIRT have no local projections to compare).
     */
    public void add(LovtModel.Output out) {
        if (out.projA() == null || out.projB() == null || out.projA().zl() == null || out.projB().zl() == null
                || out.attention() == null || out.attention().b2a() == null || out.attention().a2b() == null) {
            throw new LovtException("the embedding analysis needs local projections and cross-attention in both "
                    + "directions (LoVT and its local ablations; not CLIP or ConVIRT)");
        }
        int b = (int) out.a().global().size(0);
        double[][] yga = rows(out.a().global());
        double[][] ygb = rows(out.b().global());
        double[][] zga = rows(out.projA().zg());
        double[][] zgb = rows(out.projB().zg());
        double[][][] yla = locals(out.a().local());
        double[][][] ylb = locals(out.b().local());
        double[][][] zla = locals(out.projA().zl());
        double[][][] zlb = locals(out.projB().zl());
        double[][][] b2a = locals(out.attention().b2a());
        double[][][] a2b = locals(out.attention().a2b());
        double[][] wa = rows(out.a().weights());
        double[][] wb = rows(out.b().weights());
        boolean[][] maskB = mask(out.b().mask(), b, ylb[0].length);
        List<double[][]> batchYlA = new ArrayList<>();
        List<double[][]> batchYlB = new ArrayList<>();
        List<double[][]> batchZlA = new ArrayList<>();
        List<double[][]> batchZlB = new ArrayList<>();
        List<double[][]> batchBoth = new ArrayList<>();
        List<double[]> batchWA = new ArrayList<>();
        List<double[]> batchWB = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            double[][] validYlB = valid(ylb[i], maskB[i]);
            double[][] validZlB = valid(zlb[i], maskB[i]);
            double[][] validA2b = valid(a2b[i], maskB[i]);
            double[] validWB = validWeights(wb[i], maskB[i]);
            double[][] both = new double[zla[i].length + validZlB.length][];
            System.arraycopy(zla[i], 0, both, 0, zla[i].length);
            System.arraycopy(validZlB, 0, both, zla[i].length, validZlB.length);
            batchYlA.add(yla[i]);
            batchYlB.add(validYlB);
            batchZlA.add(zla[i]);
            batchZlB.add(validZlB);
            batchBoth.add(both);
            batchWA.add(wa[i]);
            batchWB.add(validWB);
            ygA.add(yga[i]);
            ygB.add(ygb[i]);
            zgA.add(zga[i]);
            zgB.add(zgb[i]);
            zlA.add(zla[i]);
            zlB2a.add(b2a[i]);
            weightsA.add(wa[i]);
            zlB.add(validZlB);
            zlA2b.add(validA2b);
            weightsB.add(validWB);
            values += count(zla[i]) + count(b2a[i]) + count(validZlB) + count(validA2b) + yga[i].length
                    + ygb[i].length + zga[i].length + zgb[i].length;
        }
        ylASpace.add(batchYlA, null);
        ylBSpace.add(batchYlB, null);
        zlASpace.add(batchZlA, batchWA);
        zlBSpace.add(batchZlB, batchWB);
        zlABSpace.add(batchBoth, null);
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
     * The original's {@code EmbeddingMetrics(compute_cov=True).compute()} over the collected samples, in batches of
     * {@code batchSize} in collection order (the original's analysis batches), keys sorted.
     */
    public Map<String, Double> compute(int batchSize) {
        if (size() < 2) {
            throw new LovtException("the embedding analysis needs at least 2 samples, got " + size());
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.putAll(ylASpace.compute());
        m.putAll(ylBSpace.compute());
        m.putAll(zlASpace.compute());
        m.putAll(zlBSpace.compute());
        m.putAll(EmbeddingStatistics.centroids("zl_a_avg", zlA, batchSize));
        m.putAll(EmbeddingStatistics.centroids("zl_b_avg", zlB, batchSize));
        m.putAll(zlABSpace.compute());
        m.putAll(EmbeddingStatistics.global("yg_a", ygA.toArray(double[][]::new), batchSize));
        m.putAll(EmbeddingStatistics.global("yg_b", ygB.toArray(double[][]::new), batchSize));
        m.putAll(EmbeddingStatistics.global("zg_a", zgA.toArray(double[][]::new), batchSize));
        m.putAll(EmbeddingStatistics.global("zg_b", zgB.toArray(double[][]::new), batchSize));
        m.putAll(EmbeddingStatistics.distributionPair("zl_a||zl_b", zlA, zlB, weightsA, weightsB, batchSize));
        m.putAll(EmbeddingStatistics.globalPair("zl_a_avg;zl_b_avg", EmbeddingStatistics.centroidsOf("zl_a", zlA),
                EmbeddingStatistics.centroidsOf("zl_b", zlB), batchSize, false));
        m.putAll(EmbeddingStatistics.localPair("zl_a;zl_b2a", zlA, zlB2a, weightsA, batchSize));
        m.putAll(EmbeddingStatistics.localPair("zl_b;zl_a2b", zlB, zlA2b, weightsB, batchSize));
        m.putAll(EmbeddingStatistics.globalPair("zg_a;zg_b", zgA.toArray(double[][]::new),
                zgB.toArray(double[][]::new), batchSize, true));
        return new LinkedHashMap<>(new TreeMap<>(m));
    }
}
