// @autodidact/backend-native: the few hot tensor kernels on OpenBLAS sgemm.
// Every entry point works on caller-owned Float32Arrays (inputs and the output buffer)
// so JavaScript keeps ownership of all memory; scratch buffers are per-thread and reused.
#include <napi.h>
#include <cblas.h>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace {

float* F32(const Napi::Value& v) {
  Napi::Float32Array a = v.As<Napi::Float32Array>();
  return a.Data();
}
int I(const Napi::Value& v) { return v.As<Napi::Number>().Int32Value(); }
bool B(const Napi::Value& v) { return v.As<Napi::Boolean>().Value(); }

std::vector<float>& Scratch(size_t n) {
  static thread_local std::vector<float> buf;
  if (buf.size() < n) buf.resize(n);
  return buf;
}

// Scratch cap for im2col columns (floats): images are processed in groups below it.
constexpr size_t kColCap = size_t(1) << 23;

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

struct ConvGeom {
  int B, H, W, C, KH, KW, OC, OH, OW, sh, sw, dh, dw, pt, pl;
  size_t K() const { return size_t(KH) * KW * C; }
  size_t rowsPerImage() const { return size_t(OH) * OW; }
  bool pointwise() const { return KH == 1 && KW == 1 && sh == 1 && sw == 1 && pt == 0 && pl == 0 && OH == H && OW == W; }
  int imagesPerChunk() const {
    size_t per = rowsPerImage() * K();
    return int(std::max<size_t>(1, std::min<size_t>(B, kColCap / std::max<size_t>(per, 1))));
  }
};

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

// conv2d(x [B,H,W,C], w [KH,KW,C,OC], out [B,OH,OW,OC], ...geometry)
Napi::Value Conv2D(const Napi::CallbackInfo& info) {
  const float* x = F32(info[0]);
  const float* w = F32(info[1]);
  float* out = F32(info[2]);
  const ConvGeom g = Geom(info, 3);
  const int K = int(g.K());
  if (g.pointwise()) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, g.B * g.H * g.W, g.OC, g.C, 1.f, x, g.C, w, g.OC, 0.f, out,
                g.OC);
    return info.Env().Undefined();
  }
  const int chunk = g.imagesPerChunk();
  float* col = Scratch(size_t(chunk) * g.rowsPerImage() * K).data();
  for (int b0 = 0; b0 < g.B; b0 += chunk) {
    const int nb = std::min(chunk, g.B - b0);
    Im2Col(g, x, b0, nb, col);
    const int rows = int(nb * g.rowsPerImage());
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, g.OC, K, 1.f, col, K, w, g.OC, 0.f,
                out + size_t(b0) * g.rowsPerImage() * g.OC, g.OC);
  }
  return info.Env().Undefined();
}

// conv2dBackpropInput(dy [B,OH,OW,OC], w [KH,KW,C,OC], dx [B,H,W,C], ...geometry)
Napi::Value Conv2DBackpropInput(const Napi::CallbackInfo& info) {
  const float* dy = F32(info[0]);
  const float* w = F32(info[1]);
  float* dx = F32(info[2]);
  const ConvGeom g = Geom(info, 3);
  const int K = int(g.K());
  if (g.pointwise()) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, g.B * g.H * g.W, g.C, g.OC, 1.f, dy, g.OC, w, g.OC, 0.f, dx,
                g.C);
    return info.Env().Undefined();
  }
  std::fill(dx, dx + size_t(g.B) * g.H * g.W * g.C, 0.f);
  const int chunk = g.imagesPerChunk();
  float* col = Scratch(size_t(chunk) * g.rowsPerImage() * K).data();
  for (int b0 = 0; b0 < g.B; b0 += chunk) {
    const int nb = std::min(chunk, g.B - b0);
    const int rows = int(nb * g.rowsPerImage());
    // col [rows, K] = dy [rows, OC] x w^T [OC, K]
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, K, g.OC, 1.f,
                dy + size_t(b0) * g.rowsPerImage() * g.OC, g.OC, w, g.OC, 0.f, col, K);
    Col2Im(g, col, b0, nb, dx);
  }
  return info.Env().Undefined();
}

