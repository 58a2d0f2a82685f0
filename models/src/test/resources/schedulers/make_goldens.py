"""Makes goldens.json: diffusers' own schedulers' timesteps, sigmas and step updates.

Run with diffusers v0.40.0 on PYTHONPATH and torch (CPU) installed:
    PYTHONPATH=/path/to/diffusers/src python make_goldens.py
It also loads every config in configs/ with from_config, and fails if one does not load.

Each case is a scheduler config (a real one from configs/, or one with a few keys changed), a
step count and, for flow matching, what the pipeline passes (mu from an image's token count, and
Flux's own sigmas). It records the timesteps, the sigmas, init_noise_sigma, and a run of every
step on fixed tensors: per step the sample going in, scale_model_input's factor, the model output
(seeded noise, independent of the sample), the sample coming out and, for Euler ancestral, the
noise the step drew from its generator. All float32, as diffusers' pipelines run them.
"""
import glob
import inspect
import json
import os

import numpy as np
import torch

import diffusers
from diffusers import (DDIMScheduler, DPMSolverMultistepScheduler, EulerAncestralDiscreteScheduler,
                       EulerDiscreteScheduler, FlowMatchEulerDiscreteScheduler, PNDMScheduler)

HERE = os.path.dirname(os.path.abspath(__file__))
SHAPE = (1, 4, 2, 2)
CLASSES = {c.__name__: c for c in [PNDMScheduler, DDIMScheduler, EulerDiscreteScheduler,
                                   EulerAncestralDiscreteScheduler, DPMSolverMultistepScheduler,
                                   FlowMatchEulerDiscreteScheduler]}


def real(name):
    with open(os.path.join(HERE, "configs", name + ".json")) as f:
        return json.load(f)


def variant(name, **changes):
    config = real(name)
    config.update(changes)
    return config


def calculate_shift(tokens, config):
    """The Flux and SD3 pipelines' mu: linear in the token count through (base_seq, base_shift) and (max_seq, max_shift)."""
    c = FlowMatchEulerDiscreteScheduler.from_config(config).config
    m = (c.max_shift - c.base_shift) / (c.max_image_seq_len - c.base_image_seq_len)
    return tokens * m + c.base_shift - m * c.base_image_seq_len


def make(config, steps, tokens=None, flux_sigmas=False):
    scheduler = CLASSES[config["_class_name"]].from_config(config)
    kwargs = {}
    if isinstance(scheduler, FlowMatchEulerDiscreteScheduler):
        if flux_sigmas:  # FluxPipeline: always mu, and its own sigmas
            kwargs["sigmas"] = np.linspace(1.0, 1 / steps, steps)
            kwargs["mu"] = calculate_shift(tokens, config)
        elif scheduler.config.use_dynamic_shifting:  # StableDiffusion3Pipeline: mu only when dynamic
            kwargs["mu"] = calculate_shift(tokens, config)
    scheduler.set_timesteps(steps, **kwargs)
    return scheduler, kwargs


def init_noise_sigma(scheduler):
    return float(torch.as_tensor(getattr(scheduler, "init_noise_sigma", 1.0)))


def floats(t):
    return [float(v) for v in torch.as_tensor(t).to(torch.float32).flatten().tolist()]


def case(name, config, steps, run_steps, tokens=None, flux_sigmas=False):
    out = {"name": name, "config": config, "steps": steps, "runs": []}
    if tokens is not None:
        out["image_tokens"] = tokens
    out["flux_sigmas"] = flux_sigmas
    timesteps = {}
    for n in steps:
        scheduler, kwargs = make(config, n, tokens, flux_sigmas)
        entry = {"steps": n, "timesteps": floats(scheduler.timesteps),
                 "init_noise_sigma": init_noise_sigma(scheduler)}
        if hasattr(scheduler, "sigmas") and not isinstance(scheduler, (PNDMScheduler, DDIMScheduler)):
            entry["sigmas"] = floats(scheduler.sigmas)
        if "mu" in kwargs:
            entry["mu"] = kwargs["mu"]
        timesteps[n] = entry
    out["schedules"] = [timesteps[n] for n in steps]
    for n in run_steps:
        out["runs"].append(run(config, n, tokens, flux_sigmas))
    return out


def run(config, n, tokens, flux_sigmas):
    scheduler, _ = make(config, n, tokens, flux_sigmas)
    seeds = torch.Generator().manual_seed(1234)
    sample = torch.randn(SHAPE, generator=seeds) * init_noise_sigma(scheduler)
    generator = torch.Generator().manual_seed(42)
    ancestral = isinstance(scheduler, EulerAncestralDiscreteScheduler)
    steps = []
    for t in scheduler.timesteps:
        # flow pipelines neither scale the noise nor the model input
        scale = scheduler.scale_model_input(torch.ones(1), t) if hasattr(scheduler, "scale_model_input") else [1.0]
        model_output = torch.randn(SHAPE, generator=seeds)
        step = {"timestep": float(t), "sample": floats(sample), "input_scale": float(scale[0]),
                "model_output": floats(model_output)}
        if ancestral:
            copy = torch.Generator().set_state(generator.get_state())
            step["noise"] = floats(torch.randn(SHAPE, generator=copy, dtype=torch.float32))
        extra = {"generator": generator} if "generator" in inspect.signature(scheduler.step).parameters else {}
        sample = scheduler.step(model_output, t, sample, return_dict=False, **extra)[0]
        step["prev_sample"] = floats(sample)
        steps.append(step)
    return {"steps": n, "trajectory": steps}


