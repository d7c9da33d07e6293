// Convolutions on oneDNN (Intel's deep-learning kernel library, the one PyTorch's CPU
// convolutions run on), when the addon was built against it (Debian: libdnnl-dev). Activations
// stay in tfjs's NHWC layout; weights are reordered from tfjs's HWIO to the blocked layout the
// chosen kernel wants (and the weight gradient back). Primitives are created once per geometry
// (creating one JIT-compiles it) and cached. A case oneDNN would only run with its reference
// implementation is declined, and the caller uses im2col + sgemm.
#include "conv-geom.h"

#ifdef AUTODIDACT_HAVE_DNNL
#include <dnnl.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

long ran = 0, declined = 0;  // convolutions run on oneDNN / left to im2col, for convEngine()

bool enabled = [] {
  const char* e = std::getenv("AUTODIDACT_DNNL");
  return !(e && std::strcmp(e, "0") == 0);
}();

dnnl::engine& Engine() {
  static dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}

dnnl::stream& Stream() {
  static dnnl::stream s(Engine());
  return s;
}

// One cached convolution: its primitive and, when the kernel's weight layout differs from HWIO,
// the reorder into (or, for the weight gradient, out of) that layout.
struct Entry {
  bool ok = false;
  dnnl::primitive prim;
  memory::desc a, b, out;     // descriptors the primitive runs on
  memory::desc weightsUser;   // HWIO
  memory::desc weightsPrim;   // the kernel's weight layout
  bool reorderWeights = false;
  dnnl::reorder weightsReorder;  // HWIO -> kernel (forward, backward data) or kernel -> HWIO (backward weights)
};

// The reordered weights live only while one convolution runs, so every cached convolution of a
// thread shares one buffer, grown to the largest (a buffer per convolution held a second and
// third copy of every conv weight of the network: 134 MB for a ResNet-18). The weights start on a
// 64-byte boundary: the AVX-512 kernels read them a cache line per load, and at malloc's 16-byte
// alignment every load straddled two lines (ResNet-18's convolutions took 10% more CPU time).
float* WeightsScratch(size_t bytes) {
  thread_local std::vector<float> buf;
  const size_t n = bytes / sizeof(float) + 16;
  if (buf.size() < n) buf.resize(n);
  const uintptr_t p = reinterpret_cast<uintptr_t>(buf.data());
  return reinterpret_cast<float*>((p + 63) & ~uintptr_t(63));
}

std::string Key(ConvKind kind, const ConvGeom& g) {
  const int* f = &g.B;
  std::string k = std::to_string(int(kind));
  for (int i = 0; i < 15; ++i) k += ',' + std::to_string(f[i]);
  return k;
}

bool Optimised(const dnnl::primitive_desc_base& pd) {
  const std::string impl = pd.impl_info_str();
  return impl.find("ref") == std::string::npos;
}

std::unique_ptr<Entry> Build(ConvKind kind, const ConvGeom& g) {
  auto e = std::make_unique<Entry>();
  // negative bottom/right padding (input rows a strided valid conv never reads) is allowed by oneDNN
  const memory::dims src = {g.B, g.C, g.H, g.W};
  const memory::dims wts = {g.OC, g.C, g.KH, g.KW};
  const memory::dims dst = {g.B, g.OC, g.OH, g.OW};
  const memory::dims strides = {g.sh, g.sw};
  const memory::dims dil = {g.dh - 1, g.dw - 1};
  const memory::dims padL = {g.pt, g.pl};
  const memory::dims padR = {g.pb(), g.pr()};
  const memory::desc srcMd(src, dt::f32, tag::nhwc);
  const memory::desc dstMd(dst, dt::f32, tag::nhwc);
  const memory::desc wAny(wts, dt::f32, tag::any);
  e->weightsUser = memory::desc(wts, dt::f32, tag::hwio);
  auto& eng = Engine();
  const auto algo = dnnl::algorithm::convolution_direct;
  dnnl::convolution_forward::desc fd(dnnl::prop_kind::forward_training, algo, srcMd, wAny, dstMd, strides, dil, padL,
                                     padR);
  dnnl::convolution_forward::primitive_desc fpd(fd, eng);
  if (kind == ConvKind::Forward) {
    if (!Optimised(fpd)) return e;
    e->prim = dnnl::convolution_forward(fpd);
    e->weightsPrim = fpd.weights_desc();
    e->a = srcMd;
    e->out = dstMd;
  } else if (kind == ConvKind::BackwardData) {
    dnnl::convolution_backward_data::desc bd(algo, srcMd, wAny, dstMd, strides, dil, padL, padR);
    dnnl::convolution_backward_data::primitive_desc bpd(bd, eng, fpd);
    if (!Optimised(bpd)) return e;
    e->prim = dnnl::convolution_backward_data(bpd);
    e->weightsPrim = bpd.weights_desc();
    e->a = dstMd;
    e->out = srcMd;
  } else {
    dnnl::convolution_backward_weights::desc wd(algo, srcMd, wAny, dstMd, strides, dil, padL, padR);
    dnnl::convolution_backward_weights::primitive_desc wpd(wd, eng, fpd);
    if (!Optimised(wpd)) return e;
    e->prim = dnnl::convolution_backward_weights(wpd);
    e->weightsPrim = wpd.diff_weights_desc();
    e->a = srcMd;
    e->b = dstMd;
  }
  e->reorderWeights = e->weightsPrim != e->weightsUser;
  if (e->reorderWeights) {
    memory user(e->weightsUser, eng, DNNL_MEMORY_NONE);
    memory prim(e->weightsPrim, eng, DNNL_MEMORY_NONE);
    e->weightsReorder = kind == ConvKind::BackwardWeights ? dnnl::reorder(prim, user) : dnnl::reorder(user, prim);
  }
  e->ok = true;
  return e;
}

