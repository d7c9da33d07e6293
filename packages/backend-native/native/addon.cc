// @autodidact/backend-native: the few hot tensor kernels on OpenBLAS sgemm.
// Every entry point works on caller-owned Float32Arrays (inputs and the output buffer)
// so JavaScript keeps ownership of all memory; scratch buffers are per-thread and reused.
#include <napi.h>
#include <cblas.h>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <type_traits>
#include <vector>

#include "conv-geom.h"

namespace {

float* F32(const Napi::Value& v) {
  Napi::Float32Array a = v.As<Napi::Float32Array>();
  return a.Data();
}
int I(const Napi::Value& v) { return v.As<Napi::Number>().Int32Value(); }
bool B(const Napi::Value& v) { return v.As<Napi::Boolean>().Value(); }
double D(const Napi::Value& v) { return v.As<Napi::Number>().DoubleValue(); }

std::vector<float>& Scratch(size_t n) {
  static thread_local std::vector<float> buf;
  if (buf.size() < n) buf.resize(n);
  return buf;
}

// Scratch cap for im2col columns (floats): images are processed in groups below it, so a group's
// columns stay in cache between im2col and the GEMM that reads them (4 MB measured better than 32 MB).
constexpr size_t kColCap = size_t(1) << 20;

// batchMatMul(a, b, out, batchA, batchB, M, N, K, transA, transB)
// a: [batchA, M, K] (or [batchA, K, M] when transA); b: [batchB, K, N] (or [batchB, N, K]);
// out: [max(batchA, batchB), M, N]. Batch index i reads a[i % batchA], b[i % batchB] (tfjs cpu semantics).
Napi::Value BatchMatMul(const Napi::CallbackInfo& info) {
  const float* a = F32(info[0]);
  const float* b = F32(info[1]);
  float* out = F32(info[2]);
  const int batchA = I(info[3]), batchB = I(info[4]);
  const int M = I(info[5]), N = I(info[6]), K = I(info[7]);
  const bool tA = B(info[8]), tB = B(info[9]);
  const int batch = std::max(batchA, batchB);
  const size_t sa = size_t(M) * K, sb = size_t(K) * N, so = size_t(M) * N;
  if (K == 0) { std::fill(out, out + so * batch, 0.f); return info.Env().Undefined(); }
  // A broadcast b with shared a folds into one big GEMM when a is not transposed.
  if (batchB == 1 && batchA > 1 && !tA) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, tB ? CblasTrans : CblasNoTrans, batchA * M, N, K, 1.f, a, K, b,
                tB ? K : N, 0.f, out, N);
    return info.Env().Undefined();
  }
  for (int i = 0; i < batch; ++i) {
    cblas_sgemm(CblasRowMajor, tA ? CblasTrans : CblasNoTrans, tB ? CblasTrans : CblasNoTrans, M, N, K, 1.f,
                a + sa * (i % batchA), tA ? M : K, b + sb * (i % batchB), tB ? K : N, 0.f, out + so * i, N);
  }
  return info.Env().Undefined();
}

// Images per im2col chunk: as many as keep the chunk's columns under kColCap.
int ImagesPerChunk(const ConvGeom& g) {
  const size_t per = g.rowsPerImage() * g.K();
  return int(std::max<size_t>(1, std::min<size_t>(size_t(g.B), kColCap / std::max<size_t>(per, 1))));
}

ConvGeom Geom(const Napi::CallbackInfo& info, int first) {
  ConvGeom g;
  int* f = &g.B;
  for (int i = 0; i < 15; ++i) f[i] = I(info[first + i]);
  return g;
}

// Rows of the column matrix for images [b0, b0+nb): [nb*OH*OW, KH*KW*C] in (kh, kw, c) order,
// which matches the tfjs filter layout [KH, KW, C, OC] flattened to [K, OC].
void Im2Col(const ConvGeom& g, const float* x, int b0, int nb, float* col) {
  const size_t K = g.K();
  for (int b = 0; b < nb; ++b) {
    const float* xb = x + size_t(b0 + b) * g.H * g.W * g.C;
    for (int oh = 0; oh < g.OH; ++oh) {
      for (int ow = 0; ow < g.OW; ++ow) {
        float* row = col + ((size_t(b) * g.OH + oh) * g.OW + ow) * K;
        for (int kh = 0; kh < g.KH; ++kh) {
          const int ih = oh * g.sh - g.pt + kh * g.dh;
          for (int kw = 0; kw < g.KW; ++kw) {
            const int iw = ow * g.sw - g.pl + kw * g.dw;
            float* dst = row + (size_t(kh) * g.KW + kw) * g.C;
            if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W) {
              std::memset(dst, 0, sizeof(float) * g.C);
            } else {
              std::memcpy(dst, xb + (size_t(ih) * g.W + iw) * g.C, sizeof(float) * g.C);
            }
          }
        }
      }
    }
  }
}

// Adds the column matrix back into images [b0, b0+nb) of dx (the adjoint of Im2Col).
void Col2Im(const ConvGeom& g, const float* col, int b0, int nb, float* dx) {
  const size_t K = g.K();
  for (int b = 0; b < nb; ++b) {
    float* xb = dx + size_t(b0 + b) * g.H * g.W * g.C;
    for (int oh = 0; oh < g.OH; ++oh) {
      for (int ow = 0; ow < g.OW; ++ow) {
        const float* row = col + ((size_t(b) * g.OH + oh) * g.OW + ow) * K;
        for (int kh = 0; kh < g.KH; ++kh) {
          const int ih = oh * g.sh - g.pt + kh * g.dh;
          if (ih < 0 || ih >= g.H) continue;
          for (int kw = 0; kw < g.KW; ++kw) {
            const int iw = ow * g.sw - g.pl + kw * g.dw;
            if (iw < 0 || iw >= g.W) continue;
            const float* src = row + (size_t(kh) * g.KW + kw) * g.C;
            float* dst = xb + (size_t(ih) * g.W + iw) * g.C;
            for (int c = 0; c < g.C; ++c) dst[c] += src[c];
          }
        }
      }
    }
  }
}

// Calls body(b0, nb, rows, col) for the groups of images [b0, b0 + nb) that keep a group's
// im2col columns under kColCap: rows = nb * OH * OW, col a scratch of [rows, K] floats.
template <class Body>
void ForEachImageChunk(const ConvGeom& g, Body body) {
  const int chunk = ImagesPerChunk(g);
  float* col = Scratch(size_t(chunk) * g.rowsPerImage() * g.K()).data();
  for (int b0 = 0; b0 < g.B; b0 += chunk) {
    const int nb = std::min(chunk, g.B - b0);
    body(b0, nb, int(nb * g.rowsPerImage()), col);
  }
}

// The three im2col + sgemm algorithms below. Each writes its GEMM once, for a group of images
// starting at b0 with `rows` output cells and its column matrix col [rows, K]; a pointwise
// convolution (1x1, stride 1, no padding) needs no im2col: its input (or dx) is the column matrix
// of the whole batch.

// Forward convolution: out [B,OH,OW,OC] = x [B,H,W,C] * w [KH,KW,C,OC].
void Conv2DGemm(const ConvGeom& g, const float* x, const float* w, float* out) {
  const int K = int(g.K());
  // out rows of the group = col [rows, K] x w [K, OC]
  auto gemm = [&](int b0, int rows, const float* col) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, g.OC, K, 1.f, col, K, w, g.OC, 0.f,
                out + size_t(b0) * g.rowsPerImage() * g.OC, g.OC);
  };
  if (g.pointwise()) return gemm(0, g.B * g.H * g.W, x);
  ForEachImageChunk(g, [&](int b0, int nb, int rows, float* col) {
    Im2Col(g, x, b0, nb, col);
    gemm(b0, rows, col);
  });
}

// Gradient with respect to the input: dx [B,H,W,C] from dy [B,OH,OW,OC] and w [KH,KW,C,OC].
void Conv2DBackpropInputGemm(const ConvGeom& g, const float* dy, const float* w, float* dx) {
  const int K = int(g.K());
  // col [rows, K] = dy rows of the group [rows, OC] x w^T [OC, K]
  auto gemm = [&](int b0, int rows, float* col) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, K, g.OC, 1.f,
                dy + size_t(b0) * g.rowsPerImage() * g.OC, g.OC, w, g.OC, 0.f, col, K);
  };
  if (g.pointwise()) return gemm(0, g.B * g.H * g.W, dx);
  std::fill(dx, dx + size_t(g.B) * g.H * g.W * g.C, 0.f);
  ForEachImageChunk(g, [&](int b0, int nb, int rows, float* col) {
    gemm(b0, rows, col);
    Col2Im(g, col, b0, nb, dx);
  });
}

