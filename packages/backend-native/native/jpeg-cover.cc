// A JPEG fast path for streamed image folders: libjpeg-turbo decodes at a reduced size (DCT
// scaling, scale_num/8, the same shrink-on-load libvips uses), then the shorter side is scaled to
// the target with an antialiased triangle (bilinear) filter and the centre is cropped
// (torchvision's Resize + CenterCrop, PIL's coefficients), written as byte/255 float32.
//
// Why not sharp here: per image libvips spends about 1.5 ms of CPU building and tearing down its
// pipeline on a 64-96 px JPEG whose decode costs tens of microseconds (measured with
// `npm run bench:data`); this path costs about 0.1 ms. It handles only the plain case and
// declines (returns false) on anything else, so the caller falls back to sharp, which keeps every
// error message and edge case: a warning from libjpeg (truncated or corrupt data), an EXIF
// orientation other than 1, an embedded ICC profile, CMYK/YCCK, or grey output asked of a colour
// JPEG (libvips computes luminance in linear light; libjpeg's Y is not that).
#include <napi.h>

#include <jpeglib.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <vector>

#ifndef NATIVE_JPEG_MIN_SCALE
#define NATIVE_JPEG_MIN_SCALE 1
#endif
namespace {

struct ErrorManager {
  jpeg_error_mgr pub;
  jmp_buf jump;
};

void OnError(j_common_ptr cinfo) { longjmp(reinterpret_cast<ErrorManager*>(cinfo->err)->jump, 1); }

// Level -1 is a warning about corrupt or truncated data: decline, sharp reports it as the file's error.
void OnMessage(j_common_ptr cinfo, int level) {
  if (level < 0) longjmp(reinterpret_cast<ErrorManager*>(cinfo->err)->jump, 1);
}

void Silent(j_common_ptr) {}

// The EXIF orientation (tag 0x0112) in an APP1 marker, or 1 when absent or unreadable.
int ExifOrientation(const jpeg_saved_marker_ptr marker) {
  for (jpeg_saved_marker_ptr m = marker; m; m = m->next) {
    if (m->marker != JPEG_APP0 + 1 || m->data_length < 14) continue;
    const uint8_t* d = m->data;
    if (d[0] != 'E' || d[1] != 'x' || d[2] != 'i' || d[3] != 'f') continue;
    const uint8_t* t = d + 6;
    const size_t n = m->data_length - 6;
    const bool le = t[0] == 'I';
    auto u16 = [&](size_t o) -> unsigned { return o + 2 > n ? 0 : le ? t[o] | (t[o + 1] << 8) : (t[o] << 8) | t[o + 1]; };
    auto u32 = [&](size_t o) -> size_t {
      if (o + 4 > n) return 0;
      return le ? (size_t)t[o] | ((size_t)t[o + 1] << 8) | ((size_t)t[o + 2] << 16) | ((size_t)t[o + 3] << 24)
                : ((size_t)t[o] << 24) | ((size_t)t[o + 1] << 16) | ((size_t)t[o + 2] << 8) | (size_t)t[o + 3];
    };
    const size_t ifd = u32(4);
    if (ifd == 0 || ifd + 2 > n) return 0;  // unreadable EXIF: let sharp decide
    const unsigned entries = u16(ifd);
    for (unsigned e = 0; e < entries; e++) {
      const size_t at = ifd + 2 + 12 * e;
      if (at + 12 > n) return 0;
      if (u16(at) == 0x0112) return static_cast<int>(u16(at + 8));
    }
    return 1;
  }
  return 1;
}

bool HasIcc(const jpeg_saved_marker_ptr marker) {
  for (jpeg_saved_marker_ptr m = marker; m; m = m->next) {
    if (m->marker == JPEG_APP0 + 2 && m->data_length >= 12 && std::equal(m->data, m->data + 11, "ICC_PROFILE")) return true;
  }
  return false;
}

// PIL's resampling coefficients for one axis (Imaging/Resample.c, bilinear): output pixel x of
// `outSize` over input `inSize`, `scale` input pixels per output pixel, first output at `offset`.
struct Taps {
  std::vector<int> first, count;
  std::vector<float> weights;
  int width = 0;
};

Taps Coefficients(int inSize, double scale, int outSize, int offset) {
  const double filterScale = std::max(scale, 1.0);
  const double support = 1.0 * filterScale;
  Taps t;
  t.width = static_cast<int>(std::ceil(support)) * 2 + 1;
  t.first.resize(outSize);
  t.count.resize(outSize);
  t.weights.assign(static_cast<size_t>(outSize) * t.width, 0.f);
  for (int x = 0; x < outSize; x++) {
    const double center = (x + offset + 0.5) * scale;
    int lo = static_cast<int>(center - support + 0.5);
    int hi = static_cast<int>(center + support + 0.5);
    lo = std::max(lo, 0);
    hi = std::min(hi, inSize);
    double total = 0;
    float* w = &t.weights[static_cast<size_t>(x) * t.width];
    for (int j = lo; j < hi && j - lo < t.width; j++) {
      const double v = 1.0 - std::fabs((j - center + 0.5) / filterScale);
      const double k = v > 0 ? v : 0;
      w[j - lo] = static_cast<float>(k);
      total += k;
    }
    const int count = std::min(hi - lo, t.width);
    for (int j = 0; j < count; j++) w[j] = total > 0 ? static_cast<float>(w[j] / total) : 0.f;
    t.first[x] = lo;
    t.count[x] = std::max(count, 0);
  }
  return t;
}

// decodeJpegCover(bytes: Uint8Array, height, width, channels (1|3), out: Float32Array) -> boolean
Napi::Value DecodeJpegCover(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 5 || !info[0].IsTypedArray() || !info[4].IsTypedArray()) {
    Napi::TypeError::New(env, "decodeJpegCover(bytes, height, width, channels, out)").ThrowAsJavaScriptException();
    return env.Null();
  }
  auto bytes = info[0].As<Napi::Uint8Array>();
  const int H = info[1].As<Napi::Number>().Int32Value();
  const int W = info[2].As<Napi::Number>().Int32Value();
  const int C = info[3].As<Napi::Number>().Int32Value();
  auto out = info[4].As<Napi::Float32Array>();
  if (H < 1 || W < 1 || (C != 1 && C != 3) || out.ElementLength() != static_cast<size_t>(H) * W * C) {
    Napi::RangeError::New(env, "decodeJpegCover: bad size, channels or output length").ThrowAsJavaScriptException();
    return env.Null();
  }

