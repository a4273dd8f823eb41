/*
 * looptool's native kernels: single-precision matrix products for the embedded engine,
 * through the system BLAS (OpenBLAS), exposed to Node through Node-API. Every call
 * checks that the strided matrices it is given lie inside their Float32Arrays, so a
 * wrong shape from JavaScript is a RangeError, never a memory error.
 */
#include <node_api.h>
#include <cblas.h>
#include <stdbool.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>

extern void openblas_set_num_threads(int);

#define CHECK(call)                                                           \
  do {                                                                        \
    if ((call) != napi_ok) {                                                  \
      napi_throw_error(env, NULL, "looptool native kernels: bad argument");   \
      return NULL;                                                            \
    }                                                                         \
  } while (0)

static bool float_array(napi_env env, napi_value v, float** data, size_t* length) {
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  void* raw;
  if (napi_get_typedarray_info(env, v, &type, length, &raw, &buffer, &offset) != napi_ok || type != napi_float32_array) {
    napi_throw_type_error(env, NULL, "expected a Float32Array");
    return false;
  }
  *data = (float*)raw;
  return true;
}

/* The highest element index a rows x cols matrix with leading dimension ld touches, from offset. */
static bool fits(int64_t offset, int64_t rows, int64_t cols, int64_t ld, size_t length) {
  if (rows <= 0 || cols <= 0) return offset >= 0;
  if (offset < 0 || ld < cols) return false;
  return offset + (rows - 1) * ld + (cols - 1) < (int64_t)length;
}

/*
 * sgemm(transA, transB, M, N, K, alpha, A, aOffset, lda, B, bOffset, ldb, beta, C, cOffset, ldc)
 * C[M x N] = alpha * op(A)[M x K] * op(B)[K x N] + beta * C, row-major.
 */
static napi_value sgemm(napi_env env, napi_callback_info info) {
  size_t argc = 16;
  napi_value argv[16];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 16) {
    napi_throw_type_error(env, NULL, "sgemm takes 16 arguments");
    return NULL;
  }
  bool transA, transB;
  int64_t M, N, K, aOff, lda, bOff, ldb, cOff, ldc;
  double alpha, beta;
  float *A, *B, *C;
  size_t lenA, lenB, lenC;
  CHECK(napi_get_value_bool(env, argv[0], &transA));
  CHECK(napi_get_value_bool(env, argv[1], &transB));
  CHECK(napi_get_value_int64(env, argv[2], &M));
  CHECK(napi_get_value_int64(env, argv[3], &N));
  CHECK(napi_get_value_int64(env, argv[4], &K));
  CHECK(napi_get_value_double(env, argv[5], &alpha));
  if (!float_array(env, argv[6], &A, &lenA)) return NULL;
  CHECK(napi_get_value_int64(env, argv[7], &aOff));
  CHECK(napi_get_value_int64(env, argv[8], &lda));
  if (!float_array(env, argv[9], &B, &lenB)) return NULL;
  CHECK(napi_get_value_int64(env, argv[10], &bOff));
  CHECK(napi_get_value_int64(env, argv[11], &ldb));
  CHECK(napi_get_value_double(env, argv[12], &beta));
  if (!float_array(env, argv[13], &C, &lenC)) return NULL;
  CHECK(napi_get_value_int64(env, argv[14], &cOff));
  CHECK(napi_get_value_int64(env, argv[15], &ldc));
  if (M < 0 || N < 0 || K < 0) {
    napi_throw_range_error(env, NULL, "sgemm: negative size");
    return NULL;
  }
  bool ok = (transA ? fits(aOff, K, M, lda, lenA) : fits(aOff, M, K, lda, lenA)) &&
            (transB ? fits(bOff, N, K, ldb, lenB) : fits(bOff, K, N, ldb, lenB)) && fits(cOff, M, N, ldc, lenC);
  if (!ok) {
    napi_throw_range_error(env, NULL, "sgemm: a matrix does not fit its array");
    return NULL;
  }
  if (M == 0 || N == 0) return NULL;
  if (K == 0) {
    for (int64_t i = 0; i < M; i++)
      for (int64_t j = 0; j < N; j++) C[cOff + i * ldc + j] = (float)beta * C[cOff + i * ldc + j];
    return NULL;
  }
  cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, (int)M, (int)N, (int)K, (float)alpha, A + aOff,
              (int)lda, B + bOff, (int)ldb, (float)beta, C + cOff, (int)ldc);
  return NULL;
}