// Gradient with respect to the filter: dw [KH,KW,C,OC] from x [B,H,W,C] and dy [B,OH,OW,OC].
void Conv2DBackpropFilterGemm(const ConvGeom& g, const float* x, const float* dy, float* dw) {
  const int K = int(g.K());
  // dw [K, OC] (+)= col^T [K, rows] x dy rows of the group [rows, OC]
  auto gemm = [&](int b0, int rows, const float* col) {
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, K, g.OC, rows, 1.f, col, K,
                dy + size_t(b0) * g.rowsPerImage() * g.OC, g.OC, b0 == 0 ? 0.f : 1.f, dw, g.OC);
  };
  if (g.pointwise()) return gemm(0, g.B * g.H * g.W, x);
  ForEachImageChunk(g, [&](int b0, int nb, int rows, float* col) {
    Im2Col(g, x, b0, nb, col);
    gemm(b0, rows, col);
  });
}

// The convolution entry points' shared frame: (a, b, out, ...geometry) as DnnlConv describes a, b
// and out for the kind; oneDNN runs the case when it takes it, else `gemm` (im2col + sgemm).
Napi::Value RunConv(const Napi::CallbackInfo& info, ConvKind kind,
                    void (*gemm)(const ConvGeom&, const float*, const float*, float*)) {
  const float* a = F32(info[0]);
  const float* b = F32(info[1]);
  float* out = F32(info[2]);
  const ConvGeom g = Geom(info, 3);
  if (!DnnlConv(kind, g, a, b, out)) gemm(g, a, b, out);
  return info.Env().Undefined();
}

// conv2d(x [B,H,W,C], w [KH,KW,C,OC], out [B,OH,OW,OC], ...geometry)
Napi::Value Conv2D(const Napi::CallbackInfo& info) { return RunConv(info, ConvKind::Forward, Conv2DGemm); }

// conv2dBackpropInput(dy [B,OH,OW,OC], w [KH,KW,C,OC], dx [B,H,W,C], ...geometry)
Napi::Value Conv2DBackpropInput(const Napi::CallbackInfo& info) {
  return RunConv(info, ConvKind::BackwardData, Conv2DBackpropInputGemm);
}

// conv2dBackpropFilter(x [B,H,W,C], dy [B,OH,OW,OC], dw [KH,KW,C,OC], ...geometry)
Napi::Value Conv2DBackpropFilter(const Napi::CallbackInfo& info) {
  return RunConv(info, ConvKind::BackwardWeights, Conv2DBackpropFilterGemm);
}


const int* I32(const Napi::Value& v) { return v.As<Napi::Int32Array>().Data(); }
size_t Len(const Napi::Value& v) { return v.As<Napi::Int32Array>().ElementLength(); }

// Walks an N-d index space (row-major over `shape`) calling inner(offA, offB, n, strideA, strideB)
// once per innermost row; offsets advance by per-dim element strides.
template <class Inner>
void WalkRows(const int* shape, int nd, const int* sa, const int* sb, Inner inner) {
  if (nd == 0) { inner(0, 0, 1, 0, 0); return; }
  size_t outer = 1;
  for (int d = 0; d < nd - 1; ++d) outer *= size_t(shape[d]);
  const int n = shape[nd - 1];
  std::vector<int> idx(nd, 0);
  long offA = 0, offB = 0;
  for (size_t r = 0; r < outer; ++r) {
    inner(offA, offB, n, sa[nd - 1], sb[nd - 1]);
    for (int d = nd - 2; d >= 0; --d) {
      ++idx[d];
      offA += sa[d];
      offB += sb[d];
      if (idx[d] < shape[d]) break;
      offA -= long(sa[d]) * shape[d];
      offB -= long(sb[d]) * shape[d];
      idx[d] = 0;
    }
  }
}

// The index space of a broadcasting elementwise op (binary, compare): the output `shape` (nd dims)
// walked in row-major order, with a's and b's element strides per output dim (0 = broadcast).
struct Broadcast {
  const int* shape;
  int nd;
  const int* sa;
  const int* sb;
};

// Reads (shape, stridesA, stridesB) from info[first], info[first + 1], info[first + 2].
Broadcast ReadBroadcast(const Napi::CallbackInfo& info, int first) {
  return {I32(info[first]), int(Len(info[first])), I32(info[first + 1]), I32(info[first + 2])};
}

// out[o] = f(a[ia], b[ib]) over the broadcast, out contiguous; the rows where a or b is contiguous
// or a single repeated value get their own loops (so they vectorise).
template <class T, class O, class F>
void BroadcastLoop(const T* a, const T* b, O* out, const Broadcast& w, F f) {
  size_t o = 0;
  WalkRows(w.shape, w.nd, w.sa, w.sb, [&](long ia, long ib, int n, int ta, int tb) {
    const T* pa = a + ia;
    const T* pb = b + ib;
    O* po = out + o;
    if (ta == 1 && tb == 1) {
      for (int i = 0; i < n; ++i) po[i] = f(pa[i], pb[i]);
    } else if (ta == 1 && tb == 0) {
      const T vb = *pb;
      for (int i = 0; i < n; ++i) po[i] = f(pa[i], vb);
    } else if (ta == 0 && tb == 1) {
      const T va = *pa;
      for (int i = 0; i < n; ++i) po[i] = f(va, pb[i]);
    } else {
      for (int i = 0; i < n; ++i) po[i] = f(pa[long(i) * ta], pb[long(i) * tb]);
    }
    o += size_t(n);
  });
}

// binary(op, a, b, out, shape, stridesA, stridesB); op: 0 add, 1 sub, 2 mul, 3 div, 4 max, 5 min, 6 squared difference, 7 pow,
// 8 relu gradient (a = dy, b = x).
Napi::Value Binary(const Napi::CallbackInfo& info) {
  const int op = I(info[0]);
  const float* a = F32(info[1]);
  const float* b = F32(info[2]);
  float* out = F32(info[3]);
  const Broadcast w = ReadBroadcast(info, 4);
  switch (op) {
    case 0: BroadcastLoop(a, b, out, w, [](float x, float y) { return x + y; }); break;
    case 1: BroadcastLoop(a, b, out, w, [](float x, float y) { return x - y; }); break;
    case 2: BroadcastLoop(a, b, out, w, [](float x, float y) { return x * y; }); break;
    case 3: BroadcastLoop(a, b, out, w, [](float x, float y) { return x / y; }); break;
    case 4: BroadcastLoop(a, b, out, w, [](float x, float y) { return (x != x || y != y) ? x + y : (x > y ? x : y); }); break;
    case 5: BroadcastLoop(a, b, out, w, [](float x, float y) { return (x != x || y != y) ? x + y : (x < y ? x : y); }); break;
    case 6: BroadcastLoop(a, b, out, w, [](float x, float y) { return (x - y) * (x - y); }); break;
    case 7: BroadcastLoop(a, b, out, w, [](float x, float y) { return y == 2.f ? x * x : (y == 1.f ? x : std::pow(x, y)); }); break;
    // gradient of relu: dy where x > 0 (NaN x gives NaN, as tfjs's mul(dy, step(x)))
    case 8: BroadcastLoop(a, b, out, w, [](float dy, float x) { return x > 0.f ? dy : (x != x ? x : 0.f * dy); }); break;
    default: Napi::Error::New(info.Env(), "unknown binary op").ThrowAsJavaScriptException();
  }
  return info.Env().Undefined();
}

// Row reductions in 16 float lanes, so the compiler vectorises them (a single running max or
// sum is a loop-carried dependency it will not reorder); sums fold into double every 1024
// elements, so long rows keep about double accuracy.
constexpr int kLanes = 16;

// Max of x[0, n) with NaN reported apart (NaN never wins the comparison).
inline float RowMax(const float* x, long n, bool* sawNaN) {
  float m[kLanes], bad[kLanes];
  for (int j = 0; j < kLanes; ++j) { m[j] = -INFINITY; bad[j] = 0.f; }
  long k = 0;
  for (; k + kLanes <= n; k += kLanes)
    for (int j = 0; j < kLanes; ++j) {
      const float v = x[k + j];
      m[j] = v > m[j] ? v : m[j];
      bad[j] = v != v ? 1.f : bad[j];
    }
  float r = -INFINITY;
  bool nan = false;
  for (int j = 0; j < kLanes; ++j) {
    r = m[j] > r ? m[j] : r;
    nan |= bad[j] != 0.f;
  }
  for (; k < n; ++k) {
    r = x[k] > r ? x[k] : r;
    nan |= x[k] != x[k];
  }
  *sawNaN = nan;
  return r;
}

