// onestep's native kernels: a packed, register-blocked float64 GEMM (both cores by std::thread),
// and a blocked Cholesky factor/solve built on it. Exposed to JavaScript through Node-API only,
// so the addon needs no npm package to build. All arrays are row-major and owned by JavaScript
// (Float64Array); no kernel allocates its result.
//
// Why this shape: one trial is ~16·n³ flops of products, and a plain JS loop reaches ~1 GFLOP/s.
// The GEMM follows the classic Goto/BLIS layering: pack a KC×NC panel of B and an MC×KC block of
// A into contiguous, zero-padded buffers, then run an MR×NR micro-kernel that keeps the whole C
// tile in vector registers. GCC's vector extension (v8d) becomes AVX-512 with -march=native and
// pairs of AVX2 registers elsewhere, so the source carries no intrinsics.
#include <node_api.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <type_traits>
#include <sched.h>
#include <unistd.h>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

// Regions compiled without contracting a product and a sum into one fused multiply-add, for
// code whose every rounding is specified (JavaScript never fuses; the Cholesky's base case is a
// written rule). Scoped for both compilers: GCC's optimize options, clang's floating-point control.
#ifdef __clang__
#define NO_CONTRACTION_BEGIN _Pragma("float_control(push)") _Pragma("clang fp contract(off)")
#define NO_CONTRACTION_END _Pragma("float_control(pop)")
#else
#define NO_CONTRACTION_BEGIN _Pragma("GCC push_options") _Pragma("GCC optimize(\"fp-contract=off\")")
#define NO_CONTRACTION_END _Pragma("GCC pop_options")
#endif

namespace {

typedef double v8d __attribute__((vector_size(64)));

// The C tile held in registers: MR rows × NR columns (NV vectors of 8), 24 accumulators. 6×32
// needs 6 broadcasts of A and 4 loads of B per 24 FMAs, where 12×16 needed 12 and 2: on an AMD
// EPYC (Zen 4) 6×32 with KC = 512 and the C tile prefetched reached 49–50 GFLOP/s on one core
// against 42–44 for 12×16 with KC = 256 (NumPy/OpenBLAS: 51–54), docs/kernels.md.
constexpr int MR = 6;
constexpr int NR = 32;
constexpr int NV = NR / 8;
// Depth of one packed panel. The only block size that orders the sums (C gathers one partial
// product per KC), so it is fixed, not machine-dependent: the same bits on every machine.
constexpr int KC = 512;

// MC (rows of a packed A block, kept in L2) and NC (columns of a packed B panel, kept in L3)
// only partition C: they change the speed, never the result. They come from the cache sizes
// this machine reports (Linux sysfs, else sysconf), with ONESTEP_GEMM_BLOCKS="MC,NC" overriding.
struct Blocking {
  int mc = 120, nc = 4096;
  long l1 = 0, l2 = 0, l3 = 0;
  const char* source = "defaults";
};

long sysfs_cache_size(int level, const char* type) {
  for (int index = 0; index < 8; index++) {
    char path[96];
    std::snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/", index);
    auto read = [&](const char* leaf, char* buf, int size) {
      char p2[128];
      std::snprintf(p2, sizeof p2, "%s%s", path, leaf);
      FILE* f = std::fopen(p2, "r");
      if (!f) return false;
      const bool ok = std::fgets(buf, size, f) != nullptr;
      std::fclose(f);
      return ok;
    };
    char lv[16], ty[32], sz[32];
    if (!read("level", lv, sizeof lv) || !read("type", ty, sizeof ty) || !read("size", sz, sizeof sz)) continue;
    if (std::atoi(lv) != level || std::strncmp(ty, type, std::strlen(type)) != 0) continue;
    char* end = nullptr;
    long v = std::strtol(sz, &end, 10);
    if (end && (*end == 'K' || *end == 'k')) v *= 1024;
    else if (end && (*end == 'M' || *end == 'm')) v *= 1024 * 1024;
    return v;
  }
  return 0;
}

Blocking decide_blocking() {
  Blocking b;
  b.l1 = sysfs_cache_size(1, "Data");
  b.l2 = sysfs_cache_size(2, "Unified");
  b.l3 = sysfs_cache_size(3, "Unified");
  b.source = "sysfs";
#ifdef _SC_LEVEL2_CACHE_SIZE
  if (b.l2 <= 0) {
    b.l1 = sysconf(_SC_LEVEL1_DCACHE_SIZE);
    b.l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
    b.l3 = sysconf(_SC_LEVEL3_CACHE_SIZE);
    b.source = "sysconf";
  }
#endif
  if (b.l2 > 0) {
    // The A block (MC×KC doubles) takes at most half of L2, the rest is for C and B's stream.
    b.mc = std::max(MR, std::min(2040, static_cast<int>(b.l2 / 2 / (KC * 8)) / MR * MR));
    // The B panel (KC×NC) takes at most a quarter of L3 (shared by the cores, each packing its own).
    if (b.l3 > 0) b.nc = std::max(NR, std::min(8192, static_cast<int>(b.l3 / 4 / (KC * 8)) / NR * NR));
  } else {
    b.source = "defaults";
  }
  if (const char* env = std::getenv("ONESTEP_GEMM_BLOCKS")) {
    int mc = 0, nc = 0;
    if (std::sscanf(env, "%d,%d", &mc, &nc) == 2 && mc >= MR && nc >= NR) {
      b.mc = mc / MR * MR;
      b.nc = nc / NR * NR;
      b.source = "ONESTEP_GEMM_BLOCKS";
    }
  }
  return b;
}

const Blocking& blocking() {
  static const Blocking b = decide_blocking();
  return b;
}

std::atomic<int> g_threads{0};  // 0 = not yet decided; set by any calling thread

int thread_count() {
  if (const int set = g_threads.load(std::memory_order_relaxed); set > 0) return set;
  const char* env = std::getenv("ONESTEP_THREADS");
  int t = env ? std::atoi(env) : 0;
  if (t <= 0) t = static_cast<int>(std::thread::hardware_concurrency());
  t = std::max(1, std::min(t, 64));
  g_threads.store(t, std::memory_order_relaxed);
  return t;
}

// Waiting for another kernel thread: spin for up to about 50 µs (most waits here end sooner: a
// barrier between two halves of a product, a helper picking up the next call), then sleep on the
// condition variable. A sleeping thread in this KVM guest takes tens of microseconds to wake.
// ready() reads atomics only; whoever makes it true locks mu and then notifies, so no wake-up
// is lost between the check under the lock and the sleep.
template <typename Ready> void await(std::mutex& mu, std::condition_variable& cv, Ready ready, bool spin = true) {
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 1; !ready(); i++) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
    if (i % 16 == 0) sched_yield();  // the awaited thread may be queued on this very core
    if (!spin || (i % 64 == 0 && std::chrono::steady_clock::now() - t0 > std::chrono::microseconds(50))) {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, ready);
      return;
    }
  }
}

void wake(std::mutex& mu, std::condition_variable& cv) {
  { std::lock_guard<std::mutex> lock(mu); }
  cv.notify_all();
}

// The kernel threads of one calling thread (the JavaScript main thread, or one --jobs worker):
// started on first use and kept between calls. Before, every parallel call started and joined
// its own std::threads, and each new thread's packing buffers (thread_local, 1 MB for A) were
// fresh memory, paid for in page faults on every product. One team per calling thread, so
// workers calling the addon at once never share one. The team never shrinks: a call with fewer
// parts than helpers wakes only the helpers it needs, and the others sleep on.
class Team {
 public:
  // fn(t) for t in [0, parts): t = 0 on the caller, the others on the team's helpers.
  template <typename F> void run(int parts, F&& fn) {
    if (parts <= 1) {
      fn(0);
      return;
    }
    grow(parts - 1);
    job_ = Job{[](const void* f, int t) { (*static_cast<const std::remove_reference_t<F>*>(f))(t); }, &fn};
    pending_.store(parts - 1, std::memory_order_relaxed);
    // One word for the call's generation and its parts, so that a helper outside the call (one
    // still spinning after the last) learns so without reading job_, which the next call may be
    // writing: it never answers. A helper inside it reads job_ before answering, and the next
    // call waits for every answer.
    const uint64_t word = call_.load(std::memory_order_relaxed);
    call_.store((((word >> 8) + 1) << 8) | static_cast<uint64_t>(parts), std::memory_order_release);
    for (int t = 1; t < parts; t++) wake(helpers_[t - 1]->mu, helpers_[t - 1]->cv);
    fn(0);  // built without exceptions (node-gyp's default): nothing unwinds past the helpers
    await(mu_, done_, [&] { return pending_.load(std::memory_order_acquire) == 0; });
  }

