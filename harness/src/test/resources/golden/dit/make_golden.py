"""Golden cases for attnbench's diffusion transformers, made by diffusers itself.

Each case is one forward pass of a tiny, seeded diffusers transformer on the CPU in float32, at a
non-square size, written as config.json, weights.safetensors, inputs.safetensors,
expected.safetensors and case.json (the layout of ../shared/golden/README.md). README.md beside
this file says what each case pins down and how to run this script:

    python make_golden.py --src SRC            # every case, into this folder
    python make_golden.py --src SRC --only sd3

SRC is the folder that holds diffusers v0.40.0's package as SRC/diffusers (from a clone:
git archive v0.40.0 src/diffusers | tar -x -C X, then SRC = X/src). Needs torch
(2.13 CPU here), numpy and safetensors. Reruns to the same bytes.
"""

import argparse
import hashlib
import json
import os
import sys

import numpy as np

CASES = {}


def case(fn):
    CASES[fn.__name__.replace("_", "-")] = fn
    return fn


# ---- the models -----------------------------------------------------------------------------


@case
def pixart_sigma_masked(d):
    """PixArt-Σ-like: caption mask that pads some tokens, interpolation scale 2, no size conditions."""
    config = dict(num_attention_heads=2, attention_head_dim=8, in_channels=4, out_channels=8, num_layers=2,
                  patch_size=2, sample_size=16, cross_attention_dim=16, caption_channels=20, interpolation_scale=2,
                  use_additional_conditions=False, norm_eps=1e-6)
    model = d.PixArtTransformer2DModel.from_config(config)
    batch, h, w, text = 2, 12, 20, 6
    r = np.random.RandomState(11)
    inputs = {
        "hidden_states": normal(r, batch, 4, h, w),
        "encoder_hidden_states": normal(r, batch, text, 20),
        "timestep": np.array([901.0, 287.0], np.float32),
        "encoder_attention_mask": np.array([[1, 1, 1, 1, 0, 0], [1, 1, 0, 0, 0, 0]], np.int64),
    }

    def run(m, x, dtype=None):
        t = tensors(x, dtype)
        return m(t["hidden_states"], encoder_hidden_states=t["encoder_hidden_states"], timestep=t["timestep"],
                 encoder_attention_mask=t["encoder_attention_mask"], added_cond_kwargs={"resolution": None, "aspect_ratio": None},
                 return_dict=False)[0]

    unmasked = dict(inputs, encoder_attention_mask=np.ones_like(inputs["encoder_attention_mask"]))
    return dict(model=model, inputs=inputs, run=run, contrast=("without the caption mask", unmasked),
                calls="model(hidden_states, encoder_hidden_states=..., timestep=..., encoder_attention_mask=..., "
                      "added_cond_kwargs={'resolution': None, 'aspect_ratio': None}).sample",
                latent=[h, w], pins="the caption mask (converted by diffusers to a -10000 bias on the cross-attention's "
                                    "scores), 2-D sin-cos positions of a non-square grid at interpolation scale 2, "
                                    "adaLN-single, two timesteps in one batch")


