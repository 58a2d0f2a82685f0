package org.attnbench.backend.djl;

import ai.djl.ndarray.NDList;

/** One ONNX op: computes a node's outputs, in order, from its context. */
@FunctionalInterface
interface Op {
    NDList run(OpContext c);
}
