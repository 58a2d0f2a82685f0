package org.attnbench.backend;

import java.util.List;
import java.util.ServiceLoader;
import org.attnbench.core.UserError;
import org.attnbench.tensor.HostTensor;

/**
 * Runs methods of TorchScript archives, for models whose only form is TorchScript (e.g. StyleGAN's
 * FID Inception). libtorch reads the archive; found through {@link ServiceLoader}, as backends are
 * (the DJL backend provides one).
 */
public interface TorchScriptRuntime {
    /**
     * Loads an archive on the CPU. A file libtorch refuses is a UserError naming {@code what}
     * with libtorch's own first line.
     */
    Module load(byte[] archive, String what);

    /** A loaded archive. */
    interface Module extends AutoCloseable {
        /**
         * Runs a method with gradients off: tensor arguments in, its tensor or list of tensors
         * out, in that order, as host tensors (floating-point ones as float32).
         */
        List<HostTensor> run(String method, HostTensor... inputs);

        @Override
        void close();
    }

    /** The runtime on the classpath, or a UserError saying none is. */
    static TorchScriptRuntime find() {
        for (TorchScriptRuntime r : ServiceLoader.load(TorchScriptRuntime.class)) return r;
        throw new UserError("reading a TorchScript file needs libtorch (the DJL backend), which is not on the classpath");
    }
}
