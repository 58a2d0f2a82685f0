/**
 * What a machine has for CUDA, found without loading anything: the NVIDIA driver (its kernel
 * module's version and GPUs under {@code /proc/driver/nvidia}), shared libraries by soname where
 * the dynamic loader would look, and a libtorch folder's build. Backends turn it into one line per
 * missing piece that says how to get it, so listing devices never crashes on a machine that lacks
 * them. Every probe takes a root folder, so tests give it a fake one.
 */
package org.attnbench.backend.cuda;
