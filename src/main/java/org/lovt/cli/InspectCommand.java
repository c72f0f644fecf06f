package org.lovt.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.lovt.LovtException;
import org.lovt.data.dicom.DicomInspect;
import org.lovt.torch.HostTensor;
import org.lovt.torch.io.Safetensors;
import org.lovt.torch.io.TensorFiles;
import org.lovt.torch.io.TorchCheckpoint;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code lovt inspect FILE}: the tensors of a safetensors file or a {@code torch.save} checkpoint (name, dtype,
 * shape, bytes). The format is recognised from the file's first bytes, not its name.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "List name, dtype, shape and byte size of every tensor in a safetensors file or a torch.save "
                + "checkpoint (.pth/.bin/.ckpt); for a DICOM file, its pixel-module tags and the decoded array's "
                + "shape, dtype, min, max and sha256 (pydicom's pixel_array convention). Exits 2 with a one-line "
                + "reason for anything unreadable.")
public final class InspectCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(paramLabel = "FILE", description = "The file to inspect.")
    Path file;

    @CommandLine.Option(names = "--lenient", description = "For torch.save files: keep objects of classes other "
            + "than tensors and containers (e.g. a Lightning checkpoint's hyper-parameters) as inert placeholders "
            + "instead of refusing the file. Code-executing globals are refused even then.")
    boolean lenient;

    private static final String PIXELS_NOT_DECODED = "pixels: not decoded: ";

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (Files.isDirectory(file)) {
            throw new LovtException(file + ": is a directory, not a tensor file");
        }
        TensorFiles.Kind kind = TensorFiles.sniff(file);
        switch (kind) {
            case SAFETENSORS -> {
                Safetensors.Contents c = Safetensors.read(file);
                out.println(file + ": safetensors, " + c.tensors().size() + " tensors");
                c.metadata().forEach((k, v) -> out.println("  metadata " + k + " = " + v));
                printTable(out, c.tensors());
            }
            case TORCH_ZIP, TORCH_LEGACY -> {
                TorchCheckpoint ckpt = TorchCheckpoint.read(file,
                        TorchCheckpoint.Options.defaults().lenient(lenient));
                Map<String, HostTensor> sd = ckpt.stateDict();
                out.println(file + ": torch.save checkpoint (" + ckpt.format().toString().toLowerCase() + "), "
                        + sd.size() + " tensors in its state dict");
                if (!ckpt.placeholders().isEmpty()) {
                    out.println("  " + ckpt.placeholders().size() + " non-tensor object(s) of other classes were "
                            + "kept as inert placeholders (--lenient)");
                }
                printTable(out, sd);
            }
            case DICOM -> {
                List<String> lines = DicomInspect.describe(file);
                lines.forEach(out::println);
                String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
                if (last.startsWith(PIXELS_NOT_DECODED)) {
                    // The header was readable but the image is not: still a failure to read the file.
                    out.flush();
                    throw new LovtException(last.substring(PIXELS_NOT_DECODED.length()));
                }
            }
            default -> throw new LovtException(file + ": not a recognised file (expected safetensors, a torch.save "
                    + "checkpoint or DICOM)");
        }
        out.flush();
        return 0;
    }

    static void printTable(PrintWriter out, Map<String, HostTensor> tensors) {
        int width = Math.max(4, tensors.keySet().stream().mapToInt(String::length).max().orElse(4));
        out.printf("%-" + width + "s  %-7s  %-22s  %12s%n", "name", "dtype", "shape", "bytes");
        long elements = 0;
        long bytes = 0;
        for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
            HostTensor t = e.getValue();
            out.printf("%-" + width + "s  %-7s  %-22s  %12d%n", e.getKey(), t.dtype().safetensorsName(),
                    Arrays.toString(t.shape()), t.byteSize());
            elements += t.numel();
            bytes += t.byteSize();
        }
        out.printf("total: %d tensors, %,d elements, %,d bytes%n", tensors.size(), elements, bytes);
    }
}
