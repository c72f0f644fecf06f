package org.lovt.torch.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

import org.lovt.LovtException;
import org.lovt.torch.HostTensor;

/** Reads tensors from a weights file whatever its format, recognised by its leading bytes (not its name). */
public final class TensorFiles {
    private TensorFiles() {}

    /** File formats recognised by their leading bytes. */
    public enum Kind { SAFETENSORS, TORCH_ZIP, TORCH_LEGACY, DICOM, UNKNOWN }

    /** Recognises a file by its first bytes. */
    public static Kind sniff(Path file) {
        byte[] head = new byte[132];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (NoSuchFileException e) {
            throw new LovtException(file + ": no such file");
        } catch (IOException e) {
            throw new LovtException(file + ": cannot read: " + e.getMessage());
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return Kind.TORCH_ZIP;
        }
        if (n >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5) {
            return Kind.TORCH_LEGACY;
        }
        if (n >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M') {
            return Kind.DICOM;
        }
        if (n >= 9) {
            int i = 8;
            while (i < n && head[i] == ' ') {
                i++;
            }
            if (i < n && head[i] == '{') {
                return Kind.SAFETENSORS;
            }
        }
        return Kind.UNKNOWN;
    }

    /** The tensors of a safetensors file or a torch.save checkpoint's state dict, in file order. */
    public static Map<String, HostTensor> read(Path file) {
        return switch (sniff(file)) {
            case SAFETENSORS -> Safetensors.read(file).tensors();
            case TORCH_ZIP, TORCH_LEGACY -> TorchCheckpoint.loadStateDict(file);
            default -> throw new LovtException(file + ": not a recognised weights file (expected safetensors or a "
                    + "torch.save checkpoint)");
        };
    }
}
