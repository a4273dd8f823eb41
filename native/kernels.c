/*
 * looptool's native kernels: single-precision matrix products for the embedded engine,
 * through the system BLAS (OpenBLAS), exposed to Node through Node-API. Every call
 * checks that the strided matrices it is given lie inside their Float32Arrays, so a
 * wrong shape from JavaScript is a RangeError, never a memory error.
 */
#include <node_api.h>
#include <cblas.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
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
 * Training attention over the ragged batch, as whole calls. Query rows go in blocks of
 * ATTENTION_BLOCK: a block [r0, r1) only ever meets keys [0, r1), so the scores, the
 * softmax and every product skip the part of the upper triangle beyond the block, about
 * half the work of full T x T matrices on long sequences. The independent jobs, one per
 * (sequence, kv-head) pair covering that kv-head's group of query heads, are shared by
 * up to `threads` pthreads; no two jobs write the same element of out, probs, dq, dk or
 * dv, so they need no locks.
 *
 * Concurrent cblas_sgemm calls are safe in Debian's libopenblas0-pthread (built with
 * USE_THREAD=1, whose memory.c buffer allocator takes a lock; see OpenMathLib/OpenBLAS
 * issues #1755, #2126 and #4217: the races reported were in USE_THREAD=0 builds). OpenBLAS
 * is held at one thread of its own during the call so the two pools do not fight.
 */
#define ATTENTION_BLOCK 64
#define ATTENTION_MAX_THREADS 8

typedef struct {
  int64_t heads, kv_heads, hd, q_stride, kv_stride, max_len;
  float scale;
  const int32_t *seq_start, *seq_len, *prob_offset;
  float* probs;
  const float *q, *k, *v;
  float* out; /* forward */
  float *dq, *dk, *dv; /* backward */
  const float* dout;
  int64_t sequences;
  int64_t* jobs; /* s * kv_heads + kh, longest sequences first */
  int64_t job_count;
  int64_t next_job; /* taken with an atomic add */
  float* scratch; /* backward: ATTENTION_BLOCK x max_len floats per thread */
} attention_batch;

typedef struct {
  attention_batch* batch;
  float* scratch;
  bool backward;
} attention_worker;

/* Row t of a score block becomes the softmax of its first t+1 entries; the rest of the row (to T) is 0. */
static void softmax_causal_row(float* row, int64_t t, int64_t T) {
  float max = row[0];
  for (int64_t u = 1; u <= t; u++) max = row[u] > max ? row[u] : max;
  float sum = 0;
#pragma omp simd reduction(+ : sum)
  for (int64_t u = 0; u <= t; u++) {
    float e = expf(row[u] - max);
    row[u] = e;
    sum += e;
  }
  float inv = 1.0f / sum;
#pragma omp simd
  for (int64_t u = 0; u <= t; u++) row[u] *= inv;
  for (int64_t u = t + 1; u < T; u++) row[u] = 0;
}

static void attention_forward_job(const attention_batch* b, int64_t s, int64_t kh) {
  const int64_t T = b->seq_len[s], start = b->seq_start[s], hd = b->hd, qs = b->q_stride, kvs = b->kv_stride;
  const int64_t group = b->heads / b->kv_heads;
  const float* k = b->k + start * kvs + kh * hd;
  const float* v = b->v + start * kvs + kh * hd;
  for (int64_t h = kh * group; h < (kh + 1) * group; h++) {
    float* p = b->probs + b->prob_offset[s] + h * T * T;
    const float* q = b->q + start * qs + h * hd;
    float* out = b->out + start * qs + h * hd;
    for (int64_t r0 = 0; r0 < T; r0 += ATTENTION_BLOCK) {
      const int64_t r1 = r0 + ATTENTION_BLOCK < T ? r0 + ATTENTION_BLOCK : T, rows = r1 - r0;
      float* pr = p + r0 * T;
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)rows, (int)r1, (int)hd, b->scale, q + r0 * qs, (int)qs, k, (int)kvs, 0, pr, (int)T);
      for (int64_t i = 0; i < rows; i++) softmax_causal_row(pr + i * T, r0 + i, T);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)rows, (int)hd, (int)r1, 1, pr, (int)T, v, (int)kvs, 0, out + r0 * qs, (int)qs);
    }
  }
}

