package org.attnbench.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.attnbench.backend.Backend;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.core.UserError;
import org.attnbench.graph.OnnxModel;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.HostTensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs one ONNX model once, with inputs and outputs in safetensors files keyed by graph value name. */
@Command(name = "run-onnx", mixinStandardHelpOptions = true,
        description = "Run an ONNX model on a backend. Inputs are read from a safetensors file by graph input "
                + "name; outputs are written to one by graph output name.")
final class RunOnnxCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The model (external weights beside it).")
    private Path modelFile;

    @Mixin
    private BackendOptions target;

    @Option(names = "--inputs", required = true, paramLabel = "IN.safetensors",
            description = "One tensor per graph input, named as the input.")
    private Path inputsFile;

    @Option(names = "--outputs", required = true, paramLabel = "OUT.safetensors",
            description = "Where to write the graph outputs.")
    private Path outputsFile;

    @Override
    public void run() {
        Backend backend = target.backend();
        Device device = target.device(backend);
        OnnxModel model = OnnxModel.read(modelFile);
        Map<String, HostTensor> available = Safetensors.read(inputsFile);
        try (Executable exe = backend.compile(model, device, CompileOptions.DEFAULT)) {
            Map<String, HostTensor> outputs = exe.run(select(exe, available));
            Safetensors.write(outputsFile, outputs);
            System.out.println("wrote " + outputsFile + ": " + String.join(", ", outputs.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue().dtype() + " "
                            + Arrays.toString(e.getValue().shape())).toList()));
        }
    }

    /** The graph's inputs from the file; other tensors in it are ignored. */
    private Map<String, HostTensor> select(Executable exe, Map<String, HostTensor> available) {
        Map<String, HostTensor> inputs = new LinkedHashMap<>();
        for (String name : exe.inputNames()) {
            HostTensor t = available.get(name);
            if (t == null) {
                throw new UserError(inputsFile + " has no tensor '" + name + "': the graph's inputs are "
                        + String.join(", ", exe.inputNames()));
            }
            inputs.put(name, t);
        }
        return inputs;
    }
}
