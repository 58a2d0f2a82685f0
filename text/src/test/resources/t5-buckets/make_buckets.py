#!/usr/bin/env python3
"""Writes torch-buckets.txt: T5's relative position buckets as transformers computes them (torch, float32).

The bucket rule is transformers' T5Attention._relative_position_bucket (bidirectional=True), restated here from
its definition; its float32 arithmetic (torch.log of a float tensor, divided by a Python float, times an int,
truncated) is part of T5's behaviour. Each line: num_buckets max_distance, then the buckets of relative positions
0, 1, ..., N-1 (keys after the query), then of 0, -1, ..., -(N-1) (keys before it).
Run with a python that has torch: python3 make_buckets.py > torch-buckets.txt
"""
import math
import torch

N = 1024
CONFIGS = [(32, 128), (32, 64), (64, 256), (16, 32), (8, 20), (8, 10), (16, 20), (32, 100)]


def buckets(relative, num_buckets, max_distance):
    half = num_buckets // 2
    out = (relative > 0).to(torch.long) * half
    distance = torch.abs(relative)
    max_exact = half // 2
    large = max_exact + (torch.log(distance.float() / max_exact) / math.log(max_distance / max_exact)
                         * (half - max_exact)).to(torch.long)
    large = torch.min(large, torch.full_like(large, half - 1))
    return out + torch.where(distance < max_exact, distance, large)


print("# torch " + torch.__version__)
for nb, md in CONFIGS:
    after = buckets(torch.arange(N), nb, md)
    before = buckets(-torch.arange(N), nb, md)
    print(nb, md, ",".join(map(str, after.tolist())), ",".join(map(str, before.tolist())))