@case
def pixart_alpha_sizes(d):
    """PixArt-α 1024-like: resolution and aspect-ratio embeddings (use_additional_conditions)."""
    config = dict(num_attention_heads=2, attention_head_dim=12, in_channels=4, out_channels=8, num_layers=2,
                  patch_size=2, sample_size=16, cross_attention_dim=24, caption_channels=20,
                  use_additional_conditions=True, norm_eps=1e-6)
    model = d.PixArtTransformer2DModel.from_config(config)
    batch, h, w, text = 2, 12, 20, 5
    r = np.random.RandomState(12)
    height, width = 8 * h, 8 * w
    inputs = {
        "hidden_states": normal(r, batch, 4, h, w),
        "encoder_hidden_states": normal(r, batch, text, 20),
        "timestep": np.array([640.0, 640.0], np.float32),
        "encoder_attention_mask": np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], np.int64),
        # as PixArtAlphaPipeline passes them: the image's (height, width) in pixels and height / width
        "resolution": np.array([[height, width]] * batch, np.float32),
        "aspect_ratio": np.array([[float(height / width)]] * batch, np.float32),
    }

    def run(m, x, dtype=None):
        t = tensors(x, dtype)
        return m(t["hidden_states"], encoder_hidden_states=t["encoder_hidden_states"], timestep=t["timestep"],
                 encoder_attention_mask=t["encoder_attention_mask"],
                 added_cond_kwargs={"resolution": t["resolution"], "aspect_ratio": t["aspect_ratio"]},
                 return_dict=False)[0]

    swapped = dict(inputs, resolution=inputs["resolution"][:, ::-1].copy(),
                   aspect_ratio=(1 / inputs["aspect_ratio"]).astype(np.float32))
    return dict(model=model, inputs=inputs, run=run, contrast=("with height and width swapped in the conditions", swapped),
                calls="model(hidden_states, encoder_hidden_states=..., timestep=..., encoder_attention_mask=..., "
                      "added_cond_kwargs={'resolution': resolution, 'aspect_ratio': aspect_ratio}).sample",
                latent=[h, w], pins="use_additional_conditions: PixArtAlphaCombinedTimestepSizeEmbeddings adds the "
                                    "resolution's embeddings (height, width) and the aspect ratio's to the timestep's, "
                                    "resolution and aspect ratio as the pipeline computes them from the image size")


def sd3_case(d, dual, seed):
    config = dict(sample_size=16, patch_size=2, in_channels=16, out_channels=16, num_layers=3 if dual else 2,
                  attention_head_dim=8, num_attention_heads=2, joint_attention_dim=20, caption_projection_dim=16,
                  pooled_projection_dim=12, pos_embed_max_size=16)
    if dual:
        config.update(dual_attention_layers=[0, 1], qk_norm="rms_norm")
    model = d.SD3Transformer2DModel.from_config(config)
    batch, h, w, text = 2, 8, 12, 5
    r = np.random.RandomState(seed)
    inputs = {
        "hidden_states": normal(r, batch, 16, h, w),
        "encoder_hidden_states": normal(r, batch, text, 20),
        "pooled_projections": normal(r, batch, 12),
        "timestep": np.array([750.0, 333.0], np.float32),
    }

    def run(m, x, dtype=None):
        t = tensors(x, dtype)
        return m(t["hidden_states"], encoder_hidden_states=t["encoder_hidden_states"],
                 pooled_projections=t["pooled_projections"], timestep=t["timestep"], return_dict=False)[0]

    other = dict(inputs, pooled_projections=normal(np.random.RandomState(seed + 100), batch, 12))
    what = ("SD 3.5-like: dual attention in blocks 0 and 1 (a second, image-only attention), q/k RMSNorm per head "
            "in every attention, " if dual else "SD 3-like: ")
    return dict(model=model, inputs=inputs, run=run, contrast=("with another pooled embedding", other),
                calls="model(hidden_states, encoder_hidden_states=..., pooled_projections=..., timestep=...).sample",
                latent=[h, w], pins=what + "the centre crop of the pos_embed_max_size position table for a non-square "
                                           "grid (the table is the checkpoint's saved buffer pos_embed.pos_embed), "
                                           "joint attention over image and text tokens, the last block's text stream")


@case
def sd3(d):
    return sd3_case(d, False, 13)


@case
def sd3_dual_qknorm(d):
    return sd3_case(d, True, 14)


