#!/usr/bin/env python3
"""Writes the cross-step golden cases in this folder: a few seeded denoising steps of small diffusers
models with the cross-step methods applied by their reference code itself, in float32 on the CPU.

    python make_cross_step_goldens.py --src SRC [--out DIR] [--only CASE ...]

SRC holds the unpacked reference sources (README.md gives the git commands):
    SRC/diffusers/src/diffusers        diffusers at tag v0.40.0 (d035dcd7cc7c88e0a154609b62887d50bba9fdc2)
    SRC/diffusers-0.24/src/diffusers   diffusers at tag v0.24.0 (76c645d3a641c879384afcb43496f0b7db8cc5cb), which
                                       DeepCache's experimental pipeline (the non-uniform schedule) is written for
    SRC/deepcache/DeepCache            github.com/horseee/DeepCache at 1691a3ab22308fe06685e4ff151a9ab175be2dc4
    SRC/todo/merge.py, utils.py        github.com/ethansmith2000/ImprovedTokenMerge at 81928e4fe47b2be47a983dcfdc0586c3cb138e61

Needs PyTorch 2.13 (CPU), numpy, safetensors, huggingface_hub, transformers, regex, filelock, requests,
importlib_metadata and pillow (what diffusers imports when it loads). Everything is seeded and runs on one
thread; a rerun on the same PyTorch writes the same bytes.

How the reference code is run (the only departures from running it as published; each case's
reference.adaptations lists those that applied):
  * The denoising loops of PixArt-Sigma's, SD3's and Flux's pipelines are written out below (the pipelines' own
    steps: set_timesteps, the (uncond, cond) batch and the guidance formula, learned-sigma split, scheduler.step;
    Flux packed at batch 1 with guidance embedded), so no text encoder, tokenizer or VAE is needed. DeepCache runs
    in diffusers' StableDiffusionPipeline itself with prompt_embeds / negative_prompt_embeds and
    output_type="latent" (its helper wraps the pipeline's UNet); the plain UNet loop below is checked against that
    pipeline bit for bit.
  * diffusers v0.40's PixArtTransformer2DModel and SD3Transformer2DModel are not CacheMixin models and their
    pipelines open no cache context, but first-block caching and TaylorSeer keep their state per context
    (StateManager.get_state raises without one). The loop wraps every model call in CacheMixin.cache_context(model,
    "cond"), as Flux's pipeline does for its (CacheMixin) transformer. PAB keeps no per-context state.
  * DeepCache's non-uniform schedule exists only in its experimental pipeline (DeepCache/sd/), written against
    diffusers 0.24: it runs in a child process with diffusers v0.24.0 on the path. Three names that 0.24 imports
    and today's huggingface_hub / transformers no longer have (huggingface_hub.constants.hf_cache_home,
    huggingface_hub.cached_download, transformers.utils.FLAX_WEIGHTS_NAME ...) are set to inert placeholders; no
    file or hub access happens. The pipeline's output_type="latent" path raises a NameError (num_img), so it runs
    with output_type="pt" and a tiny seeded VAE; the latents are taken from its per-step callback.
  * ToDo's merge.py imports xformers unconditionally: xformers is an inert stand-in module (diffusers'
    is_xformers_available() stays False, ToDo takes its torch2 scaled_dot_product_attention path). Its level
    literals `dim == 320` / `dim == 640` are replaced in the source text by the model's block_out_channels[0] and
    [1], as for the single-pass ToDo goldens.

Checks made before a case is written (the script stops with a message if one fails):
  * the explicit UNet loop equals StableDiffusionPipeline's own loop bit for bit (dense);
  * identity cases equal their model's dense loop bit for bit;
  * every other case moves the final latents at least MIN_METHOD_EFFECT from dense and mixes full and partial steps;
  * first-block caching's statistic is at least MIN_DECISION_MARGIN (relative) from its threshold at every step;
  * the same reference run in float64 takes the same decisions and agrees within MAX_FLOAT64_DRIFT.
"""
import argparse
import contextlib
import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import math
import os
import struct
import subprocess
import sys
import tempfile
import types

import numpy as np

TOLERANCE = 1e-4            # max|actual - expected| / max|expected| on the final latents (and every step's)
MIN_METHOD_EFFECT = 1e-3    # same measure, a method's final latents against the dense loop's (10 x TOLERANCE)
MIN_DECISION_MARGIN = 1e-2  # |statistic - threshold| / threshold of every first-block-cache decision
MAX_FLOAT64_DRIFT = 1e-5    # same measure as TOLERANCE, the reference in float64 against float32

REFERENCES = {
    "diffusers": {"url": "https://github.com/huggingface/diffusers", "tag": "v0.40.0",
                  "commit": "d035dcd7cc7c88e0a154609b62887d50bba9fdc2"},
    "diffusers-0.24": {"url": "https://github.com/huggingface/diffusers", "tag": "v0.24.0",
                       "commit": "76c645d3a641c879384afcb43496f0b7db8cc5cb"},
    "deepcache": {"url": "https://github.com/horseee/DeepCache", "commit": "1691a3ab22308fe06685e4ff151a9ab175be2dc4"},
    "todo": {"url": "https://github.com/ethansmith2000/ImprovedTokenMerge",
             "commit": "81928e4fe47b2be47a983dcfdc0586c3cb138e61"},
}
REFERENCE_FILES = {
    "diffusers": ["src/diffusers/hooks/first_block_cache.py", "src/diffusers/hooks/taylorseer_cache.py",
                  "src/diffusers/hooks/pyramid_attention_broadcast.py", "src/diffusers/hooks/hooks.py",
                  "src/diffusers/hooks/_helpers.py", "src/diffusers/hooks/_common.py",
                  "src/diffusers/models/cache_utils.py",
                  "src/diffusers/pipelines/stable_diffusion/pipeline_stable_diffusion.py",
                  "src/diffusers/pipelines/pixart_alpha/pipeline_pixart_sigma.py",
                  "src/diffusers/pipelines/stable_diffusion_3/pipeline_stable_diffusion_3.py",
                  "src/diffusers/pipelines/flux/pipeline_flux.py"],
    "diffusers-0.24": [],
    "deepcache": ["DeepCache/extension/deepcache.py", "DeepCache/sd/pipeline_stable_diffusion.py",
                  "DeepCache/sd/unet_2d_condition.py", "DeepCache/sd/unet_2d_blocks.py"],
    "todo": ["merge.py", "utils.py"],
}

# ---------------------------------------------------------------- models (diffusers config arguments)

MODELS = {
    # SD 1.x-like, three levels so that DeepCache's branch ids reach past the first: cross-attention at the top
    # two levels, a plain DownBlock2D / UpBlock2D at the deepest, 2 layers per block (3 on the way up), a mid block
    # with attention. Widths differ per level (8, 12, 16), so ToDo's width test finds level 1 and 2 where SD 1.x
    # has them and leaves the mid block alone, as SD 1.x's 1280 is.
    "unet": dict(cls="UNet2DConditionModel", weights_seed=7301, latent=(16, 16), channels=4, tokens=77, config=dict(
        sample_size=16, in_channels=4, out_channels=4, block_out_channels=[8, 12, 16], layers_per_block=2,
        down_block_types=["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"],
        up_block_types=["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"],
        attention_head_dim=2, cross_attention_dim=16, norm_num_groups=4)),
    # PixArt-Sigma-like: ada_norm_single, learned sigma (out_channels 2 x in), 300 caption tokens (the Sigma
    # pipeline's max_sequence_length), no additional conditions.
    "pixart": dict(cls="PixArtTransformer2DModel", weights_seed=7302, latent=(16, 16), channels=4, tokens=300,
                   config=dict(num_attention_heads=2, attention_head_dim=8, in_channels=4, out_channels=8, num_layers=4,
                               sample_size=16, patch_size=2, caption_channels=16, cross_attention_dim=16)),
    # SD3-medium-like MMDiT: 16 latent channels, 4 joint blocks (the last context_pre_only), 333 prompt tokens
    # (CLIP's 77 and T5's 256) and a pooled embedding.
    "sd3": dict(cls="SD3Transformer2DModel", weights_seed=7303, latent=(12, 12), channels=16, tokens=333, output_gain=4.0,
                config=dict(sample_size=12, patch_size=2, in_channels=16, out_channels=16, num_layers=4,
                            attention_head_dim=8, num_attention_heads=2, joint_attention_dim=16,
                            caption_projection_dim=16, pooled_projection_dim=12, pos_embed_max_size=12)),
    # Flux.1-dev-like: 2 double-stream and 2 single-stream blocks, guidance embedded, rotary axes (2, 2, 4),
    # 512 T5 tokens, 16 latent channels packed 2 x 2 into 64.
    "flux": dict(cls="FluxTransformer2DModel", weights_seed=7304, latent=(12, 12), channels=16, tokens=512, output_gain=4.0,
                 config=dict(patch_size=1, in_channels=64, num_layers=2, num_single_layers=2, attention_head_dim=8,
                             num_attention_heads=2, joint_attention_dim=16, pooled_projection_dim=12,
                             guidance_embeds=True, axes_dims_rope=[2, 2, 4])),
}