/* Reads argument i as a Float32Array; on failure a JS exception is pending and NULL is returned. */
static float* arg_floats(napi_env env, napi_value* argv, int i, size_t* length) {
  float* data;
  return float_array(env, argv[i], &data, length) ? data : NULL;
}

/* Reads argument i as a typed array of the given kind; on failure a JS exception is pending and NULL is returned. */
static void* arg_typed(napi_env env, napi_value* argv, int i, napi_typedarray_type want, const char* what, size_t* length) {
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  void* raw;
  if (napi_get_typedarray_info(env, argv[i], &type, length, &raw, &buffer, &offset) != napi_ok || type != want) {
    napi_throw_type_error(env, NULL, what);
    return NULL;
  }
  return raw;
}

static bool arg_int(napi_env env, napi_value* argv, int i, int64_t* out) {
  if (napi_get_value_int64(env, argv[i], out) != napi_ok) {
    napi_throw_type_error(env, NULL, "expected an integer");
    return false;
  }
  return true;
}

static bool get_args(napi_env env, napi_callback_info info, size_t expected, napi_value* argv) {
  size_t argc = expected;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != expected) {
    napi_throw_type_error(env, NULL, "wrong number of arguments");
    return false;
  }
  return true;
}

static bool need(napi_env env, bool ok) {
  if (!ok) napi_throw_range_error(env, NULL, "an array is shorter than the sizes say");
  return ok;
}

/* swigluForward(out, gate, up, len): out = silu(gate) * up. */
static napi_value swiglu_forward(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  size_t lo, lg, lu;
  int64_t len;
  if (!get_args(env, info, 4, argv)) return NULL;
  float* out = arg_floats(env, argv, 0, &lo);
  float* gate = out ? arg_floats(env, argv, 1, &lg) : NULL;
  float* up = gate ? arg_floats(env, argv, 2, &lu) : NULL;
  if (!up || !arg_int(env, argv, 3, &len) || !need(env, len >= 0 && (size_t)len <= lo && (size_t)len <= lg && (size_t)len <= lu)) return NULL;
#pragma omp simd
  for (int64_t i = 0; i < len; i++) {
    float g = gate[i];
    out[i] = g / (1.0f + expf(-g)) * up[i];
  }
  return NULL;
}

/* swigluBackward(dgate, dup, dout, gate, up, len): accumulates both gradients. */
static napi_value swiglu_backward(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  size_t l0, l1, l2, l3, l4;
  int64_t len;
  if (!get_args(env, info, 6, argv)) return NULL;
  float* dgate = arg_floats(env, argv, 0, &l0);
  float* dup = dgate ? arg_floats(env, argv, 1, &l1) : NULL;
  float* dout = dup ? arg_floats(env, argv, 2, &l2) : NULL;
  float* gate = dout ? arg_floats(env, argv, 3, &l3) : NULL;
  float* up = gate ? arg_floats(env, argv, 4, &l4) : NULL;
  if (!up || !arg_int(env, argv, 5, &len)) return NULL;
  if (!need(env, len >= 0 && (size_t)len <= l0 && (size_t)len <= l1 && (size_t)len <= l2 && (size_t)len <= l3 && (size_t)len <= l4)) return NULL;
#pragma omp simd
  for (int64_t i = 0; i < len; i++) {
    float g = gate[i];
    float sig = 1.0f / (1.0f + expf(-g));
    float d = dout[i];
    dup[i] += d * g * sig;
    dgate[i] += d * up[i] * sig * (1.0f + g * (1.0f - sig));
  }
  return NULL;
}

/*
 * crossEntropyForward(nll, logits, targets, n, vocab) -> total: rows of logits become
 * probabilities in place; nll[r] = -log p(target) (0 where target < 0).
 */