  ~Team() {
    stop_.store(true);
    for (auto& h : helpers_) wake(h->mu, h->cv);
    for (auto& h : helpers_) h->thread.join();
  }

 private:
  struct Job {
    void (*call)(const void*, int);
    const void* fn;
  };
  struct Helper {
    std::mutex mu;
    std::condition_variable cv;
    std::thread thread;
  };

  void grow(int count) {
    while (static_cast<int>(helpers_.size()) < count) {
      const int t = static_cast<int>(helpers_.size()) + 1;
      const uint64_t seen = call_.load() >> 8;
      helpers_.push_back(std::make_unique<Helper>());
      Helper* h = helpers_.back().get();
      h->thread = std::thread([this, h, t, seen] { loop(*h, t, seen); });
    }
  }

  void loop(Helper& h, int t, uint64_t seen) {
    bool spin = true;
    for (;;) {
      uint64_t word = 0;
      await(h.mu, h.cv, [&] {
        word = call_.load(std::memory_order_acquire);
        return stop_.load() || (word >> 8) != seen;
      }, spin);
      if (stop_.load()) return;
      seen = word >> 8;
      spin = t < static_cast<int>(word & 0xff);  // spin for the next call only after taking part
      if (!spin) continue;
      const Job job = job_;
      job.call(job.fn, t);
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) wake(mu_, done_);
    }
  }

  std::vector<std::unique_ptr<Helper>> helpers_;
  std::mutex mu_;
  std::condition_variable done_;
  Job job_{nullptr, nullptr};
  std::atomic<uint64_t> call_{0};  // generation << 8 | parts of the latest call (parts ≤ 64)
  std::atomic<int> pending_{0};
  std::atomic<bool> stop_{false};
};

Team& team() {
  static thread_local Team t;
  return t;
}

// fn(begin, end) over [0, count) in contiguous parts, one per kernel thread, when there is work
// enough to repay handing parts to the team's threads: `cost` is the work per item in
// entries touched, and part boundaries fall on multiples of `align` (the passes' vector width).
// Every item is computed the same way whichever part holds it, so the split changes no bit.
template <typename F> void in_parts(long count, long cost, long align, F fn) {
  const double work = static_cast<double>(count) * static_cast<double>(cost);
  long parts = work < static_cast<double>(1 << 19) ? 1 : std::min<long>(thread_count(), count / align);
  if (parts <= 1) {
    fn(0L, count);
    return;
  }
  const long per = ((count + parts - 1) / parts + align - 1) / align * align;
  team().run(static_cast<int>(parts), [&](int t) {
    const long a = std::min(count, t * per), b = std::min(count, a + per);
    if (b > a) fn(a, b);
  });
}

// A strided view: element (i, p) is at base[i*rs + p*cs]. Transposes are just swapped strides.
struct View {
  const double* base;
  long rs, cs;
  double at(long i, long p) const { return base[i * rs + p * cs]; }
};

// Grow-only, 64-byte-aligned scratch per thread, so repeated calls do not allocate.
struct Scratch {
  double* ptr = nullptr;
  size_t size = 0;
  double* get(size_t n) {
    if (n > size) {
      std::free(ptr);
      ptr = static_cast<double*>(std::aligned_alloc(64, ((n * sizeof(double) + 63) / 64) * 64));
      size = ptr ? n : 0;
    }
    return ptr;
  }
  ~Scratch() { std::free(ptr); }
};
thread_local Scratch t_pack_a, t_pack_b;

// Pack rows [i0, i0+mc) × depth [p0, p0+kc) of A into MR-row micro-panels: panel r holds, for
// each p, MR consecutive values (zero past the last row).
void pack_a(const View& a, long i0, long p0, int mc, int kc, double* dst) {
  for (int ir = 0; ir < mc; ir += MR) {
    const int rows = std::min(MR, mc - ir);
    double* panel = dst + static_cast<long>(ir) * kc;
    for (int i = 0; i < MR; i++) {
      if (i < rows) {
        for (int p = 0; p < kc; p++) panel[p * MR + i] = a.at(i0 + ir + i, p0 + p);
      } else {
        for (int p = 0; p < kc; p++) panel[p * MR + i] = 0.0;
      }
    }
  }
}

// Pack depth [p0, p0+kc) × columns [j0, j0+nc) of B into NR-column slivers (zero past the end).
void pack_b(const View& b, long p0, long j0, int kc, int nc, double* dst) {
  for (int jr = 0; jr < nc; jr += NR) {
    const int cols = std::min(NR, nc - jr);
    double* sliver = dst + static_cast<long>(jr) * kc;
    for (int p = 0; p < kc; p++) {
      double* out = sliver + p * NR;
      int j = 0;
      for (; j < cols; j++) out[j] = b.at(p0 + p, j0 + jr + j);
      for (; j < NR; j++) out[j] = 0.0;
    }
  }
}

// C[0:mr, 0:nr] += alpha · (packed A micro-panel) · (packed B sliver), depth kc.
void micro_kernel(int kc, const double* __restrict a, const double* __restrict b, double* __restrict c, long ldc,
                  int mr, int nr, double alpha) {
  v8d acc[MR][NV];
#pragma GCC unroll 16
  for (int i = 0; i < MR; i++)
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) acc[i][v] = v8d{};
  // The C tile is only touched after the loop: ask for its lines now, so they arrive meanwhile.
  for (int i = 0; i < MR; i++)
    for (int v = 0; v < NV; v++) __builtin_prefetch(c + i * ldc + 8 * v, 1, 3);
  for (int p = 0; p < kc; p++) {
    v8d bv[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) bv[v] = *reinterpret_cast<const v8d*>(b + p * NR + 8 * v);
    const double* ap = a + p * MR;
#pragma GCC unroll 16
    for (int i = 0; i < MR; i++) {
      const double ai = ap[i];
#pragma GCC unroll 4
      for (int v = 0; v < NV; v++) acc[i][v] += ai * bv[v];
    }
  }
  if (mr == MR && nr == NR) {
    for (int i = 0; i < MR; i++) {
      double* ci = c + i * ldc;
      for (int v = 0; v < NV; v++)
        for (int j = 0; j < 8; j++) ci[8 * v + j] += alpha * acc[i][v][j];
    }
  } else {
    for (int i = 0; i < mr; i++) {
      double* ci = c + i * ldc;
      for (int j = 0; j < nr; j++) ci[j] += alpha * acc[i][j / 8][j % 8];
    }
  }
}

// Rows [r0, r1) of C's panel (columns jc … jc + nc) += alpha · A·(packed B panel), depth block
// pc: each MC block of A packed into ap, then the micro-kernels over the whole panel. With
// `lower`, only the tiles holding an entry on or below C's diagonal (the Gram's triangle; a
// tile across the diagonal is computed whole).
void panel_rows(const View& a, long r0, long r1, long pc, int kc, long jc, int nc, const double* bp, double* ap, double* c, long ldc, double alpha, bool lower) {
  const int MC = blocking().mc;
  for (long ic = r0; ic < r1; ic += MC) {
    const int mc = static_cast<int>(std::min<long>(MC, r1 - ic));
    if (lower && jc > ic + mc - 1) continue;  // the whole block lies above the diagonal
    pack_a(a, ic, pc, mc, kc, ap);
    for (int jr = 0; jr < nc; jr += NR) {
      const int nr = std::min(NR, nc - jr);
      if (lower && jc + jr > ic + mc - 1) break;
      for (int ir = 0; ir < mc; ir += MR) {
        const int mr = std::min(MR, mc - ir);
        if (lower && jc + jr > ic + ir + mr - 1) continue;
        micro_kernel(kc, ap + static_cast<long>(ir) * kc, bp + static_cast<long>(jr) * kc, c + (ic + ir) * ldc + jc + jr, ldc, mr, nr, alpha);
      }
    }
  }
}

// C (m×n, leading dimension ldc) += alpha · A·B on one thread, with A and B as strided views.
void gemm_serial(long m, long n, long k, double alpha, const View& a, const View& b, double* c, long ldc, bool lower) {
  const int MC = blocking().mc, NC = blocking().nc;
  double* bp = t_pack_b.get(static_cast<size_t>(KC) * (std::min<long>(n, NC) + NR));
  double* ap = t_pack_a.get(static_cast<size_t>(KC) * (MC + MR));
  if (!bp || !ap) return;  // allocation failure: reported by the caller's check of the result
  for (long jc = 0; jc < n; jc += NC) {
    const int nc = static_cast<int>(std::min<long>(NC, n - jc));
    for (long pc = 0; pc < k; pc += KC) {
      const int kc = static_cast<int>(std::min<long>(KC, k - pc));
      if (lower && jc > m - 1) break;
      pack_b(b, pc, jc, kc, nc, bp);
      panel_rows(a, 0, m, pc, kc, jc, nc, bp, ap, c, ldc, alpha, lower);
    }
  }
}