def cases():
    sd15, sd21, sdxl = "sd15", "sd21", "sdxl"
    few = [1, 7, 20, 25, 48, 50]
    yield case("sd15 pndm", real(sd15), few, [10])
    yield case("sd21-base pndm", real("sd21-base"), [3, 50], [6])
    yield case("pndm v_prediction trailing", variant(sd15, prediction_type="v_prediction", timestep_spacing="trailing"),
               few, [9])
    yield case("pndm linspace set_alpha_to_one", variant(sd15, timestep_spacing="linspace", set_alpha_to_one=True,
                                                         steps_offset=0), few, [5])
    yield case("sd21 ddim v_prediction leading", real(sd21), few, [8])
    yield case("sd21 ddim v_prediction trailing", variant(sd21, timestep_spacing="trailing", steps_offset=0), few, [8])
    yield case("ddim linspace epsilon clip", variant(sd21, timestep_spacing="linspace", prediction_type="epsilon",
                                                      clip_sample=True, clip_sample_range=1.5), few, [6])
    yield case("ddim sample set_alpha_to_one", variant(sd21, prediction_type="sample", set_alpha_to_one=True), few, [6])
    yield case("ddim squaredcos_cap_v2", variant(sd21, beta_schedule="squaredcos_cap_v2", prediction_type="epsilon"),
               few, [6])
    yield case("ddim linear betas trailing", variant(sd21, beta_schedule="linear", beta_start=0.0001, beta_end=0.02,
                                                      timestep_spacing="trailing", prediction_type="epsilon"), few, [6])
    yield case("sdxl euler", real(sdxl), few, [8])
    yield case("euler linspace v_prediction", variant(sdxl, timestep_spacing="linspace", steps_offset=0,
                                                      prediction_type="v_prediction"), few, [7])
    yield case("euler trailing sigma_min", variant(sdxl, timestep_spacing="trailing", final_sigmas_type="sigma_min"),
               few, [7])
    yield case("euler continuous v_prediction", variant(sdxl, timestep_spacing="linspace", prediction_type="v_prediction",
                                                        timestep_type="continuous"), few, [5])
    yield case("euler sample", variant(sdxl, prediction_type="sample"), [5], [5])
    ancestral = variant(sdxl, _class_name="EulerAncestralDiscreteScheduler")
    yield case("euler ancestral leading", ancestral, few, [8])
    yield case("euler ancestral linspace v_prediction", dict(ancestral, timestep_spacing="linspace", steps_offset=0,
                                                             prediction_type="v_prediction"), few, [6])
    yield case("pixart-sigma dpm++2m", real("pixart-sigma"), few, [10, 16])
    dpm_sd = variant(sd15, _class_name="DPMSolverMultistepScheduler", timestep_spacing="leading")
    yield case("dpm++2m leading steps_offset", dpm_sd, few, [8])
    yield case("dpm++2m trailing v_prediction", dict(dpm_sd, timestep_spacing="trailing", prediction_type="v_prediction"),
               few, [8])
    yield case("dpm++2m sample heun", dict(dpm_sd, prediction_type="sample", solver_type="heun"), few, [6])
    yield case("dpm++2m sigma_min no lower_order_final", dict(dpm_sd, final_sigmas_type="sigma_min",
                                                             lower_order_final=False), [16], [16])
    yield case("dpm++2m sigma_min lower_order_final", dict(dpm_sd, final_sigmas_type="sigma_min"), [16, 10], [16, 10])
    yield case("dpm++2m sigma_min euler_at_final", dict(dpm_sd, final_sigmas_type="sigma_min", euler_at_final=True,
                                                       lower_order_final=False), [16], [16])
    yield case("dpm++ order 1", dict(dpm_sd, solver_order=1), [6], [6])
    yield case("dpm++2m lambda_min_clipped", variant("pixart-sigma", lambda_min_clipped=-4.0), few, [6])
    yield case("dpm++2m lambda_min_clipped leading", dict(dpm_sd, lambda_min_clipped=-2.0), few, [6])
    yield case("sd3 flow", real("sd3-medium"), [1, 7, 28, 50], [6])
    yield case("sd35 flow", real("sd35-large"), [28], [4])
    yield case("sd3 flow dynamic 4096", variant("sd35-large", use_dynamic_shifting=True), [1, 7, 28], [5], tokens=4096)
    yield case("sd3 flow dynamic 1024", variant("sd35-large", use_dynamic_shifting=True), [28], [5], tokens=1024)
    yield case("flux-dev 4096", real("flux1-dev"), [1, 7, 28, 50], [6], tokens=4096, flux_sigmas=True)
    yield case("flux-dev 1024", real("flux1-dev"), [28], [4], tokens=1024, flux_sigmas=True)
    yield case("flux-dev 6000", real("flux1-dev"), [28], [4], tokens=6000, flux_sigmas=True)
    yield case("flux-schnell", real("flux1-schnell"), [1, 4, 28], [4], tokens=4096, flux_sigmas=True)
    yield case("flow linear time shift", variant("flux1-dev", time_shift_type="linear"), [28], [4], tokens=1024,
               flux_sigmas=True)
    yield case("flow shift_terminal", variant("sd35-large", shift_terminal=0.1), [7, 28], [5])


def check_configs():
    for path in sorted(glob.glob(os.path.join(HERE, "configs", "*.json"))):
        with open(path) as f:
            config = json.load(f)
        scheduler = CLASSES[config["_class_name"]].from_config(config)
        scheduler.set_timesteps(4, **({"mu": 1.0} if getattr(scheduler.config, "use_dynamic_shifting", False) else {}))


def main():
    torch.set_num_threads(1)
    check_configs()
    goldens = {"diffusers": diffusers.__version__, "torch": torch.__version__, "shape": list(SHAPE),
               "cases": list(cases())}
    with open(os.path.join(HERE, "goldens.json"), "w") as f:
        json.dump(goldens, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