inline double RowSum(const float* x, long n) {
  double total = 0;
  long k = 0;
  while (k + kLanes <= n) {
    float acc[kLanes] = {};
    const long stop = std::min(n, k + 1024) - kLanes;
    for (; k <= stop; k += kLanes)
      for (int j = 0; j < kLanes; ++j) acc[j] += x[k + j];
    for (int j = 0; j < kLanes; ++j) total += acc[j];
  }
  for (; k < n; ++k) total += x[k];
  return total;
}

// reduceSum(x, out, shape, stridesOut): out (zeroed here) accumulates x walked in row-major order.
Napi::Value ReduceSum(const Napi::CallbackInfo& info) {
  const float* x = F32(info[0]);
  Napi::Float32Array outArr = info[1].As<Napi::Float32Array>();
  float* out = outArr.Data();
  const int* shape = I32(info[2]);
  const int nd = int(Len(info[2]));
  const int* so = I32(info[3]);
  std::fill(out, out + outArr.ElementLength(), 0.f);
  std::vector<int> zero(nd > 0 ? nd : 1, 0);
  size_t i = 0;
  WalkRows(shape, nd, so, zero.data(), [&](long io, long, int n, int to, int) {
    const float* px = x + i;
    if (to == 0) {
      out[io] += float(RowSum(px, n));
    } else if (to == 1) {
      float* po = out + io;
      for (int k = 0; k < n; ++k) po[k] += px[k];
    } else {
      float* po = out + io;
      for (int k = 0; k < n; ++k) po[long(k) * to] += px[k];
    }
    i += size_t(n);
  });
  return info.Env().Undefined();
}

// out[io] = x[ix] over `shape` walked in row-major order, x and out at their own element strides.
void CopyStrided(const float* x, float* out, const int* shape, int nd, const int* sx, const int* so) {
  WalkRows(shape, nd, sx, so, [&](long ix, long io, int n, int tx, int to) {
    const float* px = x + ix;
    float* po = out + io;
    if (tx == 1 && to == 1) std::memcpy(po, px, sizeof(float) * size_t(n));
    else if (to == 1) for (int k = 0; k < n; ++k) po[k] = px[long(k) * tx];
    else for (int k = 0; k < n; ++k) po[long(k) * to] = px[long(k) * tx];
  });
}

// stridedCopy(x, out, shape, stridesX): out contiguous over `shape`, reading x at the given strides.
Napi::Value StridedCopy(const Napi::CallbackInfo& info) {
  const int* shape = I32(info[2]);
  const int nd = int(Len(info[2]));
  std::vector<int> contiguous(nd > 0 ? nd : 1, 0);
  for (int d = nd - 1, step = 1; d >= 0; step *= shape[d], --d) contiguous[d] = step;
  CopyStrided(F32(info[0]), F32(info[1]), shape, nd, I32(info[3]), contiguous.data());
  return info.Env().Undefined();
}

// Max pooling, NHWC. Geometry: B,H,W,C,OH,OW,sh,sw,fh,fw,pt,pl. For each output cell and channel
// the first maximum of the window wins (strict >, so NaN never wins), as tfjs's maxPoolPositions.
struct PoolGeom { int B, H, W, C, OH, OW, sh, sw, fh, fw, pt, pl; };

PoolGeom PGeom(const Napi::CallbackInfo& info, int first) {
  PoolGeom g;
  int* f = &g.B;
  for (int i = 0; i < 12; ++i) f[i] = I(info[first + i]);
  return g;
}

// Channel loops of the pooling kernels, kept apart so each compiles to one vectorised loop.
void MaxInto(float* __restrict best, const float* __restrict px, long C) {
  for (long c = 0; c < C; ++c) best[c] = px[c] > best[c] ? px[c] : best[c];
}

// Routes d to the first cell equal to the channel's max: open is 1 until the channel was routed.
void RouteFirst(float* __restrict pd, float* __restrict open, const float* __restrict px, const float* __restrict best,
                const float* __restrict d, long C) {
  for (long c = 0; c < C; ++c) {
    const float dv = d[c];
    const float hit = px[c] == best[c] ? open[c] : 0.f;
    pd[c] += hit > 0.f ? dv : 0.f;
    open[c] -= hit;
  }
}

// maxPool(x, out, ...geometry): channels are the inner, contiguous loop (vectorised).
Napi::Value MaxPool(const Napi::CallbackInfo& info) {
  const float* __restrict x = F32(info[0]);
  float* __restrict out = F32(info[1]);
  const PoolGeom g = PGeom(info, 2);
  const long C = g.C;
  for (int b = 0; b < g.B; ++b)
    for (int oh = 0; oh < g.OH; ++oh)
      for (int ow = 0; ow < g.OW; ++ow) {
        float* __restrict o = out + ((long(b) * g.OH + oh) * g.OW + ow) * C;
        for (long c = 0; c < C; ++c) o[c] = -INFINITY;
        for (int kh = 0; kh < g.fh; ++kh) {
          const int ih = oh * g.sh - g.pt + kh;
          if (ih < 0 || ih >= g.H) continue;
          for (int kw = 0; kw < g.fw; ++kw) {
            const int iw = ow * g.sw - g.pl + kw;
            if (iw < 0 || iw >= g.W) continue;
            // strict >: NaN never wins and ties keep the first, as tfjs
            MaxInto(o, x + ((long(b) * g.H + ih) * g.W + iw) * C, C);
          }
        }
      }
  return info.Env().Undefined();
}

// maxPoolGrad(x, dy, dx, ...geometry): dx (zeroed here) gets dy at each window's first maximum.
// Per window: the max of each channel (as the forward), then the window's cells in order, each
// channel taking dy at the first cell equal to its max; every loop runs over contiguous channels.
Napi::Value MaxPoolGrad(const Napi::CallbackInfo& info) {
  const float* x = F32(info[0]);
  const float* dy = F32(info[1]);
  Napi::Float32Array dxa = info[2].As<Napi::Float32Array>();
  float* dx = dxa.Data();
  std::fill(dx, dx + dxa.ElementLength(), 0.f);
  const PoolGeom g = PGeom(info, 3);
  const long C = g.C;
  static thread_local std::vector<float> bestBuf, openBuf;
  if (long(bestBuf.size()) < C) { bestBuf.resize(C); openBuf.resize(C); }
  float* best = bestBuf.data();
  float* open = openBuf.data();
  for (int b = 0; b < g.B; ++b)
    for (int oh = 0; oh < g.OH; ++oh)
      for (int ow = 0; ow < g.OW; ++ow) {
        const int h0 = std::max(0, oh * g.sh - g.pt), h1 = std::min(g.H, oh * g.sh - g.pt + g.fh);
        const int w0 = std::max(0, ow * g.sw - g.pl), w1 = std::min(g.W, ow * g.sw - g.pl + g.fw);
        std::fill(best, best + C, -INFINITY);
        for (int ih = h0; ih < h1; ++ih)
          for (int iw = w0; iw < w1; ++iw) MaxInto(best, x + ((long(b) * g.H + ih) * g.W + iw) * C, C);
        // a channel whose window holds only NaN or -inf gets nothing (no cell beats -inf)
        for (long c = 0; c < C; ++c) open[c] = best[c] > -INFINITY ? 1.f : 0.f;
        const float* d = dy + ((long(b) * g.OH + oh) * g.OW + ow) * C;
        for (int ih = h0; ih < h1; ++ih)
          for (int iw = w0; iw < w1; ++iw) {
            const long base = ((long(b) * g.H + ih) * g.W + iw) * C;
            RouteFirst(dx + base, open, x + base, best, d, C);
          }
      }
  return info.Env().Undefined();
}

// Vectorisable float exp/log/tanh/erf (Cephes polynomials, about 1-2 ulp): std::exp and std::log
// are scalar calls (6-30 ns per element here); these loops compile to SIMD. Lanes outside the
// polynomial's domain (NaN, infinities, non-positive or denormal log arguments) are redone
// with the std functions in a second, scalar pass.
inline bool ExpInDomain(float x) { return x >= -87.0f && x <= 88.0f; }
inline bool LogInDomain(float x) { return x >= 1.17549435e-38f && x <= 3.40282347e+38f; }
inline bool TanhInDomain(float x) { return x == x; }
inline bool ErfInDomain(float x) { return x == x; }

template <class F>
void UnaryLoop(const float* x, float* out, size_t n, F f) {
  for (size_t i = 0; i < n; ++i) out[i] = f(x[i]);
}

