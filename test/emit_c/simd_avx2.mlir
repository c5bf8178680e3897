// Each simd op on #simd.isa<avx2> (AVX2 + FMA + F16C): ymm intrinsics, the
// exact avx2 dot_i8 helper (never vpmaddubsw, which saturates), helper trees
// for reductions. The output compiles warning-free.
// RUN: ck-translate %s -t c | filecheck %s
// RUN: ck-translate %s -t c | filecheck %s --check-prefix=NOT512
// RUN: ck-translate %s -t c | cc -O3 -march=native -Wall -Wextra -Werror -x c -c - -o /dev/null
// RUN: ck-translate %s -t c | cc -O3 -march=haswell -Wall -Wextra -Werror -x c -c - -o /dev/null

// NOT512-NOT: _mm512
// NOT512-NOT: _maddubs
// CHECK-LABEL: static inline __m256 ck_exp_f32x8(__m256 x) {
// CHECK:         __m256 n = _mm256_round_ps(
// CHECK:         return _mm256_mul_ps(_mm256_mul_ps(e, s1), s2);
// CHECK-LABEL: static inline __m256i ck_dpbusd_avx2_x8(__m256i acc, __m256i a, __m256i b) {
// CHECK-NEXT:  #if defined(__AVXVNNI__)
// CHECK-NEXT:    return _mm256_dpbusd_avx_epi32(acc, a, b);
// CHECK-NEXT:  #elif defined(__AVX512VNNI__) && defined(__AVX512VL__)
// CHECK-NEXT:    return _mm256_dpbusd_epi32(acc, a, b);
// CHECK-NEXT:  #else
// CHECK:         _mm256_madd_epi16(a_lo, b_lo)
// CHECK:       #endif
// CHECK-LABEL: static inline int32_t ck_reduce_add_i32x8(__m256i v) {
// CHECK-NEXT:    __m128i h4 = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
// CHECK-NEXT:    __m128i h2 = _mm_add_epi32(h4, _mm_unpackhi_epi64(h4, h4));
// CHECK-NEXT:    __m128i h1 = _mm_add_epi32(h2, _mm_shuffle_epi32(h2, _MM_SHUFFLE(1, 1, 1, 1)));
// CHECK-NEXT:    return _mm_cvtsi128_si32(h1);
// CHECK-LABEL: static inline __m128i ck_cvt_f32_bf16x8(__m256 x) {
// CHECK:         _mm256_blendv_epi8(
// CHECK:         return _mm_packus_epi32(_mm256_castsi256_si128(r), _mm256_extracti128_si256(r, 1));
// CHECK-LABEL: static inline __m128i ck_cvt_f32_i8x8(__m256 x) {
// CHECK:         _mm_packs_epi32(