// A reusable barrier for the threads of one product (C++17 has no std::barrier).
class Barrier {
 public:
  explicit Barrier(int count) : count_(count) {}
  void wait() {
    const long generation = generation_.load(std::memory_order_acquire);
    if (waiting_.fetch_add(1, std::memory_order_acq_rel) + 1 == count_) {
      waiting_.store(0, std::memory_order_relaxed);
      generation_.fetch_add(1, std::memory_order_release);
      wake(mu_, cv_);
    } else {
      await(mu_, cv_, [&] { return generation_.load(std::memory_order_acquire) != generation; });
    }
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  const int count_;
  std::atomic<int> waiting_{0};
  std::atomic<long> generation_{0};
};

// The first row of thread t's share of C (t = parts: m), on MR boundaries. Equal shares of rows,
// or with `lower` equal shares of the triangle: rows [0, r) hold r²/2 of it, so r = m·√(t/parts).
long share_start(long m, int t, int parts, bool lower) {
  if (t >= parts) return m;
  const double f = lower ? std::sqrt(static_cast<double>(t) / parts) : static_cast<double>(t) / parts;
  return std::min(m, static_cast<long>(std::llround(f * m / MR)) * MR);
}

// C += alpha·A·B on `parts` threads that share each packed B panel: every thread packs a slice of
// the panel's slivers, all wait, then each runs its own rows of C (packing its own A blocks) on
// the whole panel. Splitting the columns instead made every thread pack all of A (a tenth of a
// product at n = 1000). The rows only split C, and the depth blocks are the serial ones: the same
// sums in the same order, so the same bits at any thread count.
void gemm_shared(long m, long n, long k, double alpha, const View& a, const View& b, double* c, long ldc, int parts, bool lower) {
  const int MC = blocking().mc, NC = blocking().nc;
  double* bp = t_pack_b.get(static_cast<size_t>(KC) * (std::min<long>(n, NC) + NR));  // the caller's: shared
  if (!bp) return;
  Barrier barrier(parts);
  auto work = [&](int t) {
    double* ap = t_pack_a.get(static_cast<size_t>(KC) * (MC + MR));
    const long r0 = share_start(m, t, parts, lower), r1 = share_start(m, t + 1, parts, lower);
    for (long jc = 0; jc < n; jc += NC) {
      const int nc = static_cast<int>(std::min<long>(NC, n - jc));
      const int slivers = (nc + NR - 1) / NR;
      const int per = (slivers + parts - 1) / parts;
      for (long pc = 0; pc < k; pc += KC) {
        const int kc = static_cast<int>(std::min<long>(KC, k - pc));
        const int j0 = std::min(nc, t * per * NR), j1 = std::min(nc, j0 + per * NR);
        if (j1 > j0) pack_b(b, pc, jc + j0, kc, j1 - j0, bp + static_cast<long>(j0) * kc);
        barrier.wait();
        if (ap && r1 > r0) panel_rows(a, r0, r1, pc, kc, jc, nc, bp, ap, c, ldc, alpha, lower);
        barrier.wait();  // the panel is overwritten next
      }
    }
  };
  team().run(parts, work);
}

// C (m×1) += Aᵀ·b where op(A) = Aᵀ is stored k×m (a.rs == 1) and b is a vector: Fᵀy in the ridge.
// Through the GEMM it cost 5.6 ms at 1000×1000 for 2 MFLOP: all of A packed, and one column used
// of every 32-wide tile. Here A's rows stream once instead, and each entry gets the GEMM's sum
// exactly: per depth block of KC, a partial sum from zero taking its products in order by the
// micro-kernel's own expression (acc += a·b), then C += the partial sum. (The GEMM adds
// alpha·acc; with alpha = 1, the only case sent here, fused or not that is C + acc.)
void gemv_transposed(long m, long k, const View& a, const double* b, long b_stride, double* c) {
  constexpr long TILE = 2048;  // entries of C per pass over a block: their partial sums stay in L1
  in_parts(m, k, 8, [&](long i0, long i1) {
    alignas(64) double acc[TILE];
    for (long t0 = i0; t0 < i1; t0 += TILE) {
      const long len = std::min(TILE, i1 - t0), vec = len / 8 * 8;
      for (long pc = 0; pc < k; pc += KC) {
        const long kc = std::min<long>(KC, k - pc);
        std::fill(acc, acc + len, 0.0);
        for (long p = pc; p < pc + kc; p++) {
          const double bp = b[p * b_stride];
          const double* row = a.base + p * a.cs + t0;
          long i = 0;
          for (; i < vec; i += 8) {
            v8d x;
            std::memcpy(&x, row + i, sizeof x);
            v8d s = *reinterpret_cast<v8d*>(acc + i);
            s += x * bp;
            *reinterpret_cast<v8d*>(acc + i) = s;
          }
          for (; i < len; i++) acc[i] += row[i] * bp;
        }
        for (long i = 0; i < len; i++) c[t0 + i] += acc[i];
      }
    }
  });
}

// C = alpha·A·B + beta·C, on every thread (gemm_shared) when the product is large enough and C
// has rows enough for each; otherwise on this one. With `lower` (the Gram), only C's lower
// triangle, diagonal included, is set; the entries above it are left unspecified (tiles across
// the diagonal add to them too), for the caller to overwrite.
void gemm(long m, long n, long k, double alpha, const View& a, const View& b, double beta, double* c, long ldc, bool lower = false) {
  if (beta != 1.0) {
    for (long i = 0; i < m; i++) {
      double* ci = c + i * ldc;
      const long cols = lower ? std::min(n, i + 1) : n;
      if (beta == 0.0) std::fill(ci, ci + cols, 0.0);
      else for (long j = 0; j < cols; j++) ci[j] *= beta;
    }
  }
  if (m == 0 || n == 0 || k == 0) return;
  if (n == 1 && ldc == 1 && a.rs == 1 && alpha == 1.0) return gemv_transposed(m, k, a, b.base, b.rs, c);
  const int threads = thread_count();
  const double work = static_cast<double>(m) * n * k * (lower ? 0.5 : 1.0);
  const int parts = work < 2e6 ? 1 : static_cast<int>(std::min<long>(threads, (m + MR - 1) / MR));
  if (parts <= 1) gemm_serial(m, n, k, alpha, a, b, c, ldc, lower);
  else gemm_shared(m, n, k, alpha, a, b, c, ldc, parts, lower);
}

// C = A·Aᵀ (n×n) for A given as a view (n×k, either orientation): the tiles of the lower
// triangle, then mirrored. Each entry is the sum the full product computes (same depth blocks,
// same order), and C[i][j] = C[j][i] exactly, so this is the full product's result bit for bit.
// One product over the triangle with its rows shared by area: before, one product per block of
// 192 rows repacked the operand each time (n = 1000: 11.3 → 7.6 ms, 2000: 78 → 56 ms).
void gram(long n, long k, const View& a, double* c) {
  gemm(n, n, k, 1.0, a, View{a.base, a.cs, a.rs}, 0.0, c, n, true);
  // Mirror by 64×64 tiles: a row-by-row copy reads the lower triangle down its columns.
  constexpr long T = 64;
  for (long i0 = 0; i0 < n; i0 += T)
    for (long j0 = i0; j0 < n; j0 += T)
      for (long i = i0; i < std::min(i0 + T, n); i++)
        for (long j = std::max(j0, i + 1); j < std::min(j0 + T, n); j++) c[i * n + j] = c[j * n + i];
}

// c broadcast to every lane (not 0 + c, which would turn −0 into +0 where JavaScript keeps −0).
template <typename T> inline T splat(double c) {
  if constexpr (std::is_same_v<T, double>) {
    return c;
  } else {
    return T{c, c, c, c, c, c, c, c};
  }
}

// The Cholesky's base case: columns [j, j + w), w ≤ 16, for rows [j, n), the earlier columns'
// updates already applied. Every entry by one written rule, t = Σ_{p=j}^{c−1} a_p·b_p summed in
// order with each product rounded (no fused multiply-add), then (x − t)/L_cc, or √(x − t) on the
// diagonal; so its bits depend neither on the compiler nor on how rows are grouped. The
// diagonal block goes row by row; the rows below it, eight at a time in the lanes of a vector
// (each lane the same rule), from a small transposed tile.
NO_CONTRACTION_BEGIN
constexpr long kBaseColumns = 16;

long cholesky_base(double* s, long n, long j, long w) {
  for (long r = j; r < j + w; r++) {
    double* rr = s + r * n;
    for (long c = j; c <= r; c++) {
      const double* rc = s + c * n;
      double t = 0.0;
      for (long p = j; p < c; p++) t += rr[p] * rc[p];
      if (c < r) {
        rr[c] = (rr[c] - t) / rc[c];
      } else {
        const double d = rr[r] - t;
        if (!(d > 0.0)) return r + 1;
        rr[r] = std::sqrt(d);
      }
    }
  }
  long r = j + w;
  alignas(64) double tile[kBaseColumns][8];  // tile[q][lane]: row r + lane, column j + q
  for (; r + 8 <= n; r += 8) {
    for (int lane = 0; lane < 8; lane++) {
      const double* row = s + (r + lane) * n + j;
      for (long q = 0; q < w; q++) tile[q][lane] = row[q];
    }
    for (long q = 0; q < w; q++) {
      const double* rc = s + (j + q) * n + j;
      v8d t{};
      for (long p = 0; p < q; p++) {
        v8d a;
        std::memcpy(&a, tile[p], sizeof a);
        t += a * splat<v8d>(rc[p]);
      }
      v8d x;
      std::memcpy(&x, tile[q], sizeof x);
      const v8d v = (x - t) / splat<v8d>(rc[q]);
      std::memcpy(tile[q], &v, sizeof v);
    }
    for (int lane = 0; lane < 8; lane++) {
      double* row = s + (r + lane) * n + j;
      for (long q = 0; q < w; q++) row[q] = tile[q][lane];
    }
  }
  for (; r < n; r++) {
    double* rr = s + r * n;
    for (long c = j; c < j + w; c++) {
      const double* rc = s + c * n;
      double t = 0.0;
      for (long p = j; p < c; p++) t += rr[p] * rc[p];
      rr[c] = (rr[c] - t) / rc[c];
    }
  }
  return 0;
}
NO_CONTRACTION_END

// Factor the panel of columns [j, j + w) for rows [j, n), its earlier columns' updates already
// applied. Recursively: the left half, then the right half's update from it as one product, then
// the right half; 16 columns or fewer by the base case. Returns 0 or the failing pivot + 1.
long cholesky_panel(double* s, long n, long j, long w) {
  if (w <= kBaseColumns) return cholesky_base(s, n, j, w);
  const long h = w / 2;
  if (const long bad = cholesky_panel(s, n, j, h)) return bad;
  // A[j+h:n, j+h:j+w] −= L[j+h:n, j:j+h] · L[j+h:j+w, j:j+h]ᵀ
  const double* l = s + (j + h) * n + j;
  gemm(n - j - h, w - h, h, -1.0, View{l, n, 1}, View{l, 1, n}, 1.0, s + (j + h) * n + j + h, n);
  return cholesky_panel(s, n, j + h, w - h);
}

// In-place lower Cholesky of the row-major n×n matrix s (only the lower triangle is read and,
// afterwards, meaningful). Right-looking by blocks of NB columns: factor the block's panel down to
// row n (cholesky_panel), then update the trailing matrix's lower triangle with one product.
// Returns 0, or the 1-based index of the first non-positive pivot.
long cholesky(double* s, long n) {
  // 256 columns, not 128: the trailing products run twice as deep, and the factor took 7.9–8.2
  // against 8.7–9.3 ms at n = 1000 and 46.5–48.3 against 51.4–52.3 at 2000 (interleaved).
  constexpr long NB = 256;
  for (long j = 0; j < n; j += NB) {
    const long jb = std::min(NB, n - j);
    if (const long bad = cholesky_panel(s, n, j, jb)) return bad;
    // Trailing update A22 −= L21·L21ᵀ, lower triangle only (the factor never reads the upper
    // one, so the tiles across the diagonal may write there): one product over the triangle's
    // tiles. Before round 5, one product per 192 rows, each repacking L21ᵀ; before that, the
    // whole square (the solve ran at half the product speed). Same sums either way.
    const long rest = n - j - jb;
    const double* l21 = s + (j + jb) * n + j;
    gemm(rest, rest, jb, -1.0, View{l21, n, 1}, View{l21, 1, n}, 1.0, s + (j + jb) * n + j + jb, n, true);
  }
  return 0;
}

// t − a·b as the solve has always computed it: one fused step where the CPU has FMA (GCC
// contracted the expression there; x86 and ARM name the feature differently), a product then a
// difference otherwise. Written out because the compiler does not contract every form: the
// conditional steps of the one-right-hand-side loops below came out as separate products.
inline double minus_product(double t, double a, double b) {
#if defined(__FMA__) || defined(__ARM_FEATURE_FMA)
  return __builtin_fma(-a, b, t);
#else
  return t - a * b;
#endif
}

// cholesky_solve for one right-hand side (the ridge's), the same operations in the same order.
// Forward, row i's sum is one chain of dependent steps (b_i −= L_ip·b_p for p < i): eight rows
// take their steps over the columns before their block side by side, then finish in turn, so
// each row's chain is unchanged but eight are in flight. Backward, row i updates the b_p for
// p < i independently, which vectorises once q is known to be 1. Both skip L_ip = 0 as the
// general loop does (−0·x could turn a zero's sign). n = 1000: 1.7 ms before.
void cholesky_solve_vector(const double* l, long n, double* b) {
  constexpr long R = 8;
  long i0 = 0;
  for (; i0 + R <= n; i0 += R) {
    double t[R];
    for (long r = 0; r < R; r++) t[r] = b[i0 + r];
    for (long p = 0; p < i0; p++) {
      const double bp = b[p];
      for (long r = 0; r < R; r++) {
        const double lip = l[(i0 + r) * n + p];
        if (lip != 0.0) t[r] = minus_product(t[r], lip, bp);
      }
    }
    for (long r = 0; r < R; r++) {
      const double* li = l + (i0 + r) * n;
      double v = t[r];
      for (long p = i0; p < i0 + r; p++) {
        const double lip = li[p];
        if (lip != 0.0) v = minus_product(v, lip, b[p]);
      }
      b[i0 + r] = v / li[i0 + r];
    }
  }
  for (long i = i0; i < n; i++) {
    const double* li = l + i * n;
    double v = b[i];
    for (long p = 0; p < i; p++) {
      const double lip = li[p];
      if (lip != 0.0) v = minus_product(v, lip, b[p]);
    }
    b[i] = v / li[i];
  }
  for (long i = n - 1; i >= 0; i--) {
    const double* li = l + i * n;
    const double bi = b[i] / li[i];
    b[i] = bi;
    for (long p = 0; p < i; p++) {
      const double lip = li[p];
      b[p] = lip != 0.0 ? minus_product(b[p], lip, bi) : b[p];
    }
  }
}

// Solve L Lᵀ X = B in place for the factor of cholesky() and B (n×q, row-major).
void cholesky_solve(const double* l, long n, double* b, long q) {
  if (q == 1) return cholesky_solve_vector(l, n, b);
  for (long i = 0; i < n; i++) {  // forward: L Y = B
    const double* li = l + i * n;
    double* bi = b + i * q;
    for (long p = 0; p < i; p++) {
      const double lip = li[p];
      if (lip == 0.0) continue;
      const double* bp = b + p * q;
      for (long c = 0; c < q; c++) bi[c] = minus_product(bi[c], lip, bp[c]);
    }
    for (long c = 0; c < q; c++) bi[c] /= li[i];
  }
  for (long i = n - 1; i >= 0; i--) {  // backward: Lᵀ X = Y, one row of L at a time
    const double* li = l + i * n;
    double* bi = b + i * q;
    for (long c = 0; c < q; c++) bi[c] /= li[i];
    for (long p = 0; p < i; p++) {
      const double lip = li[p];
      if (lip == 0.0) continue;
      double* bp = b + p * q;
      for (long c = 0; c < q; c++) bp[c] = minus_product(bp[c], lip, bi[c]);
    }
  }
}


// ---- Gaussians: the same xoshiro128** stream and Box–Muller pairs as src/random/stream.ts. ----
// Same uniform bits in the same order, so a native fill continues the JavaScript stream exactly;
// only log/sqrt/sin/cos come from the C library instead of V8 (they may differ in the last bit).

inline uint32_t rotl32(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

struct Xoshiro128 {
  uint32_t s[4];
  uint32_t next() {
    const uint32_t result = rotl32(s[1] * 5u, 7) * 9u;
    const uint32_t t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl32(s[3], 11);
    return result;
  }
};

#if defined(__AVX512F__) && defined(__GLIBC__)
// glibc's vector math library (libmvec): eight log/sin/cos at once, within 4 ulp.
extern "C" v8d _ZGVeN8v_log(v8d);
extern "C" v8d _ZGVeN8v_sin(v8d);
extern "C" v8d _ZGVeN8v_cos(v8d);
#define ONESTEP_VECTOR_MATH 1
#endif

constexpr double kTwoPi = 6.283185307179586;  // 2·Math.PI, the same double

// Where the pairs go, and which formula each takes. A fill of `rows` rows of P pairs each is the
// same as P-pair fills one after another: pair i of a row takes the eight-wide vector functions
// when it lies in the row's first 8·⌊P/8⌋ pairs and the scalar ones otherwise (a single fill is
// one row). The vector functions work lane by lane, so which eight pairs share a call does not
// change a value; only this rule does, and every path below keeps it.
struct PairSink {
  double* out;
  double scale;
  long row_pairs;    // P
  long vector_pairs; // 8·⌊P/8⌋ (all scalar without the vector library)
  void scalar(long pair, double u, double t) const {
    const double r = scale * std::sqrt(-2.0 * std::log(1.0 - u));
    double sn, cs;
    sincos(t, &sn, &cs);
    out[2 * pair] = r * cs;
    out[2 * pair + 1] = r * sn;
  }
#ifdef ONESTEP_VECTOR_MATH
  // Eight pairs at `pair[j]` (−1: an unused lane) by the vector functions.
  void vector8(const v8d& u, const v8d& t, const long* pair) const {
    const v8d one = v8d{} + 1.0;
    const v8d l = _ZGVeN8v_log(one - u);
    v8d r;
    for (int j = 0; j < 8; j++) r[j] = scale * std::sqrt(-2.0 * l[j]);
    const v8d c = r * _ZGVeN8v_cos(t);
    const v8d sn = r * _ZGVeN8v_sin(t);
    for (int j = 0; j < 8; j++) {
      if (pair[j] < 0) continue;
      out[2 * pair[j]] = c[j];
      out[2 * pair[j] + 1] = sn[j];
    }
  }
#endif
};

// One Box–Muller pair's inputs from the stream, exactly as Stream.fillGaussian draws them.
inline void draw_pair_inputs(Xoshiro128& g, double* u, double* t) {
  const uint32_t hi = g.next() >> 5;
  const uint32_t lo = g.next() >> 6;
  *u = (static_cast<double>(hi) * 67108864.0 + static_cast<double>(lo)) * 0x1p-53;
  *t = kTwoPi * static_cast<double>(g.next()) * 0x1p-32;
}

// The transform of pairs [p, p + len) whose inputs are u[0 .. len), t[0 .. len), by the row rule.
void transform_run(const PairSink& sink, long p, long len, const double* u, const double* t) {
#ifdef ONESTEP_VECTOR_MATH
  long place = p % sink.row_pairs;
  long i = 0;
  while (i < len) {
    // A group of eight wholly inside its row's vector part: straight from the buffers.
    if (i + 8 <= len && place + 8 <= sink.vector_pairs) {
      v8d uv, tv;
      std::memcpy(&uv, u + i, sizeof uv);
      std::memcpy(&tv, t + i, sizeof tv);
      const long at[8] = {p + i, p + i + 1, p + i + 2, p + i + 3, p + i + 4, p + i + 5, p + i + 6, p + i + 7};
      sink.vector8(uv, tv, at);
      i += 8;
      place += 8;
    } else if (place < sink.vector_pairs) {
      // The last pairs of a vector part (fewer than eight): one padded call, lane by lane as ever.
      v8d uv{}, tv{};
      long at[8];
      int j = 0;
      for (; j < 8 && i < len && place < sink.vector_pairs; j++, i++, place++) {
        uv[j] = u[i];
        tv[j] = t[i];
        at[j] = p + i;
      }
      for (int z = j; z < 8; z++) uv[z] = 0.5, at[z] = -1;
      sink.vector8(uv, tv, at);
    } else {
      sink.scalar(p + i, u[i], t[i]);
      i++;
      place++;
    }
    if (place == sink.row_pairs) place = 0;
  }
#else
  for (long i = 0; i < len; i++) sink.scalar(p + i, u[i], t[i]);
#endif
}

// Pairs [a, b) one after another from g, which stands at pair a: inputs into a small buffer,
// then the same transform (and row rule) as the lanes use.
void fill_pairs_sequential(Xoshiro128& g, const PairSink& sink, long a, long b) {
  constexpr long B = 128;
  double u[B], t[B];
  for (long p0 = a; p0 < b; p0 += B) {
    const long len = std::min(B, b - p0);
    for (long i = 0; i < len; i++) draw_pair_inputs(g, &u[i], &t[i]);
    transform_run(sink, p0, len, u, t);
  }
}

// ---- Jumping ahead in the stream. xoshiro128**'s state update is linear over GF(2) (shifts,
// rotations, XORs), so N steps are one 128×128 bit matrix applied to the state. The powers
// T^(2^i) are built once (0.1 MB, well under a millisecond); N steps apply those of N's set bits
// (a few microseconds). Lanes and threads can then each start at their own place in the one
// stream and produce its numbers, in their places, exactly as the sequential loop would. ----

struct Bits128 {
  uint64_t lo, hi;  // lo = s0 | s1·2³², hi = s2 | s3·2³²
};

inline Bits128 bits_of(const uint32_t* s) {
  return {uint64_t(s[0]) | (uint64_t(s[1]) << 32), uint64_t(s[2]) | (uint64_t(s[3]) << 32)};
}

inline void state_of(Bits128 v, uint32_t* s) {
  s[0] = static_cast<uint32_t>(v.lo);
  s[1] = static_cast<uint32_t>(v.lo >> 32);
  s[2] = static_cast<uint32_t>(v.hi);
  s[3] = static_cast<uint32_t>(v.hi >> 32);
}

// m holds a matrix's 128 columns: m[b] is the image of the state with only bit b set.
inline Bits128 apply_bits(const Bits128* m, Bits128 v) {
  Bits128 r{0, 0};
  for (int b = 0; b < 64; b++) {
    const uint64_t take = 0 - ((v.lo >> b) & 1);
    r.lo ^= m[b].lo & take;
    r.hi ^= m[b].hi & take;
  }
  for (int b = 0; b < 64; b++) {
    const uint64_t take = 0 - ((v.hi >> b) & 1);
    r.lo ^= m[64 + b].lo & take;
    r.hi ^= m[64 + b].hi & take;
  }
  return r;
}

constexpr int kJumpLevels = 56;  // jumps below 2^56 steps: far beyond any array

struct JumpTable {
  Bits128 power[kJumpLevels][128];  // power[i]: T^(2^i)
};

const JumpTable& jump_table() {
  static const JumpTable* table = [] {
    auto* t = new JumpTable;
    for (int b = 0; b < 128; b++) {
      uint32_t s[4];
      state_of(b < 64 ? Bits128{uint64_t(1) << b, 0} : Bits128{0, uint64_t(1) << (b - 64)}, s);
      Xoshiro128 g{{s[0], s[1], s[2], s[3]}};
      g.next();
      t->power[0][b] = bits_of(g.s);
    }
    for (int i = 0; i + 1 < kJumpLevels; i++) {
      for (int b = 0; b < 128; b++) t->power[i + 1][b] = apply_bits(t->power[i], t->power[i][b]);
    }
    return t;
  }();
  return *table;
}

// The generator `steps` outputs further on.
Xoshiro128 jumped(const Xoshiro128& g, uint64_t steps) {
  const JumpTable& table = jump_table();
  Bits128 v = bits_of(g.s);
  for (int i = 0; steps != 0 && i < kJumpLevels; i++, steps >>= 1) {
    if (steps & 1) v = apply_bits(table.power[i], v);
  }
  Xoshiro128 out;
  state_of(v, out.s);
  return out;
}

// ---- Sixteen lanes of the stream at once. Lane j starts at pair a + j·c (a jump of 3·j·c
// outputs: three per pair) and makes c pairs, so the sixteen together make pairs [a, a + 16c)
// with the stream's own numbers. The update is a handful of 32-bit vector operations for sixteen
// outputs, where the sequential loop waits on each output in turn (0.8 ns each here). ----

typedef uint32_t v16u __attribute__((vector_size(64)));
typedef uint32_t v8u __attribute__((vector_size(32)));

inline v16u rotl16(v16u x, int k) { return (x << k) | (x >> (32 - k)); }

struct Lanes16 {
  v16u s0, s1, s2, s3;
  v16u next() {
    const v16u result = rotl16(s1 * 5u, 7) * 9u;
    const v16u t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl16(s3, 11);
    return result;
  }
};

inline v8d to_v8d(const v16u& x, int half) {
  v8u h;
  std::memcpy(&h, reinterpret_cast<const uint32_t*>(&x) + 8 * half, sizeof h);
  return __builtin_convertvector(h, v8d);
}

// Pairs [a, a + 16c) on sixteen lanes, g standing at pair a; returns the generator at a + 16c.
// In blocks: the lanes fill a small buffer of inputs (each lane its own row of it), then each
// lane's run is transformed from contiguous memory into contiguous output.
Xoshiro128 fill_pairs_lanes(const Xoshiro128& g, const PairSink& sink, long a, long c) {
  Lanes16 lanes;
  Xoshiro128 start[16];
  start[0] = g;
  for (int j = 1; j < 16; j++) start[j] = jumped(start[j - 1], 3 * static_cast<uint64_t>(c));
  for (int j = 0; j < 16; j++) {
    lanes.s0[j] = start[j].s[0];
    lanes.s1[j] = start[j].s[1];
    lanes.s2[j] = start[j].s[2];
    lanes.s3[j] = start[j].s[3];
  }
  constexpr long B = 128;
  alignas(64) double ub[16][B], tb[16][B];
  for (long s0 = 0; s0 < c; s0 += B) {
    const long steps = std::min(B, c - s0);
    for (long step = 0; step < steps; step++) {
      const v16u hi = lanes.next() >> 5;
      const v16u lo = lanes.next() >> 6;
      const v16u w = lanes.next();
      for (int half = 0; half < 2; half++) {
        const v8d u = (to_v8d(hi, half) * 67108864.0 + to_v8d(lo, half)) * 0x1p-53;
        const v8d t = kTwoPi * to_v8d(w, half) * 0x1p-32;
        for (int j = 0; j < 8; j++) {
          ub[8 * half + j][step] = u[j];
          tb[8 * half + j][step] = t[j];
        }
      }
    }
    for (int j = 0; j < 16; j++) transform_run(sink, a + j * c + s0, steps, ub[j], tb[j]);
  }
  Xoshiro128 end;
  end.s[0] = lanes.s0[15];
  end.s[1] = lanes.s1[15];
  end.s[2] = lanes.s2[15];
  end.s[3] = lanes.s3[15];
  return end;
}

// Pairs [a, b), g standing at a: on lanes when each lane gets enough pairs to repay its jump
// (sixteen jumps cost about what 2000 sequential pairs do), the rest sequentially.
constexpr long kMinLanePairs = 256;

Xoshiro128 fill_pairs_range(Xoshiro128 g, const PairSink& sink, long a, long b) {
  const long c = (b - a) / 16;
  if (c >= kMinLanePairs) {
    g = fill_pairs_lanes(g, sink, a, c);
    a += 16 * c;
  }
  fill_pairs_sequential(g, sink, a, b);
  return g;
}

// state ← the stream after `rows` rows of row_pairs pairs each (out[0 .. 2·rows·row_pairs)),
// each row exactly as a fill of row_pairs pairs on its own would make it. A long fill is split
// over the kernels' threads; every part jumps to its own place, so the split changes no value.
void fill_gaussian_pairs(uint32_t* state, double* out, long rows, long row_pairs, double scale) {
  const long pairs = rows * row_pairs;
  if (pairs <= 0) return;
#ifdef ONESTEP_VECTOR_MATH
  const long vector_pairs = row_pairs / 8 * 8;
#else
  const long vector_pairs = 0;
#endif
  const PairSink sink{out, scale, row_pairs, vector_pairs};
  const Xoshiro128 g0{{state[0], state[1], state[2], state[3]}};
  const int parts = static_cast<int>(std::min<long>(thread_count(), pairs / (1 << 16)));
  Xoshiro128 end;
  if (parts <= 1) {
    end = fill_pairs_range(g0, sink, 0, pairs);
  } else {
    const long per = (pairs + parts - 1) / parts;
    Xoshiro128 ends[64];
    auto work = [&](int t) {
      const long a = std::min(pairs, t * per), b = std::min(pairs, a + per);
      ends[t] = fill_pairs_range(jumped(g0, 3 * static_cast<uint64_t>(a)), sink, a, b);
    };
    team().run(parts, work);
    end = ends[parts - 1];
  }
  for (int j = 0; j < 4; j++) state[j] = end.s[j];
}

// ---- Per-entry passes, bit for bit the JavaScript they replace (src/math/activations.ts,
// src/math/hermite/polynomials.ts, src/model/ridge.ts, src/model/network.ts, src/data/sampler.ts
// with src/linalg/matrix.ts's dot): the same operations in the same order, and no contraction of
// a product and a sum into one fused multiply-add (which JavaScript never does). ----
NO_CONTRACTION_BEGIN

// out[i] = x[i] > 0 ? x[i] : 0 (NaN and −0 give +0, as the JavaScript does); no branch to mispredict.
void relu(const double* x, double* out, long n) {
  long i = 0;
  const v8d zero{};
  for (; i + 8 <= n; i += 8) {
    v8d v;
    std::memcpy(&v, x + i, sizeof v);
    const v8d r = v > zero ? v : zero;
    std::memcpy(out + i, &r, sizeof r);
  }
  for (; i < n; i++) out[i] = x[i] > 0.0 ? x[i] : 0.0;
}


// Σ_j c_j p_j(x) by p_{j+1} = (x p_j − √j p_{j−1})·(1/√(j+1)), with the caller's tables
// sq[j] = √j and isn[j] = 1/√(j+1): for one entry (double) or eight (v8d, each lane the same).
// (By reference: a 64-byte vector passed by value changes ABI between AVX-512 and narrower builds.)
template <typename T> inline void hermite_sum(const T& x, const double* c, long deg, const double* sq, const double* isn, T& out) {
  T sum = splat<T>(c[0]);
  if (deg >= 1) {
    T prev = splat<T>(1.0);
    T cur = x;
    sum += c[1] * cur;
    for (long d = 1; d < deg; d++) {
      const T next = (x * cur - sq[d] * prev) * isn[d];
      prev = cur;
      cur = next;
      sum += c[d + 1] * next;
    }
  }
  out = sum;
}

// out[i] += Σ_j c_j p_j(scale·x[i]), eight entries per vector.
void hermite_series_add(const double* c, long deg, const double* sq, const double* isn, const double* x, double scale, double* out, long n) {
  long i = 0;
  for (; i + 8 <= n; i += 8) {
    v8d xs, o;
    std::memcpy(&xs, x + i, sizeof xs);
    std::memcpy(&o, out + i, sizeof o);
    const v8d arg = xs * scale;
    v8d sum;
    hermite_sum<v8d>(arg, c, deg, sq, isn, sum);
    o += sum;
    std::memcpy(out + i, &o, sizeof o);
  }
  for (; i < n; i++) {
    double sum;
    hermite_sum<double>(x[i] * scale, c, deg, sq, isn, sum);
    out[i] += sum;
  }
}
// out[j] = Σ_i (z[j,i]·f)·w[i], summed in order i = 0, 1, …: the features scaled by f and then
// multiplied by the readout, as the JavaScript does it in two passes (scale in place, then a
// row-by-row dot), so with f = 1 it is that dot. The sum is sequential, as in JavaScript.
void scaled_mat_vec(const double* z, long rows, long cols, double f, const double* w, double* out) {
  for (long j = 0; j < rows; j++) {
    const double* zj = z + j * cols;
    double acc = 0.0;
    for (long i = 0; i < cols; i++) {
      const double t = zj[i] * f;
      acc += t * w[i];
    }
    out[j] = acc;
  }
}
// JavaScript's dot (src/linalg/matrix.ts): four running sums over i ≡ 0, 1, 2, 3 (mod 4), the
// tail into the first, then ((s0 + s1) + s2) + s3.
double js_dot(const double* x, const double* y, long n) {
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  long i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += x[i] * y[i];
    s1 += x[i + 1] * y[i + 1];
    s2 += x[i + 2] * y[i + 2];
    s3 += x[i + 3] * y[i + 3];
  }
  for (; i < n; i++) s0 += x[i] * y[i];
  return s0 + s1 + s2 + s3;
}

// The sampler's covariance step on the listed rows of x (row-major, n columns), as
// src/data/sampler.ts does it row by row: a_i = f_i·dot(g_i, ζ) for every spike g_i first, then
// x += a_i·g_i for i = 0, 1, …, then x += μ when there is a mean.
void spike_shift_rows(double* x, long n, const int32_t* rows, long count, const double* spikes, long d, const double* factors, const double* mean) {
  std::vector<double> coef(static_cast<size_t>(d));
  for (long k = 0; k < count; k++) {
    double* xr = x + static_cast<long>(rows[k]) * n;
    for (long i = 0; i < d; i++) coef[i] = factors[i] * js_dot(spikes + i * n, xr, n);
    for (long i = 0; i < d; i++) {
      const double a = coef[i];
      const double* g = spikes + i * n;
      for (long t = 0; t < n; t++) xr[t] += a * g[t];
    }
    if (mean) for (long t = 0; t < n; t++) xr[t] += mean[t];
  }
}

// out[r] = dot(v, row r of x) for every row, JavaScript's order.
void row_dots(const double* x, long rows, long n, const double* v, double* out) {
  for (long r = 0; r < rows; r++) out[r] = js_dot(v, x + r * n, n);
}
// A ReLU network's step (src/model/network.ts): s_j = Σ_i w_i·relu(pre_ji) in order, and the
// gradient's weights pre_ji ← (r_j·w_i)·σ′(pre_ji) with σ′ = (pre > 0 ? 1 : 0), in place.
void relu_row_sums(const double* pre, long rows, long k, const double* w, double* out) {
  for (long j = 0; j < rows; j++) {
    const double* p = pre + j * k;
    double acc = 0.0;
    for (long i = 0; i < k; i++) acc += w[i] * (p[i] > 0.0 ? p[i] : 0.0);
    out[j] = acc;
  }
}

void relu_gradient_weights(double* pre, long rows, long k, const double* r, const double* w) {
  for (long j = 0; j < rows; j++) {
    double* p = pre + j * k;
    const double rj = r[j];
    for (long i = 0; i < k; i++) p[i] = rj * w[i] * (p[i] > 0.0 ? 1.0 : 0.0);
  }
}
NO_CONTRACTION_END


// ---- Node-API glue: the JavaScript wrappers check meaning; here types and sizes. ----

napi_value throw_type(napi_env env, const char* msg) {
  napi_throw_type_error(env, nullptr, msg);
  return nullptr;
}

bool get_f64(napi_env env, napi_value v, double** data, size_t* len) {
  bool is_ta = false;
  napi_is_typedarray(env, v, &is_ta);
  if (!is_ta) return false;
  napi_typedarray_type type;
  void* ptr = nullptr;
  napi_get_typedarray_info(env, v, &type, len, &ptr, nullptr, nullptr);
  if (type != napi_float64_array) return false;
  *data = static_cast<double*>(ptr);
  return true;
}

long get_long(napi_env env, napi_value v) {
  int64_t x = 0;
  napi_get_value_int64(env, v, &x);
  return static_cast<long>(x);
}

double get_double(napi_env env, napi_value v) {
  double x = 0;
  napi_get_value_double(env, v, &x);
  return x;
}

bool get_bool(napi_env env, napi_value v) {
  bool x = false;
  napi_get_value_bool(env, v, &x);
  return x;
}

// gemm(transA, transB, m, n, k, alpha, A, B, beta, C): C (m×n) = alpha·op(A)·op(B) + beta·C, where
// A is m×k (k×m when transposed) and B is k×n (n×k when transposed), all row-major and dense.
napi_value js_gemm(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != 10) return throw_type(env, "gemm expects 10 arguments");
  const bool ta = get_bool(env, argv[0]), tb = get_bool(env, argv[1]);
  const long m = get_long(env, argv[2]), n = get_long(env, argv[3]), k = get_long(env, argv[4]);
  const double alpha = get_double(env, argv[5]), beta = get_double(env, argv[8]);
  double *a, *b, *c;
  size_t la, lb, lc;
  if (!get_f64(env, argv[6], &a, &la) || !get_f64(env, argv[7], &b, &lb) || !get_f64(env, argv[9], &c, &lc)) {
    return throw_type(env, "gemm operands must be Float64Array");
  }
  if (m < 0 || n < 0 || k < 0 || la < static_cast<size_t>(m * k) || lb < static_cast<size_t>(k * n) ||
      lc < static_cast<size_t>(m * n)) {
    return throw_type(env, "gemm operand sizes do not match m, n, k");
  }
  const View av = ta ? View{a, 1, m} : View{a, k, 1};
  const View bv = tb ? View{b, 1, k} : View{b, n, 1};
  gemm(m, n, k, alpha, av, bv, beta, c, n);
  return nullptr;
}

