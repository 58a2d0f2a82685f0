package org.attnbench.backend.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.attnbench.backend.Backend;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.DeviceStatus;
import org.attnbench.backend.Executable;
import org.attnbench.core.UserError;
import org.attnbench.graph.Float16Graph;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.OpSet;
import org.attnbench.graph.onnx.Onnx.ModelProto;
import org.attnbench.graph.onnx.Onnx.ValueInfoProto;
import org.attnbench.tensor.DType;

/** ONNX Runtime: runs the graph as it is, on the CPU or one CUDA device. */
public final class OrtBackend implements Backend {
    private volatile List<DeviceStatus> devices;

    @Override
    public String name() {
        return "onnxruntime";
    }

    /** Probed once: loading the CUDA provider takes seconds and its answer does not change. */
    @Override
    public List<DeviceStatus> devices() {
        if (devices == null) {
            List<DeviceStatus> all = new ArrayList<>();
            all.add(DeviceStatus.available(Device.CPU));
            all.addAll(CudaProbe.probe());
            devices = List.copyOf(all);
        }
        return devices;
    }

    @Override
    public Map<String, String> versions() {
        return Map.of("onnxruntime", environment().getVersion());
    }

    @Override
    public Map<String, List<String>> options() {
        return SessionSettings.OPTIONS;
    }

    @Override
    public Optional<String> unsupported(OnnxModel model) {
        Optional<String> op = OpSet.firstUnsupported(model.proto());
        if (op.isPresent()) return op;
        Optional<String> kernel = OrtKernelGaps.firstGap(model.proto());
        if (kernel.isPresent()) return kernel;
        List<ValueInfoProto> io = new ArrayList<>(model.proto().getGraph().getInputList());
        io.addAll(model.proto().getGraph().getOutputList());
        for (ValueInfoProto v : io) {
            if (!v.getType().hasTensorType()) return Optional.of("'" + v.getName() + "' is not a tensor");
            int code = v.getType().getTensorType().getElemType();
            if (OrtTensors.dtypeOf(code).isEmpty()) {
                return Optional.of("'" + v.getName() + "' has element type " + code + ", which onnxruntime cannot exchange");
            }
        }
        return Optional.empty();
    }

    @Override
    public Executable compile(OnnxModel model, Device device, CompileOptions options) {
        Backends.requireAvailable(this, device);
        OnnxModel graph = inDType(model, options);
        unsupported(graph).ifPresent(why -> {
            throw new UserError("onnxruntime cannot run this model: " + why);
        });
        return session(graph, device, options);
    }

    /** The model in the compile options' dtype: float16 by conversion, float32 as it is. */
    private static OnnxModel inDType(OnnxModel model, CompileOptions options) {
        if (options.dtype() == DType.FLOAT16) return Float16Graph.convert(model);
        if (options.dtype() != DType.FLOAT32) {
            // ORT executes the graph's own dtypes; attnbench converts graphs to float16 only.
            throw new UserError("onnxruntime runs --dtype fp32 or fp16 (a float16 conversion of the graph), not "
                    + options.dtype() + "; use --backend djl for bf16");
        }
        return model;
    }

    private OrtExecutable session(OnnxModel model, Device device, CompileOptions options) {
        List<DeclaredInput> inputs = DeclaredInput.of(model.proto().getGraph());
        List<String> outputs = model.proto().getGraph().getOutputList().stream().map(ValueInfoProto::getName).toList();
        SessionSettings settings = new SessionSettings(device, options);
        try (var sessionOptions = settings.options()) {
            if (!model.memoryWeights().isEmpty()) return withSharedWeights(model, sessionOptions, inputs, outputs, settings);
            ModelSource source = ModelSource.of(model);
            try {
                OrtSession session = source.file() == null
                        ? environment().createSession(model.proto().toByteArray(), sessionOptions)
                        : environment().createSession(source.file().toString(), sessionOptions);
                return new OrtExecutable(environment(), session, inputs, Map.of(), outputs, settings.recorded(),
                        settings.profileDir(), source::delete);
            } catch (OrtException e) {
                source.delete();
                throw OrtErrors.userError("cannot load the model", e);
            }
        }
    }

    /**
     * A built graph whose weights are in memory: the proto alone, its weights from one set of ORT
     * tensors per process, either fed as inputs on every run or given as initializers to copy.
     */
    private static OrtExecutable withSharedWeights(OnnxModel model, OrtSession.SessionOptions sessionOptions,
            List<DeclaredInput> inputs, List<String> outputs, SessionSettings settings) {
        SharedInitializers.Lease lease = null;
        try {
            ModelProto proto = model.proto();
            Map<String, OnnxTensor> weightFeeds = Map.of();
            if (settings.weights() == SessionSettings.Weights.SHARED) {
                proto = WeightInputs.declare(proto, model.memoryWeights().keySet());
                Set<String> blocked = Set.of();
                if (settings.convBlock() > 0) {
                    BlockedConvolutions.Rewrite rewrite = BlockedConvolutions.apply(proto, model.memoryWeights().keySet(),
                            settings.convBlock());
                    proto = rewrite.model();
                    blocked = rewrite.blockedFilters();
                }
                lease = SharedInitializers.acquire(environment(), model.memoryWeights(), blocked, settings.convBlock());
                weightFeeds = lease.tensors();
            } else {
                lease = SharedInitializers.acquire(environment(), model.memoryWeights());
                sessionOptions.addExternalInitializers(new LinkedHashMap<String, OnnxTensorLike>(lease.tensors()));
            }
            OrtSession session = environment().createSession(proto.toByteArray(), sessionOptions);
            return new OrtExecutable(environment(), session, inputs, weightFeeds, outputs, settings.recorded(),
                    settings.profileDir(), lease::close);
        } catch (OrtException e) {
            if (lease != null) lease.close();
            throw OrtErrors.userError("cannot load the model", e);
        }
    }

    static OrtEnvironment environment() {
        // Errors reach the user as exceptions; native log lines would only repeat them on stderr.
        return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, "attnbench");
    }
}
