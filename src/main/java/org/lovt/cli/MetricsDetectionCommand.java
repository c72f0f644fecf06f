package org.lovt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.lovt.eval.metrics.DetectionSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code lovt metrics detection FILE.json}: mAP and fROC of a split's boxes ({@link DetectionSet}'s format) as LoVT's
 * downstream evaluation computes them, printed as one JSON object.
 */
@Command(name = "detection", mixinStandardHelpOptions = true,
        description = "mAP (IoU 0.40..0.75, per class, @0.5, @0.75; pos_ for images with boxes) and fROC of the "
                + "boxes in FILE (JSON: class_names, images[{targets[{box:[x,y,w,h],class}], "
                + "predictions[{box,class,conf}]}]), as LoVT's evaluation computes them. Prints one JSON object; "
                + "exits 2 with a one-line reason for a malformed file.")
public final class MetricsDetectionCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(paramLabel = "FILE", description = "The JSON file of targets and predictions.")
    Path file;

    @Override
    public Integer call() throws JsonProcessingException {
        Map<String, Double> metrics = DetectionSet.read(file).metrics().compute();
        PrintWriter out = spec.commandLine().getOut();
        out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(metrics));
        out.flush();
        return 0;
    }
}