// gram(transA, n, k, A, C): C = A·Aᵀ (transA false: A is n×k) or Aᵀ·A (true: A is k×n).
napi_value js_gram(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != 5) return throw_type(env, "gram expects 5 arguments");
  const bool ta = get_bool(env, argv[0]);
  const long n = get_long(env, argv[1]), k = get_long(env, argv[2]);
  double *a, *c;
  size_t la, lc;
  if (!get_f64(env, argv[3], &a, &la) || !get_f64(env, argv[4], &c, &lc)) return throw_type(env, "gram operands must be Float64Array");
  if (n < 0 || k < 0 || la < static_cast<size_t>(n * k) || lc < static_cast<size_t>(n * n)) return throw_type(env, "gram operand sizes do not match n, k");
  gram(n, k, ta ? View{a, 1, n} : View{a, k, 1}, c);
  return nullptr;
}

napi_value js_cholesky(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  double* s;
  size_t len;
  if (argc != 2 || !get_f64(env, argv[0], &s, &len)) return throw_type(env, "cholesky(S: Float64Array, n)");
  const long n = get_long(env, argv[1]);
  if (n < 0 || len < static_cast<size_t>(n * n)) return throw_type(env, "cholesky: S is not n×n");
  napi_value out;
  napi_create_int64(env, cholesky(s, n), &out);
  return out;
}

