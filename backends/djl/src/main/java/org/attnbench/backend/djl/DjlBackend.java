package org.attnbench.backend.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.attnbench.backend.Backend;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.DeviceStatus;
import org.attnbench.backend.Executable;
import org.attnbench.backend.cuda.CudaMachine;
import org.attnbench.core.UserError;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.onnx.Onnx.GraphProto;
import org.attnbench.graph.onnx.Onnx.ModelProto;
import org.attnbench.graph.onnx.Onnx.NodeProto;
import org.attnbench.graph.onnx.Onnx.OperatorSetIdProto;
import org.attnbench.graph.onnx.Onnx.TensorProto;
import org.attnbench.graph.onnx.Onnx.ValueInfoProto;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/** DJL with the PyTorch engine: runs ONNX graphs node by node with NDArray operations. */
public final class DjlBackend implements Backend {
    static final int MAX_OPSET = 17;
    private static final String ENGINE = "PyTorch";
    /** Initializers at most this large are also kept on the host, for ops that read shapes or axes. */
    private static final long HOST_CONSTANT_LIMIT = 1024;

    @Override
    public String name() {
        return "djl";
    }

    @Override
    public List<DeviceStatus> devices() {
        return devices(CudaMachine.ofThisMachine());
    }

    /**
     * The CPU, and each GPU libtorch sees. Before loading anything, the libtorch that
     * PYTORCH_LIBRARY_PATH names is checked (DJL would load it for the CPU too), and when no GPU
     * is seen, what CUDA lacks here is found on the file system and named with how to get it.
     */
    List<DeviceStatus> devices(CudaMachine machine) {
        List<DeviceStatus> out = new ArrayList<>();
        Optional<String> unusable = LibtorchProbe.unusable(machine);
        if (unusable.isPresent()) {
            out.add(DeviceStatus.unavailable(Device.CPU, unusable.get()));
            out.add(DeviceStatus.unavailable(Device.cuda(0), unusable.get()));
            return out;
        }
        Engine engine;
        try {
            engine = Engine.getEngine(ENGINE);
        } catch (RuntimeException | LinkageError e) {
            String why = "the DJL PyTorch engine does not load: " + oneLine(e);
            out.add(DeviceStatus.unavailable(Device.CPU, why));
            out.add(DeviceStatus.unavailable(Device.cuda(0), why));
            return out;
        }
        out.add(DeviceStatus.available(Device.CPU));
        int gpus = engine.getGpuCount();
        for (int i = 0; i < gpus; i++) out.add(DeviceStatus.available(Device.cuda(i)));
        if (gpus == 0) out.add(noGpu(machine));
        return out;
    }

    /** Why libtorch sees no GPU: what is missing, or, when nothing is, that it still sees none. */
    static DeviceStatus noGpu(CudaMachine machine) {
        List<String> missing = new ArrayList<>(machine.driverProblems());
        missing.addAll(LibtorchProbe.missingForCuda(machine));
        if (!missing.isEmpty()) return DeviceStatus.missing(Device.cuda(0), missing);
        return DeviceStatus.unavailable(Device.cuda(0), "libtorch sees no CUDA device although the NVIDIA driver "
                + machine.driverVersion().orElse("?") + " lists " + machine.gpus() + " GPU(s) and PYTORCH_LIBRARY_PATH names a"
                + " CUDA libtorch: check that its CUDA libraries load (python3 -c 'import torch; print(torch.cuda.is_available())')");
    }

