package org.attnbench.backend.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.attnbench.backend.Backend;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.DeviceStatus;
import org.attnbench.backend.Executable;
import org.attnbench.core.UserError;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.TensorProtos;
import org.attnbench.graph.onnx.Onnx.ModelProto;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OrtBackendTest {
    private final Backend backend = new OrtBackend();

    @Test
    void isFoundByName() {
        assertTrue(Backends.byName("onnxruntime") instanceof OrtBackend);
        assertTrue(backend.versions().get("onnxruntime").matches("\\d+\\.\\d+\\.\\d+.*"));
    }

    @Test
    void cpuIsAvailableAndCudaExplainsItselfWithoutAGpu() {
        assertTrue(backend.devices().contains(DeviceStatus.available(Device.CPU)));
        assumeFalse(Files.isDirectory(Path.of("/proc/driver/nvidia")), "this machine has an NVIDIA driver");
        DeviceStatus cuda = backend.devices().stream().filter(s -> s.device().isCuda()).findFirst().orElseThrow();
        assertFalse(cuda.available());
        assertTrue(cuda.reason().startsWith("missing the NVIDIA driver (no kernel module"), cuda.reason());
        assertTrue(cuda.missing().get(0).startsWith("the NVIDIA driver"), cuda.missing().toString());
        UserError e = assertThrows(UserError.class,
                () -> backend.compile(TestGraphs.affine(), Device.cuda(0), CompileOptions.DEFAULT));
        assertTrue(e.getMessage().contains("missing the NVIDIA driver"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"UINT16", "UINT32", "UINT64"}, mode = EnumSource.Mode.EXCLUDE)
    void tensorsRoundTripByteForByte(DType dtype) {
        HostTensor in = HostTensor.allocate(dtype, 2, 3, 4);
        byte[] bytes = new byte[(int) in.byteSize()];
        new Random(dtype.ordinal()).nextBytes(bytes);
        // Random bits are fine for every type but bool, whose bytes ORT may only see as 0 or 1.
        if (dtype == DType.BOOL) for (int i = 0; i < bytes.length; i++) bytes[i] &= 1;
        in.mutableData().put(bytes);
        try (Executable exe = backend.compile(TestGraphs.identity(dtype, 2, 3, 4), Device.CPU, CompileOptions.DEFAULT)) {
            HostTensor out = exe.run(Map.of("x", in)).get("y");
            assertEquals(dtype, out.dtype());
            assertArrayEquals(new long[] {2, 3, 4}, out.shape());
            assertArrayEquals(bytes, out.toByteArray());
        }
    }

    @Test
    void heapBackedInputsWork() {
        ByteBuffer heap = ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) heap.putFloat(i);
        HostTensor x = new HostTensor(DType.FLOAT32, new long[] {2, 3}, heap.flip());
        try (Executable exe = backend.compile(TestGraphs.affine(), Device.CPU, CompileOptions.DEFAULT)) {
            assertArrayEquals(TestGraphs.affine(x.toFloats()), exe.run(Map.of("x", x)).get("y").toFloats(), 1e-5f);
        }
    }

    @Test
    void unsignedWideTypesAreRefusedUpFront() {
        Optional<String> why = backend.unsupported(TestGraphs.identity(DType.UINT32, 2));
        assertTrue(why.orElseThrow().contains("element type 12"), why.get());
    }

    @Test
    void wrongShapeNamesInputAndBothShapes() {
        try (Executable exe = backend.compile(TestGraphs.affine(), Device.CPU, CompileOptions.DEFAULT)) {
            UserError e = assertThrows(UserError.class,
                    () -> exe.run(Map.of("x", HostTensor.of(new float[8], 2, 4))));
            assertEquals("input 'x' must have shape [2, 3], got [2, 4]", e.getMessage());
            UserError dtype = assertThrows(UserError.class,
                    () -> exe.run(Map.of("x", HostTensor.of(new double[6], 2, 3))));
            assertEquals("input 'x' must be FLOAT32, got FLOAT64", dtype.getMessage());
            UserError missing = assertThrows(UserError.class, () -> exe.run(Map.of()));
            assertEquals("missing input 'x': the graph's inputs are x", missing.getMessage());
        }
    }

    @Test
    void recordsTheSettingsItUsed() {
        CompileOptions options = new CompileOptions(DType.FLOAT32, 2, 1, Map.of("optimization", "basic"));
        try (Executable exe = backend.compile(TestGraphs.affine(), Device.CPU, options)) {
            int block = BlockedConvolutions.blockSize();
            String layout = block > 1 ? "nchwc" + block : "nchw (no NCHWc kernels on this CPU)";
            assertEquals(Map.of("providers", "CPUExecutionProvider", "optimization", "basic", "weights", "shared", "cpu_arena", "off",
                    "memory_pattern", "off", "conv_layout", layout, "intra_op_threads", "2", "inter_op_threads", "1"), exe.settings());
        }
        UserError e = assertThrows(UserError.class, () -> backend.compile(TestGraphs.affine(), Device.CPU,
                new CompileOptions(DType.FLOAT32, 0, 0, Map.of("optimization", "max"))));
        assertTrue(e.getMessage().startsWith("unknown onnxruntime optimization 'max'"), e.getMessage());
        UserError arena = assertThrows(UserError.class, () -> backend.compile(TestGraphs.affine(), Device.CPU,
                new CompileOptions(DType.FLOAT32, 0, 0, Map.of("arena", "yes"))));
        assertTrue(arena.getMessage().startsWith("unknown onnxruntime arena 'yes'"), arena.getMessage());
        try (Executable exe = backend.compile(TestGraphs.affine(), Device.CPU,
                new CompileOptions(DType.FLOAT32, 0, 0, Map.of("arena", "on", "session.disable_prepacking", "1")))) {
            assertEquals("on", exe.settings().get("cpu_arena"));
            assertEquals("1", exe.settings().get("session.disable_prepacking"), "ORT's own keys are recorded too");
        }
    }

    @Test
    void aGraphRunAloneKeepsItsMemoryInTheArenaUnlessTheConfigSaysOtherwise() {
        CompileOptions sole = CompileOptions.DEFAULT.withSoleGraph(true);
        try (Executable exe = backend.compile(TestGraphs.affine(), Device.CPU, sole)) {
            assertEquals("on", exe.settings().get("cpu_arena"));
            assertEquals("off", exe.settings().get("memory_pattern"), "a pattern would hold a second peak beside the arena's");
            for (float[] x : new float[][] {{1, 2, 3, 4, 5, 6}, {-6, 5, -4, 3, -2, 1}}) { // the second run reuses the first's blocks
                assertArrayEquals(TestGraphs.affine(x), exe.run(Map.of("x", HostTensor.of(x, 2, 3))).get("y").toFloats(), 1e-5f);
            }
        }
        CompileOptions soleButOff = new CompileOptions(DType.FLOAT32, 0, 0, Map.of("arena", "off")).withSoleGraph(true);
        try (Executable exe = backend.compile(TestGraphs.affine(), Device.CPU, soleButOff)) {
            assertEquals("off", exe.settings().get("cpu_arena"));
        }
    }

    @Test
    void refusesOpsOutsideTheSubset() {
        ModelProto proto = TestGraphs.identity(DType.FLOAT32, 3).proto();
        ModelProto nonZero = proto.toBuilder().setGraph(proto.getGraph().toBuilder()
                .setNode(0, proto.getGraph().getNode(0).toBuilder().setOpType("NonZero"))).build();
        assertEquals(Optional.of("op NonZero is outside the supported subset"), backend.unsupported(OnnxModel.of(nonZero)));
        UserError e = assertThrows(UserError.class,
                () -> backend.compile(OnnxModel.of(nonZero), Device.CPU, CompileOptions.DEFAULT));
        assertTrue(e.getMessage().endsWith("op NonZero is outside the supported subset"), e.getMessage());
    }

    @Test
    void invalidModelsBecomeOneLineUserErrors() {
        ModelProto proto = TestGraphs.affine().proto();
        // Declare x as [2, 5]: MatMul with W [3, 2] no longer type-checks.
        var badInput = proto.getGraph().getInput(0).toBuilder();
        badInput.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(1).setDimValue(5);
        ModelProto bad = proto.toBuilder().setGraph(proto.getGraph().toBuilder().setInput(0, badInput)).build();
        UserError e = assertThrows(UserError.class,
                () -> backend.compile(OnnxModel.of(bad), Device.CPU, CompileOptions.DEFAULT));
        assertTrue(e.getMessage().startsWith("ONNX Runtime cannot load the model: Node (MatMul)"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void loadsExternalWeightsFromBesideTheModel(@TempDir Path dir) {
        Path file = dir.resolve("affine.onnx");
        TestGraphs.affine().write(file, true);
        OnnxModel model = OnnxModel.read(file);
        assertTrue(model.hasExternalWeights());
        float[] x = {1, 0, -1, 2, 0.5f, 3};
        try (Executable exe = backend.compile(model, Device.CPU, CompileOptions.DEFAULT)) {
            assertArrayEquals(TestGraphs.affine(x), exe.run(Map.of("x", HostTensor.of(x, 2, 3))).get("y").toFloats(), 1e-5f);
        }
    }

    @Test
    void loadsWeightsHeldInMemory() {
        // How GraphBuilder hands over weights too large for one protobuf: external entries, bytes in memory.
        ModelProto embedded = TestGraphs.affine().proto();
        var graph = embedded.getGraph().toBuilder().clearInitializer();
        Map<String, HostTensor> weights = Map.of("W", HostTensor.of(TestGraphs.W, 3, 2), "b", HostTensor.of(TestGraphs.B, 2));
        for (var t : embedded.getGraph().getInitializerList()) {
            graph.addInitializer(TensorProtos.external(t.getName(), weights.get(t.getName()), "memory", 0));
        }
        OnnxModel model = new OnnxModel(embedded.toBuilder().setGraph(graph).build(), null, weights);
        float[] x = {1, 0, -1, 2, 0.5f, 3};
        try (Executable exe = backend.compile(model, Device.CPU, CompileOptions.DEFAULT)) {
            assertArrayEquals(TestGraphs.affine(x), exe.run(Map.of("x", HostTensor.of(x, 2, 3))).get("y").toFloats(), 1e-5f);
        }
    }
}