napi_value js_cholesky_solve(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  double *l, *b;
  size_t ll, lb;
  if (argc != 4 || !get_f64(env, argv[0], &l, &ll) || !get_f64(env, argv[2], &b, &lb)) {
    return throw_type(env, "choleskySolve(L: Float64Array, n, B: Float64Array, q)");
  }
  const long n = get_long(env, argv[1]), q = get_long(env, argv[3]);
  if (n < 0 || q < 0 || ll < static_cast<size_t>(n * n) || lb < static_cast<size_t>(n * q)) {
    return throw_type(env, "choleskySolve: sizes do not match");
  }
  cholesky_solve(l, n, b, q);
  return nullptr;
}

// gaussianPairs(state: Uint32Array(4), out: Float64Array, offset, pairs, scale[, rowPairs]):
// advances state. With rowPairs, the pairs are rows of rowPairs each (rowPairs divides pairs),
// each made exactly as its own call would make it.
napi_value js_gaussian_pairs(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != 5 && argc != 6) return throw_type(env, "gaussianPairs expects 5 or 6 arguments");
  bool is_ta = false;
  napi_is_typedarray(env, argv[0], &is_ta);
  napi_typedarray_type type;
  size_t slen = 0;
  void* sptr = nullptr;
  if (is_ta) napi_get_typedarray_info(env, argv[0], &type, &slen, &sptr, nullptr, nullptr);
  double* out;
  size_t olen;
  if (!is_ta || type != napi_uint32_array || slen != 4 || !get_f64(env, argv[1], &out, &olen)) {
    return throw_type(env, "gaussianPairs(state: Uint32Array(4), out: Float64Array, offset, pairs, scale[, rowPairs])");
  }
  const long offset = get_long(env, argv[2]), pairs = get_long(env, argv[3]);
  if (offset < 0 || pairs < 0 || static_cast<size_t>(offset + 2 * pairs) > olen) return throw_type(env, "gaussianPairs: out of range");
  const long row_pairs = argc == 6 ? get_long(env, argv[5]) : pairs;
  if (pairs > 0 && (row_pairs <= 0 || pairs % row_pairs != 0)) return throw_type(env, "gaussianPairs: rowPairs must divide pairs");
  if (pairs == 0) return nullptr;
  fill_gaussian_pairs(static_cast<uint32_t*>(sptr), out + offset, pairs / row_pairs, row_pairs, get_double(env, argv[4]));
  return nullptr;
}

