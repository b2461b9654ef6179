"""Trains Norae's own face-expression CNN (called by train-face.ts; not meant to be run by hand).

Input: DIR/faces.u8 (N × S × S grey bytes, written by export-faces.ts through the app's own crop
code), DIR/index.json (labels), --split JSON ({"train": [...], "tune": [...]} indices) and
optionally --votes JSON (per image, the FER+ annotators' votes over --classes, or null).
--target says what the net learns: 'hard' (the FER2013 label, label-smoothed: v2), 'soft'
(half the label, half the vote distribution, where there are votes) or 'votes' (the vote
distribution alone where there are votes).
Trains on "train" only; "tune" is never trained on: it picks the epoch (best UAR, ties to lower
NLL) and train-face.ts fits the ensemble and the temperature on it.

Output (--out): weights.f32 + export.json (tfjs-layout weight list, layer for layer what
buildFaceNet in face-net.ts builds), tune-probs.f32 (softmax, mirror-averaged, on the tune
images), reference-*.f32 (a few inputs and outputs for the tfjs parity check), log.json.
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from torch_layers import conv_bn_stack, export_conv_bn  # noqa: E402


def log(*args):
    print("[train_face]", *args, flush=True)


class Net(nn.Module):
    """Blocks of (conv 3×3 → BN → ReLU) × 2 → max-pool 2×2, then global average → dropout → dense."""

    def __init__(self, channels, n_classes, dropout):
        super().__init__()
        self.convs, self.norms, c_in = conv_bn_stack([c for c in channels for _ in range(2)], momentum=0.05)
        self.dropout = nn.Dropout(dropout)
        self.out = nn.Linear(c_in, n_classes)

    def forward(self, x):
        for i, (conv, bn) in enumerate(zip(self.convs, self.norms)):
            x = F.relu(bn(conv(x)))
            if i % 2 == 1:
                x = F.max_pool2d(x, 2)
        return self.out(self.dropout(x.mean(dim=(2, 3))))


def augment(x, gen):
    """Random crop/scale, rotation, shift, mirror (one affine warp), lighting (gain, gamma,
    offset), blur, and an occluding patch; x: [B, 1, S, S] in [0, 1]."""
    b = x.shape[0]
    u = lambda lo, hi: torch.empty(b).uniform_(lo, hi, generator=gen)
    angle = u(-15, 15) * math.pi / 180
    scale = u(0.85, 1.15)
    flip = torch.where(torch.rand(b, generator=gen) < 0.5, -1.0, 1.0)
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([
        torch.stack([cos * flip, -sin, u(-0.1, 0.1)], 1),
        torch.stack([sin * flip, cos, u(-0.1, 0.1)], 1),
    ], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
    gamma = torch.exp(u(-0.4, 0.4)).view(b, 1, 1, 1)
    x = x.clamp(1e-4, 1) ** gamma
    x = x * u(0.7, 1.3).view(b, 1, 1, 1) + u(-0.12, 0.12).view(b, 1, 1, 1)
    blur = torch.rand(b, generator=gen) < 0.2
    if blur.any():
        k = torch.tensor([1.0, 2.0, 1.0])
        k = (k[:, None] * k[None, :] / 16).view(1, 1, 3, 3)
        x[blur] = F.conv2d(F.pad(x[blur], (1, 1, 1, 1), mode="replicate"), k)
    occlude = torch.rand(b, generator=gen) < 0.3
    s = x.shape[-1]
    for i in torch.nonzero(occlude).flatten().tolist():
        h, w = int(torch.randint(s // 6, s // 3, (1,), generator=gen)), int(torch.randint(s // 6, s // 3, (1,), generator=gen))
        y0, x0 = int(torch.randint(0, s - h, (1,), generator=gen)), int(torch.randint(0, s - w, (1,), generator=gen))
        x[i, :, y0:y0 + h, x0:x0 + w] = torch.rand(1, generator=gen).item()
    return x.clamp(0, 1)


def predict(model, x, batch=512):
    """Softmax averaged with the mirror image's (as the app runs it)."""
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(x), batch):
            xb = x[i:i + batch]
            p = torch.softmax(model(xb), 1) + torch.softmax(model(torch.flip(xb, dims=[3])), 1)
            out.append(p / 2)
    return torch.cat(out)


def uar(probs, y, n):
    pred = probs.argmax(1)
    recalls = [float((pred[y == c] == c).float().mean()) for c in range(n) if (y == c).any()]
    return sum(recalls) / len(recalls), recalls


