#!/usr/bin/env node
// Runs the unpacked InceptionV3 in TF.js itself (its plain JavaScript CPU backend), so attnbench
// can check its own ONNX conversion against the runtime the model was made for.
//
//   node tfjs-reference.js MODEL_DIR INPUT.f32 N
//
// INPUT.f32 holds N images [N, 3, 299, 299] as little-endian float32 (NCHW, as attnbench feeds
// its graph). Prints one JSON object: {"flatten_1": [N * 2048 numbers], "probabilities": [N * 5]}.
// Slow (about 10 s per image): meant for one or two images.
'use strict';

const fs = require('fs');
const path = require('path');

async function main() {
  const [dir, inputFile, count] = process.argv.slice(2);
  if (!count) throw new Error('usage: node tfjs-reference.js MODEL_DIR INPUT.f32 N');
  // TF.js advises its native Node backend on stderr; the plain CPU backend is the reference here.
  const tf = require('@tensorflow/tfjs');
  await tf.setBackend('cpu');

  const modelJson = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const specs = [];
  const shards = [];
  for (const group of modelJson.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) shards.push(fs.readFileSync(path.join(dir, p)));
  }
  const bytes = Buffer.concat(shards);
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: specs, weightData }));
  const flatten = model.layers.find((l) => l.name === 'flatten_1');
  const both = tf.model({ inputs: model.inputs, outputs: [flatten.output, model.outputs[0]] });

  const n = Number(count);
  const raw = fs.readFileSync(inputFile);
  const pixels = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
  const nhwc = tf.tensor4d(pixels, [n, 3, 299, 299]).transpose([0, 2, 3, 1]);
  const [features, probabilities] = both.predict(nhwc);
  process.stdout.write(JSON.stringify({
    flatten_1: Array.from(await features.data()),
    probabilities: Array.from(await probabilities.data()),
  }) + '\n');
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack || e) + '\n');
  process.exit(1);
});