SCHEDULERS = {
    # SD 1.x's scheduler settings in DDIM form (the Java DdimScheduler's): leading timesteps, steps_offset 1.
    "unet": ("DDIMScheduler", dict(num_train_timesteps=1000, beta_start=0.00085, beta_end=0.012,
                                   beta_schedule="scaled_linear", clip_sample=False, set_alpha_to_one=False,
                                   steps_offset=1, prediction_type="epsilon", timestep_spacing="leading")),
    # PixArt's linear betas, sampled with DDIM.
    "pixart": ("DDIMScheduler", dict(num_train_timesteps=1000, beta_start=0.0001, beta_end=0.02,
                                     beta_schedule="linear", clip_sample=False, set_alpha_to_one=False,
                                     steps_offset=1, prediction_type="epsilon", timestep_spacing="leading")),
    "sd3": ("FlowMatchEulerDiscreteScheduler", dict(num_train_timesteps=1000, shift=3.0)),
    "flux": ("FlowMatchEulerDiscreteScheduler", dict(num_train_timesteps=1000, shift=3.0, use_dynamic_shifting=True,
                                                     base_shift=0.5, max_shift=1.15, base_image_seq_len=256,
                                                     max_image_seq_len=4096)),
}

STEPS = 8
GUIDANCE = {"unet": 7.5, "pixart": 4.5, "sd3": 7.0, "flux": 3.5}
INPUTS_SEED = {"unet": 8401, "pixart": 8402, "sd3": 8403, "flux": 8404}

# ---------------------------------------------------------------- cases


def case(name, model, method, spec, what, identity=False, contrast=None, **params):
    """contrast: (parameter, value) of a run whose distance from this one is recorded."""
    return dict(name=name, model=model, method=method, spec=spec, what=what, identity=identity, contrast=contrast,
                params=params)


PAB_DEFAULT_RANGE = [100, 800]

CASES = [
    # -- the plain loops, so that an implementation's loop can be checked before any method
    case("unet-dense", "unet", "dense", "dense",
         "The plain SD loop on the UNet: DDIM, classifier-free guidance batch (uncond, cond)."),
    case("pixart-dense", "pixart", "dense", "dense",
         "The plain PixArt-Sigma loop: DDIM, CFG batch, learned sigma dropped."),
    case("sd3-dense", "sd3", "dense", "dense", "The plain SD3 loop: flow-matching Euler (shift 3), CFG batch."),
    case("flux-dense", "flux", "dense", "dense",
         "The plain Flux loop: packed latents, flow-matching Euler shifted by the token count, guidance embedded."),

    # -- DeepCache, through its own helper on diffusers' StableDiffusionPipeline
    case("unet-deepcache-i3-b0", "unet", "deepcache", "deepcache:cache_interval=3,cache_branch_id=0",
         "DeepCacheSDHelper, uniform: full steps 0, 3, 6; in between only the shallowest branch runs.",
         cache_interval=3, cache_branch_id=0),
    case("unet-deepcache-i4-b3", "unet", "deepcache", "deepcache:cache_interval=4,cache_branch_id=3",
         "DeepCacheSDHelper, uniform: full steps 0 and 4; a deeper branch (cache_branch_id 3: down block 1, "
         "layer 0).", cache_interval=4, cache_branch_id=3),
    case("unet-deepcache-i1", "unet", "deepcache", "deepcache:cache_interval=1,cache_branch_id=0",
         "Identity: DeepCache with cache_interval 1 computes every step in full.", identity=True,
         cache_interval=1, cache_branch_id=0),
    case("unet-deepcache-nonuniform", "unet", "deepcache-experimental",
         "deepcache:cache_interval=3,cache_branch_id=1,uniform=false,pow=1.4,center=3",
         "DeepCache's experimental pipeline with its non-uniform schedule (sample_from_quad_center); its "
         "cache_layer_id 0 / cache_block_id 0 are the helper's cache_branch_id 1.",
         cache_interval=3, cache_layer_id=0, cache_block_id=0, uniform=False, pow=1.4, center=3),

    # -- ToDo, alone and under DeepCache
    case("unet-todo", "unet", "todo", "todo:factor=2,method=nearest-exact,use_rand=false",
         "ToDo's patch_attention_proc over the whole loop: downsampled keys/values above t/1000 0.2, the "
         "similarity merge at and below.", todo_args=dict(downsample_factor=2, downsample_method="nearest-exact",
                                                          use_rand=False)),
    case("unet-todo-deepcache-i3-b0", "unet", "todo+deepcache",
         "todo:factor=2,method=nearest-exact,use_rand=false+deepcache:cache_interval=3,cache_branch_id=0",
         "ToDo's patch_attention_proc, then DeepCacheSDHelper on the same pipeline: ToDo acts in every attn1 "
         "that runs; on partial steps that is only the shallow branch's.",
         todo_args=dict(downsample_factor=2, downsample_method="nearest-exact", use_rand=False),
         cache_interval=3, cache_branch_id=0),

    # -- pyramid attention broadcast on the UNet (its attn1 sit in transformer_blocks)
    case("unet-pab", "unet", "pab", "pab:spatial_attention_block_skip_range=2,cross_attention_block_skip_range=3",
         "apply_pyramid_attention_broadcast on the UNet (its attentions sit in transformer_blocks): attn1 every 2nd "
         "call, attn2 every 3rd, both inside 100 < t < 800.", spatial_attention_block_skip_range=2,
         cross_attention_block_skip_range=3, spatial_attention_timestep_skip_range=PAB_DEFAULT_RANGE,
         cross_attention_timestep_skip_range=PAB_DEFAULT_RANGE),

    # -- TaylorSeer on the UNet: its default patterns name no UNet module, so it is hooked by name
    case("unet-taylorseer", "unet", "taylorseer",
         "taylorseer:cache_interval=3,disable_cache_before_step=2,max_order=1,taylor_factors_dtype=float32,"
         "cache_identifiers=.*transformer_blocks\\.\\d*\\.attn[12]",
         "TaylorSeer on every attn1 and attn2 of the UNet (cache_identifiers), first order, float32 factors.",
         cache_interval=3, disable_cache_before_step=2, max_order=1, taylor_factors_dtype="float32",
         cache_identifiers=[r".*transformer_blocks\.\d*\.attn[12]"]),

    # -- first-block caching
    case("pixart-fbc", "pixart", "fbc", "first-block-cache:threshold=0.55",
         "apply_first_block_cache on PixArt: head transformer_blocks.0, tail transformer_blocks.3.", threshold=0.55),
    case("pixart-fbc-t0", "pixart", "fbc", "first-block-cache:threshold=0",
         "Identity: threshold 0 computes every step.", identity=True, threshold=0.0),
    case("flux-fbc", "flux", "fbc", "first-block-cache:threshold=0.7",
         "transformer.enable_cache(FirstBlockCacheConfig): head transformer_blocks.0, tail "
         "single_transformer_blocks.1.", threshold=0.7),
    case("flux-fbc-t0", "flux", "fbc", "first-block-cache:threshold=0",
         "Identity: threshold 0 computes every step.", identity=True, threshold=0.0),

    # -- TaylorSeer
    case("pixart-taylorseer-defaults", "pixart", "taylorseer",
         "taylorseer:cache_interval=5,disable_cache_before_step=3,max_order=1,taylor_factors_dtype=float32",
         "The default module patterns (^transformer_blocks.*attn, full match) name no module of PixArt, whose "
         "attentions are attn1 / attn2: nothing is hooked and the loop is the dense one.", identity=True,
         cache_interval=5, disable_cache_before_step=3, max_order=1, taylor_factors_dtype="float32"),
    case("pixart-taylorseer", "pixart", "taylorseer",
         "taylorseer:cache_interval=3,disable_cache_before_step=1,max_order=2,taylor_factors_dtype=float32,"
         "cache_identifiers=transformer_blocks\\.\\d*\\.attn[12]",
         "TaylorSeer on PixArt's attn1 and attn2 (cache_identifiers), second order, float32 factors; step 1 is "
         "predicted from one computed step (order 0 only).",
         cache_interval=3, disable_cache_before_step=1, max_order=2, taylor_factors_dtype="float32",
         cache_identifiers=[r"transformer_blocks\.\d*\.attn[12]"]),
    case("sd3-taylorseer", "sd3", "taylorseer",
         "taylorseer:cache_interval=5,disable_cache_before_step=3,max_order=1,taylor_factors_dtype=float32",
         "TaylorSeer with its default schedule on SD3's joint attentions, float32 factors.",
         cache_interval=5, disable_cache_before_step=3, max_order=1, taylor_factors_dtype="float32"),
    case("flux-taylorseer", "flux", "taylorseer", "taylorseer:cache_interval=3,disable_cache_before_step=2,max_order=2",
         "TaylorSeer second order on Flux's attentions, factors in the default bfloat16.",
         contrast=("taylor_factors_dtype", "float32"),
         cache_interval=3, disable_cache_before_step=2, max_order=2, taylor_factors_dtype="bfloat16"),
    case("flux-taylorseer-i1", "flux", "taylorseer",
         "taylorseer:cache_interval=1,disable_cache_before_step=3,max_order=1,taylor_factors_dtype=float32",
         "Identity: cache_interval 1 computes every step (no step is predicted).", identity=True,
         cache_interval=1, disable_cache_before_step=3, max_order=1, taylor_factors_dtype="float32"),

    # -- pyramid attention broadcast on the DiTs
    case("pixart-pab", "pixart", "pab",
         "pab:spatial_attention_block_skip_range=2,cross_attention_block_skip_range=3",
         "apply_pyramid_attention_broadcast on PixArt: attn1 (spatial) every 2nd call, attn2 (cross) every 3rd, "
         "both inside 100 < t < 800.", spatial_attention_block_skip_range=2, cross_attention_block_skip_range=3,
         spatial_attention_timestep_skip_range=PAB_DEFAULT_RANGE, cross_attention_timestep_skip_range=PAB_DEFAULT_RANGE),
    case("sd3-pab", "sd3", "pab", "pab:spatial_attention_block_skip_range=3",
         "apply_pyramid_attention_broadcast on SD3's joint attentions, every 3rd call inside 100 < t < 800.",
         spatial_attention_block_skip_range=3,
         spatial_attention_timestep_skip_range=PAB_DEFAULT_RANGE),
    case("flux-pab", "flux", "pab",
         "pab:spatial_attention_block_skip_range=3,spatial_attention_timestep_skip_range=200..900",
         "transformer.enable_cache(PyramidAttentionBroadcastConfig) on Flux: every attention every 3rd call inside "
         "200 < t < 900 (t on the pipeline's 0..1000 scale).", spatial_attention_block_skip_range=3,
         spatial_attention_timestep_skip_range=[200, 900]),
]