static napi_value cross_entropy_forward(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  size_t ln, ll;
  int64_t n, vocab;
  if (!get_args(env, info, 5, argv)) return NULL;
  float* nll = arg_floats(env, argv, 0, &ln);
  float* logits = nll ? arg_floats(env, argv, 1, &ll) : NULL;
  if (!logits) return NULL;
  size_t lt;
  int32_t* targets = arg_typed(env, argv, 2, napi_int32_array, "targets must be an Int32Array", &lt);
  if (!targets) return NULL;
  if (!arg_int(env, argv, 3, &n) || !arg_int(env, argv, 4, &vocab)) return NULL;
  if (!need(env, n >= 0 && vocab > 0 && (size_t)n <= ln && (size_t)n <= lt && (size_t)(n * vocab) <= ll)) return NULL;
  double total = 0;
  /* One thread: a second pool of threads would fight OpenBLAS's for the two cores. */
  for (int64_t r = 0; r < n; r++) {
    float* row = logits + r * vocab;
    int32_t target = targets[r];
    float max = row[0];
    for (int64_t i = 1; i < vocab; i++) max = row[i] > max ? row[i] : max;
    float target_logit = (target >= 0 && target < vocab) ? row[target] - max : 0.0f;
    double sum = 0;
#pragma omp simd reduction(+ : sum)
    for (int64_t i = 0; i < vocab; i++) {
      float e = expf(row[i] - max);
      row[i] = e;
      sum += e;
    }
    float inv = (float)(1.0 / sum);
#pragma omp simd
    for (int64_t i = 0; i < vocab; i++) row[i] *= inv;
    if (target < 0 || target >= vocab) {
      nll[r] = 0;
    } else {
      float loss = (float)log(sum) - target_logit;
      nll[r] = loss;
      total += loss;
    }
  }
  napi_value result;
  napi_create_double(env, total, &result);
  return result;
}

/*
 * causalSoftmax(probs, offset, T): rows 0..T-1 of the T x T block at offset become the
 * softmax of their first t+1 entries; the rest of each row is set to 0.
 */
static napi_value causal_softmax(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  size_t lp;
  int64_t offset, T;
  if (!get_args(env, info, 3, argv)) return NULL;
  float* probs = arg_floats(env, argv, 0, &lp);
  if (!probs || !arg_int(env, argv, 1, &offset) || !arg_int(env, argv, 2, &T)) return NULL;
  if (!need(env, offset >= 0 && T >= 0 && (size_t)(offset + T * T) <= lp)) return NULL;
  for (int64_t t = 0; t < T; t++) {
    float* row = probs + offset + t * T;
    float max = row[0];
    for (int64_t u = 1; u <= t; u++) max = row[u] > max ? row[u] : max;
    float sum = 0;
    for (int64_t u = 0; u <= t; u++) {
      float e = expf(row[u] - max);
      row[u] = e;
      sum += e;
    }
    float inv = 1.0f / sum;
    for (int64_t u = 0; u <= t; u++) row[u] *= inv;
    for (int64_t u = t + 1; u < T; u++) row[u] = 0;
  }
  return NULL;
}

/*
 * causalSoftmaxBackward(probs, pOffset, ds, T, scale): ds holds dP (T x T); it becomes
 * dS = P * (dP - sum(P * dP)) * scale on the causal rows and 0 above the diagonal.
 */
static napi_value causal_softmax_backward(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  size_t lp, ld;
  int64_t offset, T;
  double scale;
  if (!get_args(env, info, 5, argv)) return NULL;
  float* probs = arg_floats(env, argv, 0, &lp);
  float* ds = probs ? arg_floats(env, argv, 2, &ld) : NULL;
  if (!ds || !arg_int(env, argv, 1, &offset) || !arg_int(env, argv, 3, &T)) return NULL;
  if (napi_get_value_double(env, argv[4], &scale) != napi_ok) return NULL;
  if (!need(env, offset >= 0 && T >= 0 && (size_t)(offset + T * T) <= lp && (size_t)(T * T) <= ld)) return NULL;
  for (int64_t t = 0; t < T; t++) {
    const float* p = probs + offset + t * T;
    float* d = ds + t * T;
    float dot = 0;
    for (int64_t u = 0; u <= t; u++) dot += p[u] * d[u];
    for (int64_t u = 0; u <= t; u++) d[u] = p[u] * (d[u] - dot) * (float)scale;
    for (int64_t u = t + 1; u < T; u++) d[u] = 0;
  }
  return NULL;
}