  jpeg_decompress_struct cinfo;
  ErrorManager err;
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = OnError;
  err.pub.emit_message = OnMessage;
  err.pub.output_message = Silent;
  std::vector<uint8_t> pixels;  // declared before setjmp: no non-trivial destructor skipped by longjmp
  std::vector<float> rows;
  Taps tx, ty;
  jpeg_create_decompress(&cinfo);
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    return Napi::Boolean::New(env, false);
  }
  jpeg_mem_src(&cinfo, bytes.Data(), static_cast<unsigned long>(bytes.ByteLength()));
  jpeg_save_markers(&cinfo, JPEG_APP0 + 1, 0xffff);
  jpeg_save_markers(&cinfo, JPEG_APP0 + 2, 0xffff);
  jpeg_read_header(&cinfo, TRUE);
  const int w0 = static_cast<int>(cinfo.image_width), h0 = static_cast<int>(cinfo.image_height);
  const bool grey = cinfo.jpeg_color_space == JCS_GRAYSCALE;
  const bool plain = cinfo.jpeg_color_space == JCS_YCbCr || cinfo.jpeg_color_space == JCS_RGB || grey;
  if (!plain || (C == 1 && !grey) || ExifOrientation(cinfo.marker_list) != 1 || HasIcc(cinfo.marker_list) ||
      static_cast<double>(w0) * h0 > 1e8) {
    jpeg_destroy_decompress(&cinfo);
    return Napi::Boolean::New(env, false);
  }
  // The cover size: the shorter side scaled to the target, the other in proportion.
  const double s = std::max(static_cast<double>(W) / w0, static_cast<double>(H) / h0);
  const int rw = std::max(W, static_cast<int>(std::lround(w0 * s)));
  const int rh = std::max(H, static_cast<int>(std::lround(h0 * s)));
  // Shrink on load as libvips does: the smallest of 1/8, 1/4, 1/2 that leaves at least twice the
  // cover size, so the final (antialiased) resize still does the reducing. Other n/8 scalings
  // alias visibly on detailed photos (measured against PIL's full-size resize).
  int num = 8;
  for (int n : {1, 2, 4}) {
    if (n < NATIVE_JPEG_MIN_SCALE) continue;
    if ((w0 * n + 7) / 8 >= 2 * rw && (h0 * n + 7) / 8 >= 2 * rh) {
      num = n;
      break;
    }
  }
  cinfo.scale_num = num;
  cinfo.scale_denom = 8;
  cinfo.out_color_space = C == 1 ? JCS_GRAYSCALE : JCS_RGB;
  cinfo.dct_method = JDCT_ISLOW;
  jpeg_start_decompress(&cinfo);
  const int sw = static_cast<int>(cinfo.output_width), sh = static_cast<int>(cinfo.output_height);
  pixels.resize(static_cast<size_t>(sw) * sh * C);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = pixels.data() + static_cast<size_t>(cinfo.output_scanline) * sw * C;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);

  // Resize the decoded (sw x sh) to the cover size (rw x rh), keeping only the centre W x H.
  // Half a pixel of slack goes left/top as sharp (libvips) places its centre crop.
  const int left = (rw - W + 1) / 2, top = (rh - H + 1) / 2;
  tx = Coefficients(sw, static_cast<double>(sw) / rw, W, left);
  ty = Coefficients(sh, static_cast<double>(sh) / rh, H, top);
  const int r0 = ty.first[0];
  const int r1 = ty.first[H - 1] + ty.count[H - 1];
  rows.assign(static_cast<size_t>(std::max(r1 - r0, 0)) * W * C, 0.f);
  for (int y = r0; y < r1; y++) {
    const uint8_t* src = pixels.data() + static_cast<size_t>(y) * sw * C;
    float* dst = rows.data() + static_cast<size_t>(y - r0) * W * C;
    for (int x = 0; x < W; x++) {
      const float* w = &tx.weights[static_cast<size_t>(x) * tx.width];
      const uint8_t* p = src + static_cast<size_t>(tx.first[x]) * C;
      for (int c = 0; c < C; c++) {
        float acc = 0;
        for (int j = 0; j < tx.count[x]; j++) acc += w[j] * p[j * C + c];
        dst[x * C + c] = acc;
      }
    }
  }
  float* o = out.Data();
  for (int y = 0; y < H; y++) {
    const float* w = &ty.weights[static_cast<size_t>(y) * ty.width];
    for (int x = 0; x < W * C; x++) {
      float acc = 0;
      for (int j = 0; j < ty.count[y]; j++) acc += w[j] * rows[static_cast<size_t>(ty.first[y] - r0 + j) * W * C + x];
      // Rounded to a byte first, as the sharp path's 8-bit output: values stay byte/255.
      const float b = std::min(255.f, std::max(0.f, std::nearbyint(acc)));
      o[static_cast<size_t>(y) * W * C + x] = b / 255.f;
    }
  }
  return Napi::Boolean::New(env, true);
}

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("decodeJpegCover", Napi::Function::New(env, DecodeJpegCover));
  return exports;
}

NODE_API_MODULE(autodidact_jpeg, Init)