# ---------------------------------------------------------------- loading the reference code


class _StandIns(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Inert modules for the named roots: any attribute resolves to a placeholder."""

    def __init__(self, roots):
        self.roots = roots

    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in self.roots:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        module.__path__ = []

        def attribute(attr, _module=spec.name):
            if attr.startswith("__"):
                raise AttributeError(attr)
            if attr.startswith("is_") and attr.endswith("_available"):
                value = lambda: False
            else:
                def value(*args, _name=f"{_module}.{attr}", **kwargs):
                    raise RuntimeError(f"{_name} is a stand-in")
            setattr(module, attr, value)
            return value

        module.__getattr__ = attribute
        return module

    def exec_module(self, module):
        pass


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def reference_files(src):
    roots = {"diffusers": os.path.join(src, "diffusers"), "diffusers-0.24": os.path.join(src, "diffusers-0.24"),
             "deepcache": os.path.join(src, "deepcache"), "todo": os.path.join(src, "todo")}
    out = {}
    for ref, files in REFERENCE_FILES.items():
        out[ref] = dict(REFERENCES[ref], files={f: sha256(os.path.join(roots[ref], f)) for f in files})
    return out


def load_main(src):
    """diffusers v0.40 and DeepCache's helper, from SRC."""
    sys.meta_path.insert(0, _StandIns(("xformers",)))
    sys.path.insert(0, os.path.join(src, "deepcache"))
    sys.path.insert(0, os.path.join(src, "diffusers", "src"))
    import torch
    import diffusers
    import DeepCache
    for module in (diffusers, DeepCache):
        if not os.path.abspath(module.__file__).startswith(os.path.abspath(src)):
            sys.exit(f"{module.__name__} was imported from {module.__file__}, not from {src}")
    if diffusers.__version__ != "0.40.0":
        sys.exit(f"diffusers {diffusers.__version__} found in {src}/diffusers; these cases are made with 0.40.0")
    if not torch.__version__.startswith("2.13"):
        sys.exit(f"PyTorch {torch.__version__}; these cases are made with 2.13")
    torch.set_grad_enabled(False)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    return torch, diffusers


def load_todo(src, widths):
    """ToDo's merge.py (as module `merge`, which its utils.py imports) with the level literals 320 / 640
    replaced by the model's first two widths, and its utils.py as it is."""
    path = os.path.join(src, "todo", "merge.py")
    text = open(path).read()
    replaced = []
    for old, new in (("if dim == 320:", f"if dim == {widths[0]}:"), ("elif dim == 640:", f"elif dim == {widths[1]}:")):
        if text.count(old) != 1:
            sys.exit(f"{path}: '{old}' is not in the file exactly once; is it commit 81928e4?")
        text = text.replace(old, new)
        replaced.append(f"'{old}' -> '{new}'")
    for name in ("merge", "todo_utils"):
        sys.modules.pop(name, None)
    merge = types.ModuleType("merge")
    merge.__file__ = path
    sys.modules["merge"] = merge
    exec(compile(text, path, "exec"), merge.__dict__)
    # merge.py passes attn.to_q/to_k/to_v a LoRA scale unless diffusers uses the PEFT backend; diffusers v0.40's
    # projections are plain nn.Linear layers, which take none.
    merge.USE_PEFT_BACKEND = True
    replaced.append("merge.USE_PEFT_BACKEND set True (so to_q/to_k/to_v get no LoRA scale argument, which v0.40's "
                    "nn.Linear projections do not take)")
    spec = importlib.util.spec_from_file_location("todo_utils", os.path.join(src, "todo", "utils.py"))
    utils = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(utils)
    return merge, utils, replaced


# ---------------------------------------------------------------- safetensors


def write_safetensors(path, tensors):
    """tensors: name -> numpy array (float32 or int64), written in the given order."""
    codes = {np.dtype(np.float32): "F32", np.dtype(np.int64): "I64", np.dtype(np.float64): "F64"}
    header, blobs, offset = {}, [], 0
    for name, array in tensors.items():
        array = np.ascontiguousarray(array)
        data = array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": codes[array.dtype], "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    codes = {"F32": np.float32, "I64": np.int64, "F64": np.float64}
    out = {}
    for name, h in header.items():
        if name == "__metadata__":
            continue
        a, b = h["data_offsets"]
        out[name] = np.frombuffer(data[a:b], dtype=codes[h["dtype"]]).reshape(h["shape"]).copy()
    return out


# ---------------------------------------------------------------- models, schedulers, inputs


def build_model(torch, diffusers, key):
    spec = MODELS[key]
    cls = getattr(diffusers, spec["cls"])
    torch.manual_seed(spec["weights_seed"])
    model = cls.from_config(dict(spec["config"]))
    g = torch.Generator().manual_seed(spec["weights_seed"] + 1)
    norms = (torch.nn.LayerNorm, torch.nn.GroupNorm)
    norm_params = set()
    for name, module in model.named_modules():
        if isinstance(module, norms) or type(module).__name__ == "RMSNorm":
            w = getattr(module, "weight", None)
            if w is not None:
                norm_params.add(f"{name}.weight")
    state = model.state_dict()
    for name in sorted(state):
        t = state[name]
        if name in norm_params:
            t.copy_(1 + 0.1 * torch.randn(t.shape, generator=g))
        elif name.endswith(".bias"):
            t.copy_(0.02 * torch.randn(t.shape, generator=g))
    if "output_gain" in spec:
        # A velocity of order 1 (default init gives about 0.3), so that what a method changes shows in the latents.
        state["proj_out.weight"].mul_(spec["output_gain"])
    return model.eval()


def weights_of(model):
    return {k: v.detach().cpu().numpy().astype(np.float32) for k, v in sorted(model.state_dict().items())}


def model_config_json(model):
    return json.loads(model.to_json_string())


def build_scheduler(diffusers, key):
    cls_name, args = SCHEDULERS[key]
    return getattr(diffusers, cls_name)(**args)


def make_inputs(key):
    """numpy.random.RandomState(seed), standard normal, in the order written."""
    spec = MODELS[key]
    rs = np.random.RandomState(INPUTS_SEED[key])
    h, w = spec["latent"]
    c = spec["channels"]
    cfg = spec["config"]
    out = {"latents": rs.standard_normal((1, c, h, w)).astype(np.float32)}
    width = {"unet": cfg.get("cross_attention_dim"), "pixart": cfg.get("caption_channels"),
             "sd3": cfg.get("joint_attention_dim"), "flux": cfg.get("joint_attention_dim")}[key]
    out["prompt_embeds"] = rs.standard_normal((1, spec["tokens"], width)).astype(np.float32)
    if key != "flux":
        out["negative_prompt_embeds"] = rs.standard_normal((1, spec["tokens"], width)).astype(np.float32)
    if key in ("sd3", "flux"):
        pooled = cfg["pooled_projection_dim"]
        out["pooled_prompt_embeds"] = rs.standard_normal((1, pooled)).astype(np.float32)
        if key == "sd3":
            out["negative_pooled_prompt_embeds"] = rs.standard_normal((1, pooled)).astype(np.float32)
    if key == "pixart":
        out["prompt_attention_mask"] = np.ones((1, spec["tokens"]), dtype=np.int64)
        out["negative_prompt_attention_mask"] = np.ones((1, spec["tokens"]), dtype=np.int64)
    return out


# ---------------------------------------------------------------- recording what the reference did


class StepLog:
    """Per denoising step: which instrumented modules were called and which of them ran their own forward
    (the rest returned something cached or predicted), plus method statistics."""

    def __init__(self):
        self.steps = []
        self.begin()

    def begin(self):
        self.called, self.ran, self.stats, self.notes = [], [], [], {}

    def call(self, name):
        self.called.append(name)

    def run(self, name):
        self.ran.append(name)

    def end(self, index, t):
        self.steps.append(dict(index=index, timestep=float(t), called=self.called, ran=self.ran, stats=self.stats,
                               notes=self.notes))
        self.begin()


def instrument_module(module, name, log, original_getter, original_setter):
    """Logs calls to the module (a forward pre-hook) and runs of its own forward (wrapping the original)."""
    module.register_forward_pre_hook(lambda mod, args, _n=name: log.call(_n))
    original = original_getter()

    def ran(*args, _o=original, _n=name, **kwargs):
        log.run(_n)
        return _o(*args, **kwargs)

    original_setter(ran)


def instrument_hooks(model, hook_names, log):
    names = []
    for name, module in model.named_modules():
        registry = getattr(module, "_diffusers_hook", None)
        if registry is None:
            continue
        for hook_name in hook_names:
            hook = registry.hooks.get(hook_name)
            if hook is None:
                continue
            fn_ref = hook.fn_ref
            instrument_module(module, name, log, lambda: fn_ref.original_forward,
                              lambda f, _r=fn_ref: setattr(_r, "original_forward", f))
            names.append(name)
    return names


# ---------------------------------------------------------------- the loops


def cfg_cat(torch, inputs, name, dtype):
    return torch.cat([torch.from_numpy(inputs["negative_" + name]), torch.from_numpy(inputs[name])]).to(dtype)


def unet_loop(torch, unet, scheduler, inputs, steps, scale, dtype, on_step, current):
    """StableDiffusionPipeline's loop (eta 0, no rescale), written out."""
    scheduler.set_timesteps(steps)
    latents = torch.from_numpy(inputs["latents"]).to(dtype) * scheduler.init_noise_sigma
    embeds = cfg_cat(torch, inputs, "prompt_embeds", dtype)
    for i, t in enumerate(scheduler.timesteps):
        x = scheduler.scale_model_input(torch.cat([latents] * 2), t)
        current["t"] = t
        eps = unet(x, t, encoder_hidden_states=embeds, timestep_cond=None, cross_attention_kwargs=None,
                   added_cond_kwargs=None, return_dict=False)[0]
        uncond, cond = eps.chunk(2)
        eps = uncond + scale * (cond - uncond)
        latents = scheduler.step(eps, t, latents, eta=0.0, generator=None, return_dict=False)[0]
        on_step(i, t, latents)
    return latents


def pixart_loop(torch, transformer, scheduler, inputs, steps, scale, dtype, on_step, context, current):
    """PixArtSigmaPipeline's loop, written out."""
    scheduler.set_timesteps(steps)
    latents = torch.from_numpy(inputs["latents"]).to(dtype) * scheduler.init_noise_sigma
    embeds = cfg_cat(torch, inputs, "prompt_embeds", dtype)
    mask = torch.cat([torch.from_numpy(inputs["negative_prompt_attention_mask"]),
                      torch.from_numpy(inputs["prompt_attention_mask"])])
    channels = latents.shape[1]
    for i, t in enumerate(scheduler.timesteps):
        x = scheduler.scale_model_input(torch.cat([latents] * 2), t)
        timestep = t[None].expand(x.shape[0])
        current["t"] = t
        with context():
            out = transformer(x, encoder_hidden_states=embeds, encoder_attention_mask=mask, timestep=timestep,
                              added_cond_kwargs={"resolution": None, "aspect_ratio": None}, return_dict=False)[0]
        uncond, cond = out.chunk(2)
        out = uncond + scale * (cond - uncond)
        if transformer.config.out_channels // 2 == channels:
            out = out.chunk(2, dim=1)[0]
        latents = scheduler.step(out, t, latents, eta=0.0, generator=None, return_dict=False)[0]
        on_step(i, t, latents)
    return latents


def sd3_loop(torch, transformer, scheduler, inputs, steps, scale, dtype, on_step, context, current):
    """StableDiffusion3Pipeline's loop, written out (no skip-layer guidance)."""
    scheduler.set_timesteps(steps)
    latents = torch.from_numpy(inputs["latents"]).to(dtype)
    embeds = cfg_cat(torch, inputs, "prompt_embeds", dtype)
    pooled = cfg_cat(torch, inputs, "pooled_prompt_embeds", dtype)
    for i, t in enumerate(scheduler.timesteps):
        x = torch.cat([latents] * 2)
        timestep = t.expand(x.shape[0])
        current["t"] = t
        with context():
            v = transformer(hidden_states=x, timestep=timestep, encoder_hidden_states=embeds,
                            pooled_projections=pooled, joint_attention_kwargs=None, return_dict=False)[0]
        uncond, cond = v.chunk(2)
        v = uncond + scale * (cond - uncond)
        latents = scheduler.step(v, t, latents, return_dict=False)[0]
        on_step(i, t, latents)
    return latents


def flux_loop(torch, diffusers, transformer, scheduler, inputs, steps, scale, dtype, on_step, context, current):
    """FluxPipeline's loop, written out: latents packed 2 x 2, ids, shifted sigmas, guidance embedded."""
    from diffusers.pipelines.flux.pipeline_flux import FluxPipeline, calculate_shift, retrieve_timesteps
    unpacked = torch.from_numpy(inputs["latents"]).to(dtype)
    b, c, h, w = unpacked.shape
    latents = FluxPipeline._pack_latents(unpacked, b, c, h, w)
    image_ids = FluxPipeline._prepare_latent_image_ids(b, h // 2, w // 2, "cpu", dtype)
    embeds = torch.from_numpy(inputs["prompt_embeds"]).to(dtype)
    text_ids = torch.zeros(embeds.shape[1], 3).to(dtype=dtype)
    pooled = torch.from_numpy(inputs["pooled_prompt_embeds"]).to(dtype)
    sigmas = np.linspace(1.0, 1 / steps, steps)
    cfg = scheduler.config
    mu = calculate_shift(latents.shape[1], cfg.get("base_image_seq_len", 256), cfg.get("max_image_seq_len", 4096),
                         cfg.get("base_shift", 0.5), cfg.get("max_shift", 1.15))
    timesteps, steps = retrieve_timesteps(scheduler, steps, "cpu", sigmas=sigmas, mu=mu)
    guidance = torch.full([1], scale, dtype=torch.float32).expand(latents.shape[0])
    scheduler.set_begin_index(0)
    for i, t in enumerate(timesteps):
        timestep = t.expand(latents.shape[0]).to(latents.dtype)
        current["t"] = t
        with context():
            v = transformer(hidden_states=latents, timestep=timestep / 1000, guidance=guidance,
                            pooled_projections=pooled, encoder_hidden_states=embeds, txt_ids=text_ids,
                            img_ids=image_ids, joint_attention_kwargs={}, return_dict=False)[0]
        latents = scheduler.step(v, t, latents, return_dict=False)[0]
        on_step(i, t, FluxPipeline._unpack_latents(latents, h * 8, w * 8, 8))
    return FluxPipeline._unpack_latents(latents, h * 8, w * 8, 8), mu


# ---------------------------------------------------------------- running one case


class Run:
    """The outcome of one reference run: latents after every step, the step log, extra facts."""

    def __init__(self):
        self.latents = []
        self.log = StepLog()
        self.facts = {}
        self.adaptations = []

    def on_step(self, i, t, latents):
        self.latents.append(latents.detach().to("cpu").numpy().astype(np.float64))
        self.log.end(i, t)


def new_context(torch, model):
    from diffusers.models.cache_utils import CacheMixin
    return lambda: CacheMixin.cache_context(model, "cond")


CONTEXT_ADAPTATION = ("every model call runs inside CacheMixin.cache_context(model, 'cond'): in diffusers v0.40 this "
                      "model class is not a CacheMixin model and its pipeline opens no cache context, without which "
                      "the hooks' StateManager raises 'No context is set'")


def run_case(torch, diffusers, src, c, dtype, todo_modules=None):
    key = c["model"]
    model = build_model(torch, diffusers, key)
    if dtype != torch.float32:
        model = model.to(dtype)
    scheduler = build_scheduler(diffusers, key)
    inputs = make_inputs(key)
    run = Run()
    method, p = c["method"], c["params"]
    scale = GUIDANCE[key]

    if method in ("deepcache", "todo+deepcache") or (method == "dense" and key == "unet" and c.get("pipeline")):
        return run_deepcache_helper(torch, diffusers, model, scheduler, inputs, c, dtype, run, todo_modules)
    if method == "deepcache-experimental":
        return run_deepcache_experimental(torch, src, model, inputs, c, dtype, run)

    from diffusers.hooks import (FirstBlockCacheConfig, PyramidAttentionBroadcastConfig, TaylorSeerCacheConfig,
                                 apply_first_block_cache, apply_pyramid_attention_broadcast, apply_taylorseer_cache)
    from diffusers.hooks import first_block_cache as fbc_module
    from diffusers.hooks.pyramid_attention_broadcast import _PYRAMID_ATTENTION_BROADCAST_HOOK
    from diffusers.hooks.taylorseer_cache import _TAYLORSEER_CACHE_HOOK
    current = {"t": None}
    is_cache_mixin = hasattr(model, "enable_cache")
    context = (lambda: model.cache_context("cond")) if is_cache_mixin else new_context(torch, model)
    restore = []
    hooked = []

    if method == "fbc":
        config = FirstBlockCacheConfig(threshold=p["threshold"])
        (model.enable_cache if is_cache_mixin else lambda cfg: apply_first_block_cache(model, cfg))(config)
        hooked = instrument_hooks(model, (fbc_module._FBC_LEADER_BLOCK_HOOK, fbc_module._FBC_BLOCK_HOOK), run.log)
        run.facts["head_block"], run.facts["tail_block"] = hooked[0], hooked[-1]
        original = fbc_module.FBCHeadBlockHook._should_compute_remaining_blocks

        def recording(self, residual, _orig=original):
            prev = self.state_manager.get_state().head_block_residual
            statistic = None
            if prev is not None:
                statistic = ((residual - prev).abs().mean() / prev.abs().mean()).item()
            decision = _orig(self, residual)
            run.log.stats.append({"statistic": statistic, "compute": decision})
            return decision

        fbc_module.FBCHeadBlockHook._should_compute_remaining_blocks = recording
        restore.append(lambda: setattr(fbc_module.FBCHeadBlockHook, "_should_compute_remaining_blocks", original))
    elif method == "taylorseer":
        args = {k: v for k, v in p.items() if k != "taylor_factors_dtype"}
        config = TaylorSeerCacheConfig(taylor_factors_dtype=getattr(torch, p["taylor_factors_dtype"]), **args)
        (model.enable_cache if is_cache_mixin else lambda cfg: apply_taylorseer_cache(model, cfg))(config)
        hooked = instrument_hooks(model, (_TAYLORSEER_CACHE_HOOK,), run.log)
    elif method == "pab":
        args = {k: (tuple(v) if isinstance(v, list) else v) for k, v in p.items()}
        config = PyramidAttentionBroadcastConfig(current_timestep_callback=lambda: current["t"], **args)
        (model.enable_cache if is_cache_mixin else lambda cfg: apply_pyramid_attention_broadcast(model, cfg))(config)
        hooked = instrument_hooks(model, (_PYRAMID_ATTENTION_BROADCAST_HOOK,), run.log)
        run.facts["hooked_kinds"] = {
            name: ("cross" if getattr(m, "is_cross_attention", False) else "spatial")
            for name, m in model.named_modules() if name in hooked}
    elif method == "todo":
        merge, utils, replaced = todo_modules
        utils.patch_attention_proc(model, dict(p["todo_args"]))
        instrument_todo(merge, model, run)
        run.adaptations.append("ToDo's merge.py level literals replaced: " + "; ".join(replaced))
    elif method != "dense":
        raise ValueError(method)
    run.facts["hooked_modules"] = hooked
    if method in ("fbc", "taylorseer") and not is_cache_mixin:
        run.adaptations.append(CONTEXT_ADAPTATION)

    on_step = run.on_step
    try:
        # The loops set current["t"] before each model call: PAB's current_timestep_callback returns it, the
        # scheduler's timestep on its 0..1000 scale, as the pipelines' current_timestep does (Flux's pipeline feeds
        # the model t / 1000).
        if key == "unet":
            with context() if method in ("fbc", "taylorseer") else contextlib.nullcontext():
                final = unet_loop(torch, model, scheduler, inputs, STEPS, scale, dtype, on_step, current)
        elif key == "pixart":
            final = pixart_loop(torch, model, scheduler, inputs, STEPS, scale, dtype, on_step, context, current)
        elif key == "sd3":
            final = sd3_loop(torch, model, scheduler, inputs, STEPS, scale, dtype, on_step, context, current)
        else:
            final, mu = flux_loop(torch, diffusers, model, scheduler, inputs, STEPS, scale, dtype, on_step, context,
                                  current)
            run.facts["mu"] = mu
    finally:
        for r in restore:
            r()
    run.facts["timesteps"] = [float(t) for t in scheduler.timesteps]
    if key == "flux":
        run.facts["sigmas"] = [float(s) for s in scheduler.sigmas]
    run.final = final.detach().numpy().astype(np.float64)
    return model, inputs, scheduler, run


def instrument_todo(merge, unet, run):
    """Logs every compute_merge call: attn1's width and tokens, and the keys/values it leaves."""
    original = getattr(merge, "_reference_compute_merge", merge.compute_merge)
    merge._reference_compute_merge = original

    def compute_merge(x, tome_info, _orig=original):
        m, u = _orig(x, tome_info)
        kept = m(x).shape[1]
        run.log.stats.append({"tokens": int(x.shape[1]), "dim": int(x.shape[-1]), "kv_tokens": int(kept),
                              "timestep": float(tome_info["timestep"])})
        return m, u

    merge.compute_merge = compute_merge


def run_deepcache_helper(torch, diffusers, unet, scheduler, inputs, c, dtype, run, todo_modules):
    """DeepCache's README usage: DeepCacheSDHelper(pipe).set_params(...).enable(), then pipe(...)."""
    from DeepCache import DeepCacheSDHelper
    p = c["params"]
    pipe = diffusers.StableDiffusionPipeline(vae=None, text_encoder=None, tokenizer=None, unet=unet,
                                             scheduler=scheduler, safety_checker=None, feature_extractor=None,
                                             image_encoder=None, requires_safety_checker=False)
    pipe.set_progress_bar_config(disable=True)
    run.adaptations.append("StableDiffusionPipeline built with vae, text_encoder, tokenizer, safety_checker None; "
                           "called with prompt_embeds, negative_prompt_embeds, latents and output_type='latent'")
    if c["method"] == "todo+deepcache":
        merge, utils, replaced = todo_modules
        utils.patch_attention_proc(unet, dict(p["todo_args"]))
        instrument_todo(merge, unet, run)
        run.adaptations.append("ToDo's merge.py level literals replaced: " + "; ".join(replaced))
    helper = None
    if c["method"] != "dense":
        helper = DeepCacheSDHelper(pipe=pipe)
        helper.set_params(cache_interval=p["cache_interval"], cache_branch_id=p["cache_branch_id"])
        helper.enable()
        names = {id(m): n for n, m in unet.named_modules()}
        run.facts["wrapped_modules"] = {names[id(fn.__self__)]: "/".join(str(x) for x in k)
                                        for k, fn in helper.function_dict.items() if k != "unet_forward"}
        for key_, fn in list(helper.function_dict.items()):
            if key_ == "unet_forward":
                continue
            module = fn.__self__
            instrument_module(module, names[id(module)], run.log, lambda _f=fn: _f,
                              lambda f, _k=key_: helper.function_dict.__setitem__(_k, f))

    def callback(pipeline, i, t, kwargs):
        run.on_step(i, t, kwargs["latents"])
        if helper is not None:
            run.steps_helper = getattr(run, "steps_helper", []) + [helper.cur_timestep]
        return {}

    h, w = MODELS["unet"]["latent"]
    out = pipe(prompt_embeds=torch.from_numpy(inputs["prompt_embeds"]).to(dtype),
               negative_prompt_embeds=torch.from_numpy(inputs["negative_prompt_embeds"]).to(dtype),
               latents=torch.from_numpy(inputs["latents"]).to(dtype), height=h * 8, width=w * 8,
               num_inference_steps=STEPS, guidance_scale=GUIDANCE["unet"], output_type="latent",
               callback_on_step_end=callback, return_dict=False)[0]
    if helper is not None:
        helper.disable()
    run.facts["timesteps"] = [float(t) for t in scheduler.timesteps]
    run.final = out.detach().numpy().astype(np.float64)
    return unet, inputs, scheduler, run


def run_deepcache_experimental(torch, src, unet, inputs, c, dtype, run):
    """DeepCache's experimental SD pipeline (non-uniform schedule) in a child process on diffusers 0.24."""
    with tempfile.TemporaryDirectory() as tmp:
        write_safetensors(os.path.join(tmp, "weights.safetensors"), weights_of(unet))
        write_safetensors(os.path.join(tmp, "inputs.safetensors"), inputs)
        request = dict(config=MODELS["unet"]["config"], scheduler=SCHEDULERS["unet"], steps=STEPS,
                       guidance=GUIDANCE["unet"], latent=MODELS["unet"]["latent"], params=c["params"],
                       dtype=str(dtype).replace("torch.", ""), dir=tmp)
        with open(os.path.join(tmp, "request.json"), "w") as f:
            json.dump(request, f)
        subprocess.run([sys.executable, os.path.abspath(__file__), "--src", src, "--deepcache-experimental",
                        os.path.join(tmp, "request.json")], check=True)
        result = json.load(open(os.path.join(tmp, "result.json")))
        tensors = read_safetensors(os.path.join(tmp, "latents.safetensors"))
    for i, s in enumerate(result["steps"]):
        run.latents.append(tensors[f"latents_step_{i}"].astype(np.float64))
        run.log.steps.append(s)
    run.final = run.latents[-1]
    run.facts.update(result["facts"])
    run.adaptations.extend(result["adaptations"])
    return unet, inputs, None, run


def deepcache_experimental_child(src, request_path):
    """Runs in the child process: diffusers 0.24 and DeepCache/sd."""
    request = json.load(open(request_path))
    import huggingface_hub
    import huggingface_hub.constants

    def placeholder(*args, **kwargs):
        raise RuntimeError("hub access is not used here")

    huggingface_hub.constants.hf_cache_home = "/nonexistent/hub-cache"
    for name in ("cached_download", "HfFolder", "model_info"):
        if not hasattr(huggingface_hub, name):
            setattr(huggingface_hub, name, placeholder)
    import transformers.utils
    for name in ("FLAX_WEIGHTS_NAME", "SAFE_WEIGHTS_NAME", "WEIGHTS_NAME"):
        if not hasattr(transformers.utils, name):
            setattr(transformers.utils, name, "unused")
    sys.path.insert(0, os.path.join(src, "deepcache"))
    sys.path.insert(0, os.path.join(src, "diffusers-0.24", "src"))
    import torch
    import diffusers
    if diffusers.__version__ != "0.24.0" or not diffusers.__file__.startswith(os.path.abspath(src)):
        sys.exit(f"diffusers {diffusers.__version__} from {diffusers.__file__}; expected 0.24.0 from {src}")
    torch.set_grad_enabled(False)
    torch.set_num_threads(1)
    import DeepCache.sd.pipeline_stable_diffusion as exp
    from DeepCache.sd.unet_2d_condition import UNet2DConditionModel
    dtype = getattr(torch, request["dtype"])
    unet = UNet2DConditionModel.from_config(dict(request["config"]))
    state = read_safetensors(os.path.join(request["dir"], "weights.safetensors"))
    unet.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()}, strict=True)
    unet = unet.to(dtype).eval()
    torch.manual_seed(0)
    vae = diffusers.AutoencoderKL(in_channels=3, out_channels=3, latent_channels=4, block_out_channels=[4, 4, 4, 4],
                                  down_block_types=["DownEncoderBlock2D"] * 4, up_block_types=["UpDecoderBlock2D"] * 4,
                                  layers_per_block=1, norm_num_groups=2).to(dtype).eval()
    cls_name, args = request["scheduler"]
    scheduler = getattr(diffusers, cls_name)(**args)
    pipe = exp.StableDiffusionPipeline(vae=vae, text_encoder=None, tokenizer=None, unet=unet, scheduler=scheduler,
                                       safety_checker=None, feature_extractor=None, requires_safety_checker=False)
    pipe.set_progress_bar_config(disable=True)
    inputs = read_safetensors(os.path.join(request["dir"], "inputs.safetensors"))
    names = {id(m): n for n, m in unet.named_modules()}
    log = StepLog()
    import re
    layer = re.compile(r"(down_blocks|up_blocks)\.\d+\.(resnets|attentions|downsamplers|upsamplers)\.\d+|"
                       r"mid_block\.(resnets|attentions)\.\d+")
    for name, module in unet.named_modules():
        if layer.fullmatch(name):
            def ran(mod, args, _n=name):
                log.call(_n)
                log.run(_n)
            module.register_forward_pre_hook(ran)
    full = []
    original_forward = unet.forward

    def forward(*args, **kwargs):
        full.append(kwargs.get("replicate_prv_feature") is None)
        return original_forward(*args, **kwargs)

    unet.forward = forward
    schedule = {}
    original_sample = exp.sample_from_quad_center

    def sample_from_quad_center(*args, **kwargs):
        seq, power = original_sample(*args, **kwargs)
        schedule["interval_seq"] = [int(x) for x in seq]
        schedule["pow_used"] = float(power)
        return seq, power

    exp.sample_from_quad_center = sample_from_quad_center
    latents_out = {}

    def callback(i, t, latents):
        latents_out[f"latents_step_{i}"] = latents.detach().numpy().astype(np.float64)
        log.notes = {"full": full[-1]}
        log.end(i, t)

    p = request["params"]
    h, w = request["latent"]
    pipe(prompt_embeds=torch.from_numpy(inputs["prompt_embeds"]).to(dtype),
         negative_prompt_embeds=torch.from_numpy(inputs["negative_prompt_embeds"]).to(dtype),
         latents=torch.from_numpy(inputs["latents"]).to(dtype), height=h * 8, width=w * 8,
         num_inference_steps=request["steps"], guidance_scale=request["guidance"], output_type="pt",
         return_dict=False, callback=callback, callback_steps=1,
         cache_interval=p["cache_interval"], cache_layer_id=p["cache_layer_id"], cache_block_id=p["cache_block_id"],
         uniform=p["uniform"], pow=p["pow"], center=p["center"])
    if "interval_seq" not in schedule:
        schedule["interval_seq"] = list(range(0, request["steps"], p["cache_interval"]))
    write_safetensors(os.path.join(request["dir"], "latents.safetensors"), latents_out)
    result = dict(steps=log.steps, facts=dict(schedule, timesteps=[float(t) for t in scheduler.timesteps]),
                  adaptations=["DeepCache's experimental pipeline runs on diffusers v0.24.0 in a child process; "
                               "huggingface_hub.constants.hf_cache_home, huggingface_hub.cached_download/HfFolder/"
                               "model_info and transformers.utils.FLAX_WEIGHTS_NAME/SAFE_WEIGHTS_NAME/WEIGHTS_NAME "
                               "set to inert placeholders where missing (imported by diffusers 0.24, never used)",
                               "output_type='pt' with a tiny seeded AutoencoderKL (its output_type='latent' path "
                               "raises NameError num_img); latents taken from callback(i, t, latents) each step"])
    with open(os.path.join(request["dir"], "result.json"), "w") as f:
        json.dump(result, f)