// relu(x: Float64Array, out: Float64Array): same lengths.
napi_value js_relu(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  double *x, *out;
  size_t nx, no;
  if (argc != 2 || !get_f64(env, argv[0], &x, &nx) || !get_f64(env, argv[1], &out, &no) || nx != no) {
    return throw_type(env, "relu(x: Float64Array, out: Float64Array) of the same length");
  }
  in_parts(static_cast<long>(nx), 1, 8, [&](long a, long b) { relu(x + a, out + a, b - a); });
  return nullptr;
}

// hermiteSeriesAdd(c, sqrtTable, invSqrtNextTable, x, scale, out): out += Σ_j c_j p_j(scale·x).
napi_value js_hermite_series_add(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  double *c, *sq, *isn, *x, *out;
  size_t nc, nsq, nisn, nx, no;
  if (argc != 6 || !get_f64(env, argv[0], &c, &nc) || !get_f64(env, argv[1], &sq, &nsq) || !get_f64(env, argv[2], &isn, &nisn) || !get_f64(env, argv[3], &x, &nx) ||
      !get_f64(env, argv[5], &out, &no) || nc == 0 || nx != no || nsq < nc || nisn < nc) {
    return throw_type(env, "hermiteSeriesAdd(c, sqrt table, 1/sqrt table, x, scale, out): tables at least as long as c, x and out of one length");
  }
  const double scale = get_double(env, argv[4]);
  in_parts(static_cast<long>(nx), static_cast<long>(nc), 8, [&](long a, long b) { hermite_series_add(c, static_cast<long>(nc) - 1, sq, isn, x + a, scale, out + a, b - a); });
  return nullptr;
}