// The polynomials are written once, on GCC vector types V (float lanes) with I their int32 lanes,
// W lanes at a time: the compiler does not vectorise scalar code that reduces the range through
// integer bits, which ran at 4-10 ns per element. Instantiated for 4 lanes (SSE, every x86-64),
// for 8 lanes in functions compiled for AVX2, chosen at run time, and for plain float and int32_t
// (one lane: the tails and the scalar loops). No FMA contraction (-std=c++17), so every width
// gives the same results bit for bit.
typedef float vf4 __attribute__((vector_size(16)));
typedef int32_t vi4 __attribute__((vector_size(16)));
typedef float vf8 __attribute__((vector_size(32)));
typedef int32_t vi8 __attribute__((vector_size(32)));

// Lane-wise value conversion (float <-> int32, truncating), for vectors and for one lane.
template <class To, class From>
inline To ConvertLanes(From x) {
  if constexpr (std::is_arithmetic_v<From>) return To(x);
  else return __builtin_convertvector(x, To);
}

template <class V, class I>
inline V VExp(V x) {
  const V lo = V{} - 87.0f, hi = V{} + 88.0f;
  const V cx = x < lo ? lo : (x > hi ? hi : x);
  const V t = cx * 1.44269504088896341f;
  const V n = (t + 12582912.0f) - 12582912.0f;  // round to nearest (|t| < 2^22), as nearbyint
  const V r = cx - n * 0.693359375f + n * 2.12194440e-4f;
  V p = V{} + 1.9875691500E-4f;
  p = p * r + 1.3981999507E-3f;
  p = p * r + 8.3334519073E-3f;
  p = p * r + 4.1665795894E-2f;
  p = p * r + 1.6666665459E-1f;
  p = p * r + 5.0000001201E-1f;
  const V y = p * r * r + r + 1.0f;
  const I e = (ConvertLanes<I>(n) + 127) << 23;
  return y * __builtin_bit_cast(V, e);
}

template <class V, class I>
inline V VLog(V x) {
  const I bits = __builtin_bit_cast(I, x);
  V e = ConvertLanes<V>(((bits >> 23) & 0xff) - 126);
  V m = __builtin_bit_cast(V, I((bits & 0x807fffff) | 0x3f000000));  // [0.5, 1)
  const auto small = m < 0.707106781186547524f;
  e = small ? e - 1.0f : e;
  m = small ? m + m - 1.0f : m - 1.0f;
  const V z = m * m;
  V y = V{} + 7.0376836292E-2f;
  y = y * m - 1.1514610310E-1f;
  y = y * m + 1.1676998740E-1f;
  y = y * m - 1.2420140846E-1f;
  y = y * m + 1.4249322787E-1f;
  y = y * m - 1.6668057665E-1f;
  y = y * m + 2.0000714765E-1f;
  y = y * m - 2.4999993993E-1f;
  y = y * m + 3.3333331174E-1f;
  y = y * m * z;
  y += -2.12194440e-4f * e;
  y += -0.5f * z;
  return m + y + 0.693359375f * e;
}

template <class V, class I>
inline V VAbs(V x) {
  return __builtin_bit_cast(V, I(__builtin_bit_cast(I, x) & 0x7fffffff));
}

template <class V, class I>
inline V VTanh(V x) {
  const V ax = VAbs<V, I>(x);
  const V z = x * x;
  const V small = ((((-5.70498872745E-3f * z + 2.06390887954E-2f) * z - 5.37397155531E-2f) * z +
                    1.33314422036E-1f) * z - 3.33332819422E-1f) * z * x + x;
  const V two = ax + ax;
  const V cap = V{} + 88.0f;
  const V e = VExp<V, I>(two < cap ? two : cap);
  const V mag = 1.0f - 2.0f / (e + 1.0f);
  const I sign = __builtin_bit_cast(I, x) & int32_t(0x80000000);
  const V large = __builtin_bit_cast(V, I(__builtin_bit_cast(I, mag) | sign));
  return ax < 0.625f ? small : large;
}

template <class V, class I>
inline V VErf(V x) {
  const V v = VAbs<V, I>(x);
  const V t = 1.0f / (1.0f + 0.3275911f * v);
  const V y = 1.0f - (((((1.061405429f * t - 1.453152027f) * t) + 1.421413741f) * t - 0.284496736f) * t +
                       0.254829592f) * t * VExp<V, I>(-v * v);
  return x < 0.f ? -y : (x > 0.f ? y : 0.f * x);
}

template <class V, class I>
inline V VSigmoid(V x) {
  return 1.f / (1.f + VExp<V, I>(-x));
}

// The scalar twins: the same polynomials on one lane.
inline float ExpPoly(float x) { return VExp<float, int32_t>(x); }
inline float LogPoly(float x) { return VLog<float, int32_t>(x); }
inline float TanhPoly(float x) { return VTanh<float, int32_t>(x); }
inline float ErfPoly(float x) { return VErf<float, int32_t>(x); }
inline float SigmoidPoly(float x) { return VSigmoid<float, int32_t>(x); }

// out[i] = fv over whole vectors of W lanes, fs (the scalar twin) on the tail.
template <class V, int W, class FV, class FS>
inline void MapV(const float* x, float* out, size_t n, FV fv, FS fs) {
  size_t i = 0;
  for (; i + W <= n; i += W) {
    V v;
    std::memcpy(&v, x + i, sizeof v);
    const V r = fv(v);
    std::memcpy(out + i, &r, sizeof r);
  }
  for (; i < n; ++i) out[i] = fs(x[i]);
}

// The transcendental ops by code (2 exp, 3 log, 9 sigmoid, 10 tanh, 15 erf) on W lanes.
template <class V, class I, int W>
inline void Transcendental(int op, const float* x, float* out, size_t n) {
  switch (op) {
    case 2: MapV<V, W>(x, out, n, [](V v) { return VExp<V, I>(v); }, [](float v) { return ExpPoly(v); }); break;
    case 3: MapV<V, W>(x, out, n, [](V v) { return VLog<V, I>(v); }, [](float v) { return LogPoly(v); }); break;
    case 9:
      MapV<V, W>(x, out, n, [](V v) { return VSigmoid<V, I>(v); }, [](float v) { return SigmoidPoly(v); });
      break;
    case 10: MapV<V, W>(x, out, n, [](V v) { return VTanh<V, I>(v); }, [](float v) { return TanhPoly(v); }); break;
    case 15: MapV<V, W>(x, out, n, [](V v) { return VErf<V, I>(v); }, [](float v) { return ErfPoly(v); }); break;
  }
}

__attribute__((target("avx2"))) void Transcendental8(int op, const float* x, float* out, size_t n) {
  Transcendental<vf8, vi8, 8>(op, x, out, n);
}

void Transcendental4(int op, const float* x, float* out, size_t n) { Transcendental<vf4, vi4, 4>(op, x, out, n); }

// The vector pass of a transcendental op: 8 lanes where the CPU has AVX2, else 4.
void TranscendentalPass(int op, const float* x, float* out, size_t n) {
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) Transcendental8(op, x, out, n);
  else Transcendental4(op, x, out, n);
}

// A vectorised polynomial pass, then the exact function on the lanes outside its domain.
template <class D, class G>
void PolyLoop(int op, const float* x, float* out, size_t n, D inDomain, G exact) {
  TranscendentalPass(op, x, out, n);
  for (size_t i = 0; i < n; ++i)
    if (!inDomain(x[i])) out[i] = exact(x[i]);
}

// unary(op, x, out, alpha): out[i] = f(x[i]) over n = x.length; op codes in unary-ops.ts.
// NaN propagates as in the tfjs cpu kernels (Relu/Step/LeakyRelu/Relu6 keep NaN).
Napi::Value Unary(const Napi::CallbackInfo& info) {
  const int op = I(info[0]);
  Napi::Float32Array xa = info[1].As<Napi::Float32Array>();
  const float* x = xa.Data();
  float* out = F32(info[2]);
  const float alpha = info[3].As<Napi::Number>().FloatValue();
  const float beta = info.Length() > 4 ? info[4].As<Napi::Number>().FloatValue() : 0.f;
  const size_t n = xa.ElementLength();
  switch (op) {
    case 0: UnaryLoop(x, out, n, [](float v) { return v < 0.f ? 0.f : v; }); break;
    case 1: UnaryLoop(x, out, n, [alpha](float v) { return v != v ? v : (v > 0.f ? 1.f : alpha); }); break;
    case 2: PolyLoop(2, x, out, n, [](float v) { return ExpInDomain(v); }, [](float v) { return std::exp(v); }); break;
    case 3: PolyLoop(3, x, out, n, [](float v) { return LogInDomain(v); }, [](float v) { return std::log(v); }); break;
    case 4: UnaryLoop(x, out, n, [](float v) { return std::sqrt(v); }); break;
    case 5: UnaryLoop(x, out, n, [](float v) { return 1.f / std::sqrt(v); }); break;
    case 6: UnaryLoop(x, out, n, [](float v) { return v * v; }); break;
    case 7: UnaryLoop(x, out, n, [](float v) { return -v; }); break;
    case 8: UnaryLoop(x, out, n, [](float v) { return std::fabs(v); }); break;
    case 9:
      PolyLoop(9, x, out, n, [](float v) { return ExpInDomain(v); },
               [](float v) { return 1.f / (1.f + std::exp(-v)); });
      break;
    case 10: PolyLoop(10, x, out, n, [](float v) { return TanhInDomain(v); }, [](float v) { return std::tanh(v); }); break;
    case 11: UnaryLoop(x, out, n, [](float v) { return 1.f / v; }); break;
    case 12: UnaryLoop(x, out, n, [](float v) { return v < 0.f ? 0.f : (v > 6.f ? 6.f : v); }); break;
    case 13: UnaryLoop(x, out, n, [alpha](float v) { return v < 0.f ? alpha * v : v; }); break;
    case 14: UnaryLoop(x, out, n, [](float v) { return std::log1p(v); }); break;
    case 15: PolyLoop(15, x, out, n, [](float v) { return ErfInDomain(v); }, [](float v) { return v; }); break;
    // clip to [alpha, beta]; NaN stays NaN (tfjs: x > max ? max : x < min ? min : x)
    case 16: UnaryLoop(x, out, n, [alpha, beta](float v) { return v > beta ? beta : (v < alpha ? alpha : v); }); break;
    default: Napi::Error::New(info.Env(), "unknown unary op").ThrowAsJavaScriptException();
  }
  return info.Env().Undefined();
}

