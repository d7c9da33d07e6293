// Geometry of an NHWC 2-D convolution as tfjs describes it (computeConv2DInfo), shared by the
// im2col + sgemm kernels (addon.cc) and the oneDNN ones (dnnl-conv.cc).
#pragma once
#include <cstddef>

struct ConvGeom {
  int B, H, W, C, KH, KW, OC, OH, OW, sh, sw, dh, dw, pt, pl;
  size_t K() const { return size_t(KH) * KW * C; }
  size_t rowsPerImage() const { return size_t(OH) * OW; }
  bool pointwise() const { return KH == 1 && KW == 1 && sh == 1 && sw == 1 && pt == 0 && pl == 0 && OH == H && OW == W; }
  // Bottom and right padding implied by the output size (may be negative for a 'valid' conv
  // whose strides leave input rows unused).
  int pb() const { return (OH - 1) * sh + (KH - 1) * dh + 1 - H - pt; }
  int pr() const { return (OW - 1) * sw + (KW - 1) * dw + 1 - W - pl; }
};

// Direction of a convolution kernel.
enum class ConvKind { Forward = 0, BackwardData = 1, BackwardWeights = 2 };

// oneDNN convolution (dnnl-conv.cc): forward (a = x, b = w, out = y), backward data (a = dy,
// b = w, out = dx) or backward weights (a = x, b = dy, out = dw), tfjs layouts (NHWC, HWIO).
// Returns false when oneDNN is not built in, disabled, or has no optimised kernel for the case;
// the caller then runs im2col + sgemm.
bool DnnlConv(ConvKind kind, const ConvGeom& g, const float* a, const float* b, float* out);

// Whether convolutions may use oneDNN (set from JavaScript; default on when built in).
void DnnlSetEnabled(bool on);
bool DnnlAvailable();
// oneDNN's thread count (OpenMP) follows OpenBLAS's unless OMP_NUM_THREADS is set.
void DnnlThreads(int n);
// One line naming the oneDNN version, or why it is unavailable.
const char* DnnlInfo();