// scaledMatVec(z, rows, cols, f, w, out): z rows×cols, w of cols, out of rows.
napi_value js_scaled_mat_vec(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  double *z, *w, *out;
  size_t nz, nw, no;
  if (argc != 6 || !get_f64(env, argv[0], &z, &nz) || !get_f64(env, argv[4], &w, &nw) || !get_f64(env, argv[5], &out, &no)) {
    return throw_type(env, "scaledMatVec(z: Float64Array, rows, cols, f, w: Float64Array, out: Float64Array)");
  }
  const long rows = get_long(env, argv[1]), cols = get_long(env, argv[2]);
  long cells = 0;
  if (rows < 0 || cols < 0 || __builtin_mul_overflow(rows, cols, &cells) || static_cast<size_t>(cells) != nz || static_cast<size_t>(cols) != nw || static_cast<size_t>(rows) != no) {
    return throw_type(env, "scaledMatVec: sizes do not match");
  }
  const double f = get_double(env, argv[3]);
  in_parts(rows, cols, 1, [&](long a, long b) { scaled_mat_vec(z + a * cols, b - a, cols, f, w, out + a); });
  return nullptr;
}

// spikeShiftRows(x, n, rows: Int32Array, spikes (d×n), factors (d), mean (n, or empty)).
napi_value js_spike_shift_rows(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  double *x, *spikes, *factors, *mean;
  size_t nx, ns, nf, nm, nrows = 0;
  bool is_ta = false;
  if (argc == 6) napi_is_typedarray(env, argv[2], &is_ta);
  napi_typedarray_type type;
  void* rptr = nullptr;
  if (is_ta) napi_get_typedarray_info(env, argv[2], &type, &nrows, &rptr, nullptr, nullptr);
  if (argc != 6 || !is_ta || type != napi_int32_array || !get_f64(env, argv[0], &x, &nx) || !get_f64(env, argv[3], &spikes, &ns) || !get_f64(env, argv[4], &factors, &nf) ||
      !get_f64(env, argv[5], &mean, &nm)) {
    return throw_type(env, "spikeShiftRows(x: Float64Array, n, rows: Int32Array, spikes: Float64Array, factors: Float64Array, mean: Float64Array)");
  }
  const long n = get_long(env, argv[1]);
  const int32_t* rows = static_cast<const int32_t*>(rptr);
  if (n <= 0 || nx % static_cast<size_t>(n) != 0 || ns != nf * static_cast<size_t>(n) || (nm != 0 && nm != static_cast<size_t>(n))) return throw_type(env, "spikeShiftRows: sizes do not match");
  for (size_t k = 0; k < nrows; k++) {
    if (rows[k] < 0 || static_cast<size_t>(rows[k]) >= nx / static_cast<size_t>(n)) return throw_type(env, "spikeShiftRows: row out of range");
  }
  in_parts(static_cast<long>(nrows), n * (2 * static_cast<long>(nf) + 1), 1, [&](long a, long b) {
    spike_shift_rows(x, n, rows + a, b - a, spikes, static_cast<long>(nf), factors, nm == 0 ? nullptr : mean);
  });
  return nullptr;
}