/* Reads argument i as a number. */
static bool arg_double(napi_env env, napi_value* argv, int i, double* out) {
  if (napi_get_value_double(env, argv[i], out) != napi_ok) {
    napi_throw_type_error(env, NULL, "expected a number");
    return false;
  }
  return true;
}

/* rmsnormForward(out, rstd, inp, weight, n, d, eps), statistics rounded to float32 like the reference. */
static napi_value rmsnorm_forward(napi_env env, napi_callback_info info) {
  napi_value argv[7];
  size_t lo, lr, li, lw;
  int64_t n, d;
  double eps;
  if (!get_args(env, info, 7, argv)) return NULL;
  float* out = arg_floats(env, argv, 0, &lo);
  float* rstd = out ? arg_floats(env, argv, 1, &lr) : NULL;
  float* inp = rstd ? arg_floats(env, argv, 2, &li) : NULL;
  float* w = inp ? arg_floats(env, argv, 3, &lw) : NULL;
  if (!w || !arg_int(env, argv, 4, &n) || !arg_int(env, argv, 5, &d) || !arg_double(env, argv, 6, &eps)) return NULL;
  if (!need(env, n >= 0 && d > 0 && (size_t)(n * d) <= lo && (size_t)(n * d) <= li && (size_t)n <= lr && (size_t)d <= lw)) return NULL;
  for (int64_t r = 0; r < n; r++) {
    const float* x = inp + r * d;
    float* y = out + r * d;
    double ss = 0;
    for (int64_t i = 0; i < d; i++) ss += (double)x[i] * x[i];
    float s = (float)(1.0 / sqrt((double)(float)(ss / d) + eps));
    rstd[r] = s;
#pragma omp simd
    for (int64_t i = 0; i < d; i++) y[i] = (x[i] * s) * w[i];
  }
  return NULL;
}

/* rmsnormBackward(dinp, dweight, dout, inp, weight, rstd, n, d): accumulates both gradients. */
static napi_value rmsnorm_backward(napi_env env, napi_callback_info info) {
  napi_value argv[8];
  size_t l0, l1, l2, l3, l4, l5;
  int64_t n, d;
  if (!get_args(env, info, 8, argv)) return NULL;
  float* dinp = arg_floats(env, argv, 0, &l0);
  float* dw = dinp ? arg_floats(env, argv, 1, &l1) : NULL;
  float* dout = dw ? arg_floats(env, argv, 2, &l2) : NULL;
  float* inp = dout ? arg_floats(env, argv, 3, &l3) : NULL;
  float* w = inp ? arg_floats(env, argv, 4, &l4) : NULL;
  float* rstd = w ? arg_floats(env, argv, 5, &l5) : NULL;
  if (!rstd || !arg_int(env, argv, 6, &n) || !arg_int(env, argv, 7, &d)) return NULL;
  size_t nd = (size_t)(n * d);
  if (!need(env, n >= 0 && d > 0 && nd <= l0 && nd <= l2 && nd <= l3 && (size_t)d <= l1 && (size_t)d <= l4 && (size_t)n <= l5)) return NULL;
  for (int64_t r = 0; r < n; r++) {
    const float* x = inp + r * d;
    const float* g = dout + r * d;
    float* dx = dinp + r * d;
    float s = rstd[r];
    float dot = 0;
#pragma omp simd reduction(+ : dot)
    for (int64_t i = 0; i < d; i++) dot += g[i] * w[i] * x[i];
    float k = dot * s * s * s / (float)d;
#pragma omp simd
    for (int64_t i = 0; i < d; i++) {
      dw[i] += g[i] * x[i] * s;
      dx[i] += g[i] * w[i] * s - x[i] * k;
    }
  }
  return NULL;
}

