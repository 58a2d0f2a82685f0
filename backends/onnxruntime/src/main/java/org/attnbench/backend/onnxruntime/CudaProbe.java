package org.attnbench.backend.onnxruntime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession.SessionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.attnbench.backend.Device;
import org.attnbench.backend.DeviceStatus;

/**
 * Finds the CUDA devices ONNX Runtime can use. Each step fails soft into a one-line reason,
 * so listing devices never crashes on a machine without a GPU, driver or CUDA libraries.
 */
final class CudaProbe {
    private static final Path NVIDIA_DRIVER = Path.of("/proc/driver/nvidia");
    private static final Path NVIDIA_GPUS = NVIDIA_DRIVER.resolve("gpus");

    private CudaProbe() {}

    static List<DeviceStatus> probe() {
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            return List.of(DeviceStatus.unavailable(Device.cuda(0),
                    "this ONNX Runtime build has no CUDA execution provider"));
        }
        if (!Files.isDirectory(NVIDIA_DRIVER)) {
            return List.of(DeviceStatus.unavailable(Device.cuda(0),
                    "no NVIDIA driver found (/proc/driver/nvidia missing)"));
        }
        int count = gpuCount();
        if (count == 0) {
            return List.of(DeviceStatus.unavailable(Device.cuda(0), "the NVIDIA driver lists no GPU"));
        }
        List<DeviceStatus> out = new ArrayList<>();
        for (int i = 0; i < count; i++) out.add(tryProvider(Device.cuda(i)));
        return out;
    }

    private static int gpuCount() {
        try (Stream<Path> gpus = Files.list(NVIDIA_GPUS)) {
            return (int) gpus.count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Adding the provider loads the CUDA libraries, which is where a missing cuDNN or CUDA shows up. */
    private static DeviceStatus tryProvider(Device device) {
        try (SessionOptions options = new SessionOptions()) {
            options.addCUDA(device.index());
            return DeviceStatus.available(device);
        } catch (OrtException | RuntimeException e) {
            return DeviceStatus.unavailable(device, OrtErrors.firstLine(e.getMessage()));
        }
    }
}
