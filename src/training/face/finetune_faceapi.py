"""Experiment (not part of the shipped model): fine-tune face-api's expression net on the training
part of fer2013-train and judge it, alone and in the ensemble with our net, on the tuning split.

Run through `npm run train:face -- --data DIR --experiment-finetune-faceapi EPOCHS,LR` (which
exports the 112-px crops through the app's crop code first and needs a finished training run in
the cache). face-api's net is ported to PyTorch layer for layer (dense blocks of depthwise-separable
convolutions, TF 'same' padding); the pretrained port reproduces the app's tuning UAR (0.580).
Measured 2026-12-02: lr 3e-4 × 6 epochs → alone 0.568, best ensemble 0.604; lr 3e-5 × 3 epochs →
alone 0.584, best ensemble 0.619 — no gain over the pretrained net (0.580 / 0.619), so the app
keeps face-api's own weights.
"""
import json
import os
import sys
import time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_face import augment, predict, uar  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../.."))
MODEL = os.path.join(ROOT, "node_modules/@vladmandic/face-api/model")
CACHE = os.environ.get("NORAE_FACE_CACHE", os.path.join(ROOT, "node_modules/.cache/norae-face"))
torch.set_num_threads(2)
torch.manual_seed(1)


def load_weights():
    manifest = json.load(open(f"{MODEL}/face_expression_model-weights_manifest.json"))
    raw = open(f"{MODEL}/face_expression_model.bin", "rb").read()
    out, off = {}, 0
    for w in manifest[0]["weights"]:
        n = int(np.prod(w["shape"]))
        q = w.get("quantization")
        if q:
            a = np.frombuffer(raw, dtype=np.uint8, count=n, offset=off).astype(np.float32)
            a = q["min"] + q["scale"] * a
            off += n
        else:
            a = np.frombuffer(raw, dtype="<f4", count=n, offset=off).copy()
            off += 4 * n
        out[w["name"]] = torch.from_numpy(a.reshape(w["shape"]))
    assert off == len(raw), (off, len(raw))
    return out


def tf_same_pad(x, stride):
    # TF 'same' with a 3×3 kernel: stride 1 pads 1/1; stride 2 pads 0 before, 1 after (even sizes).
    return F.pad(x, (1, 1, 1, 1)) if stride == 1 else F.pad(x, (0, 1, 0, 1))


class SepConv(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.dw = nn.Conv2d(cin, cin, 3, stride, 0, groups=cin, bias=False)
        self.pw = nn.Conv2d(cin, cout, 1, bias=True)
        self.stride = stride

    def forward(self, x):
        return self.pw(self.dw(tf_same_pad(x, self.stride)))


class Dense4(nn.Module):
    def __init__(self, cin, cout, first):
        super().__init__()
        self.first = first
        self.conv0 = nn.Conv2d(cin, cout, 3, 2, 0, bias=True) if first else SepConv(cin, cout, 2)
        self.conv1, self.conv2, self.conv3 = SepConv(cout, cout, 1), SepConv(cout, cout, 1), SepConv(cout, cout, 1)

    def forward(self, x):
        out1 = F.relu(self.conv0(tf_same_pad(x, 2)) if self.first else self.conv0(x))
        out2 = self.conv1(out1)
        out3 = self.conv2(F.relu(out1 + out2))
        out4 = self.conv3(F.relu(out1 + out2 + out3))
        return F.relu(out1 + out2 + out3 + out4)


class FaceApiExpression(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.ModuleList([Dense4(3, 32, True), Dense4(32, 64, False), Dense4(64, 128, False), Dense4(128, 256, False)])
        self.fc = nn.Linear(256, 7)
        self.dropout = nn.Dropout(0.0)

    def forward(self, grey01):
        # Input [B, 1, 112, 112] grey in [0, 1] → face-api's RGB normalisation.
        mean = torch.tensor([122.782, 117.001, 104.298]).view(1, 3, 1, 1) / 255
        x = grey01.expand(-1, 3, -1, -1) - mean
        for d in self.dense:
            x = d(x)
        x = F.avg_pool2d(x, 7, 2)  # [B, 256, 1, 1]
        return self.fc(self.dropout(x.flatten(1)))

    def load(self, w):
        with torch.no_grad():
            for i, d in enumerate(self.dense):
                p = f"dense{i}/"
                if d.first:
                    d.conv0.weight.copy_(w[p + "conv0/filters"].permute(3, 2, 0, 1))
                    d.conv0.bias.copy_(w[p + "conv0/bias"])
                for j, c in enumerate([d.conv0, d.conv1, d.conv2, d.conv3]):
                    if isinstance(c, nn.Conv2d):
                        continue
                    q = f"{p}conv{j}/"
                    c.dw.weight.copy_(w[q + "depthwise_filter"].permute(2, 3, 0, 1))  # [3,3,C,1] → [C,1,3,3]
                    c.pw.weight.copy_(w[q + "pointwise_filter"].permute(3, 2, 0, 1))
                    c.pw.bias.copy_(w[q + "bias"])
            self.fc.weight.copy_(w["fc/weights"].T)
            self.fc.bias.copy_(w["fc/bias"])


def main():
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    lr = float(sys.argv[2]) if len(sys.argv) > 2 else 3e-4
    index = json.load(open(f"{CACHE}/train112/index.json"))
    x = torch.from_numpy(np.fromfile(f"{CACHE}/train112/faces.u8", dtype=np.uint8).reshape(-1, 1, 112, 112).astype(np.float32) / 255)
    classes = ["neutral", "happy", "sad", "angry", "fearful", "disgust", "surprised"]
    y = torch.tensor([classes.index(l) for l in index["labels"]])
    split = json.load(open(f"{CACHE}/split.json"))
    tr, tu = torch.tensor(split["train"]), torch.tensor(split["tune"])
    model = FaceApiExpression()
    model.load(load_weights())
    p0 = predict(model, x[tu])
    print("pretrained tune UAR", uar(p0, y[tu], 7)[0], flush=True)
    own = torch.from_numpy(np.fromfile(f"{CACHE}/run/tune-probs.f32", dtype="<f4").reshape(-1, 7))

    def ens(p):
        res = []
        for w in [0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9]:
            q = torch.softmax(w * torch.log(own.clamp_min(1e-7)) + (1 - w) * torch.log(p.clamp_min(1e-7)), 1)
            res.append(f"{w}:{uar(q, y[tu], 7)[0]:.3f}")
        return " ".join(res)

    print("pretrained ensemble", ens(p0), flush=True)
    counts = torch.bincount(y[tr], minlength=7).float()
    draw = counts.rsqrt()[y[tr]]
    loss_weight = (counts.sum() / counts / 7).sqrt()
    gen = torch.Generator().manual_seed(1)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    steps = len(tr) // 64
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=epochs * steps, pct_start=0.2)
    for e in range(epochs):
        t = time.time()
        model.train()
        order = torch.multinomial(draw, steps * 64, replacement=True, generator=gen)
        for s in range(steps):
            idx = tr[order[s * 64:(s + 1) * 64]]
            xb = augment(x[idx].clone(), gen)
            loss = F.cross_entropy(model(xb), y[idx], weight=loss_weight, label_smoothing=0.1)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        p = predict(model, x[tu])
        u, rec = uar(p, y[tu], 7)
        print(f"epoch {e + 1} tune UAR {u:.3f} ({time.time() - t:.0f} s) recalls {[round(r, 2) for r in rec]}", flush=True)
        print("  ensemble", ens(p), flush=True)


if __name__ == "__main__":
    main()
