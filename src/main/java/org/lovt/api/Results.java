package org.lovt.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.lovt.LovtException;
import org.lovt.eval.protocol.DownstreamCharts;
import org.lovt.eval.protocol.ResultsReport;

/** Results folders of {@link DownstreamSuite}: side-by-side comparison, and redrawing {@code results.md} and charts. */
public final class Results {
    private Results() {}

    /**
     * The models of several results folders side by side (markdown): the headline test metric of every task,
     * ×100 as mean±95 % interval; {@code *} marks a value whose interval does not overlap the column's first value.
     */
    public static String compare(List<Path> dirs) {
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                throw new LovtException(d + ": no such results folder");
            }
        }
        return ResultsReport.compare(dirs);
    }

    /**
     * The given models of one results folder as a console table, in this order: the headline test metric ×100 as
     * mean±95 % interval per task; {@code +} / {@code -} mark a value whose interval lies wholly above / below the
     * first model's. With {@code published}, the paper's published rows for the same tasks follow.
     */
    public static String table(Path dir, List<String> models, boolean published) {
        if (!Files.isDirectory(dir)) {
            throw new LovtException(dir + ": no such results folder");
        }
        return ResultsReport.miniature(dir, models, published);
    }

    /** Rewrites {@code results.md} and the charts of a results folder from its tables; returns results.md. */
    public static Path redraw(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new LovtException(dir + ": no such results folder");
        }
        Path md = ResultsReport.write(dir);
        DownstreamCharts.writeAll(dir);
        return md;
    }
}