Entry* Lookup(ConvKind kind, const ConvGeom& g) {
  static std::unordered_map<std::string, std::unique_ptr<Entry>> cache;
  const std::string key = Key(kind, g);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second.get();
  if (cache.size() > 512) cache.clear();  // a run's geometries are few; this only bounds odd workloads
  std::unique_ptr<Entry> e;
  try {
    e = Build(kind, g);
  } catch (const dnnl::error&) {
    e = std::make_unique<Entry>();
  }
  return (cache[key] = std::move(e)).get();
}

}  // namespace

bool DnnlConv(ConvKind kind, const ConvGeom& g, const float* a, const float* b, float* out) {
  if (!enabled) return false;
  Entry* e = Lookup(kind, g);
  if (!e->ok) {
    ++declined;
    return false;
  }
  try {
    auto& eng = Engine();
    auto& s = Stream();
    void* wa = const_cast<float*>(kind == ConvKind::BackwardWeights ? nullptr : b);
    memory weightsUser(e->weightsUser, eng, kind == ConvKind::BackwardWeights ? static_cast<void*>(out) : wa);
    memory weights =
        e->reorderWeights ? memory(e->weightsPrim, eng, WeightsScratch(e->weightsPrim.get_size())) : weightsUser;
    if (kind == ConvKind::Forward) {
      if (e->reorderWeights) e->weightsReorder.execute(s, weightsUser, weights);
      e->prim.execute(s, {{DNNL_ARG_SRC, memory(e->a, eng, const_cast<float*>(a))},
                          {DNNL_ARG_WEIGHTS, weights},
                          {DNNL_ARG_DST, memory(e->out, eng, out)}});
    } else if (kind == ConvKind::BackwardData) {
      if (e->reorderWeights) e->weightsReorder.execute(s, weightsUser, weights);
      e->prim.execute(s, {{DNNL_ARG_DIFF_DST, memory(e->a, eng, const_cast<float*>(a))},
                          {DNNL_ARG_WEIGHTS, weights},
                          {DNNL_ARG_DIFF_SRC, memory(e->out, eng, out)}});
    } else {
      e->prim.execute(s, {{DNNL_ARG_SRC, memory(e->a, eng, const_cast<float*>(a))},
                          {DNNL_ARG_DIFF_DST, memory(e->b, eng, const_cast<float*>(b))},
                          {DNNL_ARG_DIFF_WEIGHTS, weights}});
      if (e->reorderWeights) e->weightsReorder.execute(s, weights, weightsUser);
    }
    s.wait();
    ++ran;
    return true;
  } catch (const dnnl::error&) {
    e->ok = false;  // never again for this geometry
    return false;
  }
}

extern "C" void omp_set_num_threads(int);

void DnnlSetEnabled(bool on) { enabled = on; }
bool DnnlAvailable() { return true; }
void DnnlThreads(int n) {
  if (!std::getenv("OMP_NUM_THREADS") && n > 0) omp_set_num_threads(n);
}

const char* DnnlInfo() {
  static std::string info;
  const dnnl_version_t* v = dnnl_version();
  info = "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch) +
         (enabled ? "" : " (switched off)") + " (" + std::to_string(ran) + " convolutions run, " +
         std::to_string(declined) + " left to im2col)";
  return info.c_str();
}

#else  // built without oneDNN

bool DnnlConv(ConvKind, const ConvGeom&, const float*, const float*, float*) { return false; }
void DnnlSetEnabled(bool) {}
bool DnnlAvailable() { return false; }
void DnnlThreads(int) {}
const char* DnnlInfo() { return "oneDNN not built in (install libdnnl-dev and rebuild)"; }

#endif
