package org.attnbench.backend.onnxruntime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession.SessionOptions;
import java.util.ArrayList;
import java.util.List;
import org.attnbench.backend.Device;
import org.attnbench.backend.DeviceStatus;
import org.attnbench.backend.cuda.CudaMachine;

/**
 * Finds the CUDA devices ONNX Runtime can use. Its CUDA provider links against the CUDA 12 runtime
 * and cuDNN 9, which the machine must have (they are not in ONNX Runtime's jar), and needs the
 * NVIDIA driver: each is looked for on the file system first, and every missing one is named with
 * how to get it, so listing devices never loads a library that could fail. Only when all are there
 * is the provider added to a session, which loads them.
 */
final class CudaProbe {
    /** The libraries {@code libonnxruntime_providers_cuda.so} of ONNX Runtime 1.23 needs beside the C runtime. */
    static final CudaMachine.Need CUDA_RUNTIME = new CudaMachine.Need("the CUDA 12 runtime",
            List.of("libcudart.so.12", "libcublas.so.12", "libcublasLt.so.12", "libcufft.so.11", "libcurand.so.10"),
            "install CUDA 12.x's runtime libraries (NVIDIA's CUDA Toolkit 12, or from NVIDIA's apt repository:"
                    + " apt-get install cuda-libraries-12-8) and put their folder on LD_LIBRARY_PATH if ldconfig does"
                    + " not list it");
    static final CudaMachine.Need CUDNN = new CudaMachine.Need("cuDNN 9 for CUDA 12", List.of("libcudnn.so.9"),
            "install cuDNN 9 (from NVIDIA's apt repository: apt-get install libcudnn9-cuda-12) and put its folder on"
                    + " LD_LIBRARY_PATH if ldconfig does not list it");

    private CudaProbe() {}

    static List<DeviceStatus> probe() {
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            return List.of(DeviceStatus.unavailable(Device.cuda(0),
                    "this ONNX Runtime build has no CUDA execution provider"));
        }
        CudaMachine machine = CudaMachine.ofThisMachine();
        List<String> missing = missing(machine);
        if (!missing.isEmpty()) return List.of(DeviceStatus.missing(Device.cuda(0), missing));
        List<DeviceStatus> out = new ArrayList<>();
        for (int i = 0; i < machine.gpus(); i++) out.add(tryProvider(Device.cuda(i)));
        return out;
    }

    /** What the CUDA provider needs that the machine lacks, one phrase each with how to get it. */
    static List<String> missing(CudaMachine machine) {
        List<String> out = new ArrayList<>(machine.driverProblems());
        machine.missing(CUDA_RUNTIME).ifPresent(out::add);
        machine.missing(CUDNN).ifPresent(out::add);
        return out;
    }

    /** Adding the provider loads the CUDA libraries, which is where a broken installation still shows up. */
    private static DeviceStatus tryProvider(Device device) {
        try (SessionOptions options = new SessionOptions()) {
            options.addCUDA(device.index());
            return DeviceStatus.available(device);
        } catch (OrtException | RuntimeException e) {
            return DeviceStatus.unavailable(device, OrtErrors.firstLine(e.getMessage()));
        }
    }
}