// Softmax of one row into po, max-subtracted; returns the sum of the exponentials (before
// normalising) and leaves po unnormalised when `normalise` is false. Entries more than 87 below
// the max are exactly 0 (as exp in float); a NaN or +inf max takes the exact, slow path.
inline double SoftmaxRow(const float* px, float* po, long cols, float* maxOut) {
  bool nan = false;
  const float m = RowMax(px, cols, &nan);
  *maxOut = nan ? NAN : m;
  if (nan || m == INFINITY) {
    double sum = 0;
    for (long c = 0; c < cols; ++c) sum += (po[c] = std::exp(px[c] - *maxOut));
    return sum;
  }
  for (long c = 0; c < cols; ++c) po[c] = px[c] - m;
  TranscendentalPass(2, po, po, size_t(cols));
  for (long c = 0; c < cols; ++c) po[c] = px[c] - m < -87.0f ? 0.f : po[c];
  return RowSum(po, cols);
}

// softmax(x, out, rows, cols): softmax over the last dim, max-subtracted.
Napi::Value Softmax(const Napi::CallbackInfo& info) {
  const float* x = F32(info[0]);
  float* out = F32(info[1]);
  const long rows = I(info[2]), cols = I(info[3]);
  for (long r = 0; r < rows; ++r) {
    float* po = out + r * cols;
    float m;
    const float inv = float(1.0 / SoftmaxRow(x + r * cols, po, cols, &m));
    for (long c = 0; c < cols; ++c) po[c] *= inv;
  }
  return info.Env().Undefined();
}

// ---------------------------------------------------------------- strided copies with two stride sets

// scatterCopy(x, out, shape, stridesX, stridesOut): out[io] = x[ix] over `shape` walked in order.
// Writes into a view of a larger output (padding, concatenation along an inner axis).
Napi::Value ScatterCopy(const Napi::CallbackInfo& info) {
  CopyStrided(F32(info[0]), F32(info[1]), I32(info[2]), int(Len(info[2])), I32(info[3]), I32(info[4]));
  return info.Env().Undefined();
}

// gatherRows(x, indices, out, outer, n, inner): out[o, j, :] = x[o, indices[j], :] (indices in range).
Napi::Value GatherRows(const Napi::CallbackInfo& info) {
  const float* x = F32(info[0]);
  const int* idx = I32(info[1]);
  const size_t m = Len(info[1]);
  float* out = F32(info[2]);
  const long outer = I(info[3]), n = I(info[4]), inner = I(info[5]);
  for (long o = 0; o < outer; ++o) {
    const float* xo = x + o * n * inner;
    float* oo = out + o * long(m) * inner;
    if (inner == 1) {
      for (size_t j = 0; j < m; ++j) oo[j] = xo[idx[j]];
    } else {
      for (size_t j = 0; j < m; ++j) std::memcpy(oo + j * inner, xo + long(idx[j]) * inner, sizeof(float) * size_t(inner));
    }
  }
  return info.Env().Undefined();
}

// ---------------------------------------------------------------- reductions: max / min / argmax

// reduceMax(x, out, outer, reduce, inner, isMin): out[o, i] = max_r x[o, r, i]; NaN wins (as tfjs).
Napi::Value ReduceMax(const Napi::CallbackInfo& info) {
  const float* x = F32(info[0]);
  float* out = F32(info[1]);
  const long outer = I(info[2]), reduce = I(info[3]), inner = I(info[4]);
  const bool isMin = B(info[5]);
  for (long o = 0; o < outer; ++o) {
    const float* xo = x + o * reduce * inner;
    float* po = out + o * inner;
    if (inner == 1 && !isMin) {
      bool nan = false;
      const float m = RowMax(xo, reduce, &nan);
      po[0] = nan ? NAN : m;
      continue;
    }
    if (inner == 1) {
      float m = xo[0];
      bool nan = false;
      for (long r = 0; r < reduce; ++r) { const float v = xo[r]; nan |= v != v; m = v < m ? v : m; }
      po[0] = nan ? NAN : m;
      continue;
    }
    std::memcpy(po, xo, sizeof(float) * size_t(inner));
    for (long r = 1; r < reduce; ++r) {
      const float* xr = xo + r * inner;
      if (isMin) for (long i = 0; i < inner; ++i) po[i] = (xr[i] < po[i] || xr[i] != xr[i]) ? xr[i] : po[i];
      else for (long i = 0; i < inner; ++i) po[i] = (xr[i] > po[i] || xr[i] != xr[i]) ? xr[i] : po[i];
    }
    // a NaN met earlier may have been replaced by a later value: redo those columns exactly
    for (long i = 0; i < inner; ++i) {
      if (po[i] != po[i]) continue;
      for (long r = 0; r < reduce; ++r) if (xo[r * inner + i] != xo[r * inner + i]) { po[i] = NAN; break; }
    }
  }
  return info.Env().Undefined();
}

// argMaxLast(x, out(int32), rows, cols, isMin): index of the first max (min) of each row; NaN never wins.
Napi::Value ArgMaxLast(const Napi::CallbackInfo& info) {
  const float* x = F32(info[0]);
  int* out = info[1].As<Napi::Int32Array>().Data();
  const long rows = I(info[2]), cols = I(info[3]);
  const bool isMin = B(info[4]);
  for (long r = 0; r < rows; ++r) {
    const float* px = x + r * cols;
    float best = px[0];
    int where = 0;
    if (isMin) { for (long c = 0; c < cols; ++c) if (px[c] < best) { best = px[c]; where = int(c); } }
    else { for (long c = 0; c < cols; ++c) if (px[c] > best) { best = px[c]; where = int(c); } }
    out[r] = where;
  }
  return info.Env().Undefined();
}

// ---------------------------------------------------------------- comparisons (bool outputs)

template <class T>
void CompareOp(int op, const T* a, const T* b, uint8_t* out, const Broadcast& w) {
  switch (op) {
    case 0: BroadcastLoop(a, b, out, w, [](T x, T y) -> uint8_t { return x == y; }); break;
    case 1: BroadcastLoop(a, b, out, w, [](T x, T y) -> uint8_t { return x != y; }); break;
    case 2: BroadcastLoop(a, b, out, w, [](T x, T y) -> uint8_t { return x > y; }); break;
    case 3: BroadcastLoop(a, b, out, w, [](T x, T y) -> uint8_t { return x >= y; }); break;
    case 4: BroadcastLoop(a, b, out, w, [](T x, T y) -> uint8_t { return x < y; }); break;
    case 5: BroadcastLoop(a, b, out, w, [](T x, T y) -> uint8_t { return x <= y; }); break;
  }
}

// compare(op, a, b, out(Uint8Array), shape, stridesA, stridesB); a, b both Float32Array or both Int32Array.
// op: 0 ==, 1 !=, 2 >, 3 >=, 4 <, 5 <=.
Napi::Value Compare(const Napi::CallbackInfo& info) {
  const int op = I(info[0]);
  uint8_t* out = info[3].As<Napi::Uint8Array>().Data();
  const Broadcast w = ReadBroadcast(info, 4);
  if (info[1].As<Napi::TypedArray>().TypedArrayType() == napi_float32_array) {
    CompareOp(op, F32(info[1]), F32(info[2]), out, w);
  } else {
    CompareOp(op, I32(info[1]), I32(info[2]), out, w);
  }
  return info.Env().Undefined();
}