/* crossEntropyBackward(dlogits, probs, targets, weights, n, vocab). */
static napi_value cross_entropy_backward(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  size_t ld, lp, lw;
  int64_t n, vocab;
  if (!get_args(env, info, 6, argv)) return NULL;
  float* dlogits = arg_floats(env, argv, 0, &ld);
  float* probs = dlogits ? arg_floats(env, argv, 1, &lp) : NULL;
  if (!probs) return NULL;
  size_t lt;
  int32_t* targets = arg_typed(env, argv, 2, napi_int32_array, "targets must be an Int32Array", &lt);
  if (!targets) return NULL;
  float* weights = arg_floats(env, argv, 3, &lw);
  if (!weights || !arg_int(env, argv, 4, &n) || !arg_int(env, argv, 5, &vocab)) return NULL;
  if (!need(env, n >= 0 && vocab > 0 && (size_t)(n * vocab) <= ld && (size_t)(n * vocab) <= lp && (size_t)n <= lt && (size_t)n <= lw)) return NULL;
  for (int64_t r = 0; r < n; r++) {
    float* dl = dlogits + r * vocab;
    const float* p = probs + r * vocab;
    int32_t target = targets[r];
    float w = weights[r];
    if (target < 0 || target >= vocab || w == 0) {
      for (int64_t i = 0; i < vocab; i++) dl[i] = 0;
      continue;
    }
#pragma omp simd
    for (int64_t i = 0; i < vocab; i++) dl[i] = w * p[i];
    dl[target] -= w;
  }
  return NULL;
}

