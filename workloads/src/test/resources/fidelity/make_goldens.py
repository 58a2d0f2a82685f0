"""Writes the fidelity goldens in this folder with the reference code itself.

What it makes (seeds fix every value):

  images/                 eight small test images: RGB, grayscale, RGBA, palette and 16-bit grayscale
                          PNGs, a JPEG, sizes that the resizes enlarge, shrink, keep, or enlarge along
                          one axis and shrink along the other
  decode.json             sha256 of each image as PIL decodes it (Image.open(f).convert("RGB"))
  decode-jpeg.safetensors the JPEG's decoded bytes, for a tolerance check (JPEG decoders differ)
  resize.safetensors      PIL's Image.resize(size, BICUBIC) of float32 ("F" mode) planes (clean-fid's resize)
  resize8.safetensors     the same on 8-bit "L" and "RGB" images (CLIP's image processor's resize)
  fid-inception/
    pt_inception-seeded.safetensors   a seeded pytorch-fid InceptionV3 (FIDInceptionA/C/E) as the
                                      state_dict in pytorch-fid's names, widths divided by 16
    inception-seeded.pt               the same network as TorchScript in the layout of StyleGAN's
                                      inception-2015-12-05.pt (layers.conv ... layers.mixed_10,
                                      weight/beta/mean/var per convolution)
    features.safetensors              clean-fid's features of images/ for both files (clean mode)
    fid.json                          clean-fid's fid_from_feats on those features and on two
                                      seeded feature sets with more rows than columns
  clip/                   a seeded small transformers CLIPModel folder (both towers 2 layers x 32, patch 16,
                          224 px, projection 24; text gelu, vision quick_gelu; a 634-token byte-level BPE
                          learned from the prompts), saved by transformers with CLIPProcessor's files
  prompts.txt             one prompt per image (an empty one, accents and CJK, one of 197 tokens)
  clip-score.json         torchmetrics' CLIPScore of images/ against prompts.txt (and each image's 100 cos;
                          and, for information, the score with the torchvision-resizing fast image processor)
  clip-embeds.safetensors CLIPModel's get_image_features / get_text_features and the ids torchmetrics fed it

The reference code: clean-fid (github.com/GaParmar/clean-fid, commit e88c4d62) and pytorch-fid
(github.com/mseitzer/pytorch-fid, commit b9c18118), both on PYTHONPATH as fetched from GitHub;
from a virtualenv: PyTorch 2.13.0 (CPU), torchvision 0.28.0, Pillow 12.3.0, NumPy 2.4.6,
SciPy 1.17.1, torchmetrics 1.9.0, transformers 4.57.6 with tokenizers 0.22.2 and ftfy 6.3.1
(without ftfy, transformers' CLIPTokenizer falls back to BERT's basic tokenizer, which splits CJK
characters into words of their own). Run it from this folder:

  PYTHONPATH=$CLEANFID:$PYTORCHFID/src python make_goldens.py

Every file but the TorchScript one comes out with the same bytes on a rerun; torch.jit.save writes
a random serialization id (and may name its generated pooling classes differently) each time.

Widths: every convolution of pytorch-fid's network has 1/16 of its channels (the 3 image channels
excepted), by replacing torchvision's BasicConv2d while pytorch-fid builds its own InceptionV3, so
the files stay small and the features are 128-d; attnbench reads every width from the weights.
Batch-norm statistics are calibrated on random images (so activations stay O(1)) and the
batch-norm scales are 1, as in the real weights (the TorchScript layout has none). clean-fid's
InceptionV3W views its layers' output as (batch, 2048); here that view takes the narrow width.
"""
import hashlib
import json
import os
import shutil
import sys
import tempfile
import types
from collections import OrderedDict

# The store's torchvision is a CUDA build whose compiled operators do not load beside the CPU
# torch; nothing here uses them (models and transforms are pure Python), so skip registering them.
sys.modules["torchvision._meta_registrations"] = types.ModuleType("torchvision._meta_registrations")
# transformers 4.57.6 (which torchmetrics' CLIPScore needs: under transformers 5 get_image_features returns an
# output object and CLIPScore fails) checks at import that huggingface_hub is below 1.0; the store has only 1.x,
# which loads local folders as 4.57.6 needs, so the check is skipped.
_skip = types.ModuleType("transformers.dependency_versions_check")
_skip.dep_version_check = lambda *args, **kwargs: None
sys.modules["transformers.dependency_versions_check"] = _skip

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
import torchvision  # noqa: E402
import torchvision.models.inception as tv_inception  # noqa: E402
from PIL import Image  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

