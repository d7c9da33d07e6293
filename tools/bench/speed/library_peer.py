"""PyTorch peers of the library steps in the speed bench (tools/bench/speed/library-steps.ts).

Each peer is the same method as autodidact's at its CLI defaults: the same architecture and
widths, the augmentations or masks drawn inside the step and done in torch on the batch, the
same loss, Adam with the same learning-rate schedule (and gradient clipping where the method
clips), the same batch size. It is the training loop a PyTorch user writes: zero_grad, forward,
backward, (clip), step, loss.item(). Run with Debian's python3-torch (1.13 CPU; no torchvision,
so the ResNet-18 is written out here).

Protocol (as library-child.ts): prints {"ready": ...}; for each `run N` line on stdin trains N
steps and prints {"ms": [...], "cpu_ms": [...]} (wall and process CPU time per step); `quit` prints {"done": true, "peak_rss_mb": ...} and goes on to
the next name of --bench a,b,... (one process serves them in turn; peak RSS is then cumulative).

  /usr/bin/python3 tools/bench/speed/library_peer.py --bench simclr --threads 2 [--tiny]
"""
import argparse
import json
import math
import os
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# Batch sizes: the CLI defaults (library-steps.ts) and the --tiny ones.
BATCH = {
    'simclr': (256, 32), 'simclr-w16': (256, 32), 'byol': (256, 32), 'mae': (256, 32),
    'simclr-resnet18': (32, 4), 'wav2vec2': (16, 4), 'mlm': (32, 4), 'clm': (32, 4),
    'self-genomenet': (64, 8),
}


# ---------------------------------------------------------------- schedules (trainer defaults)

def cosine_lr(step, total, peak, warmup, min_ratio):
    """autodidact's learningRateAt: linear warm-up from 0, then cosine to min_ratio * peak."""
    if warmup > 0 and step < warmup:
        return peak * (step + 1) / warmup
    t = min(1.0, (step - warmup) / max(1, total - warmup))
    return peak * (min_ratio + (1 - min_ratio) * 0.5 * (1 + math.cos(math.pi * t)))


# ---------------------------------------------------------------- vision: views (views.ts)

def random_resized_crop(x, g, scale=(0.5, 1.0), ratio=(3 / 4, 4 / 3)):
    """Per-image crop box (torchvision's sampling, 10 tries then centre) resized back, bilinear, as tf cropAndResize."""
    b, c, h, w = x.shape
    theta = torch.zeros(b, 2, 3)
    u = torch.rand(b, 10, 4, generator=g)
    for i in range(b):
        top, left, ch, cw = None, None, h, w
        for a in range(10):
            target = h * w * (scale[0] + (scale[1] - scale[0]) * u[i, a, 0].item())
            aspect = math.exp(math.log(ratio[0]) + (math.log(ratio[1]) - math.log(ratio[0])) * u[i, a, 1].item())
            cw_, ch_ = round(math.sqrt(target * aspect)), round(math.sqrt(target / aspect))
            if 0 < cw_ <= w and 0 < ch_ <= h:
                ch, cw = ch_, cw_
                top = int(u[i, a, 2].item() * (h - ch + 1))
                left = int(u[i, a, 3].item() * (w - cw + 1))
                break
        if top is None:
            top, left = (h - ch) // 2, (w - cw) // 2
        # pixel centres k/(size-1) in [-1, 1] (align_corners=True), as cropAndResize's boxes
        y1, y2 = top / (h - 1), (top + ch - 1) / (h - 1)
        x1, x2 = left / (w - 1), (left + cw - 1) / (w - 1)
        theta[i, 0, 0] = x2 - x1
        theta[i, 0, 2] = x1 + x2 - 1
        theta[i, 1, 1] = y2 - y1
        theta[i, 1, 2] = y1 + y2 - 1
    grid = F.affine_grid(theta, [b, c, h, w], align_corners=True)
    return F.grid_sample(x, grid, mode='bilinear', padding_mode='zeros', align_corners=True)


def color_jitter(x, g, brightness=0.4, contrast=0.4, p=0.8):
    b = x.shape[0]
    on = (torch.rand(b, generator=g) < p).float()
    bf = 1 + on * (torch.rand(b, generator=g) * 2 - 1) * brightness
    cf = 1 + on * (torch.rand(b, generator=g) * 2 - 1) * contrast
    x = x * bf.view(b, 1, 1, 1)
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    return ((x - mean) * cf.view(b, 1, 1, 1) + mean).clamp(0, 1)


