package org.attnbench.workloads.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.attnbench.core.UserError;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.safetensors.SafetensorsFile;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files the fid-inception extractor takes, and the one line it gives for each it does not. */
class FidInceptionFileTest {
    @TempDir
    Path dir;

    @Test
    void bothFormsOfTheSeededNetworkHoldTheSameWeights() {
        var script = FidInceptionFile.read(FidInceptionTest.TORCHSCRIPT);
        var fid = FidInceptionFile.read(FidInceptionTest.SAFETENSORS);
        assertEquals(CleanFidPreprocessing.Scaling.TORCHSCRIPT, script.scaling());
        assertEquals(CleanFidPreprocessing.Scaling.PYTORCH_FID, fid.scaling());
        var a = script.weights().unit("Mixed_7c.branch3x3dbl_3b");
        var b = fid.weights().unit("Mixed_7c.branch3x3dbl_3b");
        assertEquals(java.util.Arrays.toString(a.weight().shape()), java.util.Arrays.toString(b.weight().shape()));
        assertEquals(a.var()[3], b.var()[3]);
        assertEquals(null, a.gamma());
    }

    @Test
    void randomBytesAreNeitherForm() throws IOException {
        Path junk = Files.write(dir.resolve("inception.bin"), "not a model at all".getBytes(StandardCharsets.UTF_8));
        UserError e = assertThrows(UserError.class, () -> FidInceptionFile.read(junk));
        assertTrue(e.getMessage().contains("neither a TorchScript file nor a safetensors file"), e.getMessage());
    }

    @Test
    void aTorchSaveCheckpointIsRefusedAsNotTorchScript() throws IOException {
        Path ckpt = zip("pt_inception.pth", Map.of("archive/data.pkl", "\u0080\u0002}q\u0000.", "archive/data/0", "0000"));
        UserError e = assertThrows(UserError.class, () -> FidInceptionFile.read(ckpt));
        assertTrue(e.getMessage().contains("PyTorch checkpoint (torch.save), not TorchScript"), e.getMessage());
    }

    @Test
    void otherTorchScriptIsRefusedBeforeLibtorchCompilesAnything() throws IOException {
        String code = "class Net(Module):\n  __parameters__ = []\n  __buffers__ = []\n  training : bool\n"
                + "  def forward(self: __torch__.Net,\n    x: Tensor) -> Tensor:\n    return x\n";
        Path other = zip("net.pt", Map.of("net/data.pkl", "x", "net/code/__torch__.py", code, "net/version", "3\n"));
        UserError e = assertThrows(UserError.class, () -> FidInceptionFile.read(other));
        assertTrue(e.getMessage().contains("is TorchScript but not StyleGAN's FID Inception"), e.getMessage());
    }

    @Test
    void aSafetensorsFileMissingATensorNamesIt() {
        Map<String, HostTensor> state = state();
        state.remove("Mixed_6c.branch7x7dbl_4.bn.running_var");
        Path file = dir.resolve("partial.safetensors");
        Safetensors.write(file, state);
        UserError e = assertThrows(UserError.class, () -> FidInceptionFile.read(file));
        assertTrue(e.getMessage().contains("lacks tensor 'Mixed_6c.branch7x7dbl_4.bn.running_var'"), e.getMessage());
    }

    @Test
    void torchvisionsImageNetInceptionIsNotTakenForTheFidOne() {
        Map<String, HostTensor> state = state();
        state.put("AuxLogits.conv0.conv.weight", HostTensor.of(new float[] {1}, 1, 1, 1, 1));
        Path file = dir.resolve("imagenet.safetensors");
        Safetensors.write(file, state);
        UserError e = assertThrows(UserError.class, () -> FidInceptionFile.read(file));
        assertTrue(e.getMessage().contains("AuxLogits.conv0.conv.weight"), e.getMessage());
    }

    private static Map<String, HostTensor> state() {
        Map<String, HostTensor> state = new HashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(FidInceptionTest.SAFETENSORS)) {
            for (String name : f.names()) {
                HostTensor t = f.tensor(name);
                HostTensor copy = HostTensor.allocate(t.dtype(), t.shape());
                copy.mutableData().put(t.data());
                state.put(name, copy);
            }
        }
        return state;
    }

    private Path zip(String name, Map<String, String> entries) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.ISO_8859_1));
                z.closeEntry();
            }
        }
        return file;
    }
}
