"""PyTorch peer of the image-folder rows of `npm run bench:data`: a DataLoader(num_workers=2) over
the same JPEG files, with the same per-image work as the library's reader: decode, scale the
shorter side to SIZE and crop the centre to SIZE x SIZE (torchvision's Resize + CenterCrop,
written with PIL since torchvision is not installed), RGB float32 in [0, 1], HWC. Prints one JSON
line: images/s over BATCHES batches (default 12) after a warm-up batch.

    python3 tools/bench/image_folder_peer.py DIR SIZE BATCH [BATCHES]
"""
import json
import os
import sys
import time

import numpy as np
import PIL
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset


class ImageFiles(Dataset):
    def __init__(self, root, size):
        self.files = sorted(os.path.join(root, f) for f in os.listdir(root) if not f.startswith("."))
        self.size = size

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        with Image.open(self.files[i]) as im:
            im = im.convert("RGB")
            w, h = im.size
            s = self.size / min(w, h)
            nw, nh = max(self.size, round(w * s)), max(self.size, round(h * s))
            im = im.resize((nw, nh), Image.BILINEAR, reducing_gap=None)
            # the odd pixel of slack goes left/top, as sharp places its centre crop
            left, top = (nw - self.size + 1) // 2, (nh - self.size + 1) // 2
            im = im.crop((left, top, left + self.size, top + self.size))
            return torch.from_numpy(np.asarray(im, dtype=np.float32) / 255.0)


def main():
    root, size, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    batches = int(sys.argv[4]) if len(sys.argv) > 4 else 12
    torch.set_num_threads(1)
    ds = ImageFiles(root, size)
    loader = DataLoader(ds, batch_size=batch, shuffle=True, num_workers=2, prefetch_factor=2,
                        persistent_workers=True, generator=torch.Generator().manual_seed(0))
    it = iter(loader)
    next(it)  # warm-up: workers started, first batch
    # Timed: BATCHES batches (default 12, as the library's rows), over as many epochs as that
    # takes: timing only the rest of one 4-batch epoch would time batches the workers had
    # already prefetched during the warm-up.
    n = 0
    t0 = time.perf_counter()
    for _ in range(batches):
        try:
            x = next(it)
        except StopIteration:
            it = iter(loader)
            x = next(it)
        n += x.shape[0]
    dt = time.perf_counter() - t0
    print(json.dumps({"images_per_s": n / dt, "images": n, "torch": torch.__version__, "pil": PIL.__version__}))


if __name__ == "__main__":
    main()