// conv2dBackpropFilter(x [B,H,W,C], dy [B,OH,OW,OC], dw [KH,KW,C,OC], ...geometry)
Napi::Value Conv2DBackpropFilter(const Napi::CallbackInfo& info) {
  const float* x = F32(info[0]);
  const float* dy = F32(info[1]);
  float* dw = F32(info[2]);
  const ConvGeom g = Geom(info, 3);
  const int K = int(g.K());
  if (g.pointwise()) {
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, g.C, g.OC, g.B * g.H * g.W, 1.f, x, g.C, dy, g.OC, 0.f, dw,
                g.OC);
    return info.Env().Undefined();
  }
  const int chunk = g.imagesPerChunk();
  float* col = Scratch(size_t(chunk) * g.rowsPerImage() * K).data();
  for (int b0 = 0; b0 < g.B; b0 += chunk) {
    const int nb = std::min(chunk, g.B - b0);
    Im2Col(g, x, b0, nb, col);
    const int rows = int(nb * g.rowsPerImage());
    // dw [K, OC] (+)= col^T [K, rows] x dy [rows, OC]
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, K, g.OC, rows, 1.f, col, K,
                dy + size_t(b0) * g.rowsPerImage() * g.OC, g.OC, b0 == 0 ? 0.f : 1.f, dw, g.OC);
  }
  return info.Env().Undefined();
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

template <class F>
void BinaryLoop(const float* a, const float* b, float* out, const int* shape, int nd, const int* sa, const int* sb, F f) {
  size_t o = 0;
  WalkRows(shape, nd, sa, sb, [&](long ia, long ib, int n, int ta, int tb) {
    const float* pa = a + ia;
    const float* pb = b + ib;
    float* po = out + o;
    if (ta == 1 && tb == 1) {
      for (int i = 0; i < n; ++i) po[i] = f(pa[i], pb[i]);
    } else if (ta == 1 && tb == 0) {
      const float vb = *pb;
      for (int i = 0; i < n; ++i) po[i] = f(pa[i], vb);
    } else if (ta == 0 && tb == 1) {
      const float va = *pa;
      for (int i = 0; i < n; ++i) po[i] = f(va, pb[i]);
    } else {
      for (int i = 0; i < n; ++i) po[i] = f(pa[long(i) * ta], pb[long(i) * tb]);
    }
    o += size_t(n);
  });
}

// binary(op, a, b, out, shape, stridesA, stridesB); op: 0 add, 1 sub, 2 mul, 3 div, 4 max, 5 min, 6 squared difference, 7 pow.
Napi::Value Binary(const Napi::CallbackInfo& info) {
  const int op = I(info[0]);
  const float* a = F32(info[1]);
  const float* b = F32(info[2]);
  float* out = F32(info[3]);
  const int* shape = I32(info[4]);
  const int nd = int(Len(info[4]));
  const int* sa = I32(info[5]);
  const int* sb = I32(info[6]);
  switch (op) {
    case 0: BinaryLoop(a, b, out, shape, nd, sa, sb, [](float x, float y) { return x + y; }); break;
    case 1: BinaryLoop(a, b, out, shape, nd, sa, sb, [](float x, float y) { return x - y; }); break;
    case 2: BinaryLoop(a, b, out, shape, nd, sa, sb, [](float x, float y) { return x * y; }); break;
    case 3: BinaryLoop(a, b, out, shape, nd, sa, sb, [](float x, float y) { return x / y; }); break;
    case 4: BinaryLoop(a, b, out, shape, nd, sa, sb, [](float x, float y) { return (x != x || y != y) ? x + y : (x > y ? x : y); }); break;
    case 5: BinaryLoop(a, b, out, shape, nd, sa, sb, [](float x, float y) { return (x != x || y != y) ? x + y : (x < y ? x : y); }); break;
    case 6: BinaryLoop(a, b, out, shape, nd, sa, sb, [](float x, float y) { return (x - y) * (x - y); }); break;
    case 7: BinaryLoop(a, b, out, shape, nd, sa, sb, [](float x, float y) { return y == 2.f ? x * x : (y == 1.f ? x : std::pow(x, y)); }); break;
    default: Napi::Error::New(info.Env(), "unknown binary op").ThrowAsJavaScriptException();
  }
  return info.Env().Undefined();
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
      double acc = 0;
      for (int k = 0; k < n; ++k) acc += px[k];
      out[io] += float(acc);
    } else {
      float* po = out + io;
      for (int k = 0; k < n; ++k) po[long(k) * to] += px[k];
    }
    i += size_t(n);
  });
  return info.Env().Undefined();
}