/* adamwStep(params, grads, m, v, decayMask(Uint8Array), beta1, beta2, eps, stepSize, bc2Sqrt, decay). */
static napi_value adamw_step(napi_env env, napi_callback_info info) {
  napi_value argv[11];
  size_t lp, lg, lm, lv;
  double beta1, beta2, eps, step_size, bc2_sqrt, decay;
  if (!get_args(env, info, 11, argv)) return NULL;
  float* p = arg_floats(env, argv, 0, &lp);
  float* g = p ? arg_floats(env, argv, 1, &lg) : NULL;
  float* m = g ? arg_floats(env, argv, 2, &lm) : NULL;
  float* v = m ? arg_floats(env, argv, 3, &lv) : NULL;
  if (!v) return NULL;
  size_t lmask;
  uint8_t* mask = arg_typed(env, argv, 4, napi_uint8_array, "decayMask must be a Uint8Array", &lmask);
  if (!mask) return NULL;
  if (!arg_double(env, argv, 5, &beta1) || !arg_double(env, argv, 6, &beta2) || !arg_double(env, argv, 7, &eps) || !arg_double(env, argv, 8, &step_size) ||
      !arg_double(env, argv, 9, &bc2_sqrt) || !arg_double(env, argv, 10, &decay))
    return NULL;
  if (!need(env, lg >= lp && lm >= lp && lv >= lp && lmask >= lp)) return NULL;
  float b1 = (float)beta1, b2 = (float)beta2, e = (float)eps, ss = (float)step_size, bc = (float)bc2_sqrt, dec = (float)decay;
#pragma omp simd
  for (size_t i = 0; i < lp; i++) {
    float gi = g[i];
    float mi = b1 * m[i] + (1 - b1) * gi;
    float vi = b2 * v[i] + (1 - b2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    float pi = mask[i] ? p[i] * dec : p[i];
    p[i] = pi - ss * mi / (sqrtf(vi) / bc + e);
  }
  return NULL;
}

/* attendCached(out, outOff, q, qOff, keys, values, kvOff, kvStride, last, hd, scale, scores). */
static napi_value attend_cached(napi_env env, napi_callback_info info) {
  napi_value argv[12];
  size_t lo, lq, lk, lv, ls;
  int64_t out_off, q_off, kv_off, kv_stride, last, hd;
  double scale;
  if (!get_args(env, info, 12, argv)) return NULL;
  float* out = arg_floats(env, argv, 0, &lo);
  float* q = out ? arg_floats(env, argv, 2, &lq) : NULL;
  float* keys = q ? arg_floats(env, argv, 4, &lk) : NULL;
  float* values = keys ? arg_floats(env, argv, 5, &lv) : NULL;
  float* scores = values ? arg_floats(env, argv, 11, &ls) : NULL;
  if (!scores || !arg_int(env, argv, 1, &out_off) || !arg_int(env, argv, 3, &q_off) || !arg_int(env, argv, 6, &kv_off) || !arg_int(env, argv, 7, &kv_stride) ||
      !arg_int(env, argv, 8, &last) || !arg_int(env, argv, 9, &hd) || !arg_double(env, argv, 10, &scale))
    return NULL;
  int64_t kv_end = last * kv_stride + kv_off + hd;
  if (!need(env, last >= 0 && hd > 0 && out_off >= 0 && q_off >= 0 && kv_off >= 0 && (size_t)(out_off + hd) <= lo && (size_t)(q_off + hd) <= lq &&
                     (size_t)kv_end <= lk && (size_t)kv_end <= lv && (size_t)(last + 1) <= ls))
    return NULL;
  const float* qv = q + q_off;
  float max = -INFINITY;
  for (int64_t u = 0; u <= last; u++) {
    const float* k = keys + u * kv_stride + kv_off;
    float dot = 0;
#pragma omp simd reduction(+ : dot)
    for (int64_t i = 0; i < hd; i++) dot += qv[i] * k[i];
    dot *= (float)scale;
    scores[u] = dot;
    max = dot > max ? dot : max;
  }
  float sum = 0;
  for (int64_t u = 0; u <= last; u++) {
    float e = expf(scores[u] - max);
    scores[u] = e;
    sum += e;
  }
  float inv = 1.0f / sum;
  float* o = out + out_off;
  for (int64_t i = 0; i < hd; i++) o[i] = 0;
  for (int64_t u = 0; u <= last; u++) {
    const float p = scores[u] * inv;
    const float* v = values + u * kv_stride + kv_off;
#pragma omp simd
    for (int64_t i = 0; i < hd; i++) o[i] += p * v[i];
  }
  return NULL;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t n;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  CHECK(napi_get_value_int32(env, argv[0], &n));
  if (n > 0) openblas_set_num_threads(n);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  CHECK(napi_create_function(env, "sgemm", NAPI_AUTO_LENGTH, sgemm, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "sgemm", fn));
  CHECK(napi_create_function(env, "setThreads", NAPI_AUTO_LENGTH, set_threads, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "setThreads", fn));
  CHECK(napi_create_function(env, "swigluForward", NAPI_AUTO_LENGTH, swiglu_forward, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "swigluForward", fn));
  CHECK(napi_create_function(env, "swigluBackward", NAPI_AUTO_LENGTH, swiglu_backward, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "swigluBackward", fn));
  CHECK(napi_create_function(env, "crossEntropyForward", NAPI_AUTO_LENGTH, cross_entropy_forward, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "crossEntropyForward", fn));
  CHECK(napi_create_function(env, "causalSoftmax", NAPI_AUTO_LENGTH, causal_softmax, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "causalSoftmax", fn));
  CHECK(napi_create_function(env, "causalSoftmaxBackward", NAPI_AUTO_LENGTH, causal_softmax_backward, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "causalSoftmaxBackward", fn));
  CHECK(napi_create_function(env, "attendCached", NAPI_AUTO_LENGTH, attend_cached, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "attendCached", fn));
  CHECK(napi_create_function(env, "rmsnormForward", NAPI_AUTO_LENGTH, rmsnorm_forward, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "rmsnormForward", fn));
  CHECK(napi_create_function(env, "rmsnormBackward", NAPI_AUTO_LENGTH, rmsnorm_backward, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "rmsnormBackward", fn));
  CHECK(napi_create_function(env, "crossEntropyBackward", NAPI_AUTO_LENGTH, cross_entropy_backward, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "crossEntropyBackward", fn));
  CHECK(napi_create_function(env, "adamwStep", NAPI_AUTO_LENGTH, adamw_step, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "adamwStep", fn));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
