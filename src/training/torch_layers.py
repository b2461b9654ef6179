"""PyTorch pieces both trainers share (speech/train.py, face/train_face.py): the conv → batch-norm
stacks their CNNs are built from, and how those layers' weights are exported in the tfjs layout
that build-tfjs-model.ts and face-net.ts load by name."""

import torch.nn as nn


def conv_bn_stack(widths, c_in=1, momentum=0.01):
    """One 3×3 'same' convolution (no bias) and one BatchNorm2d (eps 1e-3, Keras's default, so
    tfjs matches) per entry of `widths` (output channels). Returns (convs, norms, channels out)."""
    convs, norms = [], []
    for c in widths:
        convs.append(nn.Conv2d(c_in, c, 3, padding=1, bias=False))
        norms.append(nn.BatchNorm2d(c, eps=1e-3, momentum=momentum))
        c_in = c
    return nn.ModuleList(convs), nn.ModuleList(norms), c_in


def export_conv_bn(add, convs, norms):
    """Calls add(name, array) for each layer's weights as tfjs names them: conv_i/kernel (OIHW →
    HWIO), bn_i/gamma, beta, moving_mean, moving_variance."""
    for i, (conv, bn) in enumerate(zip(convs, norms)):
        add(f"conv_{i}/kernel", conv.weight.detach().numpy().transpose(2, 3, 1, 0))
        add(f"bn_{i}/gamma", bn.weight.detach().numpy())
        add(f"bn_{i}/beta", bn.bias.detach().numpy())
        add(f"bn_{i}/moving_mean", bn.running_mean.numpy())
        add(f"bn_{i}/moving_variance", bn.running_var.numpy())