// ---------------------------------------------------------------- batch norm

// y = (x - mean) * scale + offset per channel, over the rows of x and y [rows, C]: the last step of
// both batch norms, with scale = gamma / sqrt(variance + eps).
void NormalizeRows(const float* x, const float* mean, const float* scale, const float* offset, long rows, long C,
                   float* y) {
  for (long r = 0; r < rows; ++r) {
    const float* px = x + r * C;
    float* py = y + r * C;
    for (long c = 0; c < C; ++c) py[c] = (px[c] - mean[c]) * scale[c] + offset[c];
  }
}

// The arguments of the training normalisations, batchNormTrain and layerNorm:
// (x, gamma, beta, y, mean, spread, cols, eps) with x and y [rows, cols]; spread receives the
// variance per channel (batch norm) or 1 / sqrt(variance + eps) per row (layer norm).
struct NormArgs {
  const float* x;
  const float* gamma;
  const float* beta;
  float* y;
  float* mean;
  float* spread;
  long rows, cols;
  double eps;
};

NormArgs ReadNormArgs(const Napi::CallbackInfo& info) {
  Napi::Float32Array xa = info[0].As<Napi::Float32Array>();
  const long cols = I(info[6]);
  return {xa.Data(), F32(info[1]), F32(info[2]), F32(info[3]), F32(info[4]), F32(info[5]),
          long(xa.ElementLength()) / cols, cols, D(info[7])};
}

// The arguments of their gradients, batchNormTrainGrad and layerNormGrad:
// (dy, x, mean, spread, gamma, dx, dgamma, dbeta, cols, ...) with dy, x and dx [rows, cols],
// dgamma and dbeta [cols]; mean and spread as the forward pass left them.
struct NormGradArgs {
  const float* dy;
  const float* x;
  const float* mean;
  const float* spread;
  const float* gamma;
  float* dx;
  float* dgamma;
  float* dbeta;
  long rows, cols;
};

NormGradArgs ReadNormGradArgs(const Napi::CallbackInfo& info) {
  Napi::Float32Array dya = info[0].As<Napi::Float32Array>();
  const long cols = I(info[8]);
  return {dya.Data(), F32(info[1]), F32(info[2]), F32(info[3]), F32(info[4]), F32(info[5]), F32(info[6]),
          F32(info[7]), long(dya.ElementLength()) / cols, cols};
}

// batchNorm(x, mean, variance, scale, offset, out, channels, eps): x viewed as [rows, channels];
// each parameter has length 1 or `channels` (tfjs's FusedBatchNorm with per-channel statistics).
Napi::Value BatchNorm(const Napi::CallbackInfo& info) {
  Napi::Float32Array xa = info[0].As<Napi::Float32Array>();
  const float* x = xa.Data();
  Napi::Float32Array ma = info[1].As<Napi::Float32Array>(), va = info[2].As<Napi::Float32Array>();
  Napi::Float32Array sa = info[3].As<Napi::Float32Array>(), oa = info[4].As<Napi::Float32Array>();
  float* out = F32(info[5]);
  const long C = I(info[6]);
  const double eps = D(info[7]);
  const long rows = long(xa.ElementLength()) / C;
  std::vector<float> a(C), b(C), m(C);
  auto at = [](const Napi::Float32Array& t, long c) { return double(t.Data()[t.ElementLength() == 1 ? 0 : c]); };
  for (long c = 0; c < C; ++c) {
    a[c] = float(at(sa, c) / std::sqrt(at(va, c) + eps));
    b[c] = float(at(oa, c));
    m[c] = float(at(ma, c));
  }
  NormalizeRows(x, m.data(), a.data(), b.data(), rows, C, out);
  return info.Env().Undefined();
}

// Per-channel sums over the rows of [rows, C], in double: s1 = sum x; with y, s2 = sum x * (y - shift).
void ChannelSums(const float* x, const float* y, const float* shift, long rows, long C, double* s1, double* s2) {
  std::fill(s1, s1 + C, 0.0);
  if (y) std::fill(s2, s2 + C, 0.0);
  // Blocks of rows summed in float (vectorised), then folded into the double totals.
  constexpr long kBlock = 64;
  std::vector<float> f1(C), f2(C);
  float* q1 = f1.data();
  float* q2 = f2.data();
  for (long r0 = 0; r0 < rows; r0 += kBlock) {
    const long r1 = std::min(rows, r0 + kBlock);
    std::fill(f1.begin(), f1.end(), 0.f);
    if (y) std::fill(f2.begin(), f2.end(), 0.f);
    for (long r = r0; r < r1; ++r) {
      const float* px = x + r * C;
      for (long c = 0; c < C; ++c) q1[c] += px[c];
      if (y) {
        const float* py = y + r * C;
        for (long c = 0; c < C; ++c) q2[c] += px[c] * (py[c] - shift[c]);
      }
    }
    for (long c = 0; c < C; ++c) s1[c] += q1[c];
    if (y) for (long c = 0; c < C; ++c) s2[c] += q2[c];
  }
}

// batchNormTrain(x, gamma, beta, y, mean, variance, channels, eps): batch statistics over all rows
// of x [rows, C] (biased variance, two passes), then y = (x - mean) / sqrt(variance + eps) * gamma + beta.
Napi::Value BatchNormTrain(const Napi::CallbackInfo& info) {
  const auto [x, gamma, beta, y, mean, var, rows, C, eps] = ReadNormArgs(info);
  std::vector<double> s1(C), s2(C);
  ChannelSums(x, nullptr, nullptr, rows, C, s1.data(), nullptr);
  std::vector<float> m(C);
  for (long c = 0; c < C; ++c) m[c] = float(s1[c] / double(rows));
  // second pass: sum of squared deviations (exact for data far from zero mean)
  std::fill(s2.begin(), s2.end(), 0.0);
  {
    constexpr long kBlock = 64;
    std::vector<float> f(C);
    const float* pm = m.data();
    for (long r0 = 0; r0 < rows; r0 += kBlock) {
      const long r1 = std::min(rows, r0 + kBlock);
      std::fill(f.begin(), f.end(), 0.f);
      float* q = f.data();
      for (long r = r0; r < r1; ++r) {
        const float* px = x + r * C;
        for (long c = 0; c < C; ++c) { const float d = px[c] - pm[c]; q[c] += d * d; }
      }
      for (long c = 0; c < C; ++c) s2[c] += q[c];
    }
  }
  std::vector<float> a(C);
  for (long c = 0; c < C; ++c) {
    const double v = s2[c] / double(rows);
    mean[c] = m[c];
    var[c] = float(v);
    a[c] = float(double(gamma[c]) / std::sqrt(v + eps));
  }
  NormalizeRows(x, m.data(), a.data(), beta, rows, C, y);
  return info.Env().Undefined();
}

// batchNormTrainGrad(dy, x, mean, variance, gamma, dx, dgamma, dbeta, channels, eps): the gradient
// of batchNormTrain through the batch statistics:
//   dbeta = sum dy, dgamma = sum dy * xhat,
//   dx = gamma * invstd * (dy - dbeta / n - xhat * dgamma / n), xhat = (x - mean) * invstd.
Napi::Value BatchNormTrainGrad(const Napi::CallbackInfo& info) {
  const auto [dy, x, mean, var, gamma, dx, dgamma, dbeta, rows, C] = ReadNormGradArgs(info);
  const double eps = D(info[9]);
  std::vector<double> sdy(C), sdyx(C);
  ChannelSums(dy, x, mean, rows, C, sdy.data(), sdyx.data());  // sum dy, sum dy * (x - mean)
  std::vector<float> k1(C), k2(C), k0(C);
  for (long c = 0; c < C; ++c) {
    const double inv = 1.0 / std::sqrt(double(var[c]) + eps);
    const double sxhat = sdyx[c] * inv;  // sum dy * xhat
    dbeta[c] = float(sdy[c]);
    dgamma[c] = float(sxhat);
    const double g = double(gamma[c]) * inv;
    // dx = g * dy - g / n * (sdy + xhat * sxhat) = k0 * dy + k1 * (x - mean) + k2
    k0[c] = float(g);
    k1[c] = float(-g / double(rows) * sxhat * inv);
    k2[c] = float(-g / double(rows) * sdy[c]);
  }
  const float* p0 = k0.data();
  const float* p1 = k1.data();
  const float* p2 = k2.data();
  for (long r = 0; r < rows; ++r) {
    const float* pdy = dy + r * C;
    const float* px = x + r * C;
    float* pdx = dx + r * C;
    for (long c = 0; c < C; ++c) pdx[c] = p0[c] * pdy[c] + p1[c] * (px[c] - mean[c]) + p2[c];
  }
  return info.Env().Undefined();
}

