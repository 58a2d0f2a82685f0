package org.attnbench.cli;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every user mistake gives exactly one "error:" line on stderr and exit code 2. */
class BadInputTest {
    @TempDir
    Path dir;

    private CliRun runOnnx(Path model, Path inputs, String... extra) {
        String[] base = {"run-onnx", model.toString(), "--inputs", inputs.toString(),
                "--outputs", dir.resolve("out.safetensors").toString()};
        String[] args = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }


    @Test
    void truncatedModel() throws IOException {
        Path model = CliFixtures.model(dir);
        byte[] bytes = Files.readAllBytes(model);
        Files.write(model, Arrays.copyOf(bytes, bytes.length / 2));
        runOnnx(model, CliFixtures.inputs(dir), "--backend", "onnxruntime").assertOneErrorLine("not a valid ONNX model");
    }

    @Test
    void safetensorsHeaderLongerThanTheFile() throws IOException {
        Path inputs = dir.resolve("in.safetensors");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).put("{}      ".getBytes(StandardCharsets.US_ASCII));
        Files.write(inputs, b.array());
        runOnnx(CliFixtures.model(dir), inputs, "--backend", "onnxruntime").assertOneErrorLine("header length 1000 does not fit");
    }

    @Test
    void safetensorsOverlappingTensors() throws IOException {
        String header = "{\"x\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                + "\"y\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + 24).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).put(json);
        Path inputs = dir.resolve("in.safetensors");
        Files.write(inputs, b.array());
        runOnnx(CliFixtures.model(dir), inputs, "--backend", "onnxruntime").assertOneErrorLine("overlap");
    }

    @Test
    void inputOfTheWrongShape() {
        Path inputs = CliFixtures.inputs(dir, HostTensor.of(new float[8], 2, 4));
        runOnnx(CliFixtures.model(dir), inputs, "--backend", "onnxruntime").assertOneErrorLine("input 'x' must have shape [2, 3], got [2, 4]");
    }

    @Test
    void unknownBackend() {
        runOnnx(CliFixtures.model(dir), CliFixtures.inputs(dir), "--backend", "tensorflow").assertOneErrorLine("unknown backend 'tensorflow'");
    }

    @Test
    void unknownDevice() {
        runOnnx(CliFixtures.model(dir), CliFixtures.inputs(dir), "--backend", "onnxruntime",
                "--device", "tpu").assertOneErrorLine("unknown device 'tpu'");
    }

    @Test
    void cudaWithoutAGpu() {
        assumeFalse(Files.isDirectory(Path.of("/proc/driver/nvidia")), "this machine has an NVIDIA driver");
        runOnnx(CliFixtures.model(dir), CliFixtures.inputs(dir), "--backend", "onnxruntime",
                "--device", "cuda:0").assertOneErrorLine("onnxruntime cannot use cuda:0: missing the NVIDIA driver");
    }

    @Test
    void missingModelFile() {
        runOnnx(dir.resolve("nope.onnx"), CliFixtures.inputs(dir), "--backend", "onnxruntime").assertOneErrorLine("ONNX file not found");
    }

    @Test
    void missingRequiredOption() {
        CliRun run = CliRun.of("run-onnx", "m.onnx", "--backend", "onnxruntime", "--outputs", "out.safetensors");
        run.assertOneErrorLine("--inputs");
    }
}
