#!/usr/bin/env node
// Unpacks the Keras InceptionV3 that the npm package nsfwjs bundles as UMD modules
// (dist/models/inception_v3/*.min.js) into the standard TF.js layers-model files:
// model.json plus one binary shard per weight group, which attnbench reads in Java.
//
//   node unpack-inception-v3.js OUT_DIR
//
// The shards hold the weights exactly as bundled (uint8, with a min and scale per tensor in
// the manifest); nothing is dequantized here. OUT_DIR appears whole or not at all: the files
// are written to a temporary sibling folder that is then renamed.
'use strict';

const fs = require('fs');
const path = require('path');

const SOURCE = path.join(__dirname, 'node_modules', 'nsfwjs');
const MODEL_DIR = path.join(SOURCE, 'dist', 'models', 'inception_v3');

function fail(message) {
  process.stderr.write(message + '\n');
  process.exit(1);
}

const out = process.argv[2];
if (!out) fail('usage: node unpack-inception-v3.js OUT_DIR');
if (!fs.existsSync(path.join(MODEL_DIR, 'model.min.js'))) {
  fail(`nsfwjs is not installed in ${__dirname}: run npm ci --prefix ${__dirname}`);
}

const version = JSON.parse(fs.readFileSync(path.join(SOURCE, 'package.json'), 'utf8')).version;
// The bundles are UMD modules: under CommonJS each sets module.exports to its payload.
const bundled = require(path.join(MODEL_DIR, 'model.min.js'));
if (!bundled.modelTopology || !Array.isArray(bundled.weightsManifest)) {
  fail('nsfwjs ' + version + ': model.min.js does not export modelTopology and weightsManifest');
}

const tmp = `${out}.tmp-${process.pid}`;
fs.rmSync(tmp, { recursive: true, force: true });
fs.mkdirSync(tmp, { recursive: true });

const manifest = bundled.weightsManifest.map((group) => {
  const paths = group.paths.map((shard) => {
    const base64 = require(path.join(MODEL_DIR, shard + '.min.js'));
    if (typeof base64 !== 'string') fail(`nsfwjs ${version}: ${shard}.min.js does not export a base64 string`);
    fs.writeFileSync(path.join(tmp, shard + '.bin'), Buffer.from(base64, 'base64'));
    return shard + '.bin';
  });
  return { paths, weights: group.weights };
});

const modelJson = {
  format: 'layers-model',
  generatedBy: 'keras v' + (bundled.modelTopology.keras_version || 'unknown'),
  convertedBy: 'attnbench tools/nsfwjs/unpack-inception-v3.js from nsfwjs ' + version,
  modelTopology: bundled.modelTopology,
  weightsManifest: manifest,
};
fs.writeFileSync(path.join(tmp, 'model.json'), JSON.stringify(modelJson));

try {
  fs.renameSync(tmp, out);
} catch (e) {
  // Another process unpacked the same model first; its copy is as good as ours.
  fs.rmSync(tmp, { recursive: true, force: true });
  if (!fs.existsSync(path.join(out, 'model.json'))) throw e;
}
process.stdout.write(`unpacked nsfwjs ${version} InceptionV3 into ${out}\n`);