// ---------------------------------------------------------------- softmax cross-entropy

// softmaxCrossEntropy(logits [rows, cols], targets int32 [rows], losses [rows], probs [rows, cols]):
// losses[r] = logsumexp(logits[r]) - logits[r, t]; probs = softmax (kept for the gradient).
Napi::Value SoftmaxCrossEntropy(const Napi::CallbackInfo& info) {
  const float* x = F32(info[0]);
  const int* t = I32(info[1]);
  float* loss = F32(info[2]);
  float* probs = F32(info[3]);
  const long rows = I(info[4]), cols = I(info[5]);
  for (long r = 0; r < rows; ++r) {
    const float* px = x + r * cols;
    float* pp = probs + r * cols;
    float m;
    const double sum = SoftmaxRow(px, pp, cols, &m);
    const float inv = float(1.0 / sum);
    for (long c = 0; c < cols; ++c) pp[c] *= inv;
    loss[r] = float(double(m) + std::log(sum) - double(px[t[r]]));
  }
  return info.Env().Undefined();
}

// softmaxCrossEntropyGrad(probs, targets, dloss [rows], dlogits): (probs - onehot) * dloss[r].
Napi::Value SoftmaxCrossEntropyGrad(const Napi::CallbackInfo& info) {
  const float* p = F32(info[0]);
  const int* t = I32(info[1]);
  const float* dl = F32(info[2]);
  float* dx = F32(info[3]);
  const long rows = I(info[4]), cols = I(info[5]);
  for (long r = 0; r < rows; ++r) {
    const float* pp = p + r * cols;
    float* pd = dx + r * cols;
    const float g = dl[r];
    for (long c = 0; c < cols; ++c) pd[c] = pp[c] * g;
    pd[t[r]] -= g;
  }
  return info.Env().Undefined();
}

// sumRows(x [rows, cols], out [cols]): column sums (a reduction over the leading axis, as bias
// gradients and batch statistics), vectorised over columns, accumulated in double per 64 rows.
Napi::Value SumRows(const Napi::CallbackInfo& info) {
  const float* x = F32(info[0]);
  float* out = F32(info[1]);
  const long rows = I(info[2]), cols = I(info[3]);
  std::vector<double> s(cols);
  ChannelSums(x, nullptr, nullptr, rows, cols, s.data(), nullptr);
  for (long c = 0; c < cols; ++c) out[c] = float(s[c]);
  return info.Env().Undefined();
}

// ---------------------------------------------------------------- transformer pieces

// GELU, exact form with tfjs's erf: y = 0.5 x (1 + erf(x / sqrt 2)); gradient
// 0.5 (1 + erf(x / sqrt 2)) + x exp(-x^2 / 2) / sqrt(2 pi). The erf and exp run in vector lanes.
template <class V, class I, int W>
inline void GeluLanes(const float* x, const float* dy, float* out, size_t n) {
  size_t i = 0;
  for (; i + W <= n; i += W) {
    V v;
    std::memcpy(&v, x + i, sizeof v);
    const V e = VErf<V, I>(v * 0.70710678118654752f);
    V r;
    if (dy) {
      V d;
      std::memcpy(&d, dy + i, sizeof d);
      r = d * (0.5f * (1.f + e) + v * VExp<V, I>(-0.5f * v * v) * 0.3989422804014327f);
    } else {
      r = 0.5f * v * (1.f + e);
    }
    std::memcpy(out + i, &r, sizeof r);
  }
  for (; i < n; ++i) {
    const float v = x[i];
    const float e = ErfPoly(v * 0.70710678118654752f);
    out[i] = dy ? dy[i] * (0.5f * (1.f + e) + v * ExpPoly(-0.5f * v * v) * 0.3989422804014327f) : 0.5f * v * (1.f + e);
  }
}

__attribute__((target("avx2"))) void Gelu8(const float* x, const float* dy, float* out, size_t n) {
  GeluLanes<vf8, vi8, 8>(x, dy, out, n);
}
void Gelu4(const float* x, const float* dy, float* out, size_t n) { GeluLanes<vf4, vi4, 4>(x, dy, out, n); }

// gelu(x, out) or gelu(x, out, dy): the activation, or its gradient times dy. NaN stays NaN.
Napi::Value Gelu(const Napi::CallbackInfo& info) {
  Napi::Float32Array xa = info[0].As<Napi::Float32Array>();
  const float* x = xa.Data();
  float* out = F32(info[1]);
  const float* dy = info.Length() > 2 ? F32(info[2]) : nullptr;
  const size_t n = xa.ElementLength();
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) Gelu8(x, dy, out, n);
  else Gelu4(x, dy, out, n);
  for (size_t i = 0; i < n; ++i)
    if (x[i] != x[i]) out[i] = x[i];
  return info.Env().Undefined();
}

// layerNorm(x, gamma, beta, y, mean, rstd, cols, eps): per row of x [rows, cols], mean and biased
// variance (two passes), y = (x - mean) * rstd * gamma + beta with rstd = 1 / sqrt(var + eps).
Napi::Value LayerNorm(const Napi::CallbackInfo& info) {
  const auto [x, gamma, beta, y, mean, rstd, rows, cols, eps] = ReadNormArgs(info);
  for (long r = 0; r < rows; ++r) {
    const float* px = x + r * cols;
    float* py = y + r * cols;
    const float m = float(RowSum(px, cols) / double(cols));
    for (long c = 0; c < cols; ++c) py[c] = (px[c] - m) * (px[c] - m);  // scratch: squared deviations
    const float s = float(1.0 / std::sqrt(RowSum(py, cols) / double(cols) + eps));
    for (long c = 0; c < cols; ++c) py[c] = (px[c] - m) * s * gamma[c] + beta[c];
    mean[r] = m;
    rstd[r] = s;
  }
  return info.Env().Undefined();
}

// layerNormGrad(dy, x, mean, rstd, gamma, dx, dgamma, dbeta, cols): with xhat = (x - mean) * rstd
// and g = dy * gamma per row: dx = rstd * (g - mean(g) - xhat * mean(g * xhat));
// dgamma = sum over rows of dy * xhat, dbeta = sum over rows of dy.
Napi::Value LayerNormGrad(const Napi::CallbackInfo& info) {
  const auto [dy, x, mean, rstd, gamma, dx, dgamma, dbeta, rows, cols] = ReadNormGradArgs(info);
  std::vector<double> sg(cols, 0.0), sb(cols, 0.0);
  std::vector<float> xh(cols), g(cols), fg(cols), fb(cols);
  long block = 0;
  for (long r = 0; r < rows; ++r) {
    const float* pdy = dy + r * cols;
    const float* px = x + r * cols;
    float* pdx = dx + r * cols;
    const float m = mean[r], s = rstd[r];
    for (long c = 0; c < cols; ++c) {
      xh[c] = (px[c] - m) * s;
      g[c] = pdy[c] * gamma[c];
    }
    double a = 0, b = 0;
    for (long c = 0; c < cols; ++c) {
      a += g[c];
      b += g[c] * xh[c];
    }
    const float ma = float(a / double(cols)), mb = float(b / double(cols));
    for (long c = 0; c < cols; ++c) pdx[c] = s * (g[c] - ma - xh[c] * mb);
    // parameter gradients: float partial sums over blocks of 64 rows, folded into double
    if (block == 0) {
      std::fill(fg.begin(), fg.end(), 0.f);
      std::fill(fb.begin(), fb.end(), 0.f);
    }
    for (long c = 0; c < cols; ++c) {
      fg[c] += pdy[c] * xh[c];
      fb[c] += pdy[c];
    }
    if (++block == 64 || r == rows - 1) {
      for (long c = 0; c < cols; ++c) {
        sg[c] += fg[c];
        sb[c] += fb[c];
      }
      block = 0;
    }
  }
  for (long c = 0; c < cols; ++c) {
    dgamma[c] = float(sg[c]);
    dbeta[c] = float(sb[c]);
  }
  return info.Env().Undefined();
}

// softmaxGrad(y, dy, dx, rows, cols): the gradient of a last-axis softmax, dx = y * (dy - sum(dy * y)).
Napi::Value SoftmaxGrad(const Napi::CallbackInfo& info) {
  const float* y = F32(info[0]);
  const float* dy = F32(info[1]);
  float* dx = F32(info[2]);
  const long rows = I(info[3]), cols = I(info[4]);
  for (long r = 0; r < rows; ++r) {
    const float* py = y + r * cols;
    const float* pd = dy + r * cols;
    float* po = dx + r * cols;
    for (long c = 0; c < cols; ++c) po[c] = pd[c] * py[c];
    const float s = float(RowSum(po, cols));
    for (long c = 0; c < cols; ++c) po[c] = py[c] * (pd[c] - s);
  }
  return info.Env().Undefined();
}