# ---------------------------------------------------------------- summarising, checking, writing


def rel_err(expected, actual):
    return float(np.max(np.abs(actual - expected)) / np.max(np.abs(expected)))


def unique(names):
    seen = []
    for n in names:
        if n not in seen:
            seen.append(n)
    return seen


def plan_of(c, run):
    """The per-step record: what the reference did, from the instrumented calls."""
    method, p = c["method"], c["params"]
    plan = []
    for s in run.log.steps:
        called, ran = unique(s["called"]), unique(s["ran"])
        reused = [n for n in called if n not in ran]
        step = dict(index=s["index"], timestep=s["timestep"])
        if method == "deepcache-experimental":
            step["kind"] = "full" if s["notes"]["full"] else "partial"
            step["modules_run"] = ran
        elif method in ("deepcache", "todo+deepcache"):
            step["kind"] = "partial" if reused else "full"
            step["modules_cached"] = reused
            step["modules_run"] = ran
        elif method == "fbc":
            stat = s["stats"][0]
            step["kind"] = "full" if stat["compute"] else "partial"
            step["decision"] = "compute" if stat["compute"] else "cache"
            step["statistic"] = stat["statistic"]
            if stat["statistic"] is not None and p["threshold"] > 0:
                step["threshold_margin"] = (stat["statistic"] - p["threshold"]) / p["threshold"]
            step["blocks_run"] = ran
        elif method == "taylorseer":
            step["kind"] = "partial" if reused else "full"
            step["modules_computed"] = ran
            step["modules_predicted"] = reused
        elif method == "pab":
            lo_hi = p.get("spatial_attention_timestep_skip_range") or p.get("cross_attention_timestep_skip_range")
            step["kind"] = "partial" if reused else "full"
            step["modules_computed"] = ran
            step["modules_reused"] = reused
        else:
            step["kind"] = "full"
        if method in ("todo", "todo+deepcache"):
            step["todo_calls"] = [{k: v for k, v in x.items() if k != "timestep"} for x in s["stats"]]
        plan.append(step)
    return plan