// stridedCopy(x, out, shape, stridesX): out contiguous over `shape`, reading x at the given strides.
Napi::Value StridedCopy(const Napi::CallbackInfo& info) {
  const float* x = F32(info[0]);
  float* out = F32(info[1]);
  const int* shape = I32(info[2]);
  const int nd = int(Len(info[2]));
  const int* sx = I32(info[3]);
  std::vector<int> zero(nd > 0 ? nd : 1, 0);
  size_t o = 0;
  WalkRows(shape, nd, sx, zero.data(), [&](long ix, long, int n, int tx, int) {
    const float* px = x + ix;
    float* po = out + o;
    if (tx == 1) std::memcpy(po, px, sizeof(float) * size_t(n));
    else for (int k = 0; k < n; ++k) po[k] = px[long(k) * tx];
    o += size_t(n);
  });
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

// Calls visit(outIndex, inIndex or -1, max) for every output element.
template <class Visit>
void PoolScan(const PoolGeom& g, const float* x, Visit visit) {
  std::vector<float> best(g.C);
  std::vector<long> where(g.C);
  for (int b = 0; b < g.B; ++b)
    for (int oh = 0; oh < g.OH; ++oh)
      for (int ow = 0; ow < g.OW; ++ow) {
        std::fill(best.begin(), best.end(), -INFINITY);
        std::fill(where.begin(), where.end(), -1L);
        for (int kh = 0; kh < g.fh; ++kh) {
          const int ih = oh * g.sh - g.pt + kh;
          if (ih < 0 || ih >= g.H) continue;
          for (int kw = 0; kw < g.fw; ++kw) {
            const int iw = ow * g.sw - g.pl + kw;
            if (iw < 0 || iw >= g.W) continue;
            const long base = ((long(b) * g.H + ih) * g.W + iw) * g.C;
            const float* px = x + base;
            for (int c = 0; c < g.C; ++c)
              if (px[c] > best[c]) { best[c] = px[c]; where[c] = base + c; }
          }
        }
        const long o = ((long(b) * g.OH + oh) * g.OW + ow) * g.C;
        for (int c = 0; c < g.C; ++c) visit(o + c, where[c], best[c]);
      }
}

// maxPool(x, out, ...geometry)
Napi::Value MaxPool(const Napi::CallbackInfo& info) {
  const float* x = F32(info[0]);
  float* out = F32(info[1]);
  PoolScan(PGeom(info, 2), x, [out](long o, long, float m) { out[o] = m; });
  return info.Env().Undefined();
}

// maxPoolGrad(x, dy, dx, ...geometry): dx (zeroed here) gets dy at each window's first maximum.
Napi::Value MaxPoolGrad(const Napi::CallbackInfo& info) {
  const float* x = F32(info[0]);
  const float* dy = F32(info[1]);
  Napi::Float32Array dxa = info[2].As<Napi::Float32Array>();
  float* dx = dxa.Data();
  std::fill(dx, dx + dxa.ElementLength(), 0.f);
  PoolScan(PGeom(info, 3), x, [dx, dy](long o, long i, float) { if (i >= 0) dx[i] += dy[o]; });
  return info.Env().Undefined();
}

// Vectorisable float exp/log/tanh (Cephes polynomials, about 1-2 ulp): std::exp and std::log
// are scalar calls (6-30 ns per element here); these loops compile to SIMD. Lanes outside the
// polynomial's domain (NaN, infinities, non-positive or denormal log arguments) are redone
// with the std functions in a second, scalar pass.
inline float BitsToFloat(int32_t i) { float f; std::memcpy(&f, &i, 4); return f; }
inline int32_t FloatToBits(float f) { int32_t i; std::memcpy(&i, &f, 4); return i; }

inline float ExpPoly(float x) {
  const float cx = std::min(std::max(x, -87.0f), 88.0f);
  const float n = std::nearbyint(cx * 1.44269504088896341f);
  const float r = cx - n * 0.693359375f + n * 2.12194440e-4f;
  float p = 1.9875691500E-4f;
  p = p * r + 1.3981999507E-3f;
  p = p * r + 8.3334519073E-3f;
  p = p * r + 4.1665795894E-2f;
  p = p * r + 1.6666665459E-1f;
  p = p * r + 5.0000001201E-1f;
  const float y = p * r * r + r + 1.0f;
  return y * BitsToFloat((int32_t(n) + 127) << 23);
}

inline bool ExpInDomain(float x) { return x >= -87.0f && x <= 88.0f; }

inline float LogPoly(float x) {
  int32_t bits = FloatToBits(x);
  float e = float(((bits >> 23) & 0xff) - 126);
  float m = BitsToFloat((bits & 0x807fffff) | 0x3f000000);  // [0.5, 1)
  const bool small = m < 0.707106781186547524f;
  e = small ? e - 1.0f : e;
  m = small ? m + m - 1.0f : m - 1.0f;
  const float z = m * m;
  float y = 7.0376836292E-2f;
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

inline bool LogInDomain(float x) { return x >= 1.17549435e-38f && x <= 3.40282347e+38f; }

inline float TanhPoly(float x) {
  const float ax = std::fabs(x);
  const float z = x * x;
  const float small = ((((-5.70498872745E-3f * z + 2.06390887954E-2f) * z - 5.37397155531E-2f) * z +
                        1.33314422036E-1f) * z - 3.33332819422E-1f) * z * x + x;
  const float e = ExpPoly(std::min(2.0f * ax, 88.0f));
  const float large = std::copysign(1.0f - 2.0f / (e + 1.0f), x);
  return ax < 0.625f ? small : large;
}

inline bool TanhInDomain(float x) { return x == x; }

template <class F>
void UnaryLoop(const float* x, float* out, size_t n, F f) {
  for (size_t i = 0; i < n; ++i) out[i] = f(x[i]);
}

// A vectorised polynomial pass, then the exact function on the lanes outside its domain.
template <class F, class D, class G>
void PolyLoop(const float* x, float* out, size_t n, F poly, D inDomain, G exact) {
  for (size_t i = 0; i < n; ++i) out[i] = poly(x[i]);
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
  const size_t n = xa.ElementLength();
  switch (op) {
    case 0: UnaryLoop(x, out, n, [](float v) { return v < 0.f ? 0.f : v; }); break;
    case 1: UnaryLoop(x, out, n, [alpha](float v) { return v != v ? v : (v > 0.f ? 1.f : alpha); }); break;
    case 2: PolyLoop(x, out, n, ExpPoly, ExpInDomain, [](float v) { return std::exp(v); }); break;
    case 3: PolyLoop(x, out, n, LogPoly, LogInDomain, [](float v) { return std::log(v); }); break;
    case 4: UnaryLoop(x, out, n, [](float v) { return std::sqrt(v); }); break;
    case 5: UnaryLoop(x, out, n, [](float v) { return 1.f / std::sqrt(v); }); break;
    case 6: UnaryLoop(x, out, n, [](float v) { return v * v; }); break;
    case 7: UnaryLoop(x, out, n, [](float v) { return -v; }); break;
    case 8: UnaryLoop(x, out, n, [](float v) { return std::fabs(v); }); break;
    case 9:
      PolyLoop(x, out, n, [](float v) { return 1.f / (1.f + ExpPoly(-v)); }, ExpInDomain,
               [](float v) { return 1.f / (1.f + std::exp(-v)); });
      break;
    case 10: PolyLoop(x, out, n, TanhPoly, TanhInDomain, [](float v) { return std::tanh(v); }); break;
    case 11: UnaryLoop(x, out, n, [](float v) { return 1.f / v; }); break;
    case 12: UnaryLoop(x, out, n, [](float v) { return v < 0.f ? 0.f : (v > 6.f ? 6.f : v); }); break;
    case 13: UnaryLoop(x, out, n, [alpha](float v) { return v < 0.f ? alpha * v : v; }); break;
    case 14: UnaryLoop(x, out, n, [](float v) { return std::log1p(v); }); break;
    default: Napi::Error::New(info.Env(), "unknown unary op").ThrowAsJavaScriptException();
  }
  return info.Env().Undefined();
}

// softmax(x, out, rows, cols): softmax over the last dim, max-subtracted.
Napi::Value Softmax(const Napi::CallbackInfo& info) {
  const float* x = F32(info[0]);
  float* out = F32(info[1]);
  const long rows = I(info[2]), cols = I(info[3]);
  for (long r = 0; r < rows; ++r) {
    const float* px = x + r * cols;
    float* po = out + r * cols;
    float m = -INFINITY;
    for (long c = 0; c < cols; ++c) m = px[c] > m ? px[c] : m;
    for (long c = 0; c < cols; ++c) {
      const float d = px[c] - m;  // <= 0
      po[c] = d < -87.0f ? 0.f : ExpPoly(d);
    }
    if (m != m || m == INFINITY)  // NaN or +inf in the row: the exact, slow path
      for (long c = 0; c < cols; ++c) po[c] = std::exp(px[c] - m);
    float sum = 0;
    for (long c = 0; c < cols; ++c) sum += po[c];
    const float inv = 1.f / sum;
    for (long c = 0; c < cols; ++c) po[c] *= inv;
  }
  return info.Env().Undefined();
}

Napi::Value Threads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), openblas_get_num_threads());
}

Napi::Value Config(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), openblas_get_config());
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
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
  exports.Set("threads", Napi::Function::New(env, Threads));
  exports.Set("config", Napi::Function::New(env, Config));
  return exports;
}

}  // namespace

NODE_API_MODULE(autodidact_native, Init)