@case
def flux_guidance(d):
    """Flux.1-dev-like: guidance embedding, double- and single-stream blocks, rotary positions."""
    from diffusers.pipelines.flux.pipeline_flux import FluxPipeline

    config = dict(patch_size=1, in_channels=64, num_layers=2, num_single_layers=2, attention_head_dim=8,
                  num_attention_heads=2, joint_attention_dim=20, pooled_projection_dim=12, guidance_embeds=True,
                  axes_dims_rope=[2, 2, 4])
    model = d.FluxTransformer2DModel.from_config(config)
    batch, h, w, text = 2, 8, 12, 5
    r = np.random.RandomState(15)
    latents = normal(r, batch, 16, h, w)
    import torch
    packed = FluxPipeline._pack_latents(torch.from_numpy(latents), batch, 16, h, w).numpy()
    inputs = {
        "latents": latents,
        "hidden_states": packed,
        "encoder_hidden_states": normal(r, batch, text, 20),
        "pooled_projections": normal(r, batch, 12),
        # the pipeline passes the scheduler's timestep (1000 sigma) divided by 1000
        "timestep": np.array([0.875, 0.875], np.float32),
        "guidance": np.array([3.5, 3.5], np.float32),
        "img_ids": FluxPipeline._prepare_latent_image_ids(batch, h // 2, w // 2, "cpu", torch.float32).numpy(),
        "txt_ids": np.zeros((text, 3), np.float32),
    }

    def run(m, x, dtype=None):
        t = tensors(x, dtype)
        out = m(t["hidden_states"], encoder_hidden_states=t["encoder_hidden_states"],
                pooled_projections=t["pooled_projections"], timestep=t["timestep"], img_ids=t["img_ids"],
                txt_ids=t["txt_ids"], guidance=t["guidance"], return_dict=False)[0]
        return FluxPipeline._unpack_latents(out, 8 * h, 8 * w, 8)

    other = dict(inputs, guidance=np.array([1.5, 1.5], np.float32))
    return dict(model=model, inputs=inputs, run=run, contrast=("at guidance 1.5", other),
                calls="FluxPipeline._unpack_latents(model(FluxPipeline._pack_latents(latents, ...), "
                      "encoder_hidden_states=..., pooled_projections=..., timestep=timestep, img_ids=..., txt_ids=..., "
                      "guidance=guidance).sample, 8 * h, 8 * w, 8)",
                latent=[h, w], pins="the guidance embedding (scaled by 1000 inside the model), the 2x2 packing of the "
                                    "latents and its inverse, rotary positions of a non-square grid (text at 0), "
                                    "double- then single-stream blocks")


# ---- running and writing -------------------------------------------------------------------


def normal(r, *shape):
    return r.standard_normal(shape).astype(np.float32)


def tensors(x, dtype=None):
    import torch
    out = {}
    for k, v in x.items():
        t = torch.from_numpy(np.ascontiguousarray(v))
        out[k] = t.to(dtype) if dtype is not None and t.is_floating_point() else t
    return out


def perturb(model, seed):
    """So no affine is an identity and attention is peaked, as ../shared/golden's cases do."""
    import torch
    g = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            if name.endswith("bias"):
                p.copy_(0.15 * torch.randn(p.shape, generator=g))
            elif p.ndim == 1 and "norm" in name:
                p.copy_(1 + 0.25 * torch.randn(p.shape, generator=g))
            elif any(k in name for k in ("to_q.weight", "to_k.weight", "add_q_proj.weight", "add_k_proj.weight")):
                p.copy_(torch.randn(p.shape, generator=g) * (2 / p.shape[1]) ** 0.5)
            elif "scale_shift_table" in name:
                p.copy_(0.3 * torch.randn(p.shape, generator=g))


def rel(a, b):
    return float(np.abs(a - b).max() / np.abs(b).max())


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def make(name, out_dir, src):
    import torch
    import diffusers
    from safetensors.numpy import save_file

    seed = 1000 + sorted(CASES).index(name)
    torch.manual_seed(seed)
    c = CASES[name](diffusers)
    model = c["model"].eval()
    perturb(model, seed)
    with torch.no_grad():
        out = c["run"](model, c["inputs"]).numpy()
        again = c["run"](model, c["inputs"]).numpy()
        assert np.array_equal(out, again), "not reproducible"
        f64 = c["run"](model.double(), c["inputs"], torch.float64).numpy()
        model.float()
        contrast_name, contrast_inputs = c["contrast"]
        contrast = c["run"](model, contrast_inputs).numpy()
    float64_err = rel(out, f64)
    effect = rel(contrast, out)
    assert float64_err < 1e-5, f"float64 differs by {float64_err}"
    assert effect > 1e-2, f"{contrast_name} changes the output by only {effect}"

    folder = os.path.join(out_dir, name)
    os.makedirs(folder, exist_ok=True)
    config = dict(model.config)
    config = {k: (list(v) if isinstance(v, tuple) else v) for k, v in config.items()}
    config["_class_name"] = type(model).__name__
    config["_diffusers_version"] = diffusers.__version__
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(dict(sorted(config.items())), f, indent=2)
        f.write("\n")
    state = {k: v.detach().contiguous().numpy() for k, v in model.state_dict().items()}
    meta = {"format": "pt"}
    save_file(state, os.path.join(folder, "weights.safetensors"), metadata=meta)
    save_file({k: np.ascontiguousarray(v) for k, v in c["inputs"].items()}, os.path.join(folder, "inputs.safetensors"),
              metadata=meta)
    save_file({"sample": out}, os.path.join(folder, "expected.safetensors"), metadata=meta)
    files = ["models/transformers/" + f for f in ("pixart_transformer_2d.py", "transformer_sd3.py", "transformer_flux.py")]
    files += ["models/embeddings.py", "models/normalization.py", "models/attention_processor.py",
              "models/attention_dispatch.py", "pipelines/flux/pipeline_flux.py"]
    info = {
        "case": name,
        "model_class": type(model).__name__,
        "what_it_pins_down": c["pins"],
        "batch": int(out.shape[0]),
        "latent": c["latent"],
        "pixels": [8 * c["latent"][0], 8 * c["latent"][1]],
        "inputs": {k: [str(v.dtype), list(v.shape)] for k, v in c["inputs"].items()},
        "expected": {"sample": ["float32", list(out.shape)]},
        "reference": {
            "call": c["calls"],
            "diffusers": diffusers.__version__,
            "torch": torch.__version__,
            "sources_sha256": {f: sha256(os.path.join(src, "diffusers", f)) for f in files},
        },
        "seeds": {"torch.manual_seed (init)": seed, "torch.Generator (perturbation)": seed + 1},
        "weights": "diffusers' own initialisation under torch.manual_seed, then, in sorted name order, every bias "
                   "0.15 N(0, 1), every 1-D norm weight 1 + 0.25 N(0, 1), every query and key projection weight "
                   "N(0, 2 / fan_in), every scale_shift_table 0.3 N(0, 1); weights.safetensors is model.state_dict() "
                   "(saved buffers included)",
        "checks": {
            "reproducible": True,
            "float64_rel_err": float64_err,
            "contrast": {"what": contrast_name, "rel_change": effect},
        },
        "tolerance": "max|actual - expected| / max|expected| <= 1e-4",
    }
    with open(os.path.join(folder, "case.json"), "w") as f:
        json.dump(info, f, indent=2)
        f.write("\n")
    print(f"{name}: float64 {float64_err:.1e}, {contrast_name} {effect:.3f}, "
          f"{sum(os.path.getsize(os.path.join(folder, x)) for x in os.listdir(folder)) // 1024} KB")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--src", required=True, help="the folder holding diffusers v0.40.0's package as SRC/diffusers")
    p.add_argument("--only")
    p.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    a = p.parse_args()
    sys.path.insert(0, os.path.abspath(a.src))
    import torch
    torch.set_num_threads(1)
    for name in sorted(CASES):
        if a.only in (None, name):
            make(name, a.out, os.path.abspath(a.src))


if __name__ == "__main__":
    main()
