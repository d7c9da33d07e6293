"""PyTorch peers of the autodidact speed benchmark (tools/bench/speed/run.ts, kernel table).

Same architectures and parameter counts as kernel-graphs.ts; one JSON line per benchmark on stdout:
{"name", "params", "ms": [per-step times], "peak_rss_mb"}. Run with Debian's python3-torch:
  /usr/bin/python3 tools/bench/speed/kernel_peer.py --bench simclr-cifar --steps 10
"""
import argparse, json, os, resource, time
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(int(os.environ.get('OPENBLAS_NUM_THREADS', '2')))  # run.ts pins both sides
torch.manual_seed(0)


class ConvEncoder(nn.Module):
    """3x3 convs 32-64-128 (no bias), batchnorm, ReLU, 2x2 max-pool after the first two, global mean, 128-128 head."""

    def __init__(self, c):
        super().__init__()
        self.c1, self.b1 = nn.Conv2d(c, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32)
        self.c2, self.b2 = nn.Conv2d(32, 64, 3, padding=1, bias=False), nn.BatchNorm2d(64)
        self.c3, self.b3 = nn.Conv2d(64, 128, 3, padding=1, bias=False), nn.BatchNorm2d(128)
        self.h1, self.h2 = nn.Linear(128, 128), nn.Linear(128, 128)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.b1(self.c1(x))), 2)
        x = F.max_pool2d(F.relu(self.b2(self.c2(x))), 2)
        x = F.relu(self.b3(self.c3(x))).mean(dim=(2, 3))
        return self.h2(F.relu(self.h1(x)))


def nt_xent(z, t=0.5):
    z = F.normalize(z, dim=1)
    n = z.shape[0] // 2
    s = z @ z.t() / t
    s = s - torch.eye(2 * n) * 1e9
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(s, target)


class Block(nn.Module):
    """Pre-LN transformer block: 4-head self-attention, ReLU MLP 128-512-128."""

    def __init__(self, d=128, h=4, ff=512):
        super().__init__()
        self.h = h
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.f1, self.f2 = nn.Linear(d, ff), nn.Linear(ff, d)

    def forward(self, x):
        b, s, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=2)
        q, k, v = (t.reshape(b, s, self.h, d // self.h).transpose(1, 2) for t in (q, k, v))
        a = torch.softmax(q @ k.transpose(2, 3) / (d // self.h) ** 0.5, dim=-1) @ v
        x = x + self.proj(a.transpose(1, 2).reshape(b, s, d))
        return x + self.f2(F.relu(self.f1(self.ln2(x))))


class MaskedLM(nn.Module):
    def __init__(self, vocab=8000, d=128, seq=128):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, d), nn.Parameter(torch.randn(seq, d) * 0.02)
        self.blocks = nn.ModuleList([Block(d), Block(d)])
        self.ln, self.out = nn.LayerNorm(d), nn.Linear(d, vocab)

    def forward(self, ids, masked_flat):
        x = self.tok(ids) + self.pos
        for blk in self.blocks:
            x = blk(x)
        h = self.ln(x).reshape(-1, x.shape[2])[masked_flat]
        return self.out(h)


class Wav2VecStyle(nn.Module):
    """Conv feature encoder (wav2vec 2.0 kernels/strides, 256 channels, ReLU), conv aggregator, linear context."""
    KS, ST = (10, 3, 3, 3, 3, 2, 2), (5, 2, 2, 2, 2, 2, 2)

    def __init__(self, ch=256):
        super().__init__()
        self.convs = nn.ModuleList(nn.Conv1d(1 if i == 0 else ch, ch, k, s) for i, (k, s) in enumerate(zip(self.KS, self.ST)))
        self.agg = nn.Conv1d(ch, ch, 3, padding=1)
        self.ctx = nn.Linear(ch, ch)

    def forward(self, wav):
        z = wav
        for c in self.convs:
            z = F.relu(c(z))
        c = self.ctx(F.relu(self.agg(z)).transpose(1, 2))  # [B, T, D]
        return z.transpose(1, 2), c


def contrastive(z, c, idx, kappa=0.1):
    b, t, d = z.shape
    cand = z.reshape(b * t, d)[idx.reshape(-1)].reshape(b * t, idx.shape[-1], d)  # [BT, 101, D]
    cand = F.normalize(cand, dim=-1)
    cn = F.normalize(c.reshape(b * t, 1, d), dim=-1)
    logits = (cn @ cand.transpose(1, 2)).reshape(b * t, -1) / kappa
    return F.cross_entropy(logits, torch.zeros(b * t, dtype=torch.long))


def make(name):
    if name.startswith('simclr'):
        b, h, c = (64, 32, 3) if name == 'simclr-cifar' else (256, 28, 1)
        model = ConvEncoder(c)
        x1, x2 = torch.randn(b, c, h, h), torch.randn(b, c, h, h)
        return model, lambda: nt_xent(model(torch.cat([x1, x2])))
    if name == 'masked-lm':
        model = MaskedLM()
        g = torch.Generator().manual_seed(1)
        ids = torch.randint(0, 8000, (32, 128), generator=g)
        masked = torch.cat([torch.randperm(128, generator=g)[:20] + 128 * i for i in range(32)])
        labels = torch.randint(0, 8000, (masked.numel(),), generator=g)
        return model, lambda: F.cross_entropy(model(ids, masked), labels)
    if name == 'wav2vec':
        model = Wav2VecStyle()
        wav = torch.randn(8, 1, 16000)
        t = 49
        g = torch.Generator().manual_seed(2)
        # candidate 0 is the positive (same frame); 100 distractors from other frames of the same clip
        pos = torch.arange(8 * t).reshape(8 * t, 1)
        off = torch.randint(1, t, (8 * t, 100), generator=g)
        frame = pos % t
        dis = (pos - frame) + (frame + off) % t
        idx = torch.cat([pos, dis], dim=1)
        return model, lambda: contrastive(*model(wav), idx)
    raise SystemExit(f'unknown bench {name}')


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--bench', required=True)
    p.add_argument('--steps', type=int, default=10)
    p.add_argument('--warmup', type=int, default=2)
    a = p.parse_args()
    model, loss_fn = make(a.bench)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    ms = []
    for i in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = loss_fn()
        loss.backward()
        opt.step()
        loss.item()
        if i >= a.warmup:
            ms.append((time.perf_counter() - t0) * 1000)
    params = sum(p.numel() for p in model.parameters())
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({'name': a.bench, 'params': params, 'ms': ms, 'peak_rss_mb': rss, 'loss': float(loss)}))


if __name__ == '__main__':
    main()