def decisions_of(plan):
    keys = ("kind", "modules_cached", "modules_run", "decision", "blocks_run", "modules_computed",
            "modules_predicted", "modules_reused", "todo_calls")
    return [{k: s.get(k) for k in keys} for s in plan]


def summary_of(plan):
    return {k: sum(1 for s in plan if s["kind"] == k) for k in ("full", "partial", "skipped")}


def reference_call(c):
    m, p = c["method"], c["params"]
    if m == "dense":
        return "no method"
    if m == "deepcache":
        return ("helper = DeepCacheSDHelper(pipe=pipe); helper.set_params(cache_interval=%d, cache_branch_id=%d); "
                "helper.enable(); pipe(...)" % (p["cache_interval"], p["cache_branch_id"]))
    if m == "todo+deepcache":
        return ("utils.patch_attention_proc(pipe.unet, %r); helper = DeepCacheSDHelper(pipe=pipe); "
                "helper.set_params(cache_interval=%d, cache_branch_id=%d); helper.enable(); pipe(...)"
                % (p["todo_args"], p["cache_interval"], p["cache_branch_id"]))
    if m == "todo":
        return "utils.patch_attention_proc(unet, %r)" % (p["todo_args"],)
    if m == "deepcache-experimental":
        return ("DeepCache.sd.pipeline_stable_diffusion.StableDiffusionPipeline(...)(..., cache_interval=%d, "
                "cache_layer_id=%d, cache_block_id=%d, uniform=%s, pow=%s, center=%d)"
                % (p["cache_interval"], p["cache_layer_id"], p["cache_block_id"], p["uniform"], p["pow"], p["center"]))
    args = ", ".join(f"{k}={v!r}" for k, v in p.items() if k != "taylor_factors_dtype")
    if m == "taylorseer":
        args += f", taylor_factors_dtype=torch.{p['taylor_factors_dtype']}"
    if m == "pab":
        args += ", current_timestep_callback=lambda: <the loop's t>"
    cls = {"fbc": "FirstBlockCacheConfig", "taylorseer": "TaylorSeerCacheConfig",
           "pab": "PyramidAttentionBroadcastConfig"}[m]
    fn = {"fbc": "apply_first_block_cache", "taylorseer": "apply_taylorseer_cache",
          "pab": "apply_pyramid_attention_broadcast"}[m]
    if c["model"] == "flux":
        return f"transformer.enable_cache({cls}({args}))"
    return f"{fn}(model, {cls}({args}))"