// ---------------------------------------------------------------- optimizer

// adam(param, grad, m, v, outParam, outM, outV, lr, b1, b2, eps, bc1, bc2, wd, decoupled): one Adam(W) step
// as core's Adam: g += wd p (L2) or p *= 1 - lr wd (decoupled); m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
// p -= lr / bc1 * m / (sqrt(v) / sqrt(bc2) + eps).
Napi::Value Adam(const Napi::CallbackInfo& info) {
  Napi::Float32Array pa = info[0].As<Napi::Float32Array>();
  const float* p = pa.Data();
  const float* g = F32(info[1]);
  const float* m = F32(info[2]);
  const float* v = F32(info[3]);
  float* op = F32(info[4]);
  float* om = F32(info[5]);
  float* ov = F32(info[6]);
  const double lr = D(info[7]);
  const double b1d = D(info[8]);
  const double b2d = D(info[9]);
  const float b1 = float(b1d), b2 = float(b2d);
  const float eps = info[10].As<Napi::Number>().FloatValue();
  const double bc1 = D(info[11]);
  const double bc2 = D(info[12]);
  const double wd = D(info[13]);
  const bool decoupled = B(info[14]);
  const size_t n = pa.ElementLength();
  // the same operations in the same order as core's composite update (and torch.optim.Adam)
  // scalars computed in double and rounded once, as JavaScript computes them before tfjs sees them
  const float step = float(lr / bc1);
  const float sb2 = float(std::sqrt(bc2));
  const float keep = float(decoupled ? 1.0 - lr * wd : 1.0);
  const float l2 = float(decoupled ? 0.0 : wd);
  const float c1 = float(1.0 - b1d), c2 = float(1.0 - b2d);
  for (size_t i = 0; i < n; ++i) {
    const float gi = l2 != 0.f ? g[i] + p[i] * l2 : g[i];
    const float mi = m[i] * b1 + gi * c1;
    const float vi = v[i] * b2 + (gi * gi) * c2;
    om[i] = mi;
    ov[i] = vi;
    const float denom = std::sqrt(vi) / sb2 + eps;
    const float pi = decoupled ? p[i] * keep : p[i];
    op[i] = pi - (mi / denom) * step;
  }
  return info.Env().Undefined();
}

// ---------------------------------------------------------------- images

// cropAndResize(image [B,H,W,C], boxes [n,4], boxInd int32 [n], out [n,ch,cw,C], B,H,W,C, ch, cw, extrapolation):
// bilinear, as tfjs's cpu kernel (TensorFlow's crop_and_resize): pixel centres at k / (size - 1).
Napi::Value CropAndResize(const Napi::CallbackInfo& info) {
  const float* img = F32(info[0]);
  Napi::Float32Array ba = info[1].As<Napi::Float32Array>();
  const float* boxes = ba.Data();
  const int* boxInd = I32(info[2]);
  float* out = F32(info[3]);
  const long batch = I(info[4]), H = I(info[5]), W = I(info[6]), C = I(info[7]);
  const long CH = I(info[8]), CW = I(info[9]);
  const float extrapolation = info[10].As<Napi::Number>().FloatValue();
  const long n = long(ba.ElementLength()) / 4;
  for (long b = 0; b < n; ++b) {
    const double y1 = boxes[b * 4], x1 = boxes[b * 4 + 1], y2 = boxes[b * 4 + 2], x2 = boxes[b * 4 + 3];
    const long bi = boxInd[b];
    float* ob = out + b * CH * CW * C;
    if (bi >= batch || bi < 0) continue;  // tfjs leaves these rows as they were (zeros)
    const float* ib = img + bi * H * W * C;
    const double hs = CH > 1 ? (y2 - y1) * double(H - 1) / double(CH - 1) : 0;
    const double ws = CW > 1 ? (x2 - x1) * double(W - 1) / double(CW - 1) : 0;
    for (long y = 0; y < CH; ++y) {
      const double yi = CH > 1 ? y1 * double(H - 1) + double(y) * hs : 0.5 * (y1 + y2) * double(H - 1);
      float* oy = ob + y * CW * C;
      if (yi < 0 || yi > double(H - 1)) {
        std::fill(oy, oy + CW * C, extrapolation);
        continue;
      }
      const long top = long(std::floor(yi)), bottom = long(std::ceil(yi));
      const double yl = yi - double(top);
      for (long x = 0; x < CW; ++x) {
        const double xi = CW > 1 ? x1 * double(W - 1) + double(x) * ws : 0.5 * (x1 + x2) * double(W - 1);
        float* ox = oy + x * C;
        if (xi < 0 || xi > double(W - 1)) {
          std::fill(ox, ox + C, extrapolation);
          continue;
        }
        const long left = long(std::floor(xi)), right = long(std::ceil(xi));
        const double xl = xi - double(left);
        const float* tl = ib + (top * W + left) * C;
        const float* tr = ib + (top * W + right) * C;
        const float* bl = ib + (bottom * W + left) * C;
        const float* br = ib + (bottom * W + right) * C;
        for (long c = 0; c < C; ++c) {
          const double t = double(tl[c]) + (double(tr[c]) - double(tl[c])) * xl;
          const double bo = double(bl[c]) + (double(br[c]) - double(bl[c])) * xl;
          ox[c] = float(t + (bo - t) * yl);
        }
      }
    }
  }
  return info.Env().Undefined();
}

Napi::Value Threads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), openblas_get_num_threads());
}

// convEngine([useOneDnn]): switches oneDNN convolutions on or off (when built in); returns a line
// naming the engine convolutions run on.
Napi::Value ConvEngine(const Napi::CallbackInfo& info) {
  if (info.Length() > 0 && info[0].IsBoolean()) DnnlSetEnabled(B(info[0]));
  return Napi::String::New(info.Env(), DnnlInfo());
}

Napi::Value Config(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), openblas_get_config());
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  DnnlThreads(openblas_get_num_threads());
  exports.Set("batchMatMul", Napi::Function::New(env, BatchMatMul));
  exports.Set("conv2d", Napi::Function::New(env, Conv2D));
  exports.Set("conv2dBackpropInput", Napi::Function::New(env, Conv2DBackpropInput));
  exports.Set("conv2dBackpropFilter", Napi::Function::New(env, Conv2DBackpropFilter));
  exports.Set("binary", Napi::Function::New(env, Binary));
  exports.Set("reduceSum", Napi::Function::New(env, ReduceSum));
  exports.Set("stridedCopy", Napi::Function::New(env, StridedCopy));
  exports.Set("unary", Napi::Function::New(env, Unary));
  exports.Set("maxPool", Napi::Function::New(env, MaxPool));
  exports.Set("softmax", Napi::Function::New(env, Softmax));
  exports.Set("maxPoolGrad", Napi::Function::New(env, MaxPoolGrad));
  exports.Set("scatterCopy", Napi::Function::New(env, ScatterCopy));
  exports.Set("gatherRows", Napi::Function::New(env, GatherRows));
  exports.Set("reduceMax", Napi::Function::New(env, ReduceMax));
  exports.Set("argMaxLast", Napi::Function::New(env, ArgMaxLast));
  exports.Set("compare", Napi::Function::New(env, Compare));
  exports.Set("batchNorm", Napi::Function::New(env, BatchNorm));
  exports.Set("batchNormTrain", Napi::Function::New(env, BatchNormTrain));
  exports.Set("batchNormTrainGrad", Napi::Function::New(env, BatchNormTrainGrad));
  exports.Set("softmaxCrossEntropy", Napi::Function::New(env, SoftmaxCrossEntropy));
  exports.Set("softmaxCrossEntropyGrad", Napi::Function::New(env, SoftmaxCrossEntropyGrad));
  exports.Set("adam", Napi::Function::New(env, Adam));
  exports.Set("sumRows", Napi::Function::New(env, SumRows));
  exports.Set("gelu", Napi::Function::New(env, Gelu));
  exports.Set("layerNorm", Napi::Function::New(env, LayerNorm));
  exports.Set("layerNormGrad", Napi::Function::New(env, LayerNormGrad));
  exports.Set("softmaxGrad", Napi::Function::New(env, SoftmaxGrad));
  exports.Set("cropAndResize", Napi::Function::New(env, CropAndResize));
  exports.Set("threads", Napi::Function::New(env, Threads));
  exports.Set("config", Napi::Function::New(env, Config));
  exports.Set("convEngine", Napi::Function::New(env, ConvEngine));
  return exports;
}

}  // namespace

NODE_API_MODULE(autodidact_native, Init)