def export(model, out_dir, reference):
    names, arrays = [], []

    def add(name, a):
        names.append({"name": name, "shape": list(a.shape)})
        arrays.append(np.ascontiguousarray(a, dtype="<f4"))

    export_conv_bn(add, model.convs, model.norms)
    add("logits/kernel", model.out.weight.detach().numpy().T)
    add("logits/bias", model.out.bias.detach().numpy())
    with open(os.path.join(out_dir, "weights.f32"), "wb") as f:
        for a in arrays:
            f.write(a.tobytes())
    model.eval()
    with torch.no_grad():
        probs = torch.softmax(model(reference), 1)
    reference.numpy().astype("<f4").tofile(os.path.join(out_dir, "reference-input.f32"))
    probs.numpy().astype("<f4").tofile(os.path.join(out_dir, "reference-probs.f32"))
    return names


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--split", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--classes", required=True, help="comma-separated label order")
    ap.add_argument("--channels", default="16,32,64")
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--dropout", type=float, default=0.3)
    ap.add_argument("--label-smoothing", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1, help="1: deterministic, and the machine is shared")
    ap.add_argument("--votes", default=None)
    ap.add_argument("--target", default="hard", choices=["hard", "soft", "votes"])
    ap.add_argument("--label-weight", type=float, default=0.5, help="'soft': the FER2013 label's share of the target")
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    gen = torch.Generator().manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)

    index = json.load(open(os.path.join(args.data, "index.json")))
    s = index["sizePx"]
    x_all = torch.from_numpy(np.fromfile(os.path.join(args.data, "faces.u8"), dtype=np.uint8).reshape(-1, 1, s, s).astype(np.float32) / 255)
    classes = args.classes.split(",")
    y_all = torch.tensor([classes.index(l) for l in index["labels"]])
    split = json.load(open(args.split))
    tr, tu = torch.tensor(split["train"]), torch.tensor(split["tune"])
    x_tr, y_tr, x_tu, y_tu = x_all[tr], y_all[tr], x_all[tu], y_all[tu]
    n = len(classes)
    # Targets as distributions: the label one-hot (smoothed), mixed with the FER+ votes per --target.
    onehot = F.one_hot(y_all, n).float() * (1 - args.label_smoothing) + args.label_smoothing / n
    targets = onehot.clone()
    has_votes = torch.zeros(len(y_all), dtype=torch.bool)
    vote_major = torch.full((len(y_all),), -1)
    if args.votes:
        votes = json.load(open(args.votes))
        for i, v in enumerate(votes):
            if v is None or sum(v) <= 0:
                continue
            v = torch.tensor(v, dtype=torch.float32)
            has_votes[i] = True
            top = v.max()
            if (v == top).sum() == 1:
                vote_major[i] = int(v.argmax())
            dist = v / v.sum()
            if args.target == "soft":
                targets[i] = args.label_weight * onehot[i] + (1 - args.label_weight) * dist
            elif args.target == "votes":
                targets[i] = dist
    t_tr = targets[tr]
    vm_tu = vote_major[tu]
    log(f"target {args.target}: {int(has_votes.sum())} of {len(y_all)} images have votes; tune images with a clear vote majority {int((vm_tu >= 0).sum())}")
    counts = torch.bincount(y_tr, minlength=n).float()
    # Class balance: each class drawn with weight ∝ 1/√count (disgust, ~160 images, is drawn ~3×
    # as often as its share), and the loss re-weighted by the rest of the way to uniform.
    draw = counts.rsqrt()[y_tr]
    loss_weight = (counts.sum() / counts / n).sqrt()
    log(f"train {len(tr)} tune {len(tu)} counts {counts.int().tolist()}")

    model = Net([int(c) for c in args.channels.split(",")], n, args.dropout)
    params = sum(p.numel() for p in model.parameters())
    steps_per_epoch = len(tr) // args.batch
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.epochs * steps_per_epoch, pct_start=0.15)
    history, best, best_state = [], None, None
    for epoch in range(args.epochs):
        started = time.time()
        model.train()
        order = torch.multinomial(draw, steps_per_epoch * args.batch, replacement=True, generator=gen)
        total = 0.0
        for step in range(steps_per_epoch):
            idx = order[step * args.batch:(step + 1) * args.batch]
            xb = augment(x_tr[idx].clone(), gen)
            # Soft cross-entropy, each image weighted by its FER2013 label's class weight (balance as v2).
            logp = F.log_softmax(model(xb), 1)
            w = loss_weight[y_tr[idx]]
            loss = (-(t_tr[idx] * logp).sum(1) * w).sum() / w.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss)
        p = predict(model, x_tu)
        score, recalls = uar(p, y_tu, n)
        nll = float(F.nll_loss(torch.log(p.clamp_min(1e-7)), y_tu))
        clear = vm_tu >= 0
        score_vote = uar(p[clear], vm_tu[clear], n)[0] if clear.any() else float("nan")
        history.append({"epoch": epoch + 1, "loss": total / steps_per_epoch, "tuneUar": score, "tuneUarFerPlus": score_vote, "tuneNll": nll, "seconds": time.time() - started})
        log(f"epoch {epoch + 1} loss {total / steps_per_epoch:.3f} tune UAR {score:.3f} (FER+ majority {score_vote:.3f}) NLL {nll:.3f} ({time.time() - started:.0f} s) recalls {[round(r, 2) for r in recalls]}")
        # With votes, the epoch is picked by the mean of both UARs (the issue scores both).
        chosen = (score + score_vote) / 2 if args.votes and clear.any() else score
        if best is None or (chosen, -nll) > best:
            best = (chosen, -nll)
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
            best_epoch = epoch + 1
    model.load_state_dict(best_state)
    p = predict(model, x_tu)
    p.numpy().astype("<f4").tofile(os.path.join(args.out, "tune-probs.f32"))
    names = export(model, args.out, x_tu[:16])
    json.dump({"weights": names, "parameters": params, "bestEpoch": best_epoch, "history": history, "referenceCount": 16,
               "settings": vars(args)}, open(os.path.join(args.out, "export.json"), "w"), indent=1)
    log(f"best epoch {best_epoch}: tune selection score {best[0]:.3f}; {params} parameters")


if __name__ == "__main__":
    main()