func.func @kernel(%p: memref<?xf32>, %ip: memref<?xi32>, %w: memref<?x32xi8>, %xq: memref<?xi8>, %i: index, %s: f32) -> i32 attributes {simd.isa = #simd.isa<avx2>} {
  %c0 = arith.constant 0 : index
  %x = simd.load %p[%i] : memref<?xf32> -> vector<8xf32>
  %y = simd.broadcast %s : f32 -> vector<8xf32>
  %a = simd.add %x, %y : vector<8xf32>
  %b = simd.sub %a, %y : vector<8xf32>
  %c = simd.mul %b, %x : vector<8xf32>
  %d = simd.max %c, %x : vector<8xf32>
  %e = simd.fma %d, %x, %y : vector<8xf32>
  %f = simd.exp %e : vector<8xf32>
  simd.store %f, %p[%i] : vector<8xf32>, memref<?xf32>
  %iv = simd.load %ip[%i] : memref<?xi32> -> vector<8xi32>
  %wv = simd.load %w[%i, %c0] : memref<?x32xi8> -> vector<32xi8>
  %x4 = simd.load %xq[%i] : memref<?xi8> -> vector<4xi8>
  %xb = simd.broadcast %x4 : vector<4xi8> -> vector<32xi8>
  %n = simd.dot_i8 %iv, %wv, %xb : vector<8xi32>, vector<32xi8>, vector<32xi8>
  %m = simd.mul %n, %iv : vector<8xi32>
  %r = simd.reduce add %m : vector<8xi32> -> i32
  func.return %r : i32
}
// CHECK-LABEL: int32_t kernel(float *p, int64_t p_d0, const int32_t *ip, int64_t ip_d0, const int8_t *w, int64_t w_d0, const int8_t *xq, int64_t xq_d0, int64_t i, float s) {
// CHECK:         __m256 x = _mm256_loadu_ps(&p[i]);
// CHECK-NEXT:    __m256 y = _mm256_set1_ps(s);
// CHECK-NEXT:    __m256 a = _mm256_add_ps(x, y);
// CHECK-NEXT:    __m256 b = _mm256_sub_ps(a, y);
// CHECK-NEXT:    __m256 c = _mm256_mul_ps(b, x);
// CHECK-NEXT:    __m256 d = _mm256_max_ps(c, x);
// CHECK-NEXT:    __m256 e = _mm256_fmadd_ps(d, x, y);
// CHECK-NEXT:    __m256 f = ck_exp_f32x8(e);
// CHECK-NEXT:    _mm256_storeu_ps(&p[i], f);
// CHECK-NEXT:    __m256i iv = _mm256_loadu_si256((const __m256i *)&ip[i]);
// CHECK-NEXT:    __m256i wv = _mm256_loadu_si256((const __m256i *)&w[i * 32]);
// CHECK-NEXT:    __m128i x4 = _mm_loadu_si32(&xq[i]);
// CHECK-NEXT:    __m256i xb = _mm256_broadcastd_epi32(x4);
// CHECK-NEXT:    __m256i n = ck_dpbusd_avx2_x8(iv, wv, xb);
// CHECK-NEXT:    __m256i m = _mm256_mullo_epi32(n, iv);
// CHECK-NEXT:    int32_t r = ck_reduce_add_i32x8(m);
// CHECK-NEXT:    return r;

func.func @converts(%h: vector<8xf16>, %b: vector<8xbf16>, %q: vector<8xi8>, %v: vector<8xf32>, %out: memref<8xf32>) attributes {simd.isa = #simd.isa<avx2>} {
  %c0 = arith.constant 0 : index
  %hf = simd.convert %h : vector<8xf16> -> vector<8xf32>
  %bf = simd.convert %b : vector<8xbf16> -> vector<8xf32>
  %qf = simd.convert %q : vector<8xi8> -> vector<8xf32>
  %vh = simd.convert %v : vector<8xf32> -> vector<8xf16>
  %vb = simd.convert %v : vector<8xf32> -> vector<8xbf16>
  %vq = simd.convert %v : vector<8xf32> -> vector<8xi8>
  %vi = simd.convert %v : vector<8xf32> -> vector<8xi32>
  %m = simd.reduce max %hf : vector<8xf32> -> f32
  simd.store %bf, %out[%c0] : vector<8xf32>, memref<8xf32>
  simd.store %qf, %out[%c0] : vector<8xf32>, memref<8xf32>
  func.return
}
// CHECK-LABEL: void converts(__m128i h, __m128i b, __m128i q, __m256 v, float *out) {
// CHECK-NEXT:    __m256 hf = _mm256_cvtph_ps(h);
// CHECK-NEXT:    __m256 bf = ck_cvt_bf16_f32x8(b);
// CHECK-NEXT:    __m256 qf = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q));
// CHECK-NEXT:    __m128i vh = _mm256_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
// CHECK-NEXT:    (void)vh;
// CHECK-NEXT:    __m128i vb = ck_cvt_f32_bf16x8(v);
// CHECK-NEXT:    (void)vb;
// CHECK-NEXT:    __m128i vq = ck_cvt_f32_i8x8(v);
// CHECK-NEXT:    (void)vq;
// CHECK-NEXT:    __m256i vi = _mm256_cvtps_epi32(v);
// CHECK-NEXT:    (void)vi;
// CHECK-NEXT:    float m = ck_reduce_max_f32x8(hf);
// CHECK-NEXT:    (void)m;
// CHECK-NEXT:    _mm256_storeu_ps(&out[0], bf);
// CHECK-NEXT:    _mm256_storeu_ps(&out[0], qf);