def gaussian_noise(x, g, std=0.05):
    return (x + torch.randn(x.shape, generator=g) * std).clamp(0, 1)


def view(x, g):
    return gaussian_noise(color_jitter(random_resized_crop(x, g), g), g)


def stacked_views(x, g):
    return torch.cat([view(x, g), view(x, g)])


# ---------------------------------------------------------------- vision: encoders and heads

class ConvSmall(nn.Module):
    """conv-small: 3 stages of 3x3 conv (no bias) - BN - ReLU, 2x2 max-pool between, global mean."""

    def __init__(self, c, width):
        super().__init__()
        chans = [c, width, 2 * width, 4 * width]
        self.convs = nn.ModuleList(nn.Conv2d(chans[i], chans[i + 1], 3, padding=1, bias=False) for i in range(3))
        self.bns = nn.ModuleList(nn.BatchNorm2d(chans[i + 1], eps=1e-5, momentum=0.1) for i in range(3))
        self.out_dim = 4 * width

    def forward(self, x):
        for i in range(3):
            x = F.relu(self.bns[i](self.convs[i](x)))
            if i < 2:
                x = F.max_pool2d(x, 2)
        return x.mean(dim=(2, 3))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.b2(self.c2(F.relu(self.b1(self.c1(x)))))
        return F.relu(y + (self.down(x) if self.down is not None else x))