import cleanfid.fid as cfid  # noqa: E402
import cleanfid.features as cfeatures  # noqa: E402
import cleanfid.inception_pytorch as cinception  # noqa: E402
from cleanfid.inception_torchscript import InceptionV3W  # noqa: E402
import pytorch_fid.inception as pfid  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DIVISOR = 16
torch.set_num_threads(1)


def pattern(rng, h, w, c):
    """Smooth gradients and waves plus a little noise, so PNGs stay small."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    out = np.zeros((h, w, c))
    for ch in range(c):
        fx, fy, phase = rng.uniform(0.01, 0.08), rng.uniform(0.01, 0.08), rng.uniform(0, 6.3)
        out[..., ch] = 128 + 90 * np.sin(fx * x + phase) * np.cos(fy * y) + 40 * (x / w - y / h)
    if h * w < 10000:
        out += rng.integers(-6, 7, size=out.shape)
    else:  # sparse specks keep detail for the filters to act on without making the PNG large
        specks = rng.random(size=out.shape) < 0.01
        out[specks] = rng.integers(0, 256, size=int(specks.sum()))
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def write_images(folder):
    rng = np.random.default_rng(2015)
    os.makedirs(folder, exist_ok=True)
    specs = [
        ("a_rgb_64x48.png", "RGB", 48, 64),
        ("b_rgb_420x310.png", "RGB", 310, 420),
        ("c_gray_45x71.png", "L", 71, 45),
        ("d_rgba_300x120.png", "RGBA", 120, 300),
        ("e_palette_97x133.png", "P", 133, 97),
        ("f_rgb_299x299.png", "RGB", 299, 299),
        ("g_gray16_40x30.png", "I;16", 30, 40),
        ("h_photo_96x72.jpg", "RGB", 72, 96),
    ]
    for name, mode, h, w in specs:
        path = os.path.join(folder, name)
        if mode == "RGB":
            img = Image.fromarray(pattern(rng, h, w, 3), "RGB")
        elif mode == "L":
            img = Image.fromarray(pattern(rng, h, w, 1)[..., 0], "L")
        elif mode == "RGBA":
            img = Image.fromarray(pattern(rng, h, w, 4), "RGBA")
        elif mode == "P":
            img = Image.fromarray(pattern(rng, h, w, 3), "RGB").quantize(colors=37, method=Image.Quantize.MEDIANCUT)
        else:  # 16-bit grayscale: PIL's convert("RGB") clamps its values at 255
            values = (pattern(rng, h, w, 1)[..., 0].astype(np.uint16) * 2).astype(np.uint16)
            img = Image.fromarray(values)
        if name.endswith(".jpg"):
            img.save(path, quality=90)
        else:
            img.save(path, optimize=True)
    return sorted(os.path.join(folder, s[0]) for s in specs)


def decoded(path):
    return np.array(Image.open(path).convert("RGB"))


def write_decode(files):
    hashes = {}
    for f in files:
        rgb = decoded(f)
        hashes[os.path.basename(f)] = {"height": rgb.shape[0], "width": rgb.shape[1],
                                       "sha256": hashlib.sha256(rgb.tobytes()).hexdigest()}
    with open(os.path.join(HERE, "decode.json"), "w") as fh:
        json.dump(hashes, fh, indent=2, sort_keys=True)
        fh.write("\n")
    jpeg = [f for f in files if f.endswith(".jpg")][0]
    save_file({"rgb": torch.from_numpy(decoded(jpeg).copy())}, os.path.join(HERE, "decode-jpeg.safetensors"))


def write_resize():
    """PIL bicubic on float32 planes: enlarging, shrinking, both at once, odd sizes, one axis only."""
    rng = np.random.default_rng(1212)
    cases = [((13, 17), (31, 40)), ((48, 64), (19, 23)), ((29, 31), (57, 11)), ((50, 50), (20, 50)),
             ((7, 5), (7, 9)), ((97, 61), (120, 130)), ((131, 87), (41, 37))]
    tensors = {}
    for i, ((h, w), (oh, ow)) in enumerate(cases):
        plane = rng.uniform(0, 255, size=(h, w)).astype(np.float32)
        out = np.asarray(Image.fromarray(plane, mode="F").resize((ow, oh), resample=Image.BICUBIC))
        tensors[f"case{i}.in"] = torch.from_numpy(plane.copy())
        tensors[f"case{i}.out"] = torch.from_numpy(out.copy())
    save_file(tensors, os.path.join(HERE, "resize.safetensors"))


class NarrowBasicConv2d(tv_inception.BasicConv2d):
    """torchvision's BasicConv2d with 1/DIVISOR of the channels (the image's 3 excepted)."""

    def __init__(self, in_channels, out_channels, **kwargs):
        narrow_in = in_channels if in_channels == 3 else in_channels // DIVISOR
        super().__init__(narrow_in, out_channels // DIVISOR, **kwargs)


TRUNK = ["Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3", "maxpool1", "Conv2d_3b_1x1", "Conv2d_4a_3x3",
         "maxpool2", "Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c", "Mixed_6d",
         "Mixed_6e", "Mixed_7a", "Mixed_7b", "Mixed_7c"]


def seeded_state_dict():
    """The state_dict of pytorch-fid's fid_inception_v3() network, narrow and seeded.

    The skeleton is built as fid_inception_v3() builds it; batch-norm statistics are then
    calibrated by running its trunk (pytorch-fid's blocks 0-3 in order) in training mode on
    random images, with a cumulative average.
    """
    tv_inception.BasicConv2d = NarrowBasicConv2d
    torch.manual_seed(20151205)
    net = pfid._inception_v3(num_classes=1008, aux_logits=False, weights=None)
    net.Mixed_5b = pfid.FIDInceptionA(192, pool_features=32)
    net.Mixed_5c = pfid.FIDInceptionA(256, pool_features=64)
    net.Mixed_5d = pfid.FIDInceptionA(288, pool_features=64)
    net.Mixed_6b = pfid.FIDInceptionC(768, channels_7x7=128)
    net.Mixed_6c = pfid.FIDInceptionC(768, channels_7x7=160)
    net.Mixed_6d = pfid.FIDInceptionC(768, channels_7x7=160)
    net.Mixed_6e = pfid.FIDInceptionC(768, channels_7x7=192)
    net.Mixed_7b = pfid.FIDInceptionE_1(1280)
    net.Mixed_7c = pfid.FIDInceptionE_2(2048)
    for m in net.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.normal_(m.bias, 0.0, 0.2)
            m.momentum = None
    net.train()
    with torch.no_grad():
        for _ in range(4):
            x = torch.rand(6, 3, 299, 299) * 2 - 1
            for name in TRUNK:
                x = getattr(net, name)(x)
    net.eval()
    return {k: v.detach().clone() for k, v in net.state_dict().items()}


def pytorch_fid_model(state):
    """pytorch-fid's InceptionV3 as clean-fid's "pytorch_inception" extractor builds it, on `state`."""
    pfid.load_state_dict_from_url = lambda *a, **k: state
    cinception.load_state_dict_from_url = lambda *a, **k: state
    return cfeatures.feature_extractor(name="pytorch_inception", device=torch.device("cpu"), use_dataparallel=False)


# ---- the TorchScript layout of StyleGAN's inception-2015-12-05.pt ----
#
# Its `layers` is a Sequential of conv, conv_1, conv_2, pool0, conv_3, conv_4, pool1, mixed ...
# mixed_10, pool2; every convolution is one module holding weight, beta, mean and var (no batch-norm
# scale) and computing conv2d, batch_norm (eps 0.001), relu; the inception blocks name their
# branches tower, tower_1, tower_2 (mixed_9 and mixed_10: tower_conv, tower_mixed_conv, ...).
# The file's forward resizes to 299 with grid_sample and maps [0, 255] to (x - 128) / 128.


class Conv2dLayer(nn.Module):
    def __init__(self, state, prefix, stride=1, padding=(0, 0)):
        super().__init__()
        assert torch.all(state[prefix + ".bn.weight"] == 1), "the TorchScript layout has no batch-norm scale"
        self.weight = nn.Parameter(state[prefix + ".conv.weight"].clone())
        self.beta = nn.Parameter(state[prefix + ".bn.bias"].clone())
        self.mean = nn.Parameter(state[prefix + ".bn.running_mean"].clone())
        self.var = nn.Parameter(state[prefix + ".bn.running_var"].clone())
        self.stride = stride
        self.padding = list(padding)

    def forward(self, x):
        x = F.conv2d(x, self.weight.to(x.dtype), stride=self.stride, padding=self.padding)
        x = F.batch_norm(x, running_mean=self.mean, running_var=self.var, bias=self.beta, eps=1e-3)
        return F.relu(x)


def seq(**parts):
    return nn.Sequential(OrderedDict(parts))


def avg_pool():
    return nn.AvgPool2d(kernel_size=3, stride=1, padding=1, count_include_pad=False)


class InceptionA(nn.Module):
    def __init__(self, s, p):
        super().__init__()
        self.conv = Conv2dLayer(s, p + ".branch1x1")
        self.tower = seq(conv=Conv2dLayer(s, p + ".branch5x5_1"), conv_1=Conv2dLayer(s, p + ".branch5x5_2", padding=(2, 2)))
        self.tower_1 = seq(conv=Conv2dLayer(s, p + ".branch3x3dbl_1"),
                           conv_1=Conv2dLayer(s, p + ".branch3x3dbl_2", padding=(1, 1)),
                           conv_2=Conv2dLayer(s, p + ".branch3x3dbl_3", padding=(1, 1)))
        self.tower_2 = seq(pool=avg_pool(), conv=Conv2dLayer(s, p + ".branch_pool"))

    def forward(self, x):
        return torch.cat([self.conv(x).contiguous(), self.tower(x).contiguous(), self.tower_1(x).contiguous(),
                          self.tower_2(x).contiguous()], 1)


class InceptionB(nn.Module):
    def __init__(self, s, p):
        super().__init__()
        self.conv = Conv2dLayer(s, p + ".branch3x3", stride=2)
        self.tower = seq(conv=Conv2dLayer(s, p + ".branch3x3dbl_1"),
                         conv_1=Conv2dLayer(s, p + ".branch3x3dbl_2", padding=(1, 1)),
                         conv_2=Conv2dLayer(s, p + ".branch3x3dbl_3", stride=2))
        self.pool = nn.MaxPool2d(kernel_size=3, stride=2)

    def forward(self, x):
        return torch.cat([self.conv(x).contiguous(), self.tower(x).contiguous(), self.pool(x).contiguous()], 1)


class InceptionC(nn.Module):
    def __init__(self, s, p):
        super().__init__()
        self.conv = Conv2dLayer(s, p + ".branch1x1")
        self.tower = seq(conv=Conv2dLayer(s, p + ".branch7x7_1"),
                         conv_1=Conv2dLayer(s, p + ".branch7x7_2", padding=(0, 3)),
                         conv_2=Conv2dLayer(s, p + ".branch7x7_3", padding=(3, 0)))
        self.tower_1 = seq(conv=Conv2dLayer(s, p + ".branch7x7dbl_1"),
                           conv_1=Conv2dLayer(s, p + ".branch7x7dbl_2", padding=(3, 0)),
                           conv_2=Conv2dLayer(s, p + ".branch7x7dbl_3", padding=(0, 3)),
                           conv_3=Conv2dLayer(s, p + ".branch7x7dbl_4", padding=(3, 0)),
                           conv_4=Conv2dLayer(s, p + ".branch7x7dbl_5", padding=(0, 3)))
        self.tower_2 = seq(pool=avg_pool(), conv=Conv2dLayer(s, p + ".branch_pool"))

    def forward(self, x):
        return torch.cat([self.conv(x).contiguous(), self.tower(x).contiguous(), self.tower_1(x).contiguous(),
                          self.tower_2(x).contiguous()], 1)


class InceptionD(nn.Module):
    def __init__(self, s, p):
        super().__init__()
        self.tower = seq(conv=Conv2dLayer(s, p + ".branch3x3_1"), conv_1=Conv2dLayer(s, p + ".branch3x3_2", stride=2))
        self.tower_1 = seq(conv=Conv2dLayer(s, p + ".branch7x7x3_1"),
                           conv_1=Conv2dLayer(s, p + ".branch7x7x3_2", padding=(0, 3)),
                           conv_2=Conv2dLayer(s, p + ".branch7x7x3_3", padding=(3, 0)),
                           conv_3=Conv2dLayer(s, p + ".branch7x7x3_4", stride=2))
        self.pool = nn.MaxPool2d(kernel_size=3, stride=2)

    def forward(self, x):
        return torch.cat([self.tower(x).contiguous(), self.tower_1(x).contiguous(), self.pool(x).contiguous()], 1)


class InceptionE(nn.Module):
    def __init__(self, s, p, use_avg_pool):
        super().__init__()
        self.conv = Conv2dLayer(s, p + ".branch1x1")
        self.tower_conv = Conv2dLayer(s, p + ".branch3x3_1")
        self.tower_mixed_conv = Conv2dLayer(s, p + ".branch3x3_2a", padding=(0, 1))
        self.tower_mixed_conv_1 = Conv2dLayer(s, p + ".branch3x3_2b", padding=(1, 0))
        self.tower_1_conv = Conv2dLayer(s, p + ".branch3x3dbl_1")
        self.tower_1_conv_1 = Conv2dLayer(s, p + ".branch3x3dbl_2", padding=(1, 1))
        self.tower_1_mixed_conv = Conv2dLayer(s, p + ".branch3x3dbl_3a", padding=(0, 1))
        self.tower_1_mixed_conv_1 = Conv2dLayer(s, p + ".branch3x3dbl_3b", padding=(1, 0))
        self.tower_2_pool = avg_pool() if use_avg_pool else nn.MaxPool2d(kernel_size=3, stride=1, padding=1)
        self.tower_2_conv = Conv2dLayer(s, p + ".branch_pool")

    def forward(self, x):
        a = self.tower_conv(x)
        b = self.tower_1_conv_1(self.tower_1_conv(x))
        return torch.cat([self.conv(x).contiguous(), self.tower_mixed_conv(a).contiguous(),
                          self.tower_mixed_conv_1(a).contiguous(), self.tower_1_mixed_conv(b).contiguous(),
                          self.tower_1_mixed_conv_1(b).contiguous(),
                          self.tower_2_conv(self.tower_2_pool(x)).contiguous()], 1)


class InceptionV3(nn.Module):
    def __init__(self, s, features):
        super().__init__()
        self.features = features
        self.layers = seq(
            conv=Conv2dLayer(s, "Conv2d_1a_3x3", stride=2), conv_1=Conv2dLayer(s, "Conv2d_2a_3x3"),
            conv_2=Conv2dLayer(s, "Conv2d_2b_3x3", padding=(1, 1)), pool0=nn.MaxPool2d(kernel_size=3, stride=2),
            conv_3=Conv2dLayer(s, "Conv2d_3b_1x1"), conv_4=Conv2dLayer(s, "Conv2d_4a_3x3"),
            pool1=nn.MaxPool2d(kernel_size=3, stride=2),
            mixed=InceptionA(s, "Mixed_5b"), mixed_1=InceptionA(s, "Mixed_5c"), mixed_2=InceptionA(s, "Mixed_5d"),
            mixed_3=InceptionB(s, "Mixed_6a"), mixed_4=InceptionC(s, "Mixed_6b"), mixed_5=InceptionC(s, "Mixed_6c"),
            mixed_6=InceptionC(s, "Mixed_6d"), mixed_7=InceptionC(s, "Mixed_6e"), mixed_8=InceptionD(s, "Mixed_7a"),
            mixed_9=InceptionE(s, "Mixed_7b", True), mixed_10=InceptionE(s, "Mixed_7c", False),
            pool2=nn.AvgPool2d(kernel_size=8))
        # The real file's classifier is Linear(2048, 1008); a small one keeps this file small.
        self.output = nn.Linear(features, 8)

    def forward(self, img, return_features: bool = False, use_fp16: bool = False, no_output_bias: bool = False):
        batch_size, channels, height, width = img.shape
        x = img.to(torch.float16 if use_fp16 else torch.float32)
        theta = torch.eye(2, 3, device=x.device)
        theta[0, 2] += theta[0, 0] / width - theta[0, 0] / 299
        theta[1, 2] += theta[1, 1] / height - theta[1, 1] / 299
        theta = theta.to(x.dtype).unsqueeze(0).repeat([batch_size, 1, 1])
        grid = F.affine_grid(theta, [batch_size, channels, 299, 299], align_corners=False)
        x = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
        x = (x - 128) / 128
        features = self.layers(x).reshape(-1, self.features).to(torch.float32)
        if return_features:
            return features
        logits = F.linear(features, self.output.weight) if no_output_bias else self.output(features)
        return F.softmax(logits, dim=1)


def torchscript_file(state, features, path):
    torch.manual_seed(1008)
    module = torch.jit.script(InceptionV3(state, features).eval())
    module.save(path)


def clean_fid_features(files, model_fn):
    return cfid.get_files_features(files, model=model_fn, num_workers=0, batch_size=len(files),
                                   device=torch.device("cpu"), mode="clean", verbose=False)


def write_fid_inception(files):
    out = os.path.join(HERE, "fid-inception")
    os.makedirs(out, exist_ok=True)
    state = seeded_state_dict()
    features = state["Mixed_7c.branch_pool.conv.weight"].shape[0] + 320 // DIVISOR + 4 * 384 // DIVISOR
    # The safetensors file: the whole state_dict, num_batches_tracked included, but fc (which the
    # features never use) cut to 8 columns: its [1008, 2048] would be 8 MB.
    stored = dict(state)
    stored["fc.weight"] = state["fc.weight"][:, :8].contiguous()
    save_file(stored, os.path.join(out, "pt_inception-seeded.safetensors"))

    with tempfile.TemporaryDirectory() as tmp:
        torchscript_file(state, features, os.path.join(tmp, "inception-2015-12-05.pt"))
        shutil.copy(os.path.join(tmp, "inception-2015-12-05.pt"), os.path.join(out, "inception-seeded.pt"))
        wrapper = InceptionV3W(tmp, download=False, resize_inside=False)

    def torchscript_fn(x):
        # InceptionV3W.forward without resize_inside: its layers on (x - 128) / 128, viewed as
        # (batch, 2048); these narrow features have `features` columns instead of 2048.
        x1 = x - 128
        x2 = x1 / 128
        return wrapper.layers.forward(x2).view((x.shape[0], features))

    with torch.no_grad():
        ts = clean_fid_features(files, torchscript_fn)
        pt = clean_fid_features(files, pytorch_fid_model(state))
    save_file({"torchscript": torch.from_numpy(ts), "pytorch_fid": torch.from_numpy(pt)},
              os.path.join(out, "features.safetensors"))
    half = len(files) // 2
    rng = np.random.default_rng(299)
    mixing = rng.normal(size=(48, 48))
    a = (rng.normal(size=(160, 48)) @ mixing).astype(np.float32)
    b = (rng.normal(size=(150, 48)) @ (mixing + 0.3 * rng.normal(size=(48, 48))) + 0.5).astype(np.float32)
    save_file({"a": torch.from_numpy(a), "b": torch.from_numpy(b)}, os.path.join(out, "fid-synthetic.safetensors"))
    fids = {
        "images": [os.path.basename(f) for f in files],
        "split": half,
        "torchscript": float(cfid.fid_from_feats(ts[:half], ts[half:])),
        "pytorch_fid": float(cfid.fid_from_feats(pt[:half], pt[half:])),
        "synthetic": float(cfid.fid_from_feats(a, b)),
    }
    with open(os.path.join(out, "fid.json"), "w") as fh:
        json.dump(fids, fh, indent=2)
        fh.write("\n")
    print("fid-inception:", features, "features;", fids)


# ---- CLIP score ----

PROMPTS = [
    "a photograph of a red fox in the snow",
    "An oil painting of a lighthouse at dusk, waves crashing",
    "",
    "two cats sleeping on a windowsill",
    "Ein Hund läuft über die Wiese: café, naïve, 東京",
    "a mountain lake reflecting the sky",
    # over 76 tokens: torchmetrics cuts the ids at 77, so the end token is lost
    "a very long prompt " + " ".join(f"word{i} and colour" for i in range(40)),
    "a small robot reading a book",
]


def bytes_to_unicode():
    """GPT-2's and CLIP's byte-to-printable-character table."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("\u00a1"), ord("\u00ac") + 1)) \
        + list(range(ord("\u00ae"), ord("\u00ff") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def tiny_bpe(words, merges_wanted):
    """A small byte-level BPE learned from `words`: every byte with and without </w>, then the most frequent pairs."""
    table = bytes_to_unicode()
    chars = [table[b] for b in range(256)]
    vocab = chars + [c + "</w>" for c in chars]
    corpus = {}
    for w in words:
        symbols = [table[b] for b in w.encode("utf-8")]
        symbols[-1] += "</w>"
        corpus[tuple(symbols)] = corpus.get(tuple(symbols), 0) + 1
    merges = []
    for _ in range(merges_wanted):
        pairs = {}
        for word, count in corpus.items():
            for a, b in zip(word, word[1:]):
                pairs[(a, b)] = pairs.get((a, b), 0) + count
        if not pairs:
            break
        best = sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        merges.append(best)
        vocab.append(best[0] + best[1])
        merged = {}
        for word, count in corpus.items():
            out, i = [], 0
            while i < len(word):
                if i < len(word) - 1 and (word[i], word[i + 1]) == best:
                    out.append(word[i] + word[i + 1])
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            merged[tuple(out)] = merged.get(tuple(out), 0) + count
        corpus = merged
    vocab += ["<|startoftext|>", "<|endoftext|>"]
    return {t: i for i, t in enumerate(vocab)}, merges


def write_clip(files):
    """A seeded small CLIPModel folder, and torchmetrics' CLIPScore of images/ against PROMPTS with it."""
    import re
    from torchmetrics.multimodal.clip_score import CLIPScore
    from transformers import CLIPConfig, CLIPModel, CLIPProcessor, CLIPTokenizer
    from transformers import CLIPImageProcessor, CLIPImageProcessorFast

    out = os.path.join(HERE, "clip")
    os.makedirs(out, exist_ok=True)
    words = re.findall(r"[a-z]+", " ".join(PROMPTS).lower()) * 3 + ["photo", "painting", "the", "of", "a"]
    vocab, merges = tiny_bpe(words, 120)
    with open(os.path.join(out, "vocab.json"), "w", encoding="utf-8") as fh:
        json.dump(vocab, fh, ensure_ascii=False)
    with open(os.path.join(out, "merges.txt"), "w", encoding="utf-8") as fh:
        fh.write("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges))
    tokenizer = CLIPTokenizer.from_pretrained(out, model_max_length=77)
    image_processor = CLIPImageProcessor(image_mean=[0.48145466, 0.4578275, 0.40821073],
                                            image_std=[0.26862954, 0.26130258, 0.27577711])
    processor = CLIPProcessor(image_processor=image_processor, tokenizer=tokenizer)
    processor.save_pretrained(out)
    # save_pretrained writes the tokenizer's own files; keep vocab.json and merges.txt as written above
    with open(os.path.join(out, "vocab.json"), "w", encoding="utf-8") as fh:
        json.dump(vocab, fh, ensure_ascii=False)

    torch.manual_seed(224)
    config = CLIPConfig(
        text_config=dict(vocab_size=len(vocab), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, max_position_embeddings=77, hidden_act="gelu",
                         bos_token_id=vocab["<|startoftext|>"], eos_token_id=vocab["<|endoftext|>"],
                         pad_token_id=vocab["<|endoftext|>"]),
        vision_config=dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
                           image_size=224, patch_size=16, hidden_act="quick_gelu"),
        projection_dim=24)
    model = CLIPModel(config).eval()
    with torch.no_grad():
        for name, p in model.named_parameters():  # away from the initializer's tiny values, so towers do work
            if "norm" in name and name.endswith("weight"):
                p.copy_(1 + 0.2 * torch.randn_like(p))
            elif p.dim() >= 1 and "norm" not in name:
                p.add_(0.02 * torch.randn_like(p))
        # A direction both towers share, so image i and caption i are alike as a trained CLIP's are and the mean
        # score is positive (a random pair of towers scores about 0, where the clamp would hide the mean).
        shared = torch.randn(32)
        model.vision_model.post_layernorm.bias.copy_(0.6 * shared)
        model.text_model.final_layer_norm.bias.copy_(0.6 * shared)
        model.text_projection.weight.copy_(model.visual_projection.weight + 0.05 * torch.randn_like(model.visual_projection.weight))
    model.save_pretrained(out)

    images = [torch.from_numpy(decoded(f)).permute(2, 0, 1).contiguous() for f in files]
    prompts = PROMPTS[: len(images)]
    metric = CLIPScore(model_name_or_path=lambda: (model, processor))
    with torch.no_grad():
        metric.update(images, prompts)
        score = float(metric.compute())
        pixel = processor(images=images, return_tensors="pt")["pixel_values"]
        image_embeds = model.get_image_features(pixel_values=pixel)
        text_in = processor(text=prompts, return_tensors="pt", padding=True)
        ids = text_in["input_ids"][..., :77]
        mask = text_in["attention_mask"][..., :77]
        text_embeds = model.get_text_features(input_ids=ids, attention_mask=mask)
        cos = torch.nn.functional.cosine_similarity(image_embeds, text_embeds)
        # the fast image processor (transformers 5's default) resizes with torchvision, not PIL: what that changes
        fast = CLIPProcessor(image_processor=CLIPImageProcessorFast(image_mean=image_processor.image_mean,
                                                                image_std=image_processor.image_std), tokenizer=tokenizer)
        fast_metric = CLIPScore(model_name_or_path=lambda: (model, fast))
        fast_metric.update(images, prompts)
        fast_score = float(fast_metric.compute())
    save_file({"image_embeds": image_embeds.contiguous(), "text_embeds": text_embeds.contiguous(),
               "input_ids": ids.contiguous(), "attention_mask": mask.contiguous()},
              os.path.join(HERE, "clip-embeds.safetensors"))
    with open(os.path.join(HERE, "prompts.txt"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(prompts) + "\n")
    result = {"clip_score": score, "per_image": [float(100 * c) for c in cos],
              "clip_score_torchvision_resize": fast_score, "images": [os.path.basename(f) for f in files]}
    with open(os.path.join(HERE, "clip-score.json"), "w") as fh:
        json.dump(result, fh, indent=2)
        fh.write("\n")
    print("clip:", result)


def write_resize8():
    """PIL bicubic on 8-bit images ("L" and "RGB"), what CLIP's image processor resizes."""
    rng = np.random.default_rng(8)
    cases = [((48, 64), (224, 298)), ((310, 420), (224, 303)), ((71, 45), (353, 224)), ((13, 17), (5, 7)),
             ((224, 300), (224, 224))]
    tensors = {}
    for i, ((h, w), (oh, ow)) in enumerate(cases):
        plane = rng.integers(0, 256, size=(h, w), dtype=np.uint8)
        out = np.asarray(Image.fromarray(plane, "L").resize((ow, oh), resample=Image.BICUBIC))
        tensors[f"case{i}.in"] = torch.from_numpy(plane.copy())
        tensors[f"case{i}.out"] = torch.from_numpy(out.copy())
    rgb = rng.integers(0, 256, size=(37, 29, 3), dtype=np.uint8)
    tensors["rgb.in"] = torch.from_numpy(rgb.copy())
    tensors["rgb.out"] = torch.from_numpy(np.asarray(Image.fromarray(rgb, "RGB").resize((50, 61), Image.BICUBIC)).copy())
    save_file(tensors, os.path.join(HERE, "resize8.safetensors"))


def main():
    files = write_images(os.path.join(HERE, "images"))
    write_decode(files)
    write_resize()
    write_fid_inception(files)
    write_resize8()
    write_clip(files)
    print("wrote images, decode.json, decode-jpeg.safetensors, resize.safetensors")


if __name__ == "__main__":
    main()
