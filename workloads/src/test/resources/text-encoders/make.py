#!/usr/bin/env python3
"""Writes small seeded text encoders with transformers itself, and their outputs, for TransformersCasesTest.

Each folder is what `save_pretrained` writes (config.json + model.safetensors, or shards + index), so the
configs carry the keys the installed transformers writes; cases.safetensors holds, per case, the ids, the
attention mask (where given) and transformers' own outputs in float32: last_hidden_state, hidden_states[-2]
(CLIP), pooler_output (CLIP) and text_embeds (with projection).
Run: python3 make.py   (a python with torch and transformers; writes next to this file)
"""
import os
import torch
import transformers
from safetensors.torch import save_file
from transformers import (CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection, T5Config,
                          T5EncoderModel)

HERE = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(1234)


def perturb(model):
    """Random init leaves LayerNorms at 1/0 and biases at 0: draw them too so every term counts."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name and name.endswith("weight"):
                p.copy_(1 + 0.2 * torch.randn_like(p))
            else:
                p.copy_(0.3 * torch.randn_like(p))
    return model.eval()


def clip_ids(rows, length, eos, pad):
    out = []
    for content in rows:
        ids = [97] + [int(v) for v in torch.randint(3, 90, (content,))] + [eos]
        out.append((ids + [pad] * length)[:length])
    return torch.tensor(out, dtype=torch.long)


def mask_of(lengths, length):
    return torch.tensor([[1] * n + [0] * (length - n) for n in lengths], dtype=torch.long)


cases = {}

# CLIPTextModel, quick_gelu, legacy eos_token_id 2 (pooled at the first largest id), padded with eos, masked.
cfg = CLIPTextConfig(vocab_size=99, hidden_size=8, intermediate_size=20, num_hidden_layers=2, num_attention_heads=2,
                     max_position_embeddings=16, hidden_act="quick_gelu", eos_token_id=2, bos_token_id=0, pad_token_id=1)
m = perturb(CLIPTextModel(cfg))
m.save_pretrained(os.path.join(HERE, "clip-legacy"))
ids = clip_ids([3, 9, 0], 13, 98, 98)
mask = mask_of([5, 11, 2], 13)
for name, msk in (("clip-legacy", None), ("clip-legacy-masked", mask)):
    with torch.no_grad():
        o = m(input_ids=ids, attention_mask=msk, output_hidden_states=True)
    cases[name + ".input_ids"] = ids
    if msk is not None:
        cases[name + ".attention_mask"] = msk
    cases[name + ".last_hidden_state"] = o.last_hidden_state
    cases[name + ".penultimate_hidden_state"] = o.hidden_states[-2]
    cases[name + ".pooler_output"] = o.pooler_output

# CLIPTextModelWithProjection, gelu, eos 98 (the first eos), padded with id 0, sharded.
cfg = CLIPTextConfig(vocab_size=99, hidden_size=12, intermediate_size=28, num_hidden_layers=3, num_attention_heads=3,
                     max_position_embeddings=20, hidden_act="gelu", projection_dim=5, eos_token_id=98,
                     bos_token_id=97, pad_token_id=0)
m = perturb(CLIPTextModelWithProjection(cfg))
m.save_pretrained(os.path.join(HERE, "clip-projection"), max_shard_size="20KB")
ids = clip_ids([4, 14, 1], 17, 98, 0)
ids[1, 3] = 98  # an eos inside the text: pooling takes the first
with torch.no_grad():
    o = m(input_ids=ids, output_hidden_states=True)
cases["clip-projection.input_ids"] = ids
cases["clip-projection.last_hidden_state"] = o.last_hidden_state
cases["clip-projection.penultimate_hidden_state"] = o.hidden_states[-2]
cases["clip-projection.text_embeds"] = o.text_embeds
with torch.no_grad():  # the same weights as a CLIPTextModel, for pooler_output
    base = CLIPTextModel.from_pretrained(os.path.join(HERE, "clip-projection")).eval()
    cases["clip-projection.pooler_output"] = base(input_ids=ids).pooler_output

# T5EncoderModel v1.1: inner width heads x d_kv != d_model, buckets reaching their log range and cap, masked.
cfg = T5Config(vocab_size=64, d_model=10, d_kv=3, d_ff=14, num_layers=2, num_heads=4, relative_attention_num_buckets=8,
               relative_attention_max_distance=12, feed_forward_proj="gated-gelu", is_encoder_decoder=False,
               use_cache=False)
m = perturb(T5EncoderModel(cfg))
m.save_pretrained(os.path.join(HERE, "t5"))
ids = torch.randint(2, 64, (2, 21))
ids[0, 15] = 1
ids[0, 16:] = 0
mask = mask_of([16, 21], 21)
for name, msk in (("t5", None), ("t5-masked", mask)):
    with torch.no_grad():
        o = m(input_ids=ids, attention_mask=msk)
    cases[name + ".input_ids"] = ids
    if msk is not None:
        cases[name + ".attention_mask"] = msk
    cases[name + ".last_hidden_state"] = o.last_hidden_state

save_file({k: v.clone().contiguous() for k, v in cases.items()}, os.path.join(HERE, "cases.safetensors"),
          metadata={"transformers": transformers.__version__, "torch": torch.__version__})