class ResNet18(nn.Module):
    """torchvision's resnet18 with the small (CIFAR) stem: 3x3 stride-1 conv, no max-pool; no classifier."""

    def __init__(self, c, width=64):
        super().__init__()
        self.conv1 = nn.Conv2d(c, width, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        blocks, cin = [], width
        for s in range(4):
            cout = width * 2 ** s
            for b in range(2):
                blocks.append(BasicBlock(cin, cout, 2 if s > 0 and b == 0 else 1))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.out_dim = cin

    def forward(self, x):
        return self.blocks(F.relu(self.bn1(self.conv1(x)))).mean(dim=(2, 3))


def mlp_head(din, hidden, dout):
    """core's MlpHead: dense (no bias) - BN - ReLU - dense."""
    return nn.Sequential(nn.Linear(din, hidden, bias=False), nn.BatchNorm1d(hidden), nn.ReLU(), nn.Linear(hidden, dout))


def nt_xent(z1, z2, t):
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    n = z1.shape[0]
    logits = z @ z.t() / t - torch.eye(2 * n) * 1e9
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(logits, target)


class SimCLR(nn.Module):
    def __init__(self, shape, encoder='conv-small', width=16, temperature=0.2):
        super().__init__()
        h, w, c = shape
        self.encoder = ConvSmall(c, width) if encoder == 'conv-small' else ResNet18(c, width)
        self.projector = mlp_head(self.encoder.out_dim, 256, 64)
        self.t = temperature

    def loss(self, x, g, step, total):
        z = self.projector(self.encoder(stacked_views(x, g)))
        z1, z2 = z.chunk(2)
        return nt_xent(z1, z2, self.t)


class BYOL(nn.Module):
    def __init__(self, shape, width=16, base_momentum=0.99):
        super().__init__()
        c = shape[2]
        self.encoder = ConvSmall(c, width)
        self.projector = mlp_head(self.encoder.out_dim, 256, 64)
        self.predictor = mlp_head(64, 256, 64)
        self.t_encoder = ConvSmall(c, width)
        self.t_projector = mlp_head(self.encoder.out_dim, 256, 64)
        for p in list(self.t_encoder.parameters()) + list(self.t_projector.parameters()):
            p.requires_grad_(False)
        self.base = base_momentum

    def trainable(self):
        return list(self.encoder.parameters()) + list(self.projector.parameters()) + list(self.predictor.parameters())

    def loss(self, x, g, step, total):
        both = stacked_views(x, g)
        p = self.predictor(self.projector(self.encoder(both)))
        with torch.no_grad():
            t = self.t_projector(self.t_encoder(both))
        p1, p2 = p.chunk(2)
        t1, t2 = t.chunk(2)
        cos = lambda a, b: F.cosine_similarity(a, b, dim=1)  # noqa: E731
        return (2 - 2 * cos(p1, t2)).mean() + (2 - 2 * cos(p2, t1)).mean()

    @torch.no_grad()
    def after_step(self, step, total):
        m = 1 - (1 - self.base) * (math.cos(math.pi * min(step, total) / total) + 1) / 2
        online = list(self.encoder.parameters()) + list(self.projector.parameters())
        target = list(self.t_encoder.parameters()) + list(self.t_projector.parameters())
        torch._foreach_mul_(target, m)
        torch._foreach_add_(target, online, alpha=1 - m)


class MAE(nn.Module):
    """The masked autoencoder: half of the 4x4 squares zeroed, conv-small encoder, dense + 2 transposed convs, BCE."""

    def __init__(self, shape, width=16):
        super().__init__()
        h, w, c = shape
        self.h, self.w = h, w
        self.encoder = ConvSmall(c, width)
        self.dense = nn.Linear(self.encoder.out_dim, (h // 4) * (w // 4) * 32)
        self.deconv1 = nn.ConvTranspose2d(32, 32, 3, 2, padding=1, output_padding=1)
        self.deconv2 = nn.ConvTranspose2d(32, c, 3, 2, padding=1, output_padding=1)

    def loss(self, x, g, step, total):
        n = x.shape[0]
        cells = (torch.rand(n, 1, math.ceil(self.h / 4), math.ceil(self.w / 4), generator=g) >= 0.5).float()
        keep = cells.repeat_interleave(4, 2).repeat_interleave(4, 3)[:, :, : self.h, : self.w]
        z = self.encoder(x * keep)
        y = F.relu(self.dense(z)).view(n, 32, self.h // 4, self.w // 4)
        logits = self.deconv2(F.relu(self.deconv1(y)))
        return F.binary_cross_entropy_with_logits(logits, x)


# ---------------------------------------------------------------- transformer (core nn)

class Block(nn.Module):
    """core's transformerBlock: pre-LN, separate q/k/v/o projections with bias, GELU (erf) MLP 4d."""

    def __init__(self, d, heads, mlp):
        super().__init__()
        self.h = heads
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.wq, self.wk, self.wv, self.wo = (nn.Linear(d, d) for _ in range(4))
        self.fc1, self.fc2 = nn.Linear(d, mlp), nn.Linear(mlp, d)

    def forward(self, x, bias):
        b, s, d = x.shape
        y = self.ln1(x)
        split = lambda t: t.view(b, s, self.h, d // self.h).transpose(1, 2)  # noqa: E731
        q, k, v = split(self.wq(y)), split(self.wk(y)), split(self.wv(y))
        scores = q @ k.transpose(2, 3) * (1 / math.sqrt(d // self.h))
        if bias is not None:
            scores = scores + bias
        a = (torch.softmax(scores, -1) @ v).transpose(1, 2).reshape(b, s, d)
        x = x + self.wo(a)
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x))))


class Transformer(nn.Module):
    def __init__(self, layers, d, heads, mlp):
        super().__init__()
        self.blocks = nn.ModuleList(Block(d, heads, mlp) for _ in range(layers))
        self.ln_f = nn.LayerNorm(d)

    def forward(self, x, bias=None):
        for blk in self.blocks:
            x = blk(x, bias)
        return self.ln_f(x)


# ---------------------------------------------------------------- text (mlm.ts, clm.ts)

VOCAB, PAD, MASK, EOS, SEQ = 4096, 0, 1, 2, 128


class TextLM(nn.Module):
    def __init__(self, causal):
        super().__init__()
        self.causal = causal
        self.tok = nn.Parameter(torch.randn(VOCAB, 128) * 0.02)
        self.pos = nn.Parameter(torch.randn(SEQ, 128) * 0.02)
        self.tf = Transformer(2, 128, 4, 512)
        self.bias = nn.Parameter(torch.zeros(VOCAB))
        self.causal_bias = torch.triu(torch.full((SEQ, SEQ), -1e9), 1)

    def hidden(self, ids):
        b, s = ids.shape
        bias = ((ids == PAD).float() * -1e9).view(b, 1, 1, s)  # padding keys, as paddingBias
        if self.causal:
            bias = bias + self.causal_bias[:s, :s]
        return self.tf(F.embedding(ids, self.tok) + self.pos[:s], bias)

    def loss(self, ids, g, step, total):
        b, s = ids.shape
        if self.causal:
            real = (ids[:, 1:] != PAD) & (ids[:, :-1] != PAD)
            pos = (torch.arange(b).view(b, 1) * s + torch.arange(s - 1)).view(b, s - 1)[real]
            tgt = ids[:, 1:][real]
            h = self.hidden(ids).reshape(b * s, -1)[pos]
        else:
            # BERT masking: 15% of eligible tokens; of them 80% <mask>, 10% random, 10% kept
            eligible = (ids != PAD) & (ids != MASK) & (ids != EOS)
            chosen = eligible & (torch.rand(ids.shape, generator=g) < 0.15)
            u = torch.rand(ids.shape, generator=g)
            rand_ids = torch.randint(3, VOCAB, ids.shape, generator=g)
            inp = torch.where(chosen & (u < 0.8), torch.full_like(ids, MASK), ids)
            inp = torch.where(chosen & (u >= 0.8) & (u < 0.9), rand_ids, inp)
            flat = chosen.view(-1).nonzero().squeeze(1)
            tgt = ids.view(-1)[flat]
            h = self.hidden(inp).reshape(b * s, -1)[flat]
        logits = h @ self.tok.t() + self.bias
        return F.cross_entropy(logits, tgt)


# ---------------------------------------------------------------- audio (wav2vec2.ts)

class Wav2vec2(nn.Module):
    KS, ST = (10, 8, 4, 4, 4), (5, 4, 2, 2, 2)

    def __init__(self, width=64, dim=64, G=2, V=32, code=64, final=32):
        super().__init__()
        self.convs = nn.ModuleList(nn.Conv1d(1 if i == 0 else width, width, k, s, bias=False)
                                   for i, (k, s) in enumerate(zip(self.KS, self.ST)))
        self.norm_g = nn.Parameter(torch.ones(width, 1))
        self.norm_b = nn.Parameter(torch.zeros(width, 1))
        self.in_ln = nn.LayerNorm(width)
        self.proj = nn.Linear(width, dim)
        self.mask_emb = nn.Parameter(torch.randn(dim) * 0.1)
        self.tf = Transformer(2, dim, 4, 4 * dim)
        self.q_ln = nn.LayerNorm(width)  # quantizerNorm: the quantizer reads layer-normalised latents
        self.q_proj = nn.Linear(width, G * V)
        self.codebook = nn.Parameter(torch.randn(G, V, code // G))
        self.final_proj = nn.Linear(dim, final)
        self.project_q = nn.Linear(code, final)
        self.G, self.V, self.code = G, V, code
        self.sinus = None

    def positions(self, t, d):
        if self.sinus is None or self.sinus.shape[0] < t:
            p = torch.arange(t).float().view(t, 1)
            i = torch.arange(0, d, 2).float()
            angle = p / 10000 ** (i / d)
            pe = torch.zeros(t, d)
            pe[:, 0::2], pe[:, 1::2] = torch.sin(angle), torch.cos(angle)
            self.sinus = pe
        return self.sinus[:t]

    def loss(self, wav, g, step, total):
        b, n = wav.shape
        crop = 9600
        start = torch.randint(0, n - crop + 1, (b,), generator=g)
        x = torch.stack([wav[i, start[i]: start[i] + crop] for i in range(b)])
        x = (x - x.mean(1, keepdim=True)) / torch.sqrt(x.var(1, unbiased=False, keepdim=True) + 1e-5)
        h = x.unsqueeze(1)
        for i, conv in enumerate(self.convs):
            h = conv(h)
            if i == 0:  # per clip and channel over time
                m, v = h.mean(2, keepdim=True), h.var(2, unbiased=False, keepdim=True)
                h = (h - m) * torch.rsqrt(v + 1e-5) * self.norm_g + self.norm_b
            h = F.relu(h)
        z = h.transpose(1, 2)  # [b, t, width]
        t = z.shape[1]
        # span mask: p * t starts of 10 frames per clip
        mask = torch.zeros(b, t, dtype=torch.bool)
        pool = t - 10 + 1
        for i in range(b):
            k = min(pool, max(1, int(0.065 * t + torch.rand(1, generator=g).item())))
            for s0 in torch.randperm(pool, generator=g)[:k].tolist():
                mask[i, s0: s0 + 10] = True
        c = self.proj(self.in_ln(z))
        m = mask.unsqueeze(2).float()
        c = c * (1 - m) + m * self.mask_emb
        c = self.tf(c + self.positions(t, c.shape[2]))
        # Gumbel product quantizer, straight-through
        logits = self.q_proj(self.q_ln(z).reshape(b * t, -1)).view(b * t, self.G, self.V)
        mean_probs = torch.softmax(logits, -1).mean(0)
        tau = 2 + (0.5 - 2) * min(1, step / max(1, total - 1))
        gumbel = -torch.log(-torch.log(torch.rand(logits.shape, generator=g) * (1 - 2e-6) + 1e-6))
        soft = torch.softmax((logits + gumbel) / tau, -1)
        hard = F.one_hot(soft.argmax(-1), self.V).float()
        choice = soft + (hard - soft).detach()
        q = torch.bmm(choice.transpose(0, 1), self.codebook).transpose(0, 1).reshape(b, t, self.code)
        cf = self.final_proj(c).reshape(b * t, -1)
        qf = self.project_q(q).reshape(b * t, -1)
        # each masked frame against 10 distractors from the masked frames of its clip
        queries, dis = [], []
        for i in range(b):
            idx = (mask[i].nonzero().squeeze(1) + i * t).tolist()
            r = torch.randint(0, len(idx) - 1, (len(idx), 10), generator=g)
            r = r + (r >= torch.arange(len(idx)).view(-1, 1)).long()
            queries += idx
            dis.append(torch.tensor(idx)[r])
        qi = torch.tensor(queries)
        dis = torch.cat(dis)
        unit = lambda v: v / v.norm(dim=-1, keepdim=True).clamp_min(1e-8)  # noqa: E731
        cq, pos, neg = unit(cf[qi]), unit(qf[qi]), unit(qf[dis])
        sims = torch.cat([(cq * pos).sum(1, keepdim=True), (cq.unsqueeze(1) * neg).sum(2)], 1) / 0.1
        contrastive = F.cross_entropy(sims, torch.zeros(len(queries), dtype=torch.long))
        diversity = (mean_probs * torch.log(mean_probs.clamp_min(1e-9))).sum() / (self.G * self.V)
        with torch.no_grad():  # the metrics the method reports every step
            (sims.argmax(1) == 0).float().mean()
            torch.exp(-(mean_probs * torch.log(mean_probs.clamp_min(1e-9))).sum(1)).sum()
        return contrastive + 0.1 * diversity


# ---------------------------------------------------------------- genomics (self-genomenet.ts)

class SelfGenomeNet(nn.Module):
    def __init__(self, width=64, hidden=64, gaps=(2, 3, 4, 5)):
        super().__init__()
        self.conv1 = nn.Conv1d(4, width, 9, padding=4)
        self.conv2 = nn.Conv1d(width, width, 5, padding=2)
        self.gru = nn.GRU(width, hidden, batch_first=True)
        self.gaps = gaps
        self.predictors = nn.ModuleList(nn.Linear(hidden, hidden) for _ in gaps)

    def loss(self, x, g, step, total):
        both = torch.cat([x, x.flip(1).flip(2)])  # reverse complement of one-hot ACGT
        h = F.max_pool1d(F.relu(self.conv1(both.transpose(1, 2))), 4)
        h = F.max_pool1d(F.relu(self.conv2(h)), 4)
        ctx, _ = self.gru(h.transpose(1, 2))  # [2N, P, hidden]
        rows, p, _ = ctx.shape
        n = rows // 2
        losses, accs = [], []
        for gap, pred in zip(self.gaps, self.predictors):
            y = pred(ctx)
            j = p - gap - 1
            q = y[:, :j].transpose(0, 1)  # [J, 2N, h]
            t = ctx[:, [p - a - gap - 2 for a in range(j)]].transpose(0, 1)
            scores = (q @ t.transpose(1, 2) - torch.eye(rows) * 1000).reshape(j * rows, rows)
            target = ((torch.arange(rows) + n) % rows).repeat(j)
            losses.append(F.cross_entropy(scores, target))
            with torch.no_grad():
                accs.append((scores.argmax(1) == target).float().mean())
        return torch.stack(losses).mean()


# ---------------------------------------------------------------- the benches

def build(name, tiny):
    """(model, trainable params, batch maker, lr peak, warm-up, min ratio, clip)."""
    batch = BATCH[name][1 if tiny else 0]
    g = torch.Generator().manual_seed(7)
    if name in ('simclr', 'simclr-w16', 'byol', 'mae'):
        shape = (28, 28, 1)
        # The two-view methods' CLI width is 32; the image methods' (MAE's) 16.
        model = {'simclr': lambda: SimCLR(shape, width=32), 'simclr-w16': lambda: SimCLR(shape, width=16),
                 'byol': lambda: BYOL(shape, width=32), 'mae': lambda: MAE(shape)}[name]()
        data = torch.randint(0, 256, (4 * batch, 1, 28, 28), generator=g).float() / 255
        sched = (2e-3, 20, 0.05, None)
    elif name == 'simclr-resnet18':
        model = SimCLR((32, 32, 3), encoder='resnet18', width=64)
        data = torch.randint(0, 256, (4 * batch, 3, 32, 32), generator=g).float() / 255
        sched = (2e-3, 20, 0.05, None)
    elif name == 'wav2vec2':
        model = Wav2vec2()
        data = torch.randn(4 * batch, 16000, generator=g) * 0.1
        sched = (1e-3, 20, 0.05, None)
    elif name in ('mlm', 'clm'):
        model = TextLM(causal=name == 'clm')
        data = torch.randint(3, VOCAB, (4 * batch, SEQ), generator=g)
        sched = (1e-3, 50, 0.1, 1.0)
    elif name == 'self-genomenet':
        model = SelfGenomeNet()
        data = F.one_hot(torch.randint(0, 4, (4 * batch, 1024), generator=g), 4).float()
        sched = (2e-3, 20, 0.05, None)
    else:
        raise SystemExit(f'unknown bench {name}')
    params = model.trainable() if hasattr(model, 'trainable') else [p for p in model.parameters() if p.requires_grad]
    return model, params, data, batch, sched


def serve(name, threads, tiny, send):
    """Builds one bench, answers its `run N` commands, returns after its `quit`."""
    model, params, data, batch, (lr, warmup, min_ratio, clip) = build(name, tiny)
    model.train()
    opt = torch.optim.Adam(params, lr=lr, betas=(0.9, 0.999), eps=1e-8)
    g = torch.Generator().manual_seed(1)
    total = 1_000_000
    order = torch.randperm(data.shape[0], generator=g)
    step = 0
    send({'ready': True, 'name': name, 'backend': 'torch', 'batch_size': batch,
          'params': sum(p.numel() for p in params), 'threads': threads})
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] != 'run':
            break
        ms, cpu_ms = [], []
        for _ in range(int(parts[1])):
            t0 = time.perf_counter()
            c0 = time.process_time()
            k = (step * batch) % data.shape[0]
            if k == 0:
                order = torch.randperm(data.shape[0], generator=g)
            x = data[order[k: k + batch]]
            for group in opt.param_groups:
                group['lr'] = cosine_lr(step, total, lr, warmup, min_ratio)
            opt.zero_grad(set_to_none=True)
            loss = model.loss(x, g, step, total)
            loss.backward()
            if clip is not None:
                torch.nn.utils.clip_grad_norm_(params, clip)
            opt.step()
            if hasattr(model, 'after_step'):
                model.after_step(step, total)
            loss.item()
            step += 1
            ms.append((time.perf_counter() - t0) * 1000)
            cpu_ms.append((time.process_time() - c0) * 1000)
        send({'ms': ms, 'cpu_ms': cpu_ms})
    send({'done': True, 'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--bench', required=True, help='one name, or several separated by commas (served in turn)')
    ap.add_argument('--threads', type=int, default=int(os.environ.get('OPENBLAS_NUM_THREADS', '2')))
    ap.add_argument('--tiny', action='store_true')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)

    def send(o):
        sys.stdout.write(json.dumps(o) + '\n')
        sys.stdout.flush()

    for name in a.bench.split(','):
        serve(name, torch.get_num_threads(), a.tiny, send)


if __name__ == '__main__':
    main()