static void attention_backward_job(const attention_batch* b, int64_t s, int64_t kh, float* ds) {
  const int64_t T = b->seq_len[s], start = b->seq_start[s], hd = b->hd, qs = b->q_stride, kvs = b->kv_stride;
  const int64_t group = b->heads / b->kv_heads;
  const float* k = b->k + start * kvs + kh * hd;
  const float* v = b->v + start * kvs + kh * hd;
  float* dk = b->dk + start * kvs + kh * hd;
  float* dv = b->dv + start * kvs + kh * hd;
  for (int64_t h = kh * group; h < (kh + 1) * group; h++) {
    const float* p = b->probs + b->prob_offset[s] + h * T * T;
    const float* q = b->q + start * qs + h * hd;
    const float* dout = b->dout + start * qs + h * hd;
    float* dq = b->dq + start * qs + h * hd;
    for (int64_t r0 = 0; r0 < T; r0 += ATTENTION_BLOCK) {
      const int64_t r1 = r0 + ATTENTION_BLOCK < T ? r0 + ATTENTION_BLOCK : T, rows = r1 - r0;
      const float* pr = p + r0 * T;
      /* dV[0, r1) += Pᵀ·dO and dP = dO·Vᵀ, over the block's rows; dP is rows x r1 in ds. */
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)r1, (int)hd, (int)rows, 1, pr, (int)T, dout + r0 * qs, (int)qs, 1, dv, (int)kvs);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)rows, (int)r1, (int)hd, 1, dout + r0 * qs, (int)qs, v, (int)kvs, 0, ds, (int)r1);
      /* Softmax backward: dS = P ∘ (dP − Σ P·dP), scaled for the dot product; 0 above the diagonal. */
      for (int64_t i = 0; i < rows; i++) {
        const int64_t t = r0 + i;
        const float* pt = pr + i * T;
        float* d = ds + i * r1;
        float dot = 0;
#pragma omp simd reduction(+ : dot)
        for (int64_t u = 0; u <= t; u++) dot += pt[u] * d[u];
#pragma omp simd
        for (int64_t u = 0; u <= t; u++) d[u] = pt[u] * (d[u] - dot) * b->scale;
        for (int64_t u = t + 1; u < r1; u++) d[u] = 0;
      }
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)rows, (int)hd, (int)r1, 1, ds, (int)r1, k, (int)kvs, 1, dq + r0 * qs, (int)qs);
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)r1, (int)hd, (int)rows, 1, ds, (int)r1, q + r0 * qs, (int)qs, 1, dk, (int)kvs);
    }
  }
}

static void* attention_work(void* arg) {
  attention_worker* w = arg;
  attention_batch* b = w->batch;
  for (;;) {
    int64_t j = __atomic_fetch_add(&b->next_job, 1, __ATOMIC_RELAXED);
    if (j >= b->job_count) return NULL;
    int64_t s = b->jobs[j] / b->kv_heads, kh = b->jobs[j] % b->kv_heads;
    if (w->backward) attention_backward_job(b, s, kh, w->scratch);
    else attention_forward_job(b, s, kh);
  }
}

static size_t shortest(size_t a, size_t b) { return a < b ? a : b; }

/* Sorts packed (length << 32 | sequence) keys, longest first. */
static int longer_first(const void* x, const void* y) {
  int64_t a = *(const int64_t*)x, b = *(const int64_t*)y;
  return a < b ? 1 : a > b ? -1 : 0;
}