def check(condition, message):
    if not condition:
        sys.exit("check failed: " + message)


def write_case(out_dir, c, model, inputs, scheduler_json, run, plan, checks, refs):
    key = c["model"]
    spec = MODELS[key]
    d = os.path.join(out_dir, c["name"])
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "config.json"), "w") as f:
        f.write(model.to_json_string())
    write_safetensors(os.path.join(d, "weights.safetensors"), weights_of(model))
    with open(os.path.join(d, "scheduler_config.json"), "w") as f:
        f.write(scheduler_json)
    write_safetensors(os.path.join(d, "inputs.safetensors"), inputs)
    expected = {"latents": run.final.astype(np.float32)}
    for i, x in enumerate(run.latents):
        expected[f"latents_step_{i}"] = x.astype(np.float32)
    write_safetensors(os.path.join(d, "expected.safetensors"), expected)
    refs_used = {"diffusers": refs["diffusers"]}
    if c["method"] in ("deepcache", "todo+deepcache", "deepcache-experimental"):
        refs_used["deepcache"] = refs["deepcache"]
    if c["method"] == "deepcache-experimental":
        refs_used["diffusers-0.24"] = refs["diffusers-0.24"]
    if "todo" in c["method"]:
        refs_used["todo"] = refs["todo"]
    info = dict(
        name=c["name"], what=c["what"], model=key, model_class=spec["cls"], method=c["method"],
        attnbench_spec=c["spec"], identity=c["identity"],
        dense_case=f"{key}-dense",
        reference=dict(call=reference_call(c), args=c["params"], versions=refs_used,
                       torch="2.13 (CPU, float32, one thread)", adaptations=run.adaptations),
        steps=STEPS, scheduler=SCHEDULERS[key][0],
        guidance=dict(scale=GUIDANCE[key], mode="embedded (batch 1, guidance input)" if key == "flux" else
                      "classifier-free, batch (uncond, cond): out = uncond + scale * (cond - uncond)"),
        latent_shape=[1, spec["channels"], *spec["latent"]], text_tokens=spec["tokens"],
        seeds=dict(weights=spec["weights_seed"], weights_perturbation=spec["weights_seed"] + 1,
                   inputs=INPUTS_SEED[key]),
        inputs_order=list(inputs), facts=run.facts, summary=summary_of(plan), plan=plan,
        tolerance=dict(value=TOLERANCE, measure="max|actual - expected| / max|expected|, on latents and on every "
                                                "latents_step_K"),
        checks=checks)
    with open(os.path.join(d, "case.json"), "w") as f:
        json.dump(info, f, indent=1)
        f.write("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", required=True)
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--deepcache-experimental")
    ap.add_argument("--stats", action="store_true", help="print each case's per-step plan, write nothing")
    a = ap.parse_args()
    src = os.path.abspath(a.src)
    if a.deepcache_experimental:
        return deepcache_experimental_child(src, a.deepcache_experimental)
    torch, diffusers = load_main(src)
    refs = reference_files(src)
    todo_modules = load_todo(src, MODELS["unet"]["config"]["block_out_channels"])
    cases = [c for c in CASES if not a.only or c["name"] in a.only]
    dense = {}

    def dense_of(key, dtype):
        if (key, dtype) not in dense:
            dense[(key, dtype)] = run_case(torch, diffusers, src, CASES[[c["name"] for c in CASES].index(
                f"{key}-dense")], dtype)[3]
        return dense[(key, dtype)]

    for c in cases:
        model, inputs, scheduler, run = run_case(torch, diffusers, src, c, torch.float32, todo_modules)
        plan = plan_of(c, run)
        checks = {}
        base = dense_of(c["model"], torch.float32)
        effect = rel_err(base.final, run.final)
        checks["effect_vs_dense"] = effect
        if a.stats:
            print(c["name"], "effect", effect, run.facts.get("interval_seq"), "final max", np.abs(run.final).max(),
                  "step maxes", [round(float(np.abs(x).max()), 3) for x in run.latents])
            for s in plan:
                print("  ", s["index"], s["timestep"], s["kind"], s.get("statistic"), s.get("threshold_margin"),
                      len(s.get("modules_cached", s.get("modules_predicted", s.get("modules_reused", []))) or []),
                      s.get("todo_calls", "")[:0] if s.get("todo_calls") else "")
            continue
        method = c["method"]
        dense_run = base
        if c["identity"]:
            same = all(np.array_equal(x, y) for x, y in zip(run.latents, dense_run.latents)) and \
                np.array_equal(run.final, dense_run.final)
            check(same, f"{c['name']}: an identity case differs from {c['model']}-dense")
            checks["equals_dense_bitwise"] = True
        elif method != "dense":
            check(effect >= MIN_METHOD_EFFECT, f"{c['name']}: the method moves the latents only {effect:.3g} "
                                              f"from dense (< {MIN_METHOD_EFFECT})")
            if method != "todo":
                kinds = {s["kind"] for s in plan}
                check(kinds == {"full", "partial"}, f"{c['name']}: steps are all {kinds}")
        if method == "fbc" and not c["identity"]:
            margins = [abs(s["threshold_margin"]) for s in plan if "threshold_margin" in s]
            check(min(margins) >= MIN_DECISION_MARGIN, f"{c['name']}: a decision is {min(margins):.3g} (relative) "
                                                       f"from the threshold")
            checks["min_decision_margin"] = min(margins)
        if c["name"] == "unet-dense":
            piped = run_case(torch, diffusers, src, dict(c, pipeline=True), torch.float32)[3]
            check(np.array_equal(piped.final, run.final) and all(
                np.array_equal(x, y) for x, y in zip(piped.latents, run.latents)),
                "the explicit UNet loop differs from StableDiffusionPipeline's")
            checks["equals_stable_diffusion_pipeline_bitwise"] = True
        if method == "todo+deepcache":
            for other in ("unet-todo", "unet-deepcache-i3-b0"):
                o = run_case(torch, diffusers, src, CASES[[x["name"] for x in CASES].index(other)], torch.float32,
                             todo_modules)[3]
                checks[f"effect_vs_{other}"] = rel_err(o.final, run.final)
        if method == "deepcache-experimental":
            p = c["params"]
            uniform = dict(c, params=dict(p, uniform=True))
            exp_uniform = run_case(torch, diffusers, src, uniform, torch.float32)[3]
            branch = 3 * p["cache_layer_id"] + p["cache_block_id"] + 1
            helper = run_case(torch, diffusers, src, dict(c, method="deepcache", params=dict(
                cache_interval=p["cache_interval"], cache_branch_id=branch)), torch.float32)[3]
            checks[f"uniform_run_vs_helper_cache_branch_id_{branch}"] = rel_err(helper.final, exp_uniform.final)
            check(checks[f"uniform_run_vs_helper_cache_branch_id_{branch}"] <= 1e-6,
                  "the experimental pipeline's uniform run differs from the helper's")
        if c["contrast"]:
            key_, value = c["contrast"]
            other = run_case(torch, diffusers, src, dict(c, params=dict(c["params"], **{key_: value})), torch.float32)[3]
            checks[f"effect_of_{key_}_{value}"] = rel_err(other.final, run.final)
        run64 = run_case(torch, diffusers, src, c, torch.float64, todo_modules)[3]
        plan64 = plan_of(c, run64)
        check(decisions_of(plan64) == decisions_of(plan), f"{c['name']}: float64 takes other decisions")
        drift = max(rel_err(y, x) for x, y in zip(run.latents + [run.final], run64.latents + [run64.final]))
        check(drift <= MAX_FLOAT64_DRIFT, f"{c['name']}: float64 drifts {drift:.3g} from float32")
        checks["float64_same_decisions"] = True
        checks["float64_rel_err"] = drift
        scheduler_json = build_scheduler(diffusers, c["model"]).to_json_string()
        write_case(a.out, c, model, inputs, scheduler_json, run, plan, checks, refs)
        print(c["name"], "written:", summary_of(plan), {k: v for k, v in checks.items()}, flush=True)


if __name__ == "__main__":
    main()