    @Override
    public Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("djl", Engine.getDjlVersion());
        try {
            v.put("libtorch", Engine.getEngine(ENGINE).getVersion());
        } catch (RuntimeException | LinkageError e) {
            v.put("libtorch", "not loaded: " + oneLine(e));
        }
        return v;
    }

    @Override
    public Optional<String> unsupported(OnnxModel model) {
        ModelProto proto = model.proto();
        int opset = opset(proto);
        if (opset > MAX_OPSET) return Optional.of("opset " + opset + " (the DJL backend implements opsets up to " + MAX_OPSET + ")");
        GraphProto g = proto.getGraph();
        for (TensorProto t : g.getInitializerList()) {
            Optional<String> why = dtypeIssue(t.getDataType(), "initializer '" + t.getName() + "'");
            if (why.isPresent()) return why;
        }
        List<ValueInfoProto> infos = new ArrayList<>(g.getInputList());
        infos.addAll(g.getOutputList());
        infos.addAll(g.getValueInfoList());
        for (ValueInfoProto v : infos) {
            if (!v.getType().hasTensorType()) return Optional.of("non-tensor value '" + v.getName() + "'");
            Optional<String> why = dtypeIssue(v.getType().getTensorType().getElemType(), "value '" + v.getName() + "'");
            if (why.isPresent()) return why;
        }
        for (NodeProto n : g.getNodeList()) {
            Optional<String> why = OpRegistry.check(n, opset);
            if (why.isPresent()) return why;
        }
        return Optional.empty();
    }

    /** The dtype is unknown to attnbench, or one libtorch through DJL does not cover. */
    static Optional<String> dtypeIssue(int onnxCode, String where) {
        Optional<DType> d = DType.fromOnnx(onnxCode);
        if (d.isEmpty()) return Optional.of("ONNX dtype " + onnxCode + " of " + where);
        if (Tensors.dataType(d.get()).isEmpty()) {
            return Optional.of("dtype " + d.get().name().toLowerCase() + " of " + where);
        }
        return Optional.empty();
    }

    @Override
    public Executable compile(OnnxModel model, Device device, CompileOptions options) {
        Optional<String> why = unsupported(model);
        if (why.isPresent()) throw new UserError("the DJL backend cannot run this model: " + why.get());
        Engine engine = Engine.getEngine(ENGINE);
        if (device.isCuda() && device.index() >= engine.getGpuCount()) {
            throw new UserError("djl cannot use " + device + ": libtorch sees " + engine.getGpuCount() + " CUDA device(s)");
        }
        DataType compute = switch (options.dtype()) {
            case FLOAT32 -> DataType.FLOAT32;
            case FLOAT16 -> DataType.FLOAT16;
            // DJL 0.36's PyTorch engine aborts the process when it converts to bfloat16.
            default -> throw new UserError("the DJL backend computes in fp32 or fp16, not " + options.dtype());
        };
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("engine", ENGINE + " " + engine.getVersion());
        settings.put("device", device.toString());
        settings.put("dtype", options.dtype().name().toLowerCase());
        applyThreads(options, settings);

        ai.djl.Device djlDevice = device.isCuda() ? ai.djl.Device.gpu(device.index()) : ai.djl.Device.cpu();
        NDManager root = engine.newBaseManager(djlDevice);
        SharedArrays.Lease lease = null;
        try {
            GraphProto g = model.proto().getGraph();
            Map<String, NDArray> resident = new HashMap<>();
            Map<String, HostTensor> constants = new HashMap<>();
            Map<String, HostTensor> weights = model.initializers();
            // Weights held in memory (large graphs) are shared with every graph built from the same tensors.
            lease = SharedArrays.acquire(engine, djlDevice, compute, model.memoryWeights());
            resident.putAll(lease.arrays());
            for (Map.Entry<String, HostTensor> e : weights.entrySet()) {
                if (resident.containsKey(e.getKey())) {
                    if (e.getValue().numel() <= HOST_CONSTANT_LIMIT) constants.put(e.getKey(), e.getValue());
                } else {
                    keep(e.getKey(), e.getValue(), root, compute, resident, constants);
                }
            }
            List<NodeProto> nodes = new ArrayList<>();
            for (NodeProto n : g.getNodeList()) {
                // Constants become resident arrays once, instead of a host copy per run.
                if (n.getOpType().equals("Constant")) keep(n.getOutput(0), ConstantValue.of(n), root, compute, resident, constants);
                else nodes.add(n);
            }
            List<DjlExecutable.ValueSpec> inputs = g.getInputList().stream()
                    .filter(v -> !weights.containsKey(v.getName())).map(DjlExecutable::spec).toList();
            List<DjlExecutable.ValueSpec> outputs = g.getOutputList().stream().map(DjlExecutable::spec).toList();
            return new DjlExecutable(root, lease, resident, constants, nodes, inputs, outputs, opset(model.proto()), compute,
                    settings);
        } catch (RuntimeException e) {
            root.close();
            if (lease != null) lease.close();
            throw e;
        }
    }

    private static void keep(String name, HostTensor t, NDManager root, DataType compute,
                             Map<String, NDArray> resident, Map<String, HostTensor> constants) {
        NDArray a = Tensors.toNd(root, t);
        if (compute != DataType.FLOAT32 && a.getDataType() == DataType.FLOAT32) {
            NDArray cast = a.toType(compute, false);
            a.close();
            a = cast;
        }
        resident.put(name, a);
        if (t.numel() <= HOST_CONSTANT_LIMIT) constants.put(name, t);
    }

    /** libtorch's thread pools are process-wide: the settings record what is in force. */
    private static void applyThreads(CompileOptions options, Map<String, String> settings) {
        if (options.intraOpThreads() > 0) JniUtils.setNumThreads(options.intraOpThreads());
        settings.put("intraOpThreads", Integer.toString(JniUtils.getNumThreads()));
        if (options.interOpThreads() > 0) {
            try {
                JniUtils.setNumInteropThreads(options.interOpThreads());
            } catch (RuntimeException e) {
                // libtorch allows this once, before any inter-op work; the value in force is reported below.
            }
        }
        settings.put("interOpThreads", Integer.toString(JniUtils.getNumInteropThreads()));
    }

    static int opset(ModelProto proto) {
        int v = 1;
        for (OperatorSetIdProto o : proto.getOpsetImportList()) {
            if (isDefaultDomain(o.getDomain())) v = (int) o.getVersion();
        }
        return v;
    }

    private static boolean isDefaultDomain(String domain) {
        return domain.isEmpty() || domain.equals("ai.onnx");
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