/*
 * Reads the shape arguments (seqStart, seqLen, probOffset, heads, kvHeads, headDim, threads
 * from argv[first]) and checks them against the arrays: every sequence's rows inside the
 * token arrays (q-like: q_len, kv-like: kv_len, each the shortest of its kind), every
 * probability block inside probs, sequences and blocks in order without overlap (so jobs
 * never share an element). On failure a JS exception is pending.
 */
static bool attention_shape(napi_env env, napi_value* argv, int first, size_t q_len, size_t kv_len, size_t probs_len, attention_batch* b, int64_t* threads) {
  size_t ls, ll, lo;
  b->seq_start = arg_typed(env, argv, first, napi_int32_array, "seqStart must be an Int32Array", &ls);
  if (!b->seq_start) return false;
  b->seq_len = arg_typed(env, argv, first + 1, napi_int32_array, "seqLen must be an Int32Array", &ll);
  if (!b->seq_len) return false;
  b->prob_offset = arg_typed(env, argv, first + 2, napi_int32_array, "probOffset must be an Int32Array", &lo);
  if (!b->prob_offset) return false;
  if (!arg_int(env, argv, first + 3, &b->heads) || !arg_int(env, argv, first + 4, &b->kv_heads) || !arg_int(env, argv, first + 5, &b->hd) ||
      !arg_int(env, argv, first + 6, threads))
    return false;
  if (!need(env, ls == ll && ll == lo && b->heads > 0 && b->kv_heads > 0 && b->hd > 0 && b->heads <= INT32_MAX && b->hd <= INT32_MAX &&
                     b->heads % b->kv_heads == 0 && b->heads * b->hd <= INT32_MAX))
    return false;
  b->q_stride = b->heads * b->hd;
  b->kv_stride = b->kv_heads * b->hd;
  b->scale = (float)(1.0 / sqrt((double)b->hd));
  int64_t token_end = 0, prob_end = 0, max_len = 0;
  for (size_t s = 0; s < ll; s++) {
    int64_t start = b->seq_start[s], T = b->seq_len[s], po = b->prob_offset[s], block;
    if (!need(env, T >= 0 && start >= token_end && po >= prob_end && !__builtin_mul_overflow(T * T, b->heads, &block))) return false;
    token_end = start + T;
    if (!need(env, !__builtin_add_overflow(po, block, &prob_end))) return false;
    max_len = T > max_len ? T : max_len;
  }
  b->max_len = max_len;
  b->sequences = (int64_t)ll;
  return need(env, (uint64_t)prob_end <= probs_len && (uint64_t)(token_end * b->q_stride) <= q_len && (uint64_t)(token_end * b->kv_stride) <= kv_len);
}

/* Runs the batch's jobs on `threads` threads (this one included), OpenBLAS held at one thread meanwhile. */
static bool attention_run(napi_env env, attention_batch* b, int64_t threads, bool backward) {
  int64_t* order = malloc(sizeof(int64_t) * (size_t)(b->sequences + 1));
  int64_t busy = 0;
  for (int64_t s = 0; order && s < b->sequences; s++)
    if (b->seq_len[s] > 0) order[busy++] = ((int64_t)b->seq_len[s] << 32) | s;
  const int64_t count = busy * b->kv_heads;
  threads = threads < 1 ? 1 : threads > ATTENTION_MAX_THREADS ? ATTENTION_MAX_THREADS : threads;
  if (threads > count) threads = count > 0 ? count : 1;
  b->jobs = malloc(sizeof(int64_t) * (size_t)(count + 1));
  b->scratch = backward ? malloc(sizeof(float) * (size_t)(threads * ATTENTION_BLOCK * b->max_len + 1)) : NULL;
  if (!order || !b->jobs || (backward && !b->scratch)) {
    free(order);
    free(b->jobs);
    free(b->scratch);
    napi_throw_error(env, NULL, "attention: out of memory");
    return false;
  }
  /* Longest sequences first, so the last jobs handed out are the short ones and the threads finish together. */
  qsort(order, (size_t)busy, sizeof(int64_t), longer_first);
  int64_t j = 0;
  for (int64_t i = 0; i < busy; i++)
    for (int64_t kh = 0; kh < b->kv_heads; kh++) b->jobs[j++] = (order[i] & 0xffffffff) * b->kv_heads + kh;
  free(order);
  b->job_count = count;
  b->next_job = 0;

  const int saved = openblas_get_num_threads();
  if (saved != 1) openblas_set_num_threads(1);
  attention_worker workers[ATTENTION_MAX_THREADS];
  pthread_t ids[ATTENTION_MAX_THREADS];
  bool started[ATTENTION_MAX_THREADS] = {false};
  for (int64_t i = 0; i < threads; i++) {
    workers[i] = (attention_worker){b, backward ? b->scratch + i * ATTENTION_BLOCK * b->max_len : NULL, backward};
    /* A thread that cannot start leaves its share to the others. */
    if (i > 0) started[i] = pthread_create(&ids[i], NULL, attention_work, &workers[i]) == 0;
  }
  attention_work(&workers[0]);
  for (int64_t i = 1; i < threads; i++)
    if (started[i]) pthread_join(ids[i], NULL);
  if (saved != 1) openblas_set_num_threads(saved);
  free(b->jobs);
  free(b->scratch);
  return true;
}

