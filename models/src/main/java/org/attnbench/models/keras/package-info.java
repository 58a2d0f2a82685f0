/**
 * Keras models saved in TF.js's layers format, read in Java and rebuilt as ONNX graphs, so a
 * pretrained image network (the InceptionV3 the npm package nsfwjs bundles) runs on every
 * backend without Python or TensorFlow: {@link org.attnbench.models.keras.TfjsLayersModel} reads
 * model.json and its shards (dequantizing uint8 and uint16 weights),
 * {@link org.attnbench.models.keras.KerasGraph} converts the layers from NHWC to ONNX's NCHW.
 */
package org.attnbench.models.keras;
