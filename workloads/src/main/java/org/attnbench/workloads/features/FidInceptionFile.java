package org.attnbench.workloads.features;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.backend.TorchScriptRuntime;
import org.attnbench.core.UserError;
import org.attnbench.models.inception.FidInceptionLayout;
import org.attnbench.models.inception.FidInceptionWeights;
import org.attnbench.safetensors.SafetensorsFile;
import org.attnbench.tensor.HostTensor;
import org.attnbench.torchscript.ScriptClass;
import org.attnbench.torchscript.TorchScriptArchive;

/**
 * Reads the FID Inception's weights from either form a user may have.
 *
 * <ul>
 *   <li>A safetensors file of pytorch-fid's state_dict (the README converts the .pth in one line):
 *       read directly; the network then takes 2 (x / 255) - 1.
 *   <li>StyleGAN's TorchScript {@code inception-2015-12-05.pt}, which clean-fid loads too. Its
 *       tensors live in a pickle, which attnbench does not read: it adds to the archive's root
 *       class (the one holding {@code layers}) a method that returns every unit's weight, beta,
 *       mean and var by attribute path, and libtorch (through DJL) loads the archive and runs it.
 *       The network then takes (x - 128) / 128, as clean-fid feeds the file's layers.
 * </ul>
 * Either way the same graph is built from the tensors and runs on every backend.
 */
public final class FidInceptionFile {
    /** The method added to the TorchScript root class: every unit's tensors, in {@link FidInceptionLayout#scriptTensorNames()} order. */
    public static final String TENSORS_METHOD = "attnbench_fid_tensors";
    /** The method added beside it: the file's own {@code layers} on an input, for checking the graph against libtorch. */
    public static final String LAYERS_METHOD = "attnbench_fid_layers";

    /** What a file holds: the weights, the scaling its form takes, and the form's name for labels. */
    public record Contents(FidInceptionWeights weights, CleanFidPreprocessing.Scaling scaling, String form) {}

    private FidInceptionFile() {}

    public static Contents read(Path file) {
        if (!Files.isRegularFile(file)) throw new UserError("no such FID Inception file: " + file);
        if (TorchScriptArchive.isZip(file)) {
            Map<String, HostTensor> tensors = new HashMap<>();
            try (TorchScriptRuntime.Module module = loadScript(file)) {
                List<String> names = FidInceptionLayout.scriptTensorNames();
                List<HostTensor> values = module.run(TENSORS_METHOD);
                for (int i = 0; i < names.size(); i++) tensors.put(names.get(i), values.get(i));
            }
            return new Contents(FidInceptionWeights.fromTorchScript(tensors, file.getFileName().toString()),
                    CleanFidPreprocessing.Scaling.TORCHSCRIPT, "TorchScript inception-2015-12-05.pt form");
        }
        Map<String, HostTensor> state;
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            state = new LinkedHashMap<>();
            // Copies: the mapping closes with the file.
            for (String name : f.names()) state.put(name, copy(f.tensor(name)));
        } catch (UserError e) {
            throw new UserError(file + " is neither a TorchScript file nor a safetensors file (" + e.getMessage()
                    + "): give StyleGAN's inception-2015-12-05.pt or pytorch-fid's weights as safetensors (see the README)");
        }
        return new Contents(FidInceptionWeights.fromPytorchFid(state, file.getFileName().toString()),
                CleanFidPreprocessing.Scaling.PYTORCH_FID, "pytorch-fid state_dict");
    }

    /**
     * The TorchScript file loaded by libtorch with {@link #TENSORS_METHOD} and {@link #LAYERS_METHOD}
     * added to its root class. A TorchScript file without the FID Inception's attributes is refused
     * in one line before libtorch compiles anything.
     */
    public static TorchScriptRuntime.Module loadScript(Path file) {
        TorchScriptArchive archive = TorchScriptArchive.read(file);
        List<ScriptClass> classes = archive.classes();
        Map<String, ScriptClass> byName = new HashMap<>();
        for (ScriptClass c : classes) byName.put(c.qualifiedName(), c);
        ScriptClass root = null;
        String missing = null;
        for (ScriptClass c : classes) {
            if (!c.attributes().containsKey("layers") || !c.methods().contains("forward")) continue;
            missing = FidInceptionLayout.scriptTensorNames().stream().filter(p -> !resolves(byName, c, p)).findFirst().orElse(null);
            if (missing == null) {
                root = c;
                break;
            }
        }
        if (root == null) {
            throw new UserError(file + " is TorchScript but not StyleGAN's FID Inception (inception-2015-12-05.pt): "
                    + (missing == null ? "no class holds 'layers'" : "it has no '" + missing + "'"));
        }
        String self = "self: " + root.qualifiedName();
        String tensors = String.join(", ", FidInceptionLayout.scriptTensorNames().stream().map(p -> "self." + p).toList());
        String methods = "  def " + TENSORS_METHOD + "(" + self + ") -> List[Tensor]:\n"
                + "    return [" + tensors + "]\n"
                + "  def " + LAYERS_METHOD + "(" + self + ",\n    x: Tensor) -> Tensor:\n"
                + "    return (self.layers).forward(x, )\n";
        return TorchScriptRuntime.find().load(archive.withMethods(root, methods), file.toString());
    }

    /** Whether {@code path} names a Tensor attribute, following the declared submodule types from {@code c}. */
    static boolean resolves(Map<String, ScriptClass> classes, ScriptClass c, String path) {
        String[] parts = path.split("\\.");
        ScriptClass at = c;
        for (int i = 0; i < parts.length; i++) {
            String type = at.attributes().get(parts[i]);
            if (type == null) return false;
            if (i == parts.length - 1) return type.equals("Tensor");
            at = classes.get(type);
            if (at == null) return false;
        }
        return false;
    }

    private static HostTensor copy(HostTensor t) {
        HostTensor out = HostTensor.allocate(t.dtype(), t.shape());
        out.mutableData().put(t.data());
        return out;
    }
}