/* attentionForward(out, probs, q, k, v, seqStart, seqLen, probOffset, heads, kvHeads, headDim, threads). */
static napi_value attention_forward(napi_env env, napi_callback_info info) {
  napi_value argv[12];
  size_t lo, lp, lq, lk, lv;
  int64_t threads;
  attention_batch b = {0};
  if (!get_args(env, info, 12, argv)) return NULL;
  b.out = arg_floats(env, argv, 0, &lo);
  b.probs = b.out ? arg_floats(env, argv, 1, &lp) : NULL;
  b.q = b.probs ? arg_floats(env, argv, 2, &lq) : NULL;
  b.k = b.q ? arg_floats(env, argv, 3, &lk) : NULL;
  b.v = b.k ? arg_floats(env, argv, 4, &lv) : NULL;
  if (!b.v || !attention_shape(env, argv, 5, shortest(lo, lq), shortest(lk, lv), lp, &b, &threads)) return NULL;
  attention_run(env, &b, threads, false);
  return NULL;
}

/* attentionBackward(dq, dk, dv, dout, probs, q, k, v, seqStart, seqLen, probOffset, heads, kvHeads, headDim, threads): accumulates dq, dk, dv. */
static napi_value attention_backward(napi_env env, napi_callback_info info) {
  napi_value argv[15];
  size_t lens[8];
  float* arrays[8];
  int64_t threads;
  attention_batch b = {0};
  if (!get_args(env, info, 15, argv)) return NULL;
  for (int i = 0; i < 8; i++)
    if (!(arrays[i] = arg_floats(env, argv, i, &lens[i]))) return NULL;
  b.dq = arrays[0], b.dk = arrays[1], b.dv = arrays[2], b.dout = arrays[3], b.probs = arrays[4], b.q = arrays[5], b.k = arrays[6], b.v = arrays[7];
  /* dq, dout and q are [N, heads, hd]; dk, dv, k and v are [N, kvHeads, hd]. */
  size_t q_len = shortest(lens[0], shortest(lens[3], lens[5])), kv_len = shortest(shortest(lens[1], lens[2]), shortest(lens[6], lens[7]));
  if (!attention_shape(env, argv, 8, q_len, kv_len, lens[4], &b, &threads)) return NULL;
  attention_run(env, &b, threads, true);
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
  CHECK(napi_create_function(env, "attentionForward", NAPI_AUTO_LENGTH, attention_forward, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "attentionForward", fn));
  CHECK(napi_create_function(env, "attentionBackward", NAPI_AUTO_LENGTH, attention_backward, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "attentionBackward", fn));
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