// The arguments (Float64Array a, integer m, Float64Array b, Float64Array c) several passes take.
bool array_int_array_array(napi_env env, napi_callback_info info, double** a, size_t* na, long* m, double** b, size_t* nb, double** c, size_t* nc) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != 4 || !get_f64(env, argv[0], a, na) || !get_f64(env, argv[2], b, nb) || !get_f64(env, argv[3], c, nc)) return false;
  *m = get_long(env, argv[1]);
  return *m > 0;
}

// rowDots(x, n, v, out): out[r] = dot(v, row r of x).
napi_value js_row_dots(napi_env env, napi_callback_info info) {
  double *x, *v, *out;
  size_t nx, nv, no;
  long n;
  if (!array_int_array_array(env, info, &x, &nx, &n, &v, &nv, &out, &no) || nv != static_cast<size_t>(n) || nx != no * static_cast<size_t>(n)) {
    return throw_type(env, "rowDots(x: Float64Array(rows·n), n, v: Float64Array(n), out: Float64Array(rows))");
  }
  in_parts(static_cast<long>(no), n, 1, [&](long a, long b) { row_dots(x + a * n, b - a, n, v, out + a); });
  return nullptr;
}

// reluRowSums(pre, k, w, out): out_j = Σ_i w_i·relu(pre_ji).
napi_value js_relu_row_sums(napi_env env, napi_callback_info info) {
  double *pre, *w, *out;
  size_t np, nw, no;
  long k;
  if (!array_int_array_array(env, info, &pre, &np, &k, &w, &nw, &out, &no) || nw != static_cast<size_t>(k) || np != no * static_cast<size_t>(k)) {
    return throw_type(env, "reluRowSums(pre: Float64Array(rows·k), k, w: Float64Array(k), out: Float64Array(rows))");
  }
  in_parts(static_cast<long>(no), k, 1, [&](long a, long b) { relu_row_sums(pre + a * k, b - a, k, w, out + a); });
  return nullptr;
}

// reluGradientWeights(pre, k, r, w): pre_ji ← (r_j·w_i)·σ′(pre_ji).
napi_value js_relu_gradient_weights(napi_env env, napi_callback_info info) {
  double *pre, *r, *w;
  size_t np, nr, nw;
  long k;
  if (!array_int_array_array(env, info, &pre, &np, &k, &r, &nr, &w, &nw) || nw != static_cast<size_t>(k) || np != nr * static_cast<size_t>(k)) {
    return throw_type(env, "reluGradientWeights(pre: Float64Array(rows·k), k, r: Float64Array(rows), w: Float64Array(k))");
  }
  in_parts(static_cast<long>(nr), k, 1, [&](long a, long b) { relu_gradient_weights(pre + a * k, b - a, k, r + a, w); });
  return nullptr;
}

napi_value js_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc == 1) {
    napi_valuetype t;
    napi_typeof(env, argv[0], &t);
    if (t == napi_number) g_threads.store(std::max(1, std::min(static_cast<int>(get_long(env, argv[0])), 64)), std::memory_order_relaxed);
  }
  napi_value out;
  napi_create_int32(env, thread_count(), &out);
  return out;
}

napi_value js_simd(napi_env env, napi_callback_info) {
#if defined(__AVX512F__)
  const char* isa = "avx512";
#elif defined(__AVX2__) && defined(__FMA__)
  const char* isa = "avx2+fma";
#elif defined(__AVX__)
  const char* isa = "avx";
#elif defined(__aarch64__)
  const char* isa = "neon";
#else
  const char* isa = "sse2/scalar";
#endif
  napi_value out;
  napi_create_string_utf8(env, isa, NAPI_AUTO_LENGTH, &out);
  return out;
}

// blocking(): {kc, mc, nc, mr, nr, l1, l2, l3, source}: the GEMM's block sizes and where they came from.
napi_value js_blocking(napi_env env, napi_callback_info) {
  const Blocking& b = blocking();
  napi_value out, v;
  napi_create_object(env, &out);
  const std::pair<const char*, double> fields[] = {{"kc", KC}, {"mc", b.mc}, {"nc", b.nc}, {"mr", MR}, {"nr", NR}, {"l1", double(b.l1)}, {"l2", double(b.l2)}, {"l3", double(b.l3)}};
  for (const auto& [name, value] : fields) {
    napi_create_double(env, value, &v);
    napi_set_named_property(env, out, name, v);
  }
  napi_create_string_utf8(env, b.source, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, out, "source", v);
  return out;
}

napi_value init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"gemm", nullptr, js_gemm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gram", nullptr, js_gram, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"cholesky", nullptr, js_cholesky, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"choleskySolve", nullptr, js_cholesky_solve, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gaussianPairs", nullptr, js_gaussian_pairs, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"relu", nullptr, js_relu, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"hermiteSeriesAdd", nullptr, js_hermite_series_add, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"scaledMatVec", nullptr, js_scaled_mat_vec, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"spikeShiftRows", nullptr, js_spike_shift_rows, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"rowDots", nullptr, js_row_dots, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reluRowSums", nullptr, js_relu_row_sums, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reluGradientWeights", nullptr, js_relu_gradient_weights, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"threads", nullptr, js_threads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"simd", nullptr, js_simd, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"blocking", nullptr, js_blocking, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
